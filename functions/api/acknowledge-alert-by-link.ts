import { acknowledgeAlertByLink } from '../../shared/monitoring/app/alerts.ts';
import { acknowledgementPageHandler } from '../../shared/monitoring/http/acknowledgement-page-handler.ts';
import { routeById } from '../../shared/routes.ts';

/** POST /alerts/acknowledge?token= (public): the acknowledge page's button; acknowledges the alert once. */
export const handler = await acknowledgementPageHandler(
  routeById('acknowledge-alert-by-link'),
  acknowledgeAlertByLink,
);
