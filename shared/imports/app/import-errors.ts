import { AppError } from '../../platform/errors.ts';
import type { CellError } from '../domain/cell-error.ts';
import type { ImportFailure } from './ports.ts';

/** A file with bad cells: every one of them, and nothing written (422 `import_invalid`). */
export class ImportInvalidError extends AppError {
  readonly code = 'import_invalid';
  readonly status = 422;
  constructor(errors: readonly CellError[]) {
    super(
      `Tệp có ${errors.length} ô không hợp lệ; không dòng nào được ghi. Sửa các ô trong details.errors rồi gửi lại tệp. (The file has ${errors.length} invalid cell(s); nothing was written.)`,
      { errors },
    );
  }
}

/**
 * An import stopped on a row the ledger refused when it was applied (funds taken meanwhile, a year
 * closed): the rows before it are written, the rest not (409 `import_failed`). Sending the same file
 * again goes on from that row.
 */
export class ImportFailedError extends AppError {
  readonly code = 'import_failed';
  readonly status = 409;
  constructor(importId: string, failure: ImportFailure) {
    super(
      `Nhập dừng ở dòng ${failure.row} (trang ${failure.sheet}): ${failure.message} Các dòng trước đã được ghi; khắc phục rồi gửi lại đúng tệp này để tiếp tục. (The import stopped on row ${failure.row}; send the same file again to go on.)`,
      { importId, failure },
    );
  }
}
