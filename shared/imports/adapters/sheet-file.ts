import { parse } from 'csv-parse/sync';
import readExcelFile from 'read-excel-file/node';
import { ImportFileError } from '../app/errors.ts';
import { IMPORT_LIMITS } from '../domain/import-limits.ts';
import type { SheetCell, SheetTable } from '../domain/sheet-table.ts';

/** What a file is, by its first bytes, then its declared type or name. */
type FileFormat = 'xlsx' | 'xls' | 'csv' | 'unknown';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

const formatOf = (bytes: Uint8Array, contentType: string, fileName?: string): FileFormat => {
  if (startsWith(bytes, ZIP)) return 'xlsx';
  if (startsWith(bytes, OLE2)) return 'xls';
  // Browsers on Windows send a .csv as application/vnd.ms-excel; a real .xls was caught by its bytes above.
  if (/csv|text\/plain|vnd\.ms-excel/.test(contentType) || /\.csv$/i.test(fileName ?? '')) return 'csv';
  return 'unknown';
};

/** The unpacked size an XLSX's ZIP directory declares, so a zip bomb is refused before it is inflated. */
const MAX_UNPACKED_BYTES = 20 * IMPORT_LIMITS.maxBytes;

const unreadable = (why: string, details: Record<string, unknown> = {}) =>
  new ImportFileError('unreadable_file', why, details);

/**
 * The total uncompressed size the ZIP's central directory declares (ZIP64 or a broken directory: as
 * too large). Only sizes are read here; the archive itself is inflated by read-excel-file.
 */
const declaredUnpackedBytes = (bytes: Uint8Array): number => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes, after which only a comment (≤ 65535 bytes) follows.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return Number.POSITIVE_INFINITY;
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return Number.POSITIVE_INFINITY;
    const size = view.getUint32(at + 24, true);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
};

const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

const readXlsx = async (bytes: Uint8Array): Promise<SheetTable[]> => {
  if (declaredUnpackedBytes(bytes) > MAX_UNPACKED_BYTES) {
    throw unreadable(
      'Tệp XLSX bị hỏng hoặc giải nén ra quá lớn: hãy mở bằng Excel, lưu lại dưới dạng .xlsx rồi gửi lại (the archive is broken or unpacks too large).',
      { maxUnpackedBytes: MAX_UNPACKED_BYTES },
    );
  }
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = (await readExcelFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) as {
      sheet: string;
      data: unknown[][];
    }[];
  } catch (error) {
    throw unreadable(
      'Không đọc được tệp XLSX: hãy mở bằng Excel, lưu lại dưới dạng Sổ làm việc Excel (.xlsx) rồi gửi lại (the file is not a readable XLSX workbook).',
      { reason: error instanceof Error ? error.name : 'unknown' },
    );
  }
  return sheets.map(({ sheet, data }) => ({
    name: sheet,
    rows: data.map((row) =>
      row.map((cell): SheetCell => {
        if (cell instanceof Date) return dayOf(cell);
        if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') return cell;
        return null;
      }),
    ),
  }));
};

/** `;` when the header line has more semicolons than commas (Excel's CSV where the decimal mark is a comma), else `,`. */
const delimiterOf = (text: string): ';' | ',' => {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
};

const readCsv = (bytes: Uint8Array, fileName?: string): SheetTable[] => {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw unreadable(
      'Tệp CSV không phải mã UTF-8: trong Excel hãy chọn Lưu thành "CSV UTF-8 (phân cách bằng dấu phẩy)" rồi gửi lại (save the CSV as UTF-8).',
    );
  }
  if (text.includes('\u0000'))
    throw unreadable('Tệp không phải là văn bản CSV (the file holds binary data).');
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (error) {
    throw unreadable(
      'Không đọc được tệp CSV: kiểm tra các dấu ngoặc kép rồi lưu lại từ Excel (the CSV could not be parsed).',
      { reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
    );
  }
  const name = (fileName ?? 'CSV').replace(/\.csv$/i, '') || 'CSV';
  return [{ name, rows: records.map((r) => r.map((c) => (c === '' ? null : c))) }];
};

/**
 * The sheets of an uploaded XLSX (read-excel-file) or CSV (csv-parse: UTF-8 with or without BOM,
 * `;` or `,` separated). A CSV is one sheet named after the file; its row numbers are the records' as
 * a spreadsheet shows them. Anything else, a legacy .xls or a zip bomb is an ImportFileError.
 */
export const readSheetFile = async (file: {
  bytes: Uint8Array;
  contentType: string;
  fileName?: string;
}): Promise<SheetTable[]> => {
  if (file.bytes.length === 0) {
    throw new ImportFileError('no_rows', 'Tệp rỗng: hãy điền mẫu rồi gửi lại (the file is empty).');
  }
  if (file.bytes.length > IMPORT_LIMITS.maxBytes) {
    throw new ImportFileError(
      'file_too_large',
      `Tệp lớn hơn ${IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB: hãy tách thành nhiều tệp (the file is larger than the limit).`,
      { maxBytes: IMPORT_LIMITS.maxBytes },
    );
  }
  switch (formatOf(file.bytes, file.contentType, file.fileName)) {
    case 'xlsx':
      return readXlsx(file.bytes);
    case 'csv':
      return readCsv(file.bytes, file.fileName);
    case 'xls':
      throw unreadable(
        'Tệp Excel 97–2003 (.xls) không được nhận: hãy mở bằng Excel và lưu lại dưới dạng .xlsx (legacy .xls is not read; save as .xlsx).',
      );
    default:
      throw unreadable(
        'Tệp không phải XLSX hay CSV: hãy dùng mẫu tải từ GET /imports/templates (the file is neither XLSX nor CSV).',
      );
  }
};
