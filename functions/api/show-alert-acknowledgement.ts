import { showAlertByLink } from '../../shared/monitoring/app/alerts.ts';
import { acknowledgementPageHandler } from '../../shared/monitoring/http/acknowledgement-page-handler.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

/** GET /alerts/acknowledge?token= (public): the alert e-mail's link; shows the alert, changes nothing. */
export const handler = await acknowledgementPageHandler(
  routeIn(MONITORING_ROUTES, 'show-alert-acknowledgement'),
  showAlertByLink,
);
