import type { Env } from '../../platform/clock.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { ServiceUnavailableError } from '../../platform/errors.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { isTransient } from '../../platform/transient-failure.ts';
import { type ApprovalPolicies, groupForRequest } from '../domain/approval-policy.ts';
import { DisbursementPeriodClosedError, openPeriodFor } from '../domain/disbursement-deadline.ts';
import { type ApprovalEvent, applyDecision, approvalRecordOf } from '../domain/disbursement-request.ts';
import { buildDisbursementEntry } from '../domain/ledger-entry.ts';
import { DuplicateVoucherError } from '../domain/treasury-voucher.ts';
import { expireRequest, passedDeadline } from './deadline-expiry.ts';
import type { ApprovalOutbox, LedgerStore, OutboxSettlement } from './ports.ts';

export interface ApplyDeps extends Pick<Env, 'now'> {
  store: LedgerStore;
  policies: ApprovalPolicies;
  /** Where an applied event's outbox entry is settled, so the relay does not re-publish it. */
  outbox?: Pick<ApprovalOutbox, 'settle'>;
  /** Pause between attempts when a concurrent change won; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
}

export type ApplyResult =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'advanced'; nextLevel: string }
  | { outcome: 'rejected' }
  | { outcome: 'expired'; deadline: string }
  | { outcome: 'disbursed'; seq: number; hash: string };

const MAX_ATTEMPTS = 8;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies one approval event: records the decision, and on the last approval posts to the ledger in
 * one conditional transaction; a rejection releases the reservation. Every write is conditional on
 * the version read, so a redelivered or concurrent event changes nothing twice. Once the event is
 * applied, or found stale, duplicate or refused, its outbox entry is settled; a failure before that
 * leaves it pending, and the message is redelivered (and, if lost, re-published by the relay).
 */
export const applyApprovalEvent = async (deps: ApplyDeps, event: ApprovalEvent): Promise<ApplyResult> => {
  // The decision's record is kept in the decider's jurisdiction (platform/idempotency.ts).
  const settle: OutboxSettlement | undefined =
    deps.outbox && event.outboxKey !== undefined
      ? {
          jurisdiction: jurisdictionOf(event.actor),
          key: event.outboxKey,
          eventId: event.eventId,
          at: deps.now().toISOString(),
        }
      : undefined;
  const { result, settled } = await applyOnce(deps, event, settle);
  // Settled in the write that applied the event; an event that wrote nothing settles on its own.
  if (deps.outbox && settle && !settled) {
    await deps.outbox.settle(settle.jurisdiction, settle.key, settle.eventId, settle.at);
  }
  return result;
};

interface Applied {
  result: ApplyResult;
  /** Whether the applying write settled the outbox entry with it. */
  settled: boolean;
}

const applyOnce = async (
  deps: ApplyDeps,
  event: ApprovalEvent,
  settle: OutboxSettlement | undefined,
): Promise<Applied> => {
  const sleep = deps.sleep ?? defaultSleep;
  const advanced = await advanceUnread(deps, event, settle);
  if (advanced) return advanced;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
    try {
      const result = await attemptOnce(deps, event, settle);
      if (result) return result;
      // The request changed under us (a concurrent event landed): read again.
    } catch (error) {
      if (!isTransient(error)) throw error;
      // A conflicting transaction, throttling or a network error: read again and retry. A write whose
      // answer was lost is then seen as done (the event is already applied) and changes nothing twice.
    }
  }
  throw new ServiceUnavailableError(
    `request ${event.requestId}: gave up after ${MAX_ATTEMPTS} conflicting attempts`,
  );
};

const unsettled = (result: ApplyResult): Applied => ({ result, settled: false });

/**
 * An advancing approval applied without reading the request: one write conditional on the version its
 * decider checked it on (the request then being the one checked for four eyes, level and group, so the
 * decision applies as {@link applyDecision} would), on the allocation's year and deadline. Undefined
 * when the event carries no such version, or the write was refused or failed: the caller then reads
 * and decides as for any event (a redelivered event is found applied, a late one expires the request).
 */
const advanceUnread = async (
  deps: ApplyDeps,
  event: ApprovalEvent,
  settle: OutboxSettlement | undefined,
): Promise<Applied | undefined> => {
  const { advance, allocationId } = event;
  if (!advance || event.decision !== 'approve' || allocationId === undefined || !event.jurisdiction) {
    return undefined;
  }
  const at = deps.now();
  try {
    const written = await deps.store.advanceApproval(
      { jurisdiction: event.jurisdiction, requestId: event.requestId, allocationId },
      advance,
      approvalRecordOf(event),
      at.toISOString(),
      openPeriodFor(deadlineRules, advance, at),
      settle,
    );
    return written
      ? { result: { outcome: 'advanced', nextLevel: advance.nextLevel }, settled: settle !== undefined }
      : undefined;
  } catch (error) {
    // A conflict or a lost answer: read, and the event is found applied or applied again.
    if (!isTransient(error)) throw error;
    return undefined;
  }
};

/** One read-decide-write round; undefined when its conditional write lost to a concurrent change. */
const attemptOnce = async (
  deps: ApplyDeps,
  event: ApprovalEvent,
  settle: OutboxSettlement | undefined,
): Promise<Applied | undefined> => {
  // Events published before jurisdictions were in every key name none: the decider's, who read it in theirs.
  const jurisdiction = event.jurisdiction ?? jurisdictionOf(event.actor);
  // The request and (when the event names it) its allocation in one read; older events: the request first.
  const read = await deps.store.readTogether({
    request: { jurisdiction, id: event.requestId },
    ...(event.allocationId !== undefined ? { allocation: { jurisdiction, id: event.allocationId } } : {}),
  });
  const request = read.request;
  if (!request) return unsettled({ outcome: 'ignored', reason: `no request ${event.requestId}` });
  const group = groupForRequest(deps.policies, request, event.level);
  if (group === undefined) return unsettled({ outcome: 'ignored', reason: `unknown level ${event.level}` });
  const at = deps.now();
  const now = at.toISOString();
  const decided = applyDecision(request, event, group, now);
  const allocationOf = async () =>
    read.allocation?.id === request.allocationId
      ? read.allocation
      : deps.store.getAllocation(jurisdiction, request.allocationId);
  const allocation =
    decided.kind === 'advanced' || decided.kind === 'approved' ? await allocationOf() : undefined;
  if (allocation) {
    // An approval applied after the allocation's deadline (accepted before it, delivered after): the
    // request expires instead, its reservation released. A rejection releases it all the same.
    const deadline = passedDeadline(allocation, at);
    if (deadline) return withUnsettled(await expiredOrRetry(deps, request, deadline, at));
  }
  const settled = (result: ApplyResult): Applied => ({ result, settled: settle !== undefined });
  switch (decided.kind) {
    case 'ignored':
      return unsettled({ outcome: 'ignored', reason: decided.reason });
    case 'advanced':
      return (await deps.store.saveApproval(decided.request, request.version, settle))
        ? settled({ outcome: 'advanced', nextLevel: decided.request.nextLevel ?? '' })
        : undefined;
    case 'rejected':
      return (await deps.store.closeAndRelease(decided.request, request.version, settle))
        ? settled({ outcome: 'rejected' })
        : undefined;
    case 'approved': {
      if (!allocation)
        throw new Error(`allocation ${request.allocationId} of request ${request.id} is missing`);
      const disbursed = { ...decided.request, status: 'disbursed' as const };
      const entry = buildDisbursementEntry(allocation, disbursed, now, event.documents);
      try {
        // Conditional on the deadline too, so an extension's end passing meanwhile posts nothing.
        const period = openPeriodFor(deadlineRules, allocation, at);
        return (await deps.store.postDisbursement(disbursed, request.version, entry, period, settle))
          ? settled({ outcome: 'disbursed', seq: entry.seq, hash: entry.hash })
          : undefined;
      } catch (error) {
        // Refused on the deadline: the request expires rather than being retried forever.
        if (error instanceof DisbursementPeriodClosedError) {
          return withUnsettled(await expiredOrRetry(deps, request, String(error.details?.deadline), at));
        }
        // Another request posted the voucher's number (an event not accepted through the API, which
        // claims it first): refused, the request waits at the Treasury level for another voucher.
        if (error instanceof DuplicateVoucherError) {
          return unsettled({ outcome: 'ignored', reason: error.message });
        }
        throw error;
      }
    }
  }
};

const withUnsettled = (result: ApplyResult | undefined): Applied | undefined => result && unsettled(result);

/** Expires the request met past its allocation's deadline; undefined (read again) when it changed meanwhile. */
const expiredOrRetry = async (
  deps: ApplyDeps,
  request: Parameters<typeof expireRequest>[1],
  deadline: string,
  at: Date,
): Promise<ApplyResult | undefined> =>
  (await expireRequest(deps.store, request, deadline, at)) ? { outcome: 'expired', deadline } : undefined;
