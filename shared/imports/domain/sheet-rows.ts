import type { CellErrorCode } from '../../platform/error-catalogue.ts';
import type { CellError } from './cell-error.ts';
import { cellText, choiceOf, outputsOf, wholeNumber } from './cell-values.ts';
import { folded } from './folded-text.ts';
import type { ColumnSpec, ImportContext } from './import-columns.ts';
import { EXAMPLE_MARK, NOTE_COLUMN } from './import-columns.ts';
import { columnLetter, isBlank, type SheetCell, type SheetTable } from './sheet-table.ts';

/** How far down a sheet its header row is looked for (a title or a note may come first). */
export const HEADER_SEARCH_ROWS = 20;

/** Where a sheet's columns are: the header row (0-based) and each field's column index. */
export interface HeaderLayout {
  sheet: SheetTable;
  headerRow: number;
  columns: ReadonlyMap<string, number>;
  /** The column of the example mark ("Ghi chú"), if there is one. */
  noteColumn?: number;
}

/** No sheet with every required header: the sheet that came closest and the headers it lacks. */
export interface MissingColumns {
  sheet?: string;
  missing: string[];
}

const headersOf = (spec: Pick<ColumnSpec, 'header' | 'aliases'>) =>
  [spec.header, ...(spec.aliases ?? [])].map(folded);

const layoutOf = (sheet: SheetTable, headerRow: number, specs: readonly ColumnSpec[]) => {
  const cells = (sheet.rows[headerRow] ?? []).map((c) => folded(cellText(c)));
  const columns = new Map<string, number>();
  // An exact header wins over an alias of another column; the first column of a header wins.
  for (const spec of specs) {
    const index = cells.indexOf(folded(spec.header));
    if (index >= 0) columns.set(spec.field, index);
  }
  for (const spec of specs) {
    if (columns.has(spec.field)) continue;
    const taken = new Set(columns.values());
    const index = cells.findIndex((c, i) => !taken.has(i) && c !== '' && headersOf(spec).includes(c));
    if (index >= 0) columns.set(spec.field, index);
  }
  const note = cells.findIndex((c) => headersOf(NOTE_COLUMN).includes(c));
  return { columns, ...(note >= 0 ? { noteColumn: note } : {}) };
};

/**
 * Finds the data sheets: each sheet with a row (among its first {@link HEADER_SEARCH_ROWS}) that holds
 * every required header (matched trimmed, without accents or case; in any order), so a plan may come
 * split by commune over several sheets. None: the headers missing from the sheet that came closest.
 */
export const findHeaders = (
  sheets: readonly SheetTable[],
  specs: readonly ColumnSpec[],
): { layouts: HeaderLayout[] } | MissingColumns => {
  const required = specs.filter((s) => s.required);
  let closest: MissingColumns = { missing: required.map((s) => s.header) };
  const layouts: HeaderLayout[] = [];
  for (const sheet of sheets) {
    for (let r = 0; r < Math.min(sheet.rows.length, HEADER_SEARCH_ROWS); r++) {
      const layout = layoutOf(sheet, r, specs);
      const missing = required.filter((s) => !layout.columns.has(s.field)).map((s) => s.header);
      if (missing.length === 0) {
        layouts.push({ sheet, headerRow: r, ...layout });
        break;
      }
      if (missing.length < closest.missing.length) closest = { sheet: sheet.name, missing };
    }
  }
  return layouts.length > 0 ? { layouts } : closest;
};

/** A data row as read: where it is, the input fields its cells give (before the schema), its bad cells. */
export interface RawRow {
  sheet: string;
  /** The spreadsheet's 1-based row number. */
  row: number;
  fields: Record<string, unknown>;
  errors: CellError[];
}

/** A row the reader skips: blank, or an example marked in the note column. */
const skipped = (cells: readonly SheetCell[], layout: HeaderLayout): boolean => {
  if (cells.every(isBlank)) return true;
  if (layout.noteColumn === undefined) return false;
  const note = folded(cellText(cells[layout.noteColumn] ?? null));
  return note.startsWith(folded(EXAMPLE_MARK));
};

const setField = (fields: Record<string, unknown>, path: string, value: unknown) => {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    fields[head] = value;
    return;
  }
  const inner = (fields[head] ?? {}) as Record<string, unknown>;
  fields[head] = inner;
  setField(inner, rest.join('.'), value);
};

/** A message on a cell of a column: what is wrong, then what the column takes. */
export const cellMessage = (spec: Pick<ColumnSpec, 'header' | 'hint'>, problem: string): string =>
  `Cột «${spec.header}»: ${problem}. Cần ghi: ${spec.hint}.`;

const readCell = (
  spec: ColumnSpec,
  cell: SheetCell,
  context: ImportContext,
): { ok: true; value: unknown } | { ok: false; code: CellErrorCode; problem: string } => {
  switch (spec.type) {
    case 'whole':
      return wholeNumber(cell);
    case 'text':
      return { ok: true, value: cellText(cell) };
    case 'digits':
      return { ok: true, value: cellText(cell, spec.length) };
    case 'choice':
      return choiceOf(cell, spec.choices(context));
    case 'commune': {
      // The unit's own spelling when it is the same name; whether it is one that year is the use case's check.
      const text = cellText(cell);
      const named = context.communes.find((c) => folded(c) === folded(text));
      if (named !== undefined) return { ok: true, value: named };
      return {
        ok: false,
        code: 'unknown_commune',
        problem: `«${text}» không phải tên xã, phường của địa bàn; chọn một trong: ${context.communes.join(', ')}`,
      };
    }
    case 'outputs':
      return outputsOf(cell);
  }
};

/**
 * The template's example text ("Ví dụ: …") in a row that is read: the example's note was removed or
 * its note column deleted. Refused, so that an example is never imported as data.
 */
const exampleLeft = (spec: ColumnSpec, cell: SheetCell) =>
  spec.type === 'text' && folded(cellText(cell)).startsWith(`${folded(EXAMPLE_MARK)} `)
    ? ({
        ok: false,
        code: 'example_row',
        problem: `dòng mẫu của mẫu nhập: xóa dòng này, hoặc ghi «${EXAMPLE_MARK}» vào cột «${NOTE_COLUMN.header}» để bỏ qua nó`,
      } as const)
    : undefined;

/**
 * The data rows below the header, blank and example rows skipped: each with the fields its cells give
 * (numbers, codes and labels read as the input takes them) and an error for each cell that cannot be read.
 */
export const rawRows = (
  layout: HeaderLayout,
  specs: readonly ColumnSpec[],
  context: ImportContext,
): RawRow[] => {
  const rows: RawRow[] = [];
  const { sheet } = layout;
  for (let r = layout.headerRow + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    if (skipped(cells, layout)) continue;
    const raw: RawRow = { sheet: sheet.name, row: r + 1, fields: {}, errors: [] };
    for (const spec of specs) {
      const index = layout.columns.get(spec.field);
      const cell = index === undefined ? null : (cells[index] ?? null);
      if (index === undefined || isBlank(cell)) continue;
      const read = exampleLeft(spec, cell) ?? readCell(spec, cell, context);
      if (read.ok) setField(raw.fields, spec.field, read.value);
      else {
        raw.errors.push({
          sheet: sheet.name,
          row: r + 1,
          column: columnLetter(index),
          code: read.code,
          message: cellMessage(spec, read.problem),
        });
      }
    }
    rows.push(raw);
  }
  return rows;
};

/** The column letter of a field in the layout; for a column the sheet lacks, the first one after its columns. */
export const letterOf = (layout: HeaderLayout, field: string): string => {
  const index = layout.columns.get(field);
  if (index !== undefined) return columnLetter(index);
  const width = (layout.sheet.rows[layout.headerRow] ?? []).length;
  return columnLetter(width);
};
