import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import type { Allocation } from '../domain/allocation.ts';
import { deadlineOf, isPastDeadline } from '../domain/disbursement-deadline.ts';
import { type DisbursementRequest, expire } from '../domain/disbursement-request.ts';
import type { LedgerStore } from './ports.ts';

/** The allocation's deadline when `now` is past it, else undefined (the period is still open). */
export const passedDeadline = (allocation: Allocation, now: Date | string): string | undefined => {
  const deadline = deadlineOf(deadlineRules, allocation);
  return isPastDeadline(deadline, vnDateOf(now)) ? deadline : undefined;
};

/**
 * Expires a pending request whose allocation's deadline passed: status `expired`, the deadline
 * recorded on it, its reservation (and contract and support claims) released in the rejection's own
 * conditional transaction. False when it is no longer pending at `request.version` (decided, cancelled
 * or expired meanwhile: nothing changes twice).
 */
export const expireRequest = async (
  store: LedgerStore,
  request: DisbursementRequest,
  deadline: string,
  now: Date,
): Promise<boolean> => {
  const expired = expire(request, deadline, now.toISOString());
  return expired !== undefined && store.closeAndRelease(expired, request.version);
};

export interface ExpiryReport {
  /** Pending requests read. */
  pending: number;
  /** Of them, expired by this run. */
  expired: number;
}

const PAGE = 100;

/**
 * The scheduled expiry: every pending request of the jurisdictions whose allocation's deadline has
 * passed expires. Idempotent and safe to run concurrently with itself and with decisions: each expiry
 * is conditional on the request's version, so a request decided or expired meanwhile is left alone
 * (read again on the next run).
 */
export const expireOverdueRequests = async (deps: {
  store: LedgerStore;
  now: () => Date;
  jurisdictions: readonly string[];
}): Promise<ExpiryReport> => {
  const report: ExpiryReport = { pending: 0, expired: 0 };
  const now = deps.now();
  for (const jurisdiction of deps.jurisdictions) {
    const allocations = new Map<string, Allocation | undefined>();
    const overdue: { request: DisbursementRequest; deadline: string }[] = [];
    let cursor: string | undefined;
    // Read every page first, then write: an expiry moves the request out of the status index.
    do {
      const page = await deps.store.listRequests({ jurisdiction, status: 'pending_approval' }, PAGE, cursor);
      for (const request of page.items) {
        report.pending += 1;
        if (!allocations.has(request.allocationId)) {
          allocations.set(
            request.allocationId,
            await deps.store.getAllocation(jurisdictionOf(request), request.allocationId),
          );
        }
        const allocation = allocations.get(request.allocationId);
        const deadline = allocation && passedDeadline(allocation, now);
        if (deadline) overdue.push({ request, deadline });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    for (const { request, deadline } of overdue) {
      if (await expireRequest(deps.store, request, deadline, now)) report.expired += 1;
    }
  }
  return report;
};
