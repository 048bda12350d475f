import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImport } from '../../shared/imports/app/read-import.ts';
import { folded } from '../../shared/imports/domain/folded-text.ts';
import { ALLOCATION_COLUMNS } from '../../shared/imports/domain/import-columns.ts';
import { columnLetter } from '../../shared/imports/domain/sheet-table.ts';
import { servedJurisdiction } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import { communeNamesIn } from '../../shared/jurisdictions/domain/administrative-unit.ts';
import type { NewAllocation } from '../../shared/ledger/app/allocations.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { planner, testEnv } from '../support/fixtures.ts';
import { csvFile, xlsxFile } from './support/import-files.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const COMMUNES = communeNamesIn(servedJurisdiction(jurisdictionCatalog, UPGRADE_DEFAULT_JURISDICTION), 2024);
const VIETNAMESE =
  'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
const LETTERS = [...`${VIETNAMESE}${VIETNAMESE.toUpperCase()}0123456789`.normalize('NFC')];
const LABELS = {
  fundingLine: {
    central: 'Vốn trung ương',
    provincial: 'Vốn tỉnh',
    local: 'Ngân sách huyện',
    community: 'Vốn huy động cộng đồng',
  },
  capitalType: { investment: 'Vốn đầu tư', recurrent: 'Vốn sự nghiệp' },
} as const;
const FIELDS = [
  'fiscalYear',
  'fundingLine',
  'capitalType',
  'component',
  'commune',
  'title',
  'amountVnd',
] as const;
const headerOf = (field: string) => ALLOCATION_COLUMNS.find((c) => c.field === field)?.header ?? field;

const allocationInput = fc.record({
  fiscalYear: fc.constant(2024),
  fundingLine: fc.constantFrom('central', 'provincial', 'local', 'community' as const),
  capitalType: fc.constantFrom('investment', 'recurrent' as const),
  component: fc.stringMatching(/^DA[1-7]$|^[A-Z][A-Za-z0-9._-]{0,9}$/),
  commune: fc.constantFrom(...COMMUNES),
  // Words of letters (Vietnamese ones too), digits and punctuation, one space apart.
  title: fc
    .array(fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 1, maxLength: 10 }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((words) => words.join(' ')),
  amountVnd: fc.integer({ min: 1, max: 1_000_000_000_000_000 }),
});

/** How a row writes each value: codes or labels, numbers or grouped text, case and accents as a person might. */
const writing = fc.record({
  labels: fc.boolean(),
  amountAsText: fc.constantFrom<false | string>(false, '.', ','),
  upper: fc.boolean(),
});

type Input = Omit<NewAllocation, 'investor' | 'jurisdiction' | 'budgetCodes'>;

type How = { labels: boolean; amountAsText: false | string; upper: boolean };

const cellOf = (input: Input, field: (typeof FIELDS)[number], how: How) => {
  switch (field) {
    case 'fundingLine':
    case 'capitalType': {
      const label = how.labels ? (LABELS[field] as Record<string, string>)[input[field]] : input[field];
      return how.upper ? label?.toUpperCase() : label;
    }
    case 'amountVnd':
      return how.amountAsText === false
        ? input.amountVnd
        : String(input.amountVnd).replace(/\B(?=(\d{3})+(?!\d))/g, how.amountAsText);
    default:
      return input[field];
  }
};

const sheetOf = (order: readonly (typeof FIELDS)[number][], rows: readonly { input: Input; how: How }[]) => [
  order.map(headerOf),
  ...rows.map(({ input, how }) => order.map((f) => cellOf(input, f, how))),
];

const deps = () => ({ store: new InMemoryLedgerStore(), catalogue: testEnv.catalogue, now: testEnv.now });

const plan = fc.record({
  order: fc.shuffledSubarray([...FIELDS], { minLength: FIELDS.length, maxLength: FIELDS.length }),
  rows: fc.uniqueArray(fc.record({ input: allocationInput, how: writing }), {
    minLength: 1,
    maxLength: 12,
    selector: ({ input }) => folded(input.title),
  }),
  csv: fc.boolean(),
});

describe('a generated plan sheet', () => {
  it('reads back to the inputs it was written from, in any column order, as XLSX or CSV', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async ({ order, rows, csv }) => {
        const data = sheetOf(order, rows);
        const file = csv ? csvFile(data, ';') : xlsxFile({ 'Kế hoạch vốn': data });
        const reading = await readImport(deps(), planner, 'allocations', file);
        expect(reading.ok ? reading.rows.map((r) => [r.row, r.input]) : reading.errors).toEqual(
          rows.map(({ input }, i) => [i + 2, input]),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('reports a fraction put in any row’s amount at exactly that sheet, row and column', async () => {
    await fc.assert(
      fc.asyncProperty(plan, fc.nat(), async ({ order, rows }, pick) => {
        const data = sheetOf(order, rows);
        const bad = pick % rows.length;
        const column = order.indexOf('amountVnd');
        const row = data[bad + 1] as unknown[];
        row[column] = 1234.5;
        const reading = await readImport(deps(), planner, 'allocations', xlsxFile({ 'Kế hoạch vốn': data }));
        expect(reading.ok ? [] : reading.errors.map((e) => [e.sheet, e.row, e.column, e.code])).toEqual([
          ['Kế hoạch vốn', bad + 2, columnLetter(column), 'fraction'],
        ]);
      }),
      { numRuns: 30 },
    );
  });
});
