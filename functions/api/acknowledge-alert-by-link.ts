import { acknowledgeAlertByLink } from '../../shared/monitoring/app/alerts.ts';
import { acknowledgementPageHandler } from '../../shared/monitoring/http/acknowledgement-page-handler.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

/** POST /alerts/acknowledge?token= (public): the acknowledge page's button; acknowledges the alert once. */
export const handler = await acknowledgementPageHandler(
  routeIn(MONITORING_ROUTES, 'acknowledge-alert-by-link'),
  acknowledgeAlertByLink,
);
