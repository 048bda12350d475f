import { assertCommuneOf } from '../../jurisdictions/app/commune-check.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import {
  type Actor,
  assertReaches,
  jurisdictionOfScope,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { budgetCatalogues } from '../../platform/config/budget-codes/index.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { fingerprint, idempotencyScope, idempotent, type Replayable } from '../../platform/idempotency.ts';
import { problemsField } from '../../platform/total-range.ts';
import type { Allocation } from '../domain/allocation.ts';
import { adjust, checkedTotals, splitAllocations, totals } from '../domain/allocation.ts';
import { DEFAULT_INVESTOR, type InvestorKind } from '../domain/approval-policy.ts';
import { assertBudgetCodes, type BudgetCodes } from '../domain/budget-codes.ts';
import {
  checkExtension,
  type DeadlineExtension,
  deadlineOf,
  defaultDeadline,
} from '../domain/disbursement-deadline.ts';
import { GENESIS_HASH } from '../domain/hash-chain.ts';
import { assertYearOpen, assertYearTakesAllocations } from '../domain/year-end-close.ts';
import type { Adjustment, AllocationFilter, AppliedExtension, LedgerStore } from './ports.ts';

export interface AllocationDeps extends Env {
  store: LedgerStore;
}

/** What a planner gives to record an allocation: its keys, a title and the capital assigned. */
export type NewAllocation = Pick<
  Allocation,
  'fiscalYear' | 'fundingLine' | 'capitalType' | 'component' | 'commune' | 'title'
> & {
  amountVnd: number;
  investor?: InvestorKind;
  jurisdiction?: string;
  budgetCodes?: BudgetCodes;
};

/** An adjustment with the allocation as it stands after it. */
export type AppliedAdjustment = Adjustment & { allocation: Allocation };

/**
 * What is checked of a new allocation before the store is read: the caller's reach (a body may name
 * only the caller's own jurisdiction, 403 otherwise; left out, it is the token's), its commune in the
 * jurisdiction that year, its budget codes in the year's catalogue. Returns the input with its
 * jurisdiction. POST /allocations and the plan import both apply it.
 */
export const checkNewAllocation = (actor: Actor, input: NewAllocation): NewAllocation => {
  const scope = scopeOf(actor);
  const checked = { ...input, jurisdiction: input.jurisdiction ?? jurisdictionOfScope(scope) };
  assertReaches(scope, checked);
  assertCommuneOf(jurisdictionCatalog, jurisdictionOfScope(scope), checked.commune, {
    field: 'body.commune',
    fiscalYear: checked.fiscalYear,
  });
  if (checked.budgetCodes) assertBudgetCodes(budgetCatalogues, checked.fiscalYear, checked.budgetCodes);
  return checked;
};

/** Records plan capital assigned for a year. */
export const createAllocation = (
  deps: AllocationDeps,
  actor: Actor,
  input: NewAllocation,
  idempotencyKey?: string,
): Promise<Replayable<Allocation>> => {
  const scope = scopeOf(actor);
  input = checkNewAllocation(actor, input);
  const key = idempotencyKey ? idempotencyScope('create-allocation', actor, idempotencyKey) : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    // Said up front; the store's write checks it again atomically (a close may start meanwhile).
    assertYearTakesAllocations(
      await deps.store.getFiscalYearClose(jurisdictionOfScope(scope), input.fiscalYear),
    );
    const now = deps.now().toISOString();
    const { amountVnd, ...keys } = input;
    const allocation: Allocation = {
      id: deps.newId(),
      ...keys,
      investor: input.investor ?? DEFAULT_INVESTOR,
      // Stored, so the store's writes can condition on it; extensions move it.
      deadline: defaultDeadline(deadlineRules, input),
      assignedVnd: amountVnd,
      reservedVnd: 0,
      disbursedVnd: 0,
      availableVnd: amountVnd,
      headSeq: 0,
      headHash: GENESIS_HASH,
      createdAt: now,
      createdBy: actor.sub,
    };
    await deps.store.createAllocation(
      allocation,
      stored ? { ...stored, fingerprint: print, result: allocation, createdAt: now } : undefined,
    );
    return allocation;
  });
};

/** An allocation the actor may see, as stored: its totals may be out of range (see {@link getAllocation}). */
export const findAllocation = async (store: LedgerStore, actor: Actor, id: string): Promise<Allocation> =>
  reachableAllocation(actor, id, await store.getAllocation(jurisdictionOfScope(scopeOf(actor)), id));

/** The allocation read for `id` in the actor's jurisdiction, when it exists and the actor may reach it. */
export const reachableAllocation = (
  actor: Actor,
  id: string,
  allocation: Allocation | undefined,
): Allocation => {
  if (!allocation) throw new NotFoundError(`No allocation with id ${id}.`);
  assertReaches(scopeOf(actor), allocation);
  return allocation;
};

/** An allocation the actor may see and work on: one whose stored totals are out of range is a 422. */
export const getAllocation = async (store: LedgerStore, actor: Actor, id: string): Promise<Allocation> => {
  const allocation = await findAllocation(store, actor, id);
  checkedTotals(allocation);
  return allocation;
};

export const listAllocations = async (
  store: LedgerStore,
  actor: Actor,
  filter: Omit<AllocationFilter, 'jurisdiction'>,
) => {
  const scope = scopeOf(actor);
  const narrowed = restrictFilter(scope, filter);
  assertCommuneOf(jurisdictionCatalog, jurisdictionOfScope(scope), filter.commune, {
    field: 'query.commune',
    fiscalYear: filter.fiscalYear,
  });
  const { items, problems } = splitAllocations(await store.listAllocations(narrowed));
  return { items, ...problemsField(problems) };
};

/** Changes assigned capital by a signed delta; never below reserved + disbursed. */
export const adjustAllocation = async (
  deps: AllocationDeps,
  actor: Actor,
  allocationId: string,
  input: { deltaVnd: number; reason: string },
  idempotencyKey?: string,
): Promise<Replayable<AppliedAdjustment>> => {
  const current = await getAllocation(deps.store, actor, allocationId);
  const key = idempotencyKey
    ? idempotencyScope('adjust-allocation', actor, idempotencyKey, allocationId)
    : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    assertYearOpen(current); // a closed year takes no adjustment; the store re-checks atomically
    adjust(totals(current), input.deltaVnd); // a clear error early; the store re-checks atomically
    const at = deps.now().toISOString();
    const adjustment: Adjustment = {
      id: deps.newId(),
      jurisdiction: jurisdictionOfScope(scopeOf(actor)),
      allocationId,
      deltaVnd: input.deltaVnd,
      reason: input.reason,
      by: actor.sub,
      at,
    };
    // The stored answer is computed from the values the conditional write guarantees.
    const expected = adjust(totals(current), input.deltaVnd);
    const allocation = await deps.store.adjustAllocation(
      adjustment,
      stored
        ? {
            ...stored,
            fingerprint: print,
            result: { ...adjustment, allocation: { ...current, ...expected } },
            createdAt: at,
          }
        : undefined,
    );
    return { ...adjustment, allocation };
  });
};

/** What a planner gives to extend an allocation's deadline: the decision and the new last day. */
export interface ExtensionInput {
  decisionNumber: string;
  decidedOn: string;
  deadline: string;
}

/** An extension with the allocation as it stands after it. */
export type ExtendedAllocation = DeadlineExtension & { allocation: Allocation };

/**
 * Moves an allocation's deadline by a numbered decision ("kéo dài thời gian giải ngân"): later than the
 * current one, no later than 31/12 of the year after the fiscal year (422 invalid_extension otherwise).
 */
export const extendDeadline = async (
  deps: AllocationDeps,
  actor: Actor,
  allocationId: string,
  input: ExtensionInput,
  idempotencyKey?: string,
): Promise<Replayable<ExtendedAllocation>> => {
  const current = await getAllocation(deps.store, actor, allocationId);
  const key = idempotencyKey
    ? idempotencyScope('extend-deadline', actor, idempotencyKey, allocationId)
    : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    assertYearOpen(current);
    const previousDeadline = deadlineOf(deadlineRules, current);
    checkExtension(current, previousDeadline, input);
    const at = deps.now().toISOString();
    const record: DeadlineExtension = { ...input, previousDeadline, by: actor.sub, at };
    const extension: AppliedExtension = {
      ...record,
      jurisdiction: jurisdictionOfScope(scopeOf(actor)),
      allocationId,
      ...(current.deadline !== undefined ? { storedDeadline: current.deadline } : {}),
    };
    // The stored answer is computed from the values the conditional write guarantees.
    const expected: Allocation = {
      ...current,
      deadline: input.deadline,
      extensions: [...(current.extensions ?? []), record],
    };
    const allocation = await deps.store.extendDeadline(
      extension,
      stored
        ? { ...stored, fingerprint: print, result: { ...record, allocation: expected }, createdAt: at }
        : undefined,
    );
    return { ...record, allocation };
  });
};
