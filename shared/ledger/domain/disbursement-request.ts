import type { EntryDocument } from '../../documents/domain/dossier-document.ts';
import { type Actor, assertReaches, hasRole, scopeOf } from '../../platform/access.ts';
import { ForbiddenError, FourEyesError, NotPendingError } from '../../platform/errors.ts';
import { samePerson } from '../../platform/person.ts';
import type { InvestorKind, Level, ResolvedLevel } from './approval-policy.ts';
import type { BudgetItem } from './budget-codes.ts';
import type { CapitalType, FundingLine, PayeeKind } from './funding-line.ts';
import type { TreasuryVoucher } from './treasury-voucher.ts';

export const REQUEST_STATUSES = [
  'pending_approval',
  'approved',
  'disbursed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * What a request pays: `direct` support without a contract (the default, and every request stored before
 * contracts), an `advance` on a contract ("tạm ứng"), or a `payment` for completed work on a contract
 * that recovers part of the advance ("thanh toán khối lượng hoàn thành", "thu hồi tạm ứng"); see contract.ts.
 */
export const REQUEST_KINDS = ['direct', 'advance', 'payment'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface Payee {
  name: string;
  kind: PayeeKind;
}

export interface Approval {
  level: Level;
  decision: 'approve' | 'reject';
  by: string;
  email?: string;
  at: string;
  comment?: string;
  eventId: string;
  /** The Treasury's voucher, recorded with its approval. */
  treasuryVoucher?: TreasuryVoucher;
}

/** A maker's request to pay out of one allocation; submitting it reserves the amount. */
export interface DisbursementRequest {
  id: string;
  allocationId: string;
  fiscalYear: number;
  fundingLine: FundingLine;
  capitalType: CapitalType;
  component: string;
  commune: string;
  /** The allocation's jurisdiction; absent on requests stored before jurisdictions (the default one). */
  jurisdiction?: string;
  /** The allocation's investor ("chủ đầu tư"); absent on requests stored before investors (a commune). */
  investor?: InvestorKind;
  amountVnd: number;
  /** The payee's name and kind as they were at submission (the register's, when `payeeId` is set). */
  payee: Payee;
  /** The register's payee (shared/payees); absent on requests naming an inline payee (deprecated). */
  payeeId?: string;
  /** The support rules (config) whose once-only claim on the payee this request holds (shared/payees). */
  supportClaims?: string[];
  purpose: string;
  outputs?: Record<string, number>;
  /** Absent: `direct` (every request stored before contracts). */
  kind?: RequestKind;
  /** The contract an advance or payment draws on (its payee is the request's). */
  contractId?: string;
  /** A payment's recovery of the contract's advance; its cash out is amountVnd − recoveryVnd. */
  recoveryVnd?: number;
  /** An advance on a contract that requires an advance guarantee: its dossier must hold one. */
  advanceGuaranteeRequired?: boolean;
  /** Item and sub-item ("mục – tiểu mục") the payment is booked to; absent when none was given. */
  budgetItem?: BudgetItem;
  status: RequestStatus;
  chain: Level[];
  /**
   * The chain's levels with their tiers and deciding groups, as the policy gave them at submission, so a
   * later change of the configuration never re-routes a pending request; absent on older requests.
   */
  approvalLevels?: ResolvedLevel[];
  /** The level that decides next; absent once the request is no longer pending. */
  nextLevel?: Level;
  approvals: Approval[];
  submittedBy: string;
  submittedByEmail?: string;
  createdAt: string;
  updatedAt: string;
  /** When the current level started waiting (stalled-approval alerts read it). */
  pendingSince?: string;
  /**
   * Still pending when its allocation's deadline passed: the deadline it met and when the expiry was
   * recorded (its reservation released then, as a rejection releases it).
   */
  expired?: { deadline: string; at: string };
  /** Optimistic-concurrency counter, bumped by every change. */
  version: number;
}

/**
 * Four eyes and state checks done before a decision is accepted for a level. Four eyes is about
 * people, not accounts (see person.ts): the submitter never decides, nobody decides two levels.
 */
export const assertMayDecide = (request: DisbursementRequest, actor: Actor, levelGroup: string): void => {
  if (request.status !== 'pending_approval' || !request.nextLevel) {
    throw new NotPendingError(
      `Request ${request.id} is ${request.status}; only pending requests take decisions.`,
      {
        status: request.status,
      },
    );
  }
  // One person, whatever the account: the same sub, or the same e-mail (NFC, any case). Requests and
  // approvals stored before e-mails were recorded compare by sub alone.
  if (samePerson(actor, { sub: request.submittedBy, email: request.submittedByEmail })) {
    throw new FourEyesError('The submitter of a request may not decide on it.');
  }
  if (request.approvals.some((a) => samePerson(actor, { sub: a.by, email: a.email }))) {
    throw new FourEyesError(
      'You already decided an earlier level of this request; another person must decide this one.',
    );
  }
  const scope = scopeOf(actor);
  if (!hasRole(scope, levelGroup)) {
    throw new ForbiddenError(
      `The request waits at level "${request.nextLevel}", which needs the group "${levelGroup}".`,
      {
        nextLevel: request.nextLevel,
        requiredGroup: levelGroup,
      },
    );
  }
  assertReaches(scope, request, 'decide');
};

/** An approval event: one person's decision at one level, carried on the funding line's queue. */
export interface ApprovalEvent {
  eventId: string;
  requestId: string;
  /** The request's allocation, read with the request in one batch; absent on events accepted before it was carried. */
  allocationId?: string;
  fundingLine: FundingLine;
  level: Level;
  decision: 'approve' | 'reject';
  comment?: string;
  /** The Treasury's voucher, carried by the Treasury level's approval. */
  treasuryVoucher?: TreasuryVoucher;
  actor: Actor;
  decidedAt: string;
  /**
   * The outbox entry this event settles once applied (the scope of the decision's idempotency
   * record); absent on events that were not accepted through the API.
   */
  outboxKey?: string;
  /**
   * The request's jurisdiction, where the handler finds it; absent on events published before
   * jurisdictions were in every key: the deciding actor's, whose read of the request was in theirs.
   */
  jurisdiction?: string;
  /**
   * On the last level's approval: the dossier's verified documents when it was accepted, which the
   * posted entry carries and hashes (documents/app/dossier-check.ts).
   */
  documents?: EntryDocument[];
  /**
   * An approval that advances the request to another level, as the decider checked it: the request's
   * version read then, the level that decides next, and what its allocation's default deadline follows
   * from. The handler applies it by one write conditional on that version, the request then being the
   * very one the decision was checked on (four eyes, level, group), and reads the request only when
   * that write is refused. Absent on the last level's approval, on rejections, and on events accepted
   * before it was carried.
   */
  advance?: AdvanceSeen;
}

/** What an advancing approval's decider saw: see {@link ApprovalEvent.advance}. */
export interface AdvanceSeen {
  version: number;
  nextLevel: Level;
  fiscalYear: number;
  capitalType: CapitalType;
}

/** The approval an event records on its request. */
export const approvalRecordOf = (event: ApprovalEvent): Approval => ({
  level: event.level,
  decision: event.decision,
  by: event.actor.sub,
  at: event.decidedAt,
  eventId: event.eventId,
  ...(event.actor.email ? { email: event.actor.email } : {}),
  ...(event.comment ? { comment: event.comment } : {}),
  ...(event.treasuryVoucher ? { treasuryVoucher: event.treasuryVoucher } : {}),
});

/**
 * What an approval of the request's next level, if accepted now, would leave to do: the next level when
 * it advances the request, undefined when it is the last one.
 */
export const levelAfter = (request: DisbursementRequest, level: Level): Level | undefined =>
  request.chain[request.chain.indexOf(level) + 1];

export type DecisionOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'advanced'; request: DisbursementRequest }
  | { kind: 'approved'; request: DisbursementRequest }
  | { kind: 'rejected'; request: DisbursementRequest };

/**
 * Applies an approval event to a request. An event for a level the request has already passed (a
 * redelivery, or a second decider at the same level) is ignored, so redelivery changes nothing.
 */
export const applyDecision = (
  request: DisbursementRequest,
  event: ApprovalEvent,
  levelGroup: string,
  now: string,
): DecisionOutcome => {
  if (request.approvals.some((a) => a.eventId === event.eventId)) {
    return { kind: 'ignored', reason: 'event already applied' };
  }
  if (request.status !== 'pending_approval' || request.nextLevel !== event.level) {
    return { kind: 'ignored', reason: `request is ${request.status} at level ${request.nextLevel ?? '-'}` };
  }
  try {
    assertMayDecide(request, event.actor, levelGroup);
  } catch (error) {
    return { kind: 'ignored', reason: (error as Error).message };
  }
  const approval = approvalRecordOf(event);
  const base = {
    ...request,
    approvals: [...request.approvals, approval],
    updatedAt: now,
    version: request.version + 1,
  };
  if (event.decision === 'reject') {
    const { nextLevel: _, pendingSince: __, ...rest } = base;
    return { kind: 'rejected', request: { ...rest, status: 'rejected' } };
  }
  const next = levelAfter(request, event.level);
  if (next !== undefined) {
    return { kind: 'advanced', request: { ...base, nextLevel: next, pendingSince: now } };
  }
  const { nextLevel: _, pendingSince: __, ...rest } = base;
  return { kind: 'approved', request: { ...rest, status: 'approved' } };
};

/** The submitter withdraws a pending request. */
export const cancel = (request: DisbursementRequest, actor: Actor, now: string): DisbursementRequest => {
  if (actor.sub !== request.submittedBy) {
    throw new ForbiddenError('Only the submitter of a request may cancel it.');
  }
  if (request.status !== 'pending_approval') {
    throw new NotPendingError(
      `Request ${request.id} is ${request.status}; only pending requests can be cancelled.`,
      {
        status: request.status,
      },
    );
  }
  const { nextLevel: _, pendingSince: __, ...rest } = request;
  return { ...rest, status: 'cancelled', updatedAt: now, version: request.version + 1 };
};

/**
 * A pending request whose allocation's deadline passed: expired, the deadline recorded on it; undefined
 * when it is no longer pending (already decided, cancelled or expired: nothing to do twice).
 */
export const expire = (
  request: DisbursementRequest,
  deadline: string,
  now: string,
): DisbursementRequest | undefined => {
  if (request.status !== 'pending_approval') return undefined;
  const { nextLevel: _, pendingSince: __, ...rest } = request;
  return {
    ...rest,
    status: 'expired',
    expired: { deadline, at: now },
    updatedAt: now,
    version: request.version + 1,
  };
};
