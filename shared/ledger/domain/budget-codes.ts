import { AppError } from '../../platform/errors.ts';
import type { CapitalType } from './funding-line.ts';

/**
 * The budget classification an allocation is booked to ("mục lục ngân sách nhà nước"): chapter,
 * sector (loại–khoản), national target programme, investment project where there is one, and source.
 */
export interface BudgetCodes {
  /** "Chương": the budget unit's chapter, 3 digits. */
  chapter: string;
  /** "Loại–khoản": the sector, two 3-digit codes joined by a dash (e.g. "370-398"). */
  sector: string;
  /** "Chương trình, mục tiêu, dự án quốc gia": 4 digits. */
  programme: string;
  /** "Mã dự án đầu tư": 7 digits, for investment projects that have one. */
  project?: string;
  /** "Mã nguồn ngân sách": 2 digits. */
  source: string;
}

/** What a request is spent on: item and sub-item ("mục – tiểu mục"), 4 digits each. */
export interface BudgetItem {
  item: string;
  subItem: string;
}

/** The codes of one circular period, by code with their names; items say which capital type they book. */
export interface BudgetCatalogue {
  /** The circular (and amendments) the codes come from, as cited in docs/dossiers.md. */
  circular: string;
  /** Inclusive; `to` absent means every later year. */
  fiscalYears: { from: number; to?: number };
  chapters: Record<string, string>;
  sectors: Record<string, string>;
  programmes: Record<string, string>;
  sources: Record<string, string>;
  items: Record<string, { name: string; capitalType?: CapitalType; subItems: Record<string, string> }>;
}

/** A code that the catalogue of the year does not hold, or a year without a catalogue. */
export class InvalidBudgetCodeError extends AppError {
  readonly code = 'invalid_budget_code';
  readonly status = 422;
}

/** At most this many allowed codes are listed in a message (the details list them all). */
const LISTED = 20;

const listed = (codes: readonly string[]) =>
  codes.length > LISTED ? `${codes.slice(0, LISTED).join(', ')}, …` : codes.join(', ');

/** The catalogue covering a fiscal year, if any. */
export const catalogueFor = (
  catalogues: readonly BudgetCatalogue[],
  fiscalYear: number,
): BudgetCatalogue | undefined =>
  catalogues.find(
    (c) =>
      fiscalYear >= c.fiscalYears.from && (c.fiscalYears.to === undefined || fiscalYear <= c.fiscalYears.to),
  );

const requireCatalogue = (catalogues: readonly BudgetCatalogue[], fiscalYear: number, field: string) => {
  const catalogue = catalogueFor(catalogues, fiscalYear);
  if (catalogue) return catalogue;
  throw new InvalidBudgetCodeError(
    `${field}: no budget-code catalogue covers fiscal year ${fiscalYear}; leave ${field} out, or add a catalogue file for the year to shared/platform/config/budget-codes/.`,
    { field, fiscalYear, allowed: [] },
  );
};

const assertIn = (
  catalogue: BudgetCatalogue,
  fiscalYear: number,
  field: string,
  value: string,
  allowed: Record<string, unknown>,
) => {
  if (Object.hasOwn(allowed, value)) return;
  const codes = Object.keys(allowed);
  throw new InvalidBudgetCodeError(
    `${field}: "${value}" is not in the ${fiscalYear} catalogue (Circular ${catalogue.circular}); use one of: ${listed(codes)}.`,
    { field, value, fiscalYear, circular: catalogue.circular, allowed: codes },
  );
};

/** Checks an allocation's codes against the catalogue of its fiscal year (the project code by format only). */
export const assertBudgetCodes = (
  catalogues: readonly BudgetCatalogue[],
  fiscalYear: number,
  codes: BudgetCodes,
): void => {
  const catalogue = requireCatalogue(catalogues, fiscalYear, 'body.budgetCodes');
  assertIn(catalogue, fiscalYear, 'body.budgetCodes.chapter', codes.chapter, catalogue.chapters);
  assertIn(catalogue, fiscalYear, 'body.budgetCodes.sector', codes.sector, catalogue.sectors);
  assertIn(catalogue, fiscalYear, 'body.budgetCodes.programme', codes.programme, catalogue.programmes);
  assertIn(catalogue, fiscalYear, 'body.budgetCodes.source', codes.source, catalogue.sources);
};

/**
 * Checks a request's item and sub-item against the catalogue of its allocation's year: the item must
 * book the allocation's capital type (investment items for investment capital), the sub-item must be
 * the item's.
 */
export const assertBudgetItem = (
  catalogues: readonly BudgetCatalogue[],
  allocation: { fiscalYear: number; capitalType: CapitalType },
  budgetItem: BudgetItem,
): void => {
  const { fiscalYear, capitalType } = allocation;
  const catalogue = requireCatalogue(catalogues, fiscalYear, 'body.budgetItem');
  const items = Object.fromEntries(
    Object.entries(catalogue.items).filter(
      ([, i]) => i.capitalType === undefined || i.capitalType === capitalType,
    ),
  );
  assertIn(catalogue, fiscalYear, `body.budgetItem.item (${capitalType} capital)`, budgetItem.item, items);
  const item = items[budgetItem.item];
  if (item)
    assertIn(
      catalogue,
      fiscalYear,
      `body.budgetItem.subItem (of item ${budgetItem.item})`,
      budgetItem.subItem,
      item.subItems,
    );
};

/**
 * Checks a catalogue is usable: codes of the right length, sub-items inside their item's range
 * (items step by 50: item 7750 holds sub-items 7751–7799). Messages say what to fix.
 */
export const validateCatalogue = (catalogue: BudgetCatalogue): BudgetCatalogue => {
  const at = `budget codes ${catalogue.circular} ${catalogue.fiscalYears.from}${catalogue.fiscalYears.to === undefined ? '+' : `–${catalogue.fiscalYears.to}`}`;
  const shape = (name: string, codes: Record<string, unknown>, pattern: RegExp, example: string) => {
    for (const code of Object.keys(codes))
      if (!pattern.test(code)) throw new Error(`${at}: ${name} "${code}" must look like "${example}"`);
  };
  shape('chapter', catalogue.chapters, /^\d{3}$/, '805');
  shape('sector', catalogue.sectors, /^\d{3}-\d{3}$/, '370-398');
  shape('programme', catalogue.programmes, /^\d{4}$/, '0070');
  shape('source', catalogue.sources, /^\d{2}$/, '01');
  shape('item', catalogue.items, /^\d{4}$/, '7750');
  for (const [item, { subItems }] of Object.entries(catalogue.items)) {
    shape(`sub-item of ${item}`, subItems, /^\d{4}$/, '7756');
    for (const sub of Object.keys(subItems))
      if (!(Number(sub) > Number(item) && Number(sub) < Number(item) + 50))
        throw new Error(`${at}: sub-item ${sub} is not inside item ${item}'s range; move it under its item`);
  }
  return catalogue;
};

/** Checks every catalogue, and that no two cover the same fiscal year. */
export const validateCatalogues = (catalogues: readonly BudgetCatalogue[]): readonly BudgetCatalogue[] => {
  for (const c of catalogues) validateCatalogue(c);
  for (const [i, a] of catalogues.entries())
    for (const b of catalogues.slice(i + 1))
      if (
        (a.fiscalYears.to === undefined || a.fiscalYears.to >= b.fiscalYears.from) &&
        (b.fiscalYears.to === undefined || b.fiscalYears.to >= a.fiscalYears.from)
      )
        throw new Error(
          `budget codes ${a.circular} and ${b.circular} cover the same fiscal years; give each year one catalogue`,
        );
  return catalogues;
};
