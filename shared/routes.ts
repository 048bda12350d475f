import { AUDIT_ROUTES } from './audit/http/routes.ts';
import { DOCUMENT_ROUTES } from './documents/http/routes.ts';
import { FORECAST_ROUTES } from './forecast/http/routes.ts';
import { SUGGESTION_ROUTES } from './forecast/http/suggestion-routes.ts';
import { IMPORT_ROUTES } from './imports/http/routes.ts';
import { JURISDICTION_ROUTES } from './jurisdictions/http/routes.ts';
import { CONTRACT_ROUTES } from './ledger/http/contract-routes.ts';
import { REALLOCATION_ROUTES } from './ledger/http/reallocation-routes.ts';
import { LEDGER_ROUTES } from './ledger/http/routes.ts';
import { MONITORING_ROUTES } from './monitoring/http/routes.ts';
import { PAYEE_ROUTES } from './payees/http/routes.ts';
import { PLATFORM_ROUTES } from './platform/http/routes.ts';
import { REPORT_ROUTES } from './reports/http/routes.ts';
import { TARGET_ROUTES } from './targets/http/routes.ts';

/** Every route of the HTTP API: read by the OpenAPI generator, the CDK app and the local gateway. */
export const ROUTES = [
  ...PLATFORM_ROUTES,
  ...LEDGER_ROUTES,
  ...MONITORING_ROUTES,
  ...AUDIT_ROUTES,
  ...TARGET_ROUTES,
  ...JURISDICTION_ROUTES,
  ...PAYEE_ROUTES,
  ...CONTRACT_ROUTES,
  ...DOCUMENT_ROUTES,
  ...FORECAST_ROUTES,
  ...REALLOCATION_ROUTES,
  ...SUGGESTION_ROUTES,
  ...REPORT_ROUTES,
  ...IMPORT_ROUTES,
] as const;

export type RouteFunctionId = (typeof ROUTES)[number]['functionId'];

export type RouteOf<I extends RouteFunctionId> = Extract<(typeof ROUTES)[number], { functionId: I }>;

export const routeById = <const I extends RouteFunctionId>(functionId: I): RouteOf<I> => {
  const route = ROUTES.find((r) => r.functionId === functionId);
  if (!route) throw new Error(`no route for ${functionId}`);
  return route as RouteOf<I>;
};
