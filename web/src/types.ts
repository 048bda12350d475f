import type * as z from 'zod';
import type { LedgerEntryView } from '../../shared/audit/http/schemas.ts';
import type {
  DocumentView,
  DossierView,
  DownloadView,
  RegisteredDocumentView,
} from '../../shared/documents/http/schemas.ts';
import type { ForecastReportView } from '../../shared/forecast/http/schemas.ts';
import type { SuggestionsView } from '../../shared/forecast/http/suggestion-schemas.ts';
import type { ContractView } from '../../shared/ledger/http/contract-schemas.ts';
import type { ReallocationView } from '../../shared/ledger/http/reallocation-schemas.ts';
import type { AllocationView, RequestView } from '../../shared/ledger/http/schemas.ts';
import type { AlertView, ProgressReportView, SeriesView } from '../../shared/monitoring/http/schemas.ts';
import type { IndicatorView } from '../../shared/targets/http/schemas.ts';
import type { Api } from './api.ts';
import type { Session } from './auth.ts';

/** The API's shapes, inferred from the zod schemas that validate them (types only: no zod in the bundle). */
export type Allocation = z.infer<typeof AllocationView>;
export type DisbursementRequest = z.infer<typeof RequestView>;
export type LedgerEntry = z.infer<typeof LedgerEntryView>;
export type Alert = z.infer<typeof AlertView>;
export type ProgressReport = z.infer<typeof ProgressReportView>;
export type Series = z.infer<typeof SeriesView>;
export type Contract = z.infer<typeof ContractView>;
export type Dossier = z.infer<typeof DossierView>;
export type DossierDocument = z.infer<typeof DocumentView>;
export type RegisteredDocument = z.infer<typeof RegisteredDocumentView>;
export type DocumentDownload = z.infer<typeof DownloadView>;
/** GET /forecasts (docs/forecast.md). */
export type ForecastReport = z.infer<typeof ForecastReportView>;
/** GET /reallocations/suggestions and what POST /reallocations answers (docs/reallocations.md). */
export type Suggestions = z.infer<typeof SuggestionsView>;
export type Reallocation = z.infer<typeof ReallocationView>;
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A plan indicator of GET /targets (issue 6). */
export type Indicator = z.infer<typeof IndicatorView>;

/** What every screen gets: the API, the signed-in user, the chosen fiscal year, a status line. */
export interface ViewContext {
  api: Api;
  session: Session;
  fiscalYear: number;
  /** Announces a message to screen readers and shows it (aria-live). */
  announce: (message: string) => void;
  /** Redraws the current screen. */
  refresh: () => void;
}
