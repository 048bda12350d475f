import { describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { readImport } from '../../shared/imports/app/read-import.ts';
import { columnsOf, SHEET_NAMES } from '../../shared/imports/domain/import-columns.ts';
import { IMPORT_KINDS } from '../../shared/imports/domain/import-kind.ts';
import { GUIDE_SHEET, importTemplateXlsx } from '../../shared/imports/presentation/template-xlsx.ts';
import type { PayeeRegister } from '../../shared/payees/app/request-payee.ts';
import { finance, givenAllocation, planner, testEnv } from '../support/fixtures.ts';
import { looksRunnable } from '../support/spreadsheet-reader.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The template as SheetJS (an independent reader) opens it, with the archive's own files. */
const opened = async (kind: (typeof IMPORT_KINDS)[number]) => {
  const bytes = await importTemplateXlsx(kind);
  const book = XLSX.read(bytes, { type: 'buffer', bookFiles: true, cellNF: true });
  const files = (book as unknown as { files: Record<string, { content: Uint8Array }> }).files;
  return { bytes, book, xml: (path: string) => Buffer.from(files[path]?.content ?? []).toString('utf8') };
};

const cellsOf = (sheet: XLSX.WorkSheet) =>
  Object.entries(sheet)
    .filter(([address]) => !address.startsWith('!'))
    .map(([address, cell]) => ({ address, ...(cell as XLSX.CellObject) }));

describe.each(IMPORT_KINDS)('the %s template', (kind) => {
  it('has the Vietnamese headers in row 1 after the note column, frozen, and a guide sheet', async () => {
    const { book, xml } = await opened(kind);
    expect(book.SheetNames).toEqual([SHEET_NAMES[kind], GUIDE_SHEET]);
    const sheet = book.Sheets[SHEET_NAMES[kind]] as XLSX.WorkSheet;
    const [header] = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1 });
    expect(header).toEqual(['Ghi chú', ...columnsOf(kind).map((c) => c.header)]);
    expect(xml('xl/worksheets/sheet1.xml')).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(xml('xl/worksheets/sheet1.xml')).toMatch(/<col [^>]*width="/);
  });

  it('formats amounts #,##0, keeps codes as text and marks every example row "Ví dụ"', async () => {
    const { book } = await opened(kind);
    const sheet = book.Sheets[SHEET_NAMES[kind]] as XLSX.WorkSheet;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 }).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(String(row[0])).toMatch(/^Ví dụ/);
    const amounts = columnsOf(kind).flatMap((c, i) => (c.field === 'amountVnd' ? [i + 1] : []));
    const amount = sheet[XLSX.utils.encode_cell({ r: 1, c: amounts[0] ?? -1 })] as XLSX.CellObject;
    expect(amount).toMatchObject({ t: 'n', z: '#,##0' });
    const digits = columnsOf(kind).findIndex((c) => c.type === 'digits' && c.examples[0] !== null);
    const code = sheet[XLSX.utils.encode_cell({ r: 1, c: digits + 1 })] as XLSX.CellObject;
    expect(code).toMatchObject({ t: 's', z: '@' });
  });

  it('holds no formula and no text a spreadsheet would run, on either sheet', async () => {
    const { book } = await opened(kind);
    const cells = book.SheetNames.flatMap((name) => cellsOf(book.Sheets[name] as XLSX.WorkSheet));
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((c) => c.f !== undefined)).toEqual([]);
    expect(cells.filter((c) => c.t === 's' && looksRunnable(String(c.v)))).toEqual([]);
  });

  it('reads back as no rows at all while only its examples are filled in', async () => {
    const { bytes } = await opened(kind);
    const deps = { store: new InMemoryLedgerStore(), catalogue: testEnv.catalogue, now: testEnv.now };
    await expect(
      readImport(deps, kind === 'allocations' ? planner : finance, kind, { bytes, contentType: XLSX_TYPE }),
    ).rejects.toMatchObject({ code: 'no_rows' });
  });
});

describe('a filled-in template', () => {
  it('refuses its examples when their note column was deleted, rather than import them', async () => {
    const { book } = await opened('allocations');
    const sheet = book.Sheets[SHEET_NAMES.allocations] as XLSX.WorkSheet;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 }).map((r) => r.slice(1));
    const trimmed = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(trimmed, XLSX.utils.aoa_to_sheet(rows), SHEET_NAMES.allocations);
    const bytes = XLSX.write(trimmed, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const deps = { store: new InMemoryLedgerStore(), catalogue: testEnv.catalogue, now: testEnv.now };
    const reading = await readImport(deps, planner, 'allocations', { bytes, contentType: XLSX_TYPE });
    expect(reading.ok ? [] : reading.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'G', 'example_row'],
      [3, 'G', 'example_row'],
    ]);
  });

  it('reads back as the rows typed under its examples', async () => {
    const { book } = await opened('allocations');
    const sheet = book.Sheets[SHEET_NAMES.allocations] as XLSX.WorkSheet;
    // Typed in below the examples, as a person would: the note left blank, amounts as numbers.
    XLSX.utils.sheet_add_aoa(
      sheet,
      [
        [null, 2024, 'Vốn trung ương', 'Vốn đầu tư', 'DA4', 'Dang', null, 'Cầu treo thôn Aur', 3_200_000_000],
        [
          null,
          2024,
          'Vốn tỉnh',
          'Vốn sự nghiệp',
          'DA1',
          'A Xan',
          'UBND xã',
          'Hỗ trợ sinh kế',
          '250.000.000',
          '805',
          '370-398',
          '0070',
          null,
          '01',
        ],
      ],
      { origin: -1 },
    );
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const deps = { store: new InMemoryLedgerStore(), catalogue: testEnv.catalogue, now: testEnv.now };
    const reading = await readImport(deps, planner, 'allocations', { bytes, contentType: XLSX_TYPE });
    expect(reading.ok && reading.rows.map((r) => [r.row, r.input])).toEqual([
      [
        4,
        {
          fiscalYear: 2024,
          fundingLine: 'central',
          capitalType: 'investment',
          component: 'DA4',
          commune: 'Dang',
          title: 'Cầu treo thôn Aur',
          amountVnd: 3_200_000_000,
        },
      ],
      [
        5,
        {
          fiscalYear: 2024,
          fundingLine: 'provincial',
          capitalType: 'recurrent',
          component: 'DA1',
          commune: 'A Xan',
          investor: 'commune',
          title: 'Hỗ trợ sinh kế',
          amountVnd: 250_000_000,
          budgetCodes: { chapter: '805', sector: '370-398', programme: '0070', source: '01' },
        },
      ],
    ]);
  });

  it('reads back a payment batch typed into the requests template', async () => {
    const store = new InMemoryLedgerStore();
    const allocation = await givenAllocation(store, { amountVnd: 90_000_000, capitalType: 'recurrent' });
    const { book } = await opened('requests');
    const sheet = book.Sheets[SHEET_NAMES.requests] as XLSX.WorkSheet;
    XLSX.utils.sheet_add_aoa(
      sheet,
      [
        [
          null,
          'Chi trực tiếp',
          allocation.id,
          null,
          'payee-hh-1',
          'Hỗ trợ bò giống',
          15_000_000,
          null,
          '7750',
          '7756',
        ],
      ],
      { origin: -1 },
    );
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const payees = { getPayee: async () => ({ id: 'payee-hh-1', kind: 'household', name: 'Hộ ông Alăng' }) };
    const register = { payees: payees as unknown as PayeeRegister['payees'], supportRules: [] };
    const deps = { store, catalogue: testEnv.catalogue, register, now: testEnv.now };
    const reading = await readImport(deps, finance, 'requests', { bytes, contentType: XLSX_TYPE });
    expect(reading.ok && reading.rows.map((r) => [r.row, r.input])).toEqual([
      [
        4,
        {
          kind: 'direct',
          allocationId: allocation.id,
          payeeId: 'payee-hh-1',
          purpose: 'Hỗ trợ bò giống',
          amountVnd: 15_000_000,
          budgetItem: { item: '7750', subItem: '7756' },
        },
      ],
    ]);
  });
});
