import { showAlertByLink } from '../../shared/monitoring/app/alerts.ts';
import { acknowledgementPageHandler } from '../../shared/monitoring/http/acknowledgement-page-handler.ts';
import { routeById } from '../../shared/routes.ts';

/** GET /alerts/acknowledge?token= (public): the alert e-mail's link; shows the alert, changes nothing. */
export const handler = await acknowledgementPageHandler(
  routeById('show-alert-acknowledgement'),
  showAlertByLink,
);
