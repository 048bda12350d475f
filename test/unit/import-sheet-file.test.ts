import { describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { readSheetFile } from '../../shared/imports/adapters/sheet-file.ts';
import { ImportFileError } from '../../shared/imports/app/errors.ts';
import { IMPORT_LIMITS } from '../../shared/imports/domain/import-limits.ts';
import { csvFile, xlsxFile } from './support/import-files.ts';

const caught = async (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => e);

describe('reading an XLSX written by SheetJS', () => {
  it('gives every sheet with its rows, numbers as numbers, text as trimmed text, gaps as empty cells', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [
        ['Năm kế hoạch', 'Xã', 'Số tiền (đồng)'],
        [2024, '  A Tiêng ', 40_000_000],
        [2025, null, '40.000.000'],
      ],
      'Hướng dẫn': [['Ghi chú']],
    });
    const sheets = await readSheetFile(file);
    expect(sheets.map((s) => s.name)).toEqual(['Kế hoạch vốn', 'Hướng dẫn']);
    expect(sheets[0]?.rows).toEqual([
      ['Năm kế hoạch', 'Xã', 'Số tiền (đồng)'],
      [2024, 'A Tiêng', 40_000_000],
      [2025, null, '40.000.000'],
    ]);
  });

  it('reads a date cell as its day', async () => {
    const sheet = XLSX.utils.aoa_to_sheet([['Ngày'], [new Date(Date.UTC(2024, 9, 1))]], { cellDates: true });
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'S');
    const bytes = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx', cellDates: true }));
    const [read] = await readSheetFile({ bytes, contentType: 'application/octet-stream' });
    expect(read?.rows[1]).toEqual(['2024-10-01']);
  });

  it('refuses an archive whose directory declares more than it may unpack, before unpacking it', async () => {
    const { bytes } = xlsxFile({ S: [['a']] });
    const bomb = new Uint8Array(bytes);
    const view = new DataView(bomb.buffer);
    // The first central-directory entry now declares 2 GB uncompressed.
    for (let i = bomb.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        const directory = view.getUint32(i + 16, true);
        view.setUint32(directory + 24, 0x7fffffff, true);
        break;
      }
    }
    const error = await caught(readSheetFile({ bytes: bomb, contentType: 'application/octet-stream' }));
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({
      code: 'unreadable_file',
      status: 422,
      details: { maxUnpackedBytes: 20 * IMPORT_LIMITS.maxBytes },
    });
    // The same archive with its true sizes reads.
    await expect(readSheetFile({ bytes, contentType: 'application/octet-stream' })).resolves.toHaveLength(1);
  });

  it('refuses a broken archive, a legacy .xls and bytes that are neither, saying what to do', async () => {
    const { bytes } = xlsxFile({ S: [['a']] });
    const broken = bytes.slice(0, 200);
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    const pdf = new TextEncoder().encode('%PDF-1.7\n');
    for (const [body, says] of [
      [broken, 'lưu lại dưới dạng .xlsx'],
      [xls, '.xls'],
      [pdf, 'không phải XLSX hay CSV'],
    ] as const) {
      const error = await caught(readSheetFile({ bytes: body, contentType: 'application/octet-stream' }));
      expect(error).toMatchObject({ code: 'unreadable_file', message: expect.stringContaining(says) });
    }
  });

  it('refuses an empty file and one over the size limit', async () => {
    await expect(readSheetFile({ bytes: new Uint8Array(), contentType: 'text/csv' })).rejects.toMatchObject({
      code: 'no_rows',
    });
    const big = new Uint8Array(IMPORT_LIMITS.maxBytes + 1).fill(0x41);
    await expect(readSheetFile({ bytes: big, contentType: 'text/csv' })).rejects.toMatchObject({
      code: 'file_too_large',
    });
  });
});

describe('reading a CSV', () => {
  it('reads Excel’s semicolon CSV with a BOM, commas inside amounts kept', async () => {
    const file = csvFile([
      ['Năm kế hoạch', 'Xã', 'Số tiền (đồng)'],
      [2024, 'A Tiêng', '40,000,000'],
    ]);
    expect(file.bytes.slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const [sheet] = await readSheetFile(file);
    expect(sheet).toEqual({
      name: 'ke-hoach',
      rows: [
        ['Năm kế hoạch', 'Xã', 'Số tiền (đồng)'],
        ['2024', 'A Tiêng', '40,000,000'],
      ],
    });
  });

  it('reads a comma CSV with quoted fields, numbering rows as a spreadsheet shows them', async () => {
    const file = csvFile(
      [
        ['Nội dung', 'Số tiền (đồng)'],
        ['Đường "nội thôn",\nđoạn 2', '40.000.000'],
        ['', ''],
        ['Cầu', '1.000'],
      ],
      ',',
      'dot-1.csv',
    );
    const [sheet] = await readSheetFile(file);
    expect(sheet?.name).toBe('dot-1');
    expect(sheet?.rows).toEqual([
      ['Nội dung', 'Số tiền (đồng)'],
      ['Đường "nội thôn",\nđoạn 2', '40.000.000'],
      [null, null],
      ['Cầu', '1.000'],
    ]);
  });

  it('reads a CSV a Windows browser labels application/vnd.ms-excel', async () => {
    const file = { ...csvFile([['Xã'], ['Dang']]), contentType: 'application/vnd.ms-excel' };
    const { fileName: _, ...unnamed } = file;
    const [sheet] = await readSheetFile(unnamed);
    expect(sheet).toEqual({ name: 'CSV', rows: [['Xã'], ['Dang']] });
  });

  it('refuses a CSV that is not UTF-8, saying how to save it', async () => {
    const latin1 = new Uint8Array([0x58, 0xe3, 0x3b, 0x41, 0x0d, 0x0a]);
    await expect(readSheetFile({ bytes: latin1, contentType: 'text/csv' })).rejects.toMatchObject({
      code: 'unreadable_file',
      message: expect.stringContaining('CSV UTF-8'),
    });
  });
});
