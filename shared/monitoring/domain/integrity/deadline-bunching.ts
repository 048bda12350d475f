import type { Allocation } from '../../../ledger/domain/allocation.ts';
import { type DeadlineRules, deadlineOf } from '../../../ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import { type LedgerEntry, movesCapital } from '../../../ledger/domain/ledger-entry.ts';
import { isTotalInRange } from '../../../platform/total-range.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../../platform/vn-calendar.ts';
import { bySubmission, type IntegrityCase, paidOn, requestFact, totalOf } from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';

/**
 * Payments bunched just before a deadline ("dồn giải ngân sát hạn"): of an allocation's payments up to
 * `asOf`, those posted in the last `windowDays` days up to its deadline (its own, extended or not, else
 * the config default) make at least `minSharePercent` of the amount paid, at least `minWindowVnd` over
 * at least `minPayments` payments. Judged once the window has opened, on what is paid by `asOf` (no
 * later data); the allocation and its deadline are the case's subject, so an extension is a new case.
 */

/** An allocation whose bunching window has opened by the day judged: its deadline and first day. */
export interface BunchingWindow {
  allocation: Allocation;
  deadline: IsoDate;
  windowFrom: IsoDate;
}

/** The allocations whose bunching window has opened at `asOf`, in their order (none when the rule is off). */
export const bunchingWindowsOf = (
  allocations: readonly Allocation[],
  deadlines: DeadlineRules,
  asOf: IsoDate,
  settings: IntegrityPolicy['deadlineBunching'],
): BunchingWindow[] => {
  if (!settings.enabled) return [];
  return allocations.flatMap((allocation) => {
    const deadline = deadlineOf(deadlines, allocation);
    const windowFrom = addDays(deadline, -(settings.windowDays - 1));
    return asOf < windowFrom ? [] : [{ allocation, deadline, windowFrom }];
  });
};

/** What bunching judges of one window: all the allocation paid by `asOf`, and the window's payments. */
export interface BunchingFacts {
  window: BunchingWindow;
  /** The amounts of the allocation's requests paid by `asOf`, every one (a payment's gross). */
  paidVnd: number;
  /** The requests paid in the window by `asOf`, by submission. */
  inWindow: DisbursementRequest[];
}

/** Whether a request paid on `day` is in the window, by `asOf`. */
const inWindowOn = (w: BunchingWindow, asOf: IsoDate, day: IsoDate) =>
  day >= w.windowFrom && day <= w.deadline && day <= asOf;

/** The facts of each window from every request of its allocation (the whole-year read). */
export const bunchingFactsFromRequests = (
  windows: readonly BunchingWindow[],
  requests: readonly DisbursementRequest[],
  asOf: IsoDate,
): BunchingFacts[] => {
  const paidBy = new Map<string, DisbursementRequest[]>();
  for (const r of requests) {
    if (r.status !== 'disbursed' || paidOn(r) > asOf) continue;
    paidBy.set(r.allocationId, [...(paidBy.get(r.allocationId) ?? []), r]);
  }
  return windows.map((window) => {
    const paid = paidBy.get(window.allocation.id) ?? [];
    return {
      window,
      paidVnd: totalOf(paid),
      inWindow: bySubmission(paid.filter((r) => inWindowOn(window, asOf, paidOn(r)))),
    };
  });
};

/**
 * How much earlier than an earlier payment of its chain a payment may be stamped (the clocks of the
 * functions that post them; invariant 18 of the checker): the chain's tail is read back to a payment
 * stamped this much before the window's first midnight, and every payment before it is before the window.
 */
export const POSTING_CLOCK_MARGIN_MS = 60 * 60 * 1000;

/** The instant a window's tail read goes back to: its first midnight (Vietnam) less the margin. */
export const tailReadFrom = (w: Pick<BunchingWindow, 'windowFrom'>): string =>
  new Date(vnMidnight(w.windowFrom).getTime() - POSTING_CLOCK_MARGIN_MS).toISOString();

/** A ledger entry as the tail read gives it. */
export type TailEntry = Pick<LedgerEntry, 'requestId' | 'amountVnd' | 'postedAt'> &
  Partial<Pick<LedgerEntry, 'kind' | 'recoveryVnd'>>;

/** What a paid request's amount is, from its entry: the cash out and the advance it recovered. */
const requestAmountOf = (e: TailEntry) => e.amountVnd + (e.recoveryVnd ?? 0);

/**
 * Whether the allocation's head can stand for its paid requests (disbursed + recovered = the amounts of
 * its paid requests, invariants 1 and 18): every figure read is in range. Otherwise its requests are read.
 */
export const headIsReadable = (a: Pick<Allocation, 'disbursedVnd' | 'recoveredVnd' | 'headSeq'>): boolean =>
  isTotalInRange(a.disbursedVnd) && isTotalInRange(a.recoveredVnd ?? 0) && Number.isSafeInteger(a.headSeq);

/**
 * The window's payments among the tail's entries (the allocation's chain from its head back past
 * {@link tailReadFrom}): the request ids to read. Capital moves (carry-overs, reallocations) pay nothing.
 */
export const windowPaymentsOf = (
  window: BunchingWindow,
  tail: readonly TailEntry[],
  asOf: IsoDate,
): TailEntry[] => tail.filter((e) => !movesCapital(e) && inWindowOn(window, asOf, vnDateOf(e.postedAt)));

/**
 * The facts of a window from its allocation's head and the tail of its chain (the head's paid total
 * less what was paid after `asOf`), and the window's requests read by id: equal to
 * {@link bunchingFactsFromRequests} on every request of the allocation, since a request is paid only
 * with its entry, stamped as the request, its amount the entry's cash plus its recovery.
 */
export const bunchingFactsFromTail = (
  window: BunchingWindow,
  tail: readonly TailEntry[],
  requestsById: ReadonlyMap<string, DisbursementRequest>,
  asOf: IsoDate,
): BunchingFacts => {
  const a = window.allocation;
  const paidAfter = tail
    .filter((e) => !movesCapital(e) && vnDateOf(e.postedAt) > asOf)
    .reduce((s, e) => s + requestAmountOf(e), 0);
  return {
    window,
    paidVnd: a.disbursedVnd + (a.recoveredVnd ?? 0) - paidAfter,
    inWindow: bySubmission(
      windowPaymentsOf(window, tail, asOf).flatMap((e) => {
        const r = requestsById.get(e.requestId);
        return r ? [r] : [];
      }),
    ),
  };
};

/** The cases of the windows' facts, in their order. */
export const judgeDeadlineBunching = (
  facts: readonly BunchingFacts[],
  settings: IntegrityPolicy['deadlineBunching'],
): IntegrityCase[] => {
  if (!settings.enabled) return [];
  return facts.flatMap(({ window, paidVnd: all, inWindow }): IntegrityCase[] => {
    const { allocation: a, deadline, windowFrom } = window;
    const windowVnd = totalOf(inWindow);
    const share = all === 0 ? 0 : (windowVnd / all) * 100;
    if (
      inWindow.length < settings.minPayments ||
      windowVnd < settings.minWindowVnd ||
      share < settings.minSharePercent
    )
      return [];
    return [
      {
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
      },
    ];
  });
};

/** Bunching judged on every request of the allocations (the whole-year read). */
export const findDeadlineBunching = (
  allocations: readonly Allocation[],
  requests: readonly DisbursementRequest[],
  deadlines: DeadlineRules,
  asOf: IsoDate,
  settings: IntegrityPolicy['deadlineBunching'],
): IntegrityCase[] =>
  judgeDeadlineBunching(
    bunchingFactsFromRequests(bunchingWindowsOf(allocations, deadlines, asOf, settings), requests, asOf),
    settings,
  );
