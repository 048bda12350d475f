import {
  acknowledgementLinksFromEnv,
  emailContextFromConfig,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { showAlertByLink } from '../../shared/monitoring/app/alerts.ts';
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

/** GET /alerts/acknowledge?token= (public): the alert e-mail's link; shows the alert, changes nothing. */
export const handler = apiHandler(routeById('show-alert-acknowledgement'), async ({ query }) => {
  const alert = await showAlertByLink(deps, query.token);
  const ctx = contextOf(alertJurisdiction(alert), alert.day, alert.fiscalYear);
  return {
    body: renderAcknowledgementPage(alert, ctx),
    raw: true,
    headers: { ...ACKNOWLEDGEMENT_PAGE_HEADERS },
  };
});
