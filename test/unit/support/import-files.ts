import XLSX from 'xlsx';
import type { ImportFile } from '../../../shared/imports/app/read-import.ts';

/** An XLSX written by SheetJS (a writer independent of the project's): one sheet per entry, cells as given. */
export const xlsxFile = (sheets: Record<string, unknown[][]>): ImportFile => {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
  }
  const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  return {
    bytes: new Uint8Array(bytes),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: 'import.xlsx',
  };
};

/** A CSV as Excel saves one: UTF-8 with a BOM, CRLF lines, the given separator; fields quoted when needed. */
export const csvFile = (
  rows: unknown[][],
  separator: ';' | ',' = ';',
  fileName = 'ke-hoach.csv',
): ImportFile => {
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return s.includes(separator) || s.includes('"') || /[\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = `\uFEFF${rows.map((r) => r.map(field).join(separator)).join('\r\n')}\r\n`;
  return { bytes: new TextEncoder().encode(text), contentType: 'text/csv', fileName };
};
