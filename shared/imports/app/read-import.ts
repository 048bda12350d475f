import { servedJurisdiction } from '../../jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import { placeNames } from '../../jurisdictions/domain/place-names.ts';
import type { NewAllocation } from '../../ledger/app/allocations.ts';
import type { NewRequest } from '../../ledger/app/requests.ts';
import { type Actor, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
// Bytes → sheets is a file format, not a service: read here so readImport keeps the contract's signature.
import { readSheetFile } from '../adapters/sheet-file.ts';
import type { CellError } from '../domain/cell-error.ts';
import { columnsOf, type ImportContext } from '../domain/import-columns.ts';
import type { ImportKind } from '../domain/import-kind.ts';
import { IMPORT_LIMITS } from '../domain/import-limits.ts';
import { findHeaders, rawRows } from '../domain/sheet-rows.ts';
import { validateRows } from '../presentation/row-inputs.ts';
import { ImportFileError } from './errors.ts';
import { type CheckDeps, checkAllocationRows, checkRequestRows } from './import-checks.ts';

/** The uploaded file, as the HTTP edge gives it (shared/platform/http/file-body.ts). */
export interface ImportFile {
  bytes: Uint8Array;
  contentType: string;
  fileName?: string;
}

/** One good row of the file: where it is and the input it makes for createAllocation or submitRequest. */
export type ImportRow =
  | { kind: 'allocations'; sheet: string; row: number; input: NewAllocation }
  | { kind: 'requests'; sheet: string; row: number; input: NewRequest };

/** Every row good, or every bad cell. */
export type ImportReading = { ok: true; rows: ImportRow[] } | { ok: false; errors: CellError[] };

/**
 * What reading needs of the store: what POST /allocations and POST /requests already build (the ledger
 * store, the plan's output catalogue, the payee register, the clock).
 */
export type ImportReadDeps = CheckDeps;

/** The names the importer's jurisdiction gives its budget and communes, which cells may use. */
const contextOf = (actor: Actor): ImportContext => {
  const names = placeNames(servedJurisdiction(jurisdictionCatalog, jurisdictionOfScope(scopeOf(actor))));
  return { localBudget: names.localBudget.vi, communes: names.communes };
};

const byPlace = (a: CellError, b: CellError) =>
  a.row - b.row || a.column.length - b.column.length || a.column.localeCompare(b.column);

/**
 * Reads and validates a whole file against the store, writing nothing: the sheet with the kind's
 * headers, each row through the route's own schema, then the rules the use cases apply and the
 * store's state (read in bulk). A file that cannot be read as a whole throws ImportFileError.
 */
export const readImport = async (
  deps: ImportReadDeps,
  actor: Actor,
  kind: ImportKind,
  file: ImportFile,
): Promise<ImportReading> => {
  const sheets = await readSheetFile(file);
  const specs = columnsOf(kind);
  const found = findHeaders(sheets, specs);
  if (!('layouts' in found)) {
    throw new ImportFileError(
      'missing_columns',
      `Không tìm thấy trang tính có đủ các cột của mẫu${found.sheet ? ` (trang «${found.sheet}» thiếu cột ${found.missing.map((h) => `«${h}»`).join(', ')})` : ''}: hãy dùng mẫu GET /imports/templates/${kind}.xlsx, giữ nguyên dòng tiêu đề.`,
      { ...(found.sheet ? { sheet: found.sheet } : {}), missing: found.missing },
    );
  }
  const context = contextOf(actor);
  const read = found.layouts.map((layout) => ({ layout, raw: rawRows(layout, specs, context) }));
  const count = read.reduce((n, r) => n + r.raw.length, 0);
  const names = found.layouts.map((l) => l.sheet.name);
  if (count === 0) {
    throw new ImportFileError(
      'no_rows',
      `Trang ${names.map((n) => `«${n}»`).join(', ')} không có dòng dữ liệu nào dưới dòng tiêu đề (các dòng «Ví dụ» không được tính): hãy điền rồi gửi lại.`,
      { sheets: names },
    );
  }
  if (count > IMPORT_LIMITS.maxRows) {
    throw new ImportFileError(
      'too_many_rows',
      `Tệp có ${count} dòng dữ liệu, nhiều hơn giới hạn ${IMPORT_LIMITS.maxRows} dòng mỗi lần nhập: hãy tách thành nhiều tệp.`,
      { rows: count, maxRows: IMPORT_LIMITS.maxRows },
    );
  }
  const errors: CellError[] = [];
  const valid = read.flatMap(({ layout, raw }) => {
    const checked = validateRows(kind, layout, specs, raw);
    errors.push(...checked.errors);
    return checked.valid.map((row) => ({ ...row, layout }));
  });
  const sheetOrder = (e: CellError) => names.indexOf(e.sheet);
  const refused = (more: CellError[]): ImportReading => ({
    ok: false,
    errors: [...errors, ...more].sort((a, b) => sheetOrder(a) - sheetOrder(b) || byPlace(a, b)),
  });
  if (kind === 'allocations') {
    const rows = valid.flatMap((r) => (r.kind === 'allocations' ? [r] : []));
    const more = await checkAllocationRows(deps.store, actor, specs, rows);
    if (errors.length + more.length > 0) return refused(more);
    return { ok: true, rows: rows.map(({ layout: _, ...row }) => row) };
  }
  const rows = valid.flatMap((r) => (r.kind === 'requests' ? [r] : []));
  const more = await checkRequestRows(deps, actor, specs, rows);
  if (errors.length + more.length > 0) return refused(more);
  return { ok: true, rows: rows.map(({ layout: _, ...row }) => row) };
};
