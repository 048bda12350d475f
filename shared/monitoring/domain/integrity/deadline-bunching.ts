import type { Allocation } from '../../../ledger/domain/allocation.ts';
import { type DeadlineRules, deadlineOf } from '../../../ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import { addDays, type IsoDate } from '../../../platform/vn-calendar.ts';
import { bySubmission, type IntegrityCase, paidOn, requestFact, totalOf } from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';

/**
 * Payments bunched just before a deadline ("dồn giải ngân sát hạn"): of an allocation's payments up to
 * `asOf`, those posted in the last `windowDays` days up to its deadline (its own, extended or not, else
 * the config default) make at least `minSharePercent` of the amount paid, at least `minWindowVnd` over
 * at least `minPayments` payments. Judged once the window has opened, on what is paid by `asOf` (no
 * later data); the allocation and its deadline are the case's subject, so an extension is a new case.
 */
export const findDeadlineBunching = (
  allocations: readonly Allocation[],
  requests: readonly DisbursementRequest[],
  deadlines: DeadlineRules,
  asOf: IsoDate,
  settings: IntegrityPolicy['deadlineBunching'],
): IntegrityCase[] => {
  if (!settings.enabled) return [];
  const paidBy = new Map<string, DisbursementRequest[]>();
  for (const r of requests) {
    if (r.status !== 'disbursed' || paidOn(r) > asOf) continue;
    paidBy.set(r.allocationId, [...(paidBy.get(r.allocationId) ?? []), r]);
  }
  const cases: IntegrityCase[] = [];
  for (const a of allocations) {
    const deadline = deadlineOf(deadlines, a);
    const windowFrom = addDays(deadline, -(settings.windowDays - 1));
    if (asOf < windowFrom) continue;
    const paid = paidBy.get(a.id) ?? [];
    const inWindow = bySubmission(paid.filter((r) => paidOn(r) >= windowFrom && paidOn(r) <= deadline));
    const all = totalOf(paid);
    const windowVnd = totalOf(inWindow);
    const share = all === 0 ? 0 : (windowVnd / all) * 100;
    if (
      inWindow.length < settings.minPayments ||
      windowVnd < settings.minWindowVnd ||
      share < settings.minSharePercent
    )
      continue;
    cases.push({
      severity: settings.severity,
      scope: {
        level: 'allocation',
        capitalType: a.capitalType,
        fundingLine: a.fundingLine,
        commune: a.commune,
        component: a.component,
        allocationId: a.id,
        ...(a.carriedFrom !== undefined ? { carriedOver: true as const } : {}),
      },
      title: a.title,
      details: {
        rule: 'deadline-bunching',
        subject: `${a.id}|${deadline}`,
        requests: inWindow.map(requestFact),
        payees: [],
        totalVnd: all,
        windowDays: settings.windowDays,
        deadline,
        windowFrom,
        windowVnd,
        sharePercent: Math.round(share * 10) / 10,
      },
    });
  }
  return cases;
};
