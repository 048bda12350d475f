import * as z from 'zod';
import { type BudgetCatalogue, validateCatalogues } from '../../../ledger/domain/budget-codes.ts';
import { CAPITAL_TYPES } from '../../../ledger/domain/funding-line.ts';

const year = z
  .int('must be a whole year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');
const names = z.record(z.string(), z.string().min(1).max(200));

/** The shape of one catalogue file; code formats and item ranges are checked by validateCatalogue. */
const CatalogueDocument = z.strictObject({
  circular: z.string().min(1).max(100),
  fiscalYears: z
    .strictObject({ from: year, to: year.optional() })
    .refine((y) => y.to === undefined || y.to >= y.from, 'to must not be before from'),
  note: z.string().max(1000).optional(),
  chapters: names,
  sectors: names,
  programmes: names,
  sources: names,
  items: z.record(
    z.string(),
    z.strictObject({
      name: z.string().min(1).max(200),
      capitalType: z.enum(CAPITAL_TYPES).optional(),
      subItems: names,
    }),
  ),
});

/**
 * Parses the catalogue files (file name → parsed JSON) at load and checks them together; any problem
 * stops the deployment with a message naming the file, the field and what to fix.
 */
export const loadBudgetCatalogues = (files: Readonly<Record<string, unknown>>): readonly BudgetCatalogue[] =>
  validateCatalogues(
    Object.entries(files).map(([file, json]) => {
      const parsed = CatalogueDocument.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(the document)'}: ${i.message}`)
          .join('; ');
        throw new Error(`budget-code catalogue file ${file}: ${problems}`);
      }
      const { note: _, ...catalogue } = parsed.data;
      return catalogue;
    }),
  );
