import {
  type Actor,
  assertDistrictWide,
  assertReaches,
  jurisdictionOfScope,
  mayReach,
  scopeOf,
} from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { reallocationPolicy } from '../../platform/config/reallocation-policy/index.ts';
import { NotFoundError, ServiceUnavailableError } from '../../platform/errors.ts';
import {
  fingerprint,
  idempotencyScope,
  idempotent,
  type Replayable,
  type StoredScope,
} from '../../platform/idempotency.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import type { Allocation } from '../domain/allocation.ts';
import { defaultDeadline } from '../domain/disbursement-deadline.ts';
import {
  assertNotMaker,
  assertPending,
  checkMoves,
  checkReallocation,
  type Reallocation,
  type ReallocationDecision,
  type ReallocationMove,
  type ReallocationPolicy,
  reallocationSteps,
} from '../domain/reallocation.ts';
import { getAllocation } from './allocations.ts';
import type { LedgerStore, OpenPeriodOf } from './ports.ts';

export interface ReallocationDeps extends Env {
  store: LedgerStore;
  /** The rules per jurisdiction; the config's when left out. */
  policy?: ReallocationPolicy;
}

/** What a planner gives: the decision ("quyết định điều chỉnh kế hoạch vốn"), its reason and the moves. */
export interface ReallocationInput {
  decisionNumber: string;
  decidedOn: string;
  reason: string;
  moves: ReallocationMove[];
}

/** A checker's optional word with an approval or a rejection. */
export interface ReallocationDecisionInput {
  comment?: string;
}

/** How many times an application is tried again when a posting or another move races it. */
const MAX_ATTEMPTS = 5;

const periodOf = (now: Date): OpenPeriodOf => ({
  today: vnDateOf(now),
  defaultDeadline: (a) => defaultDeadline(deadlineRules, a),
});

/** Every allocation the moves name, read in the caller's jurisdiction (404 for one not in it). */
const readAllocations = async (
  store: LedgerStore,
  actor: Actor,
  moves: readonly ReallocationMove[],
): Promise<Map<string, Allocation>> => {
  const ids = [...new Set(moves.flatMap((m) => [m.fromAllocationId, m.toAllocationId]))];
  const read = await Promise.all(ids.map((id) => getAllocation(store, actor, id)));
  return new Map(read.map((a) => [a.id, a]));
};

/**
 * Applies a reallocation (new, or pending at `pendingVersion`) on the allocations as they stand: the
 * rules checked again, the entries chained after each head, one conditional transaction; read again and
 * tried again when a head moved meanwhile.
 */
const apply = async (
  deps: ReallocationDeps,
  actor: Actor,
  reallocation: Reallocation,
  pendingVersion: number | undefined,
  stored: (StoredScope & { print: string }) | undefined,
): Promise<Reallocation> => {
  const policy = deps.policy ?? reallocationPolicy;
  const rules = policy.rulesFor(reallocation.jurisdiction);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const now = deps.now();
    const period = periodOf(now);
    const byId = await readAllocations(deps.store, actor, reallocation.moves);
    checkReallocation(rules, reallocation.moves, byId, period);
    const at = now.toISOString();
    const applied: Reallocation = {
      ...reallocation,
      status: 'applied',
      appliedAt: at,
      version: reallocation.version + 1,
    };
    const steps = reallocationSteps(applied, byId, at);
    const idempotency = stored && {
      jurisdiction: stored.jurisdiction,
      scope: stored.scope,
      fingerprint: stored.print,
      result: applied,
      createdAt: at,
    };
    if (await deps.store.applyReallocation(applied, steps, period, pendingVersion, idempotency)) {
      return applied;
    }
    if (pendingVersion !== undefined) {
      // Decided by someone else meanwhile: not_pending says so.
      const current = await deps.store.getReallocation(reallocation.jurisdiction, reallocation.id);
      if (current) assertPending(current);
    }
  }
  throw new ServiceUnavailableError(
    'The allocations of the reallocation kept changing (postings in flight?); repeat the call with the same Idempotency-Key.',
  );
};

/**
 * Records a reallocation by a numbered decision: all its moves apply together, at once, or, where the
 * jurisdiction's policy asks for a province approval, when a province approver other than its maker
 * approves it (status `pending_approval` until then). Every rule is checked before anything is written,
 * and again, atomically, by the store.
 */
export const createReallocation = async (
  deps: ReallocationDeps,
  actor: Actor,
  input: ReallocationInput,
  idempotencyKey?: string,
): Promise<Replayable<Reallocation>> => {
  const scope = scopeOf(actor);
  assertDistrictWide(scope, 'Reallocations of plan capital');
  const jurisdiction = jurisdictionOfScope(scope);
  const rules = (deps.policy ?? reallocationPolicy).rulesFor(jurisdiction);
  checkMoves(rules, input.moves);
  const key = idempotencyKey ? idempotencyScope('create-reallocation', actor, idempotencyKey) : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    const byId = await readAllocations(deps.store, actor, input.moves);
    checkReallocation(rules, input.moves, byId, periodOf(deps.now()));
    const first = byId.get(input.moves[0]?.fromAllocationId ?? '');
    const requestedAt = deps.now().toISOString();
    const reallocation: Reallocation = {
      id: deps.newId(),
      jurisdiction,
      fiscalYear: first?.fiscalYear ?? 0,
      decisionNumber: input.decisionNumber,
      decidedOn: input.decidedOn,
      reason: input.reason,
      moves: input.moves.map(({ fromAllocationId, toAllocationId, amountVnd }) => ({
        fromAllocationId,
        toAllocationId,
        amountVnd,
      })),
      totalVnd: input.moves.reduce((sum, m) => sum + m.amountVnd, 0),
      communes: [...new Set([...byId.values()].map((a) => a.commune))].sort(),
      status: 'pending_approval',
      requestedBy: actor.sub,
      ...(actor.email !== undefined ? { requestedByEmail: actor.email } : {}),
      requestedAt,
      version: 0,
    };
    if (rules.approval === 'none')
      return apply(deps, actor, reallocation, undefined, stored && { ...stored, print });
    const pending = { ...reallocation, version: 1 };
    await deps.store.recordReallocation(
      pending,
      stored ? { ...stored, fingerprint: print, result: pending, createdAt: requestedAt } : undefined,
    );
    return pending;
  });
};

/**
 * A reallocation the actor may see: one of their jurisdiction (another's is not found), touching their
 * commune when their account is limited to one.
 */
export const getReallocation = async (
  store: LedgerStore,
  actor: Actor,
  id: string,
): Promise<Reallocation> => {
  const scope = scopeOf(actor);
  const reallocation = await store.getReallocation(jurisdictionOfScope(scope), id);
  if (!reallocation) throw new NotFoundError(`No reallocation with id ${id}.`);
  const places = reallocation.communes.map((commune) => ({
    jurisdiction: reallocation.jurisdiction,
    commune,
  }));
  if (!places.some((place) => mayReach(scope, place))) {
    assertReaches(scope, places[0] ?? { jurisdiction: reallocation.jurisdiction });
  }
  return reallocation;
};

/** The caller's jurisdiction's reallocations of a fiscal year, oldest first (those touching their commune, when limited to one). */
export const listReallocations = async (
  store: LedgerStore,
  actor: Actor,
  filter: { fiscalYear: number },
): Promise<Reallocation[]> => {
  const scope = scopeOf(actor);
  const all = await store.listReallocations(jurisdictionOfScope(scope), filter.fiscalYear);
  return all.filter((r) =>
    r.communes.some((commune) => mayReach(scope, { jurisdiction: r.jurisdiction, commune })),
  );
};

const decisionOf = (
  actor: Actor,
  decision: ReallocationDecision['decision'],
  input: ReallocationDecisionInput,
  at: string,
): ReallocationDecision => ({
  decision,
  by: actor.sub,
  ...(actor.email !== undefined ? { email: actor.email } : {}),
  at,
  ...(input.comment !== undefined ? { comment: input.comment } : {}),
});

/**
 * A province approver's approval of a pending reallocation (four eyes: never its maker): its rules are
 * checked again on the allocations as they stand now (balances may have moved since it was made) and
 * all its moves apply in one transaction, or none does.
 */
export const approveReallocation = async (
  deps: ReallocationDeps,
  actor: Actor,
  id: string,
  input: ReallocationDecisionInput,
  idempotencyKey?: string,
): Promise<Replayable<Reallocation>> => {
  assertDistrictWide(scopeOf(actor), 'Decisions on reallocations');
  const current = await getReallocation(deps.store, actor, id);
  const key = idempotencyKey
    ? idempotencyScope('approve-reallocation', actor, idempotencyKey, id)
    : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    assertPending(current);
    assertNotMaker(current, actor);
    const decided = { ...current, decision: decisionOf(actor, 'approve', input, deps.now().toISOString()) };
    return apply(deps, actor, decided, current.version, stored && { ...stored, print });
  });
};

/** A province approver's rejection of a pending reallocation (four eyes): nothing moves, ever. */
export const rejectReallocation = async (
  deps: ReallocationDeps,
  actor: Actor,
  id: string,
  input: ReallocationDecisionInput,
  idempotencyKey?: string,
): Promise<Replayable<Reallocation>> => {
  assertDistrictWide(scopeOf(actor), 'Decisions on reallocations');
  const current = await getReallocation(deps.store, actor, id);
  const key = idempotencyKey ? idempotencyScope('reject-reallocation', actor, idempotencyKey, id) : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    assertPending(current);
    assertNotMaker(current, actor);
    const at = deps.now().toISOString();
    const rejected: Reallocation = {
      ...current,
      status: 'rejected',
      decision: decisionOf(actor, 'reject', input, at),
      version: current.version + 1,
    };
    const saved = await deps.store.rejectReallocation(
      rejected,
      current.version,
      stored ? { ...stored, fingerprint: print, result: rejected, createdAt: at } : undefined,
    );
    if (saved) return rejected;
    const now = await deps.store.getReallocation(current.jurisdiction, id);
    if (now) assertPending(now);
    throw new ServiceUnavailableError('The reallocation changed meanwhile; repeat the call.');
  });
};
