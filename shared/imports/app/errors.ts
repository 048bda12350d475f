import { AppError } from '../../platform/errors.ts';

/** Stable codes of a file that cannot be read as a whole (as opposed to bad cells). */
export type ImportFileErrorCode =
  | 'unreadable_file'
  | 'too_many_rows'
  | 'no_rows'
  | 'missing_columns'
  | 'file_too_large';

/** A file that cannot be imported as a whole: not an XLSX/CSV, too big, no sheet with the template's headers, no rows. */
export class ImportFileError extends AppError {
  readonly status = 422;
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}
