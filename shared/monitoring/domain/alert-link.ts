import { jurisdictionOf } from '../../platform/tenancy.ts';
import { type Alert, alertJurisdiction, type StoredAlert } from './alert.ts';

/**
 * What an alert e-mail's acknowledge link carries, signed: which alert of which jurisdiction, for whom,
 * until when. A link opens one alert of one jurisdiction and can be pointed at no other.
 */
export interface AcknowledgementClaim {
  jurisdiction: string;
  alertId: string;
  /** The recipient the link was e-mailed to: the acknowledgement is recorded in their name. */
  email: string;
  expiresAt: string;
}

/** How long an alert's acknowledge link stays valid: a month, beyond which the dashboard does it. */
export const ACKNOWLEDGEMENT_TTL_DAYS = 30;

/** The claim of the link e-mailed now to one recipient of an alert. */
export const acknowledgementClaim = (alert: Alert, email: string, now: Date): AcknowledgementClaim => ({
  jurisdiction: alertJurisdiction(alert),
  alertId: alert.id,
  email,
  expiresAt: new Date(now.getTime() + ACKNOWLEDGEMENT_TTL_DAYS * 86_400_000).toISOString(),
});

/** The jurisdiction whose alert a (genuine) claim names. */
export const claimedJurisdiction = (claim: Pick<AcknowledgementClaim, 'jurisdiction'>): string =>
  jurisdictionOf(claim);

/** Who an acknowledgement through a link is recorded as: the address it was e-mailed to. */
export const acknowledgedByLink = (claim: Pick<AcknowledgementClaim, 'email'>): string =>
  `email:${claim.email}`;

/** The alert on the dashboard: its year preset, the alerts screen opened at it. */
export const dashboardAlertLink = (dashboardUrl: string, alert: Pick<StoredAlert, 'id' | 'fiscalYear'>) =>
  `${dashboardUrl.replace(/\/+$/, '')}/?fiscalYear=${alert.fiscalYear}#/alerts/${encodeURIComponent(alert.id)}`;

/** The page that shows the alert and acknowledges it with one button (opening it changes nothing). */
export const acknowledgementLink = (apiUrl: string, token: string) =>
  `${apiUrl.replace(/\/+$/, '')}/alerts/acknowledge?token=${encodeURIComponent(token)}`;
