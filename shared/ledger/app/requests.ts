import { type DossierCheck, dossierForDecision } from '../../documents/app/dossier-check.ts';
import { type PayeeRegister, requestPayeeFields } from '../../payees/app/request-payee.ts';
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
import {
  NotFoundError,
  NotPendingError,
  ServiceUnavailableError,
  ValidationError,
} from '../../platform/errors.ts';
import {
  fingerprint,
  idempotencyScope,
  idempotent,
  type Replayable,
  scopesOf,
} from '../../platform/idempotency.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { quoteForMessage } from '../../platform/text-hygiene.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import type { OutputCatalogue } from '../../targets/app/ports.ts';
import { undeclaredOutputKey } from '../../targets/domain/plan-target.ts';
import { type Allocation, checkedTotals, dimensionsOf, reserve, totals } from '../domain/allocation.ts';
import {
  type ApprovalPolicies,
  approvalChainFor,
  DEFAULT_INVESTOR,
  groupForRequest,
} from '../domain/approval-policy.ts';
import { assertBudgetItem, type BudgetItem } from '../domain/budget-codes.ts';
import { cashOutVnd } from '../domain/contract.ts';
import {
  assertPeriodHolds,
  DisbursementPeriodClosedError,
  defaultDeadline,
  isPastDeadline,
  openPeriodFor,
} from '../domain/disbursement-deadline.ts';
import {
  type ApprovalEvent,
  assertMayDecide,
  cancel,
  type DisbursementRequest,
  levelAfter,
  type Payee,
} from '../domain/disbursement-request.ts';
import type { TreasuryVoucher } from '../domain/treasury-voucher.ts';
import { assertYearOpen } from '../domain/year-end-close.ts';
import { reachableAllocation } from './allocations.ts';
import { type RequestTarget, resolveRequestTarget } from './contracts.ts';
import { expireRequest, passedDeadline } from './deadline-expiry.ts';
import {
  type ApprovalPublisher,
  IdempotencyRecordExists,
  type LedgerStore,
  type Log,
  type OpenPeriod,
  type Page,
  type RequestFilter,
} from './ports.ts';
import { voucherClaimFor } from './treasury-vouchers.ts';

const MAX_ATTEMPTS = 5;

export interface RequestDeps extends Env {
  store: LedgerStore;
  policies: ApprovalPolicies;
}

export interface NewRequest extends RequestTarget {
  amountVnd: number;
  /** A direct request's payee, deprecated: name it by `payeeId`; exactly one of the two. */
  payee?: Payee;
  /** A direct request's payee from the register (POST /payees); an advance's or payment's is its contract's. */
  payeeId?: string;
  purpose: string;
  outputs?: Record<string, number>;
  budgetItem?: BudgetItem;
}

/**
 * Refuses outputs under a key that the allocation's year does not declare: the catalogue is closed, so
 * a typo (or `constructor`) is a 400 naming the key and the allowed ones, never a count that no
 * indicator reads.
 */
const assertDeclaredOutputs = async (
  catalogue: OutputCatalogue,
  allocation: Pick<Allocation, 'fiscalYear' | 'jurisdiction'>,
  outputs: Record<string, number> | undefined,
): Promise<void> => {
  if (outputs === undefined || Object.keys(outputs).length === 0) return;
  // The plan of the allocation's own jurisdiction: another's indicators declare nothing here.
  const declared = await catalogue.declaredOutputKeys(allocation.fiscalYear, jurisdictionOf(allocation));
  assertOutputsDeclared(declared, allocation, outputs);
};

/** {@link assertDeclaredOutputs} with the keys the allocation's year declares already read. */
export const assertOutputsDeclared = (
  declared: readonly string[],
  allocation: Pick<Allocation, 'fiscalYear'>,
  outputs: Record<string, number> | undefined,
): void => {
  if (outputs === undefined || Object.keys(outputs).length === 0) return;
  const { fiscalYear } = allocation;
  const key = undeclaredOutputKey(outputs, declared);
  if (key === undefined) return;
  const allowed =
    declared.length > 0
      ? `use one of: ${declared.join(', ')} (the output keys of the ${fiscalYear} indicators, GET /targets?fiscalYear=${fiscalYear})`
      : `the ${fiscalYear} plan declares no output keys yet: a planner declares them on the year's indicators (PUT /targets/{id}), or leave outputs out`;
  throw new ValidationError(
    `body.outputs: ${quoteForMessage(key)} is not an output key of the plan; ${allowed}.`,
    {
      field: 'outputs',
      key,
      allowed: declared,
    },
  );
};

/**
 * What an allocation must be to take a request now: its year open, its disbursement period not over,
 * the request's budget item in its year's catalogue. A clear error early; the store re-checks the year
 * and the period atomically. Returns the open period the submission is conditioned on. POST /requests
 * and the payment-batch import both apply it.
 */
export const assertTakesRequest = (
  allocation: Allocation,
  now: string,
  input: Pick<NewRequest, 'budgetItem'>,
): OpenPeriod => {
  assertYearOpen(allocation); // a closed year takes nothing
  // After the deadline nothing more is submitted.
  const period = openPeriodFor(deadlineRules, allocation, now);
  assertPeriodHolds(allocation, period);
  if (input.budgetItem) assertBudgetItem(budgetCatalogues, allocation, input.budgetItem);
  return period;
};

/**
 * The approval chain a request of `amountVnd` on the allocation takes, by its jurisdiction's policy for
 * the year, funding line and investor (422 no_approval_policy when none covers them).
 */
export const approvalOf = (
  policies: ApprovalPolicies,
  allocation: Pick<Allocation, 'jurisdiction' | 'investor' | 'fiscalYear' | 'fundingLine'>,
  amountVnd: number,
) => {
  const jurisdiction = allocation.jurisdiction ?? policies.defaultJurisdiction;
  const investor = allocation.investor ?? DEFAULT_INVESTOR;
  const approvalLevels = approvalChainFor(policies, {
    jurisdiction,
    fiscalYear: allocation.fiscalYear,
    fundingLine: allocation.fundingLine,
    investor,
    amountVnd,
  });
  return { jurisdiction, investor, approvalLevels };
};

/** Submits a disbursement request and reserves its amount (commitment control), once per Idempotency-Key. */
export const submitRequest = async (
  deps: RequestDeps & { catalogue: OutputCatalogue; register?: PayeeRegister },
  actor: Actor,
  input: NewRequest,
  idempotencyKey: string,
): Promise<Replayable<DisbursementRequest>> => {
  const key = idempotencyScope('submit-request', actor, idempotencyKey);
  const { scope } = key;
  const print = fingerprint(input);
  // The key's record and a direct request's allocation in one read (a contract's is known once it is read).
  const inJurisdiction = jurisdictionOfScope(scopeOf(actor));
  const direct = (input.kind ?? 'direct') === 'direct' ? input.allocationId : undefined;
  const read = await deps.store.readTogether({
    idempotency: { jurisdiction: key.jurisdiction, scopes: scopesOf(key) },
    ...(direct !== undefined ? { allocation: { jurisdiction: inJurisdiction, id: direct } } : {}),
  });
  return idempotent(
    deps.store,
    key,
    print,
    async () => {
      const now = deps.now().toISOString();
      // Direct: the body's allocation and payee; advance or payment: its contract's, the claim checked on it.
      const target = await resolveRequestTarget(deps.store, actor, input, now);
      const allocation = reachableAllocation(
        actor,
        target.allocationId,
        target.allocationId === direct
          ? read.allocation
          : await deps.store.getAllocation(inJurisdiction, target.allocationId),
      );
      checkedTotals(allocation);
      const period = assertTakesRequest(allocation, now, input);
      await assertDeclaredOutputs(deps.catalogue, allocation, input.outputs);
      // A direct request's payee from the register (or, deprecated, the body); a contract's otherwise.
      const payee =
        target.payee ??
        (await requestPayeeFields(deps.register, jurisdictionOf(allocation), input, {
          component: allocation.component,
          outputs: input.outputs,
        }));
      // A clear error early (the cash out: a payment's net); the store re-checks atomically.
      reserve(totals(allocation), cashOutVnd({ ...target.fields, amountVnd: input.amountVnd }));
      const { jurisdiction, investor, approvalLevels } = approvalOf(
        deps.policies,
        allocation,
        input.amountVnd,
      );
      const chain = approvalLevels.map((l) => l.level);
      const request: DisbursementRequest = {
        id: deps.newId(),
        allocationId: allocation.id,
        ...dimensionsOf(allocation),
        jurisdiction,
        investor,
        amountVnd: input.amountVnd,
        ...payee,
        purpose: input.purpose,
        ...(input.outputs ? { outputs: input.outputs } : {}),
        ...target.fields,
        ...(input.budgetItem ? { budgetItem: input.budgetItem } : {}),
        status: 'pending_approval',
        chain,
        approvalLevels,
        nextLevel: chain[0],
        approvals: [],
        submittedBy: actor.sub,
        ...(actor.email ? { submittedByEmail: actor.email } : {}),
        createdAt: now,
        updatedAt: now,
        pendingSince: now,
        version: 1,
      };
      await deps.store.submitRequest(
        request,
        { jurisdiction: key.jurisdiction, scope, fingerprint: print, result: request, createdAt: now },
        target.commitment,
        period,
      );
      return request;
    },
    undefined,
    read,
  );
};

export const getRequest = async (
  store: LedgerStore,
  actor: Actor,
  id: string,
): Promise<DisbursementRequest> =>
  reachableRequest(actor, id, await store.getRequest(jurisdictionOfScope(scopeOf(actor)), id));

/** The request read for `id` in the actor's jurisdiction, when it exists and the actor may reach it. */
const reachableRequest = (
  actor: Actor,
  id: string,
  request: DisbursementRequest | undefined,
): DisbursementRequest => {
  if (!request) throw new NotFoundError(`No disbursement request with id ${id}.`);
  assertReaches(scopeOf(actor), request);
  return request;
};

export const listRequests = async (
  store: LedgerStore,
  actor: Actor,
  filter: Omit<RequestFilter, 'commune' | 'jurisdiction'>,
  limit: number,
  cursor?: string,
): Promise<Page<DisbursementRequest>> => {
  return store.listRequests(restrictFilter(scopeOf(actor), filter), limit, cursor);
};

/** A decision accepted for the funding line's queue: the event that carries it, for the request's level. */
export interface AcceptedDecision {
  eventId: string;
  requestId: string;
  level: ApprovalEvent['level'];
}

/**
 * Publishes an accepted event. Once its record is stored the decision is accepted whatever the queue
 * does: a failed publish is logged, and the outbox relay publishes the event after its grace period.
 */
const publishAccepted = async (
  { publisher, log }: { publisher: ApprovalPublisher; log: Log },
  event: ApprovalEvent,
) => {
  try {
    await publisher.publish(event);
  } catch (error) {
    if (event.outboxKey === undefined) throw error;
    log.warn('approval event not published; the outbox relay will publish it', {
      eventId: event.eventId,
      requestId: event.requestId,
      error: String(error),
    });
  }
};

/**
 * Accepts an approve/reject decision for the request's next level and publishes it as an approval
 * event on the funding line's queue; the line's handler applies it. The decision's record is stored
 * first, pending in the outbox until the handler settles it, so an event lost on the way is
 * re-published by the relay. A retry with the same key re-publishes the same event (harmless: the
 * handler applies an event once).
 */
export const decideRequest = async (
  deps: RequestDeps & { publisher: ApprovalPublisher; log: Log; dossier: DossierCheck },
  actor: Actor,
  requestId: string,
  input: { decision: 'approve' | 'reject'; comment?: string; treasuryVoucher?: TreasuryVoucher },
  idempotencyKey: string,
): Promise<Replayable<AcceptedDecision>> => {
  const key = idempotencyScope('decide-request', actor, idempotencyKey, requestId);
  const { scope } = key;
  const print = fingerprint(input);
  const republish = async (record: { event?: ApprovalEvent }) => {
    if (record.event) await publishAccepted(deps, record.event);
  };
  // The key's record and the request in one read.
  const read = await deps.store.readTogether({
    idempotency: { jurisdiction: key.jurisdiction, scopes: scopesOf(key) },
    request: { jurisdiction: jurisdictionOfScope(scopeOf(actor)), id: requestId },
  });
  return idempotent(
    deps.store,
    key,
    print,
    async () => {
      const request = reachableRequest(actor, requestId, read.request);
      const allocation = needsAllocation(request, deps.now())
        ? await deps.store.getAllocation(jurisdictionOf(request), request.allocationId)
        : undefined;
      // A closed year first: its requests expired at the close, and the close is what to say.
      if (allocation) assertYearOpen(allocation);
      const level = request.nextLevel;
      if (request.status !== 'pending_approval' || level === undefined) {
        throw new NotPendingError(
          `Request ${request.id} is ${request.status}; only pending requests take decisions.`,
          {
            status: request.status,
          },
        );
      }
      const group = groupForRequest(deps.policies, request, level);
      if (group === undefined) throw new Error(`request ${request.id}: no group decides level "${level}"`);
      assertMayDecide(request, actor, group);
      if (allocation) await assertStillOpen(deps.store, request, allocation, deps.now());
      // The last approval needs the dossier's required documents verified; the entry hashes them.
      const documents = await dossierForDecision(deps.dossier, request, level, input.decision);
      const decidedAt = deps.now().toISOString();
      // An approval that advances the request carries the version it was checked on: the handler applies
      // it by one conditional write, without reading the request first.
      const next = input.decision === 'approve' ? levelAfter(request, level) : undefined;
      const event: ApprovalEvent = {
        eventId: deps.newId(),
        requestId: request.id,
        allocationId: request.allocationId,
        fundingLine: request.fundingLine,
        level,
        decision: input.decision,
        ...(input.comment ? { comment: input.comment } : {}),
        ...(input.treasuryVoucher ? { treasuryVoucher: input.treasuryVoucher } : {}),
        actor,
        decidedAt,
        outboxKey: scope,
        jurisdiction: jurisdictionOf(request),
        ...(documents && documents.length > 0 ? { documents } : {}),
        ...(next !== undefined
          ? {
              advance: {
                version: request.version,
                nextLevel: next,
                fiscalYear: request.fiscalYear,
                capitalType: request.capitalType,
              },
            }
          : {}),
      };
      const voucher = voucherClaimFor(deps, request, event);
      const result: AcceptedDecision = { eventId: event.eventId, requestId: request.id, level };
      // Stored (pending in the outbox) before publishing: if the publish fails, the relay re-publishes it.
      // The Treasury's voucher number is claimed in the same write (409 duplicate_voucher when held).
      // The record keeps the event without `advance`: it would take the record past 1 KB (a write unit
      // more here and at each settlement), and an event re-published from it is read and applied as any.
      const { advance: _, ...recorded } = event;
      if (
        !(await deps.store.putIdempotency(
          {
            jurisdiction: key.jurisdiction,
            scope,
            fingerprint: print,
            result,
            event: recorded,
            createdAt: decidedAt,
          },
          voucher,
        ))
      ) {
        throw new IdempotencyRecordExists();
      }
      await publishAccepted(deps, event);
      return result;
    },
    republish,
    read,
  );
};

/**
 * Whether a decision must read the request's allocation. A pending request that holds a reservation
 * draws on an open year (the close expires such requests before it closes the allocation, and closes it
 * only with nothing reserved), and before the config's default deadline its period is open (a stored
 * deadline is the default or an extension of it, which only moves it later): no read then. After the
 * default deadline, for a request holding nothing (a payment netted to zero by its recovery) or one that
 * is no longer pending (to say fiscal_year_closed rather than not_pending), the allocation is read. The
 * consumer's writes re-check the year and the deadline atomically whatever the decision saw.
 */
const needsAllocation = (request: DisbursementRequest, now: Date): boolean =>
  request.status !== 'pending_approval' ||
  cashOutVnd(request) === 0 ||
  isPastDeadline(defaultDeadline(deadlineRules, request), vnDateOf(now));

/**
 * Refuses a decision after the allocation's deadline (409 disbursement_period_closed), expiring the
 * request on the way (lazily, as the scheduled expiry would) so its reservation is released now.
 */
const assertStillOpen = async (
  store: LedgerStore,
  request: DisbursementRequest,
  allocation: Allocation,
  now: Date,
) => {
  const deadline = passedDeadline(allocation, now);
  if (!deadline) return;
  // Conditional on the version read: a request changed meanwhile is left to the next reader.
  await expireRequest(store, request, deadline, now);
  throw new DisbursementPeriodClosedError(
    `Request ${request.id} draws on allocation ${request.allocationId}, which took payments until ${deadline}: its disbursement period is closed and the request has expired (its reservation released).`,
    { deadline },
  );
};

/** The submitter withdraws a pending request; its reservation is released. */
export const cancelRequest = async (
  deps: RequestDeps,
  actor: Actor,
  requestId: string,
): Promise<DisbursementRequest> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const request = await getRequest(deps.store, actor, requestId);
    const cancelled = cancel(request, actor, deps.now().toISOString());
    if (await deps.store.closeAndRelease(cancelled, request.version)) {
      return cancelled;
    }
    // The request changed under us (a decision landed): look again.
  }
  throw new ServiceUnavailableError('The request keeps changing; retry the cancellation in a moment.');
};
