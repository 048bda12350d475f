/** A cell as read from a file: text, a number, a boolean, or empty (dates are read as YYYY-MM-DD text). */
export type SheetCell = string | number | boolean | null;

/** One sheet of a file (a CSV is one sheet): its name and its rows, row 0 being the spreadsheet's row 1. */
export interface SheetTable {
  name: string;
  rows: SheetCell[][];
}

/** The spreadsheet's letter of a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA". */
export const columnLetter = (index: number): string => {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
};

/** True when a cell holds nothing (empty, or only spaces). */
export const isBlank = (cell: SheetCell | undefined): boolean =>
  cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
