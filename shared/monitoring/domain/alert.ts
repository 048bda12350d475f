import { canonicalJson, sha256Hex } from '../../ledger/domain/hash-chain.ts';
import { jurisdictionOf, UPGRADE_DEFAULT_JURISDICTION } from '../../platform/tenancy.ts';
import type { Finding } from './lag-detector.ts';
import { scopeKey } from './progress.ts';

/** A finding as queued and e-mailed ("cảnh báo"): deduplicated by its id. */
export interface Alert extends Finding {
  id: string;
  createdAt: string;
}

/** An alert as stored: whether it was queued, and whether an inspector acknowledged it. */
export interface StoredAlert extends Alert {
  status: 'open' | 'acknowledged';
  queuedAt?: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

/**
 * The jurisdiction an alert is kept, read and e-mailed in: the one its scope rolls up, which the queue
 * message carries too (absent on alerts from before jurisdictions: the upgrade default).
 */
export const alertJurisdiction = (alert: Pick<Alert, 'scope'>): string => jurisdictionOf(alert.scope);

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;

/** The alert id's jurisdiction part: another jurisdiction's scopes hash apart; the upgrade default's keep the ids they had. */
const jurisdictionPart = (scope: Finding['scope']) =>
  scope.jurisdiction !== undefined && scope.jurisdiction !== UPGRADE_DEFAULT_JURISDICTION
    ? { jurisdiction: scope.jurisdiction }
    : {};

/**
 * The deterministic id of a finding: one alert per fiscal year and scope, kind, severity and day, so a
 * second run on the same day finds the alert already recorded. Readable first (day, kind, severity),
 * then a hash of the scope; short enough for a path segment.
 *
 * An integrity finding is a case, not a day's measure: its id hashes the fiscal year, the rule and the
 * case's subject (never the day, the severity or the scope), so the same case found tomorrow is the
 * alert already recorded and is not e-mailed again, and two cases of one rule on one day are two alerts
 * (docs/integrity.md "Dedup").
 */
export const alertId = (
  f: Pick<Finding, 'fiscalYear' | 'day' | 'kind' | 'severity' | 'scope' | 'integrity'>,
): string => {
  if (f.kind === 'integrity' && f.integrity) {
    const digest = sha256Hex(
      canonicalJson({
        fiscalYear: f.fiscalYear,
        kind: f.kind,
        rule: f.integrity.rule,
        subject: f.integrity.subject,
        ...jurisdictionPart(f.scope),
      }),
    );
    return `${f.fiscalYear}-integrity-${f.integrity.rule}-${digest.slice(0, 20)}`;
  }
  const digest = sha256Hex(
    canonicalJson({
      fiscalYear: f.fiscalYear,
      day: f.day,
      kind: f.kind,
      severity: f.severity,
      scope: scopeKey(f.scope),
      ...jurisdictionPart(f.scope),
    }),
  );
  return `${f.day}-${f.kind}-${f.severity}-${digest.slice(0, 20)}`;
};

const SEVERITY_ORDER = { critical: 0, warning: 1 } as const;

/**
 * The order inspectors read alerts in: critical first, then the largest lag (a stalled-approval alert,
 * which has none, after the lag alerts of its severity), then the newest; the id last, so the order
 * is total and pages never overlap.
 */
export const compareAlerts = (
  a: Pick<Alert, 'severity' | 'progress' | 'day' | 'createdAt' | 'id'>,
  b: Pick<Alert, 'severity' | 'progress' | 'day' | 'createdAt' | 'id'>,
): number =>
  SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
  (b.progress?.lagPoints ?? Number.NEGATIVE_INFINITY) - (a.progress?.lagPoints ?? Number.NEGATIVE_INFINITY) ||
  b.day.localeCompare(a.day) ||
  b.createdAt.localeCompare(a.createdAt) ||
  a.id.localeCompare(b.id);

/** Makes the alert of a finding. */
export const toAlert = (finding: Finding, createdAt: string): Alert => ({
  id: alertId(finding),
  ...finding,
  createdAt,
});
