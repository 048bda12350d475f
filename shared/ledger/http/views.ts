import type * as z from 'zod';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import type { AppliedAdjustment, ExtendedAllocation } from '../app/allocations.ts';
import type { AcceptedDecision } from '../app/requests.ts';
import { type Allocation, advanceOutstandingOf } from '../domain/allocation.ts';
import { DEFAULT_INVESTOR } from '../domain/approval-policy.ts';
import { type DeadlineExtension, deadlineOf } from '../domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../domain/disbursement-request.ts';
import type { ClosingFigures, FiscalYearClose } from '../domain/year-end-close.ts';
import type {
  AdjustmentView,
  AllocationView,
  ClosingFiguresView,
  DecisionAccepted,
  ExtensionView,
  FiscalYearCloseView,
  RequestView,
} from './schemas.ts';

/**
 * The views are typed by the response schemas of the OpenAPI document (shared/ledger/http/schemas.ts): a
 * field the schema does not name is a compile error here, and the end-to-end tests check every answer
 * against the document. Each is a projection (a view of a view is the view): an idempotency record of
 * the former format holds the view itself, and replays the same answer through it.
 */

/** An allocation as the API shows it, fields in a reading order (DynamoDB returns them in any order). */
export const allocationView = (a: Allocation): z.output<typeof AllocationView> => ({
  id: a.id,
  fiscalYear: a.fiscalYear,
  fundingLine: a.fundingLine,
  capitalType: a.capitalType,
  component: a.component,
  commune: a.commune,
  investor: a.investor ?? DEFAULT_INVESTOR,
  ...(a.jurisdiction !== undefined ? { jurisdiction: a.jurisdiction } : {}),
  ...(a.budgetCodes ? { budgetCodes: a.budgetCodes } : {}),
  title: a.title,
  ...(a.carriedFrom !== undefined ? { carriedFrom: a.carriedFrom } : {}),
  assignedVnd: a.assignedVnd,
  reservedVnd: a.reservedVnd,
  disbursedVnd: a.disbursedVnd,
  availableVnd: a.availableVnd,
  ...(a.reallocatedVnd !== undefined ? { reallocatedVnd: a.reallocatedVnd } : {}),
  advancedVnd: a.advancedVnd ?? 0,
  recoveredVnd: a.recoveredVnd ?? 0,
  advanceOutstandingVnd: advanceOutstandingOf(a),
  // An allocation stored before deadlines shows the config default it is held to.
  deadline: deadlineOf(deadlineRules, a),
  extensions: (a.extensions ?? []).map(extensionRecordView),
  ...(a.closing ? { closing: closingFiguresView(a.closing) } : {}),
  headSeq: a.headSeq,
  headHash: a.headHash,
  createdAt: a.createdAt,
  createdBy: a.createdBy,
});

/** An allocation's closing figures, field by field in reading order. */
export const closingFiguresView = (c: ClosingFigures): z.output<typeof ClosingFiguresView> => ({
  decisionNumber: c.decisionNumber,
  decidedOn: c.decidedOn,
  assignedVnd: c.assignedVnd,
  disbursedVnd: c.disbursedVnd,
  returnedVnd: c.returnedVnd,
  carriedOverVnd: c.carriedOverVnd,
  ...(c.carriedTo !== undefined ? { carriedTo: c.carriedTo } : {}),
  closedAt: c.closedAt,
  closedBy: c.closedBy,
});

/** A closed fiscal year as the API shows it: its decision and every allocation's closing figures. */
export const fiscalYearCloseView = (c: FiscalYearClose): z.output<typeof FiscalYearCloseView> => ({
  fiscalYear: c.fiscalYear,
  jurisdiction: c.jurisdiction,
  decisionNumber: c.decisionNumber,
  decidedOn: c.decidedOn,
  status: 'closed',
  closedAt: c.closedAt ?? '',
  closedBy: c.closedBy,
  allocations: (c.allocations ?? []).map((a) => ({ allocationId: a.allocationId, ...closingFiguresView(a) })),
});

/** One extension of a deadline, field by field in reading order. */
export const extensionRecordView = (e: DeadlineExtension): DeadlineExtension => ({
  decisionNumber: e.decisionNumber,
  decidedOn: e.decidedOn,
  previousDeadline: e.previousDeadline,
  deadline: e.deadline,
  by: e.by,
  at: e.at,
});

/** An extension as the API shows it, with the allocation as it stands after it. */
export const extensionView = (e: ExtendedAllocation): z.output<typeof ExtensionView> => ({
  ...extensionRecordView(e),
  allocation: allocationView(e.allocation),
});

/** An adjustment as the API shows it, with the allocation as it stands after it. */
export const adjustmentView = (a: AppliedAdjustment): z.output<typeof AdjustmentView> => ({
  id: a.id,
  allocationId: a.allocationId,
  deltaVnd: a.deltaVnd,
  reason: a.reason,
  by: a.by,
  at: a.at,
  allocation: allocationView(a.allocation),
});

/** An accepted decision as the API shows it, in reading order. */
export const decisionView = (d: AcceptedDecision): z.output<typeof DecisionAccepted> => ({
  eventId: d.eventId,
  requestId: d.requestId,
  level: d.level,
});

/** A request as the API shows it: reading order, without storage bookkeeping (version, event ids). */
export const requestView = (r: DisbursementRequest): z.output<typeof RequestView> => ({
  id: r.id,
  status: r.status,
  allocationId: r.allocationId,
  fiscalYear: r.fiscalYear,
  fundingLine: r.fundingLine,
  capitalType: r.capitalType,
  component: r.component,
  commune: r.commune,
  investor: r.investor ?? DEFAULT_INVESTOR,
  ...(r.jurisdiction !== undefined ? { jurisdiction: r.jurisdiction } : {}),
  amountVnd: r.amountVnd,
  payee: { name: r.payee.name, kind: r.payee.kind },
  ...(r.payeeId !== undefined ? { payeeId: r.payeeId } : {}),
  purpose: r.purpose,
  ...(r.outputs ? { outputs: r.outputs } : {}),
  ...(r.kind !== undefined ? { kind: r.kind } : {}),
  ...(r.contractId !== undefined ? { contractId: r.contractId } : {}),
  ...(r.recoveryVnd !== undefined ? { recoveryVnd: r.recoveryVnd } : {}),
  ...(r.advanceGuaranteeRequired ? { advanceGuaranteeRequired: true } : {}),
  ...(r.budgetItem ? { budgetItem: r.budgetItem } : {}),
  chain: r.chain,
  ...(r.approvalLevels
    ? { approvalLevels: r.approvalLevels.map((l) => ({ level: l.level, tier: l.tier, group: l.group })) }
    : {}),
  ...(r.nextLevel ? { nextLevel: r.nextLevel, pendingSince: r.pendingSince } : {}),
  // Field by field, without the event id: a field the schema does not name is a compile error.
  approvals: r.approvals.map((a) => ({
    level: a.level,
    decision: a.decision,
    by: a.by,
    ...(a.email ? { email: a.email } : {}),
    at: a.at,
    ...(a.comment !== undefined ? { comment: a.comment } : {}),
    ...(a.treasuryVoucher ? { treasuryVoucher: a.treasuryVoucher } : {}),
  })),
  submittedBy: r.submittedBy,
  ...(r.submittedByEmail ? { submittedByEmail: r.submittedByEmail } : {}),
  ...(r.expired ? { expired: { deadline: r.expired.deadline, at: r.expired.at } } : {}),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
