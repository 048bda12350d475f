import {
  type ApprovalPolicy,
  chainFor,
  DEFAULT_INVESTOR,
  type Threshold,
} from '../../../ledger/domain/approval-policy.ts';
import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import { daysBetween, vnDateOf } from '../../../platform/vn-calendar.ts';
import {
  bySubmission,
  type IntegrityCase,
  isLive,
  payeeKeyOf,
  requestFact,
  scopeOfRequests,
  totalOf,
} from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';

/** The thresholds of a policy that add a level to a chain of this line and investor (others change nothing). */
export const thresholdsThatBite = (
  policy: ApprovalPolicy,
  line: DisbursementRequest['fundingLine'],
  investor: NonNullable<DisbursementRequest['investor']>,
): Threshold[] => {
  const base = chainFor(policy, line, investor, 0);
  return policy.thresholds
    .filter((t) => !base.includes(t.addLevel))
    .sort((a, b) => b.minAmountVnd - a.minAmountVnd);
};

/**
 * Splitting ("chia nhỏ hồ sơ để né ngưỡng phê duyệt"): live requests to one payee drawing on one
 * allocation (one project, one chain), submitted within `windowDays` of the first, each below an approval
 * threshold that would add a level, together reaching it. Clusters are read greedily from the earliest
 * request, so a cluster keeps its first request as more join it (the case's subject). `policyOf` gives
 * the approval policy of a request's jurisdiction and year (undefined: none, the request is skipped).
 */
export const findSplitting = (
  requests: readonly DisbursementRequest[],
  policyOf: (r: DisbursementRequest) => ApprovalPolicy | undefined,
  settings: IntegrityPolicy['splitting'],
): IntegrityCase[] => {
  if (!settings.enabled) return [];
  const groups = new Map<string, DisbursementRequest[]>();
  for (const r of requests) {
    if (!isLive(r)) continue;
    const key = `${payeeKeyOf(r)}|${r.allocationId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const cases: IntegrityCase[] = [];
  for (const [key, group] of groups) {
    const first = group[0];
    const policy = first && policyOf(first);
    if (!first || !policy || group.length < settings.minParts) continue;
    const claimed = new Set<string>();
    // The highest threshold first: a cluster reaching it is not reported again under a lower one.
    for (const threshold of thresholdsThatBite(
      policy,
      first.fundingLine,
      first.investor ?? DEFAULT_INVESTOR,
    )) {
      const below = bySubmission(
        group.filter((r) => r.amountVnd < threshold.minAmountVnd && !claimed.has(r.id)),
      );
      let i = 0;
      while (i < below.length) {
        const start = below[i] as DisbursementRequest;
        const startDay = vnDateOf(start.createdAt);
        let j = i;
        while (
          j + 1 < below.length &&
          daysBetween(startDay, vnDateOf((below[j + 1] as DisbursementRequest).createdAt)) <=
            settings.windowDays
        )
          j++;
        const cluster = below.slice(i, j + 1);
        const total = totalOf(cluster);
        if (cluster.length >= settings.minParts && total >= threshold.minAmountVnd) {
          for (const r of cluster) claimed.add(r.id);
          cases.push({
            severity: settings.severity,
            scope: scopeOfRequests(cluster),
            details: {
              rule: 'splitting',
              subject: `${key}|${threshold.minAmountVnd}|${start.id}`,
              requests: cluster.map(requestFact),
              payees: [],
              totalVnd: total,
              thresholdVnd: threshold.minAmountVnd,
              addedLevel: threshold.addLevel,
              windowDays: settings.windowDays,
            },
          });
          i = j + 1;
        } else i++;
      }
    }
  }
  return cases;
};
