/**
 * Cells of an export meant for a spreadsheet (CSV today, XLSX later), written so that a spreadsheet
 * neither runs them nor retypes them, and so that a verifier can read every value back exactly.
 * The kind is decided per column, never per value: a negative amount stays a number, a payee named
 * "-2" stays text.
 *
 * - `number`: written as is (amounts, seq, years stay numbers a spreadsheet can add up).
 * - `text`: OWASP's advice against formula injection — a leading `'` when the text would be run
 *   (`=`, `+`, `-`, `@` or their full-width forms, also after leading spaces or invisible
 *   characters; or a control character such as TAB or CR first) or retyped (a digit, `.`, `,`, `(`,
 *   `#`, a currency sign first, or TRUE/FALSE), and when it already starts with `'`, so that dropping
 *   one leading `'` always gives the value back.
 * - `digest`: a SHA-256 in hex as `sha256:<hex>`: text in every spreadsheet, where bare hex such as
 *   64 zeros (the genesis prevHash) becomes the number 0 and `1234e567…` a float.
 * - `instant`: an ISO 8601 UTC instant (`2024-05-01T03:04:05.123Z`), which spreadsheets keep as text.
 * - `id`: a UUID, which spreadsheets keep as text (even an all-digit one), as is; any other id as text.
 * - `date`: a calendar date for people, `dd/mm/yyyy`, as is (digits and slashes: nothing to run), so a
 *   spreadsheet set to Vietnamese dates reads it as that date; anything else as text. For reading only:
 *   no verifier reads a `date` column (in another locale a spreadsheet may read 01/10 as 10 January).
 */
export type CellKind = 'number' | 'text' | 'digest' | 'instant' | 'id' | 'date';

/** A column of an export: its header, its kind and how a row gives its value. */
export type Column<Row> = { name: string } & (
  | { kind: 'number'; value: (row: Row) => number }
  | { kind: Exclude<CellKind, 'number'>; value: (row: Row) => string }
);

/** What a text-typed cell is marked with so that a spreadsheet neither runs nor retypes it. */
export const TEXT_MARK = "'";
/** Prefix of a digest cell. */
export const DIGEST_PREFIX = 'sha256:';

/** Spaces, controls and invisible format characters a spreadsheet may skip before a formula. */
const LEADING_INVISIBLE = '[\\s\\p{Cc}\\p{Cf}]*';
/** Characters that start a formula: = + - @ and their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20). */
const FORMULA_START = new RegExp(`^${LEADING_INVISIBLE}[=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20]`, 'u');
/** Text a spreadsheet would read as a number, date, percentage, currency or error value. */
const RETYPED_START = new RegExp(`^${LEADING_INVISIBLE}[\\p{Nd}.,(#%\\p{Sc}]`, 'u');
const BOOLEAN = /^\s*(true|false)\s*$/i;
const HEX_DIGEST = /^[0-9a-f]{64}$/;
const DIGEST_CELL = /^sha256:[0-9a-f]{64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const DAY_MONTH_YEAR = /^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/\d{4}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a spreadsheet would run the text as a formula or read it as something other than text. */
export const needsTextMark = (text: string): boolean =>
  /^\p{Cc}/u.test(text) ||
  text.startsWith(TEXT_MARK) ||
  FORMULA_START.test(text) ||
  RETYPED_START.test(text) ||
  BOOLEAN.test(text);

/**
 * A text cell of an XLSX file: stored as a string (never a formula), and marked with a leading `'` when
 * it would run once retyped or saved as CSV (a formula character after any invisible lead, or a
 * control character first), or starts with `'` already, so that dropping one leading `'` gives it back.
 * Text a spreadsheet would retype stays as is: an XLSX string cell keeps its type.
 */
export const xlsxTextCell = (text: string): string =>
  /^\p{Cc}/u.test(text) || text.startsWith(TEXT_MARK) || FORMULA_START.test(text)
    ? `${TEXT_MARK}${text}`
    : text;

/** A text cell: marked with a leading `'` when a spreadsheet would run or retype it. */
export const textCell = (text: string): string => (needsTextMark(text) ? `${TEXT_MARK}${text}` : text);

/** A digest cell (`sha256:<hex>`); anything else (a tampered value) is written as marked text. */
export const digestCell = (hex: string): string =>
  HEX_DIGEST.test(hex) ? `${DIGEST_PREFIX}${hex}` : `${TEXT_MARK}${hex}`;

/** An instant cell; anything that is not an ISO 8601 UTC instant is written as text. */
export const instantCell = (iso: string): string => (ISO_INSTANT.test(iso) ? iso : textCell(iso));

/** An id cell: a UUID as is; anything else as text. */
export const idCell = (id: string): string => (UUID.test(id) ? id : textCell(id));

/** A date cell (`dd/mm/yyyy`) as is; anything else as text. */
export const dateCell = (dmy: string): string => (DAY_MONTH_YEAR.test(dmy) ? dmy : textCell(dmy));

/** A number cell; a value that is not a finite number is written as text. */
export const numberCell = (value: number): string =>
  Number.isFinite(value) ? String(value) : textCell(String(value));

/** The cell of a row in a column, as text ready for a CSV field or an XLSX string/number cell. */
export const cellOf = <Row>(column: Column<Row>, row: Row): string => {
  switch (column.kind) {
    case 'number':
      return numberCell(column.value(row));
    case 'text':
      return textCell(column.value(row));
    case 'digest':
      return digestCell(column.value(row));
    case 'instant':
      return instantCell(column.value(row));
    case 'id':
      return idCell(column.value(row));
    case 'date':
      return dateCell(column.value(row));
  }
};

/** The value a text cell was written from: one leading `'` dropped (the verifier's side). */
export const readTextCell = (cell: string): string =>
  cell.startsWith(TEXT_MARK) ? cell.slice(TEXT_MARK.length) : cell;

/** The value a cell of any kind was written from, as text (numbers as their decimal digits). */
export const readCell = (kind: CellKind, cell: string): string =>
  kind === 'digest' && DIGEST_CELL.test(cell) ? cell.slice(DIGEST_PREFIX.length) : readTextCell(cell);

/** Byte order mark: lets Excel read UTF-8 (Vietnamese) text correctly. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180 field: quoted when it holds a comma, quote, CR, LF or TAB (which readers may take for a separator). */
export const csvField = (cell: string): string =>
  /[",\r\n\t]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;

/** The header line of a CSV export (with the BOM), CRLF-terminated. */
export const csvHeaderLine = <Row>(columns: readonly Column<Row>[]): string =>
  `${UTF8_BOM}${columns.map((c) => csvField(textCell(c.name))).join(',')}\r\n`;

/** Rows as CSV lines, CRLF-terminated, each cell written for its column's kind. */
export const csvRowLines = <Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string =>
  rows.map((row) => `${columns.map((c) => csvField(cellOf(c, row))).join(',')}\r\n`).join('');
