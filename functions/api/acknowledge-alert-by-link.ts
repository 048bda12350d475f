import {
  acknowledgementLinksFromEnv,
  emailContextFromConfig,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { acknowledgeAlertByLink } from '../../shared/monitoring/app/alerts.ts';
import { alertJurisdiction } from '../../shared/monitoring/domain/alert.ts';
import {
  ACKNOWLEDGEMENT_PAGE_HEADERS,
  renderAcknowledgementPage,
} from '../../shared/monitoring/presentation/acknowledgement-page.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = {
  alerts: monitoringRepositoryFromEnv(),
  links: await acknowledgementLinksFromEnv(),
  now: systemEnv.now,
};
const contextOf = emailContextFromConfig();

/** POST /alerts/acknowledge?token= (public): the acknowledge page's button; acknowledges the alert once. */
export const handler = apiHandler(routeById('acknowledge-alert-by-link'), async ({ query }) => {
  const alert = await acknowledgeAlertByLink(deps, query.token);
  const ctx = contextOf(alertJurisdiction(alert), alert.day, alert.fiscalYear);
  return {
    body: renderAcknowledgementPage(alert, ctx),
    raw: true,
    headers: { ...ACKNOWLEDGEMENT_PAGE_HEADERS },
  };
});
