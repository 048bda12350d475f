import type { BudgetCatalogue } from '../../../ledger/domain/budget-codes.ts';
import circular324 from './circular-324-2016-2017-2025.json' with { type: 'json' };
import provisional2026 from './provisional-2026.json' with { type: 'json' };

/**
 * The budget-code catalogue files, one per circular period, by file name (a test checks every JSON
 * file of this folder is listed). Which circular is in force when, and which codes are illustrative:
 * docs/dossiers.md.
 */
export const budgetCatalogueFiles: Readonly<Record<string, unknown>> = {
  'circular-324-2016-2017-2025.json': circular324,
  'provisional-2026.json': provisional2026,
};

/**
 * The files read as catalogues without checking them: for the dashboard, which names codes with them
 * and must not bundle zod. The server loads the same files through load.ts, which checks them.
 */
export const uncheckedBudgetCatalogues = Object.values(budgetCatalogueFiles) as readonly BudgetCatalogue[];
