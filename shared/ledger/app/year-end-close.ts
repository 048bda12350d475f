import { type Actor, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { ServiceUnavailableError } from '../../platform/errors.ts';
import { fingerprint, idempotencyScope, idempotent, type Replayable } from '../../platform/idempotency.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import type { Allocation } from '../domain/allocation.ts';
import { deadlineOf } from '../domain/disbursement-deadline.ts';
import {
  type AllocationCloseFigures,
  type CarryOverChoice,
  carriedAmountOf,
  carryOver,
  checkCarryOver,
  closingFiguresOf,
  type FiscalYearClose,
} from '../domain/year-end-close.ts';
import { expireRequest } from './deadline-expiry.ts';
import { IdempotencyRecordExists, type LedgerStore } from './ports.ts';

export interface CloseDeps extends Env {
  store: LedgerStore;
}

/** What a planner gives to close a fiscal year: the decision and the allocations whose balance carries over. */
export interface CloseInput {
  decisionNumber: string;
  decidedOn: string;
  carryOver: CarryOverChoice[];
}

/** How many times one allocation's close is tried again when a write races it. */
const MAX_ATTEMPTS = 5;
const PAGE = 100;

/**
 * Expires the allocation's pending requests (the deadline part's expiry, each conditional on the
 * request's version), so their reservations are released before the allocation closes. A request is
 * recorded as meeting the allocation's deadline, or the close's day when that comes first.
 */
const expirePending = async (store: LedgerStore, allocation: Allocation, now: Date): Promise<void> => {
  const today = vnDateOf(now);
  const deadline = deadlineOf(deadlineRules, allocation);
  // ISO dates: the earlier sorts first.
  const until = [deadline, today].sort()[0] ?? today;
  let cursor: string | undefined;
  const pending = [];
  do {
    const page = await store.listRequests(
      {
        jurisdiction: allocation.jurisdiction ?? '',
        allocationId: allocation.id,
        status: 'pending_approval',
      },
      PAGE,
      cursor,
    );
    pending.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  for (const request of pending) await expireRequest(store, request, until, now);
};

/**
 * Closes one allocation: its pending requests expire, then its closing figures (and its carry-over:
 * the outgoing entry, the next-year allocation, its incoming entry) are written in one transaction
 * conditional on the totals read. An allocation closed already (a resumed close) is left as it is.
 */
const closeOne = async (
  deps: CloseDeps,
  close: FiscalYearClose,
  id: string,
): Promise<AllocationCloseFigures> => {
  const choice = close.carryOver.find((c) => c.allocationId === id);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let allocation = await deps.store.getAllocation(close.jurisdiction, id);
    if (!allocation) throw new Error(`allocation ${id} of the close is missing`);
    if (allocation.closing) return { allocationId: id, ...allocation.closing };
    const now = deps.now();
    if (allocation.reservedVnd > 0) {
      await expirePending(deps.store, allocation, now);
      allocation = (await deps.store.getAllocation(close.jurisdiction, id)) ?? allocation;
    }
    const at = now.toISOString();
    const amountVnd = carriedAmountOf(allocation, choice);
    const carry =
      choice && amountVnd > 0 ? carryOver(allocation, choice.targetId, amountVnd, close, at) : undefined;
    const closing = closingFiguresOf(allocation, close, { amountVnd, targetId: choice?.targetId }, at);
    if (await deps.store.closeAllocation({ origin: allocation, closing, ...(carry ? { carry } : {}) })) {
      return { allocationId: id, ...closing };
    }
  }
  throw new ServiceUnavailableError(
    `Allocation ${id} kept changing during the close (a posting in flight?); repeat the call: the close resumes where it stopped.`,
  );
};

/**
 * The year-end close of the caller's jurisdiction's fiscal year ("khóa sổ, chuyển nguồn"): every
 * allocation of the year gets its closing figures, the chosen unspent balances carry over into
 * next-year allocations linked to their origin, and the year takes no more writes. All or nothing
 * by resumption: the plan is stored first, each allocation's step is conditional and skipped once done,
 * so a call interrupted anywhere is finished by repeating it. A closed year answers its close again.
 */
export const closeFiscalYear = async (
  deps: CloseDeps,
  actor: Actor,
  fiscalYear: number,
  input: CloseInput,
  idempotencyKey?: string,
): Promise<Replayable<FiscalYearClose>> => {
  const jurisdiction = jurisdictionOfScope(scopeOf(actor));
  const key = idempotencyKey
    ? idempotencyScope('close-fiscal-year', actor, idempotencyKey, String(fiscalYear))
    : undefined;
  if (!key) return runClose(deps, actor, jurisdiction, fiscalYear, input);
  const print = fingerprint(input);
  let closedBefore = false;
  const answer = await idempotent(deps.store, key, print, async (stored) => {
    const run = await runClose(deps, actor, jurisdiction, fiscalYear, input, stored && { ...stored, print });
    closedBefore = run.replayed;
    return run.result;
  });
  return { result: answer.result, replayed: answer.replayed || closedBefore };
};

const runClose = async (
  deps: CloseDeps,
  actor: Actor,
  jurisdiction: string,
  fiscalYear: number,
  input: CloseInput,
  stored?: { jurisdiction: string; scope: string; print: string },
): Promise<Replayable<FiscalYearClose>> => {
  let close = await deps.store.getFiscalYearClose(jurisdiction, fiscalYear);
  if (close?.status === 'closed') return { result: close, replayed: true };
  if (!close) {
    const allocations = await deps.store.listAllocations({ jurisdiction, fiscalYear });
    checkCarryOver(fiscalYear, allocations, input.carryOver);
    const planned: FiscalYearClose = {
      jurisdiction,
      fiscalYear,
      decisionNumber: input.decisionNumber,
      decidedOn: input.decidedOn,
      carryOver: input.carryOver.map((c) => ({ ...c, targetId: deps.newId() })),
      status: 'closing',
      startedAt: deps.now().toISOString(),
      closedBy: actor.sub,
    };
    // Another close of the year may have started meanwhile: then its plan is the one resumed.
    close = (await deps.store.startFiscalYearClose(planned))
      ? planned
      : await deps.store.getFiscalYearClose(jurisdiction, fiscalYear);
    if (!close) throw new ServiceUnavailableError('The close of the fiscal year is busy; repeat the call.');
    if (close.status === 'closed') return { result: close, replayed: true };
  }
  // The year's own allocations, not those the close creates in the next year. One listed as closed
  // already (a resumed close) is not read again: `closing` is never removed, so the listing's word is
  // final, and a resumed close costs one read per allocation still open, not one per allocation.
  const listed = await deps.store.listAllocations({ jurisdiction, fiscalYear });
  const figures: AllocationCloseFigures[] = [];
  for (const allocation of listed) {
    figures.push(
      allocation.closing
        ? { allocationId: allocation.id, ...allocation.closing }
        : await closeOne(deps, close, allocation.id),
    );
  }
  const closed: FiscalYearClose = {
    ...close,
    status: 'closed',
    closedAt: deps.now().toISOString(),
    allocations: figures,
  };
  try {
    await deps.store.finishFiscalYearClose(
      closed,
      stored
        ? {
            jurisdiction: stored.jurisdiction,
            scope: stored.scope,
            fingerprint: stored.print,
            result: closed,
            createdAt: closed.closedAt ?? '',
          }
        : undefined,
    );
  } catch (error) {
    if (error instanceof IdempotencyRecordExists) throw error;
    // Finished by a concurrent call: its close is the answer.
    const finished = await deps.store.getFiscalYearClose(jurisdiction, fiscalYear);
    if (finished?.status === 'closed') return { result: finished, replayed: true };
    throw error;
  }
  return { result: closed, replayed: false };
};
