import type { BudgetCatalogue } from '../../../ledger/domain/budget-codes.ts';
import { budgetCatalogueFiles } from './files.ts';
import { loadBudgetCatalogues } from './load.ts';

export { budgetCatalogueFiles };

/** The catalogues, checked at load: a broken file stops the deployment with a message naming it. */
export const budgetCatalogues: readonly BudgetCatalogue[] = loadBudgetCatalogues(budgetCatalogueFiles);
