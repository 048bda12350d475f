import XLSX from 'xlsx';

/** A cell as a spreadsheet types it: `s` text, `n` number, `b` boolean, `d` date, `e` error; `f` a formula. */
export interface SheetCell {
  t: string;
  v?: unknown;
  f?: string;
}

/**
 * Reads CSV as a spreadsheet opens it, with SheetJS's CSV reader (which types cells as Excel does:
 * numbers, dates, booleans, formulas): the header row's names → each row's typed cells.
 */
export const openInSpreadsheet = (csv: string): Record<string, SheetCell>[] => {
  const book = XLSX.read(csv.replace(/^\uFEFF/, ''), { type: 'string', raw: false });
  const sheet = book.Sheets[book.SheetNames[0] ?? ''];
  if (!sheet) throw new Error('no sheet read from the CSV');
  const range = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1');
  const at = (r: number, c: number): SheetCell | undefined => sheet[XLSX.utils.encode_cell({ r, c })];
  const names = Array.from({ length: range.e.c + 1 }, (_, c) => String(at(0, c)?.v ?? ''));
  return Array.from({ length: range.e.r }, (_, i) => i + 1)
    .filter((r) => names.some((_, c) => at(r, c) !== undefined)) // the line end after the last row
    .map((r) => Object.fromEntries(names.map((name, c) => [name, at(r, c) ?? { t: 's', v: '' }])));
};

/** A spreadsheet's copy of the rows as text, as an auditor's verifier reads the cells' values. */
export const cellValues = (rows: Record<string, SheetCell>[]): Record<string, string>[] =>
  rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, cell]) => [name, String(cell.v)])));

/**
 * What a spreadsheet could run, written independently of the exporter's rule: a formula character
 * (ASCII or full-width) after any leading spaces, controls or invisible characters, or a control first.
 */
export const looksRunnable = (cell: string): boolean =>
  /^[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u.test(cell) || /^\p{Cc}/u.test(cell);
