import { systemEnv } from '../../platform/clock.ts';
import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { auditedApiHandler } from '../../platform/http/stored-data-edge.ts';
import {
  acknowledgementLinksFromEnv,
  emailContextFromConfig,
  monitoringRepositoryFromEnv,
} from '../adapters/from-env.ts';
import type { LinkAcknowledgementDeps } from '../app/alerts.ts';
import { alertJurisdiction, type StoredAlert } from '../domain/alert.ts';
import {
  ACKNOWLEDGEMENT_PAGE_HEADERS,
  renderAcknowledgementPage,
} from '../presentation/acknowledgement-page.ts';

/**
 * A function of the acknowledge link's page (GET shows it, POST is its button): wired from the
 * environment once, it runs its use case on the link's token and answers the page, in HTML.
 */
export const acknowledgementPageHandler = async (
  route: RouteSpec,
  useCase: (deps: LinkAcknowledgementDeps, token: string) => Promise<StoredAlert>,
) => {
  const deps = {
    alerts: monitoringRepositoryFromEnv(),
    links: await acknowledgementLinksFromEnv(),
    now: systemEnv.now,
  };
  const contextOf = emailContextFromConfig();
  // The page reads a stored alert (GET): an auditor's visit is recorded like any read; the POST is not.
  return auditedApiHandler(route, async ({ query }) => {
    // The route's query schema (AcknowledgeAlertQuery) has validated it.
    const alert = await useCase(deps, (query as unknown as { token: string }).token);
    const ctx = contextOf(alertJurisdiction(alert), alert.day, alert.fiscalYear);
    return {
      body: renderAcknowledgementPage(alert, ctx),
      raw: true,
      headers: { ...ACKNOWLEDGEMENT_PAGE_HEADERS },
    };
  });
};
