import type { Allocation } from '../domain/allocation.ts';
import type { Contract, ContractAmendment } from '../domain/contract.ts';
import type { DeadlineExtension } from '../domain/disbursement-deadline.ts';
import type {
  AdvanceSeen,
  Approval,
  ApprovalEvent,
  DisbursementRequest,
  RequestStatus,
} from '../domain/disbursement-request.ts';
import type { FundingLine } from '../domain/funding-line.ts';
import type { LedgerEntry } from '../domain/ledger-entry.ts';
import type { Reallocation, ReallocationStep } from '../domain/reallocation.ts';
import type { VoucherClaim } from '../domain/treasury-voucher.ts';
import type { ClosingFigures, FiscalYearClose } from '../domain/year-end-close.ts';

/** Where a use case reports what it recovered from without failing (the function's logger). */
export interface Log {
  warn(message: string, attributes: Record<string, unknown>): void;
}

/**
 * The first result of a write under an Idempotency-Key, given again on a retry with the same body (the
 * edge builds the same answer from it).
 */
export interface IdempotencyRecord {
  /** The caller's jurisdiction: the record is kept in it (platform/table/keys.ts). */
  jurisdiction: string;
  scope: string;
  fingerprint: string;
  /** The use case's result: an entity, or a small record of what was accepted. */
  result: unknown;
  /** For decisions: the event to re-publish on a replay. */
  event?: ApprovalEvent;
  createdAt: string;
}

/**
 * A record as written before use cases returned results: the first HTTP answer, whose body is the
 * route's view of the result (its status, the route's success, is not read: the edge gives it again).
 * Read, never written, until the last one expires (7 days).
 */
export interface FormerIdempotencyRecord extends Omit<IdempotencyRecord, 'result' | 'jurisdiction'> {
  body: unknown;
}

export interface Adjustment {
  id: string;
  /** The allocation's jurisdiction, in whose partition the adjustment is kept. */
  jurisdiction: string;
  allocationId: string;
  deltaVnd: number;
  reason: string;
  by: string;
  at: string;
}

/**
 * The day a write happens (Vietnam date of `now`) and the config's deadline for the allocation, which
 * applies when it was stored without one: a submission or posting is conditional on the allocation's
 * deadline being that day or later (ISO dates compare as strings).
 */
export interface OpenPeriod {
  today: string;
  defaultDeadline: string;
}

/** An extension of an allocation's deadline, kept in the allocation's jurisdiction. */
export interface AppliedExtension extends DeadlineExtension {
  jurisdiction: string;
  allocationId: string;
  /** The deadline stored on the allocation when the extension was checked; absent: none (the default). */
  storedDeadline?: string;
}

/**
 * One allocation's step of a year-end close: its closing figures, written conditional on the totals and
 * head it was read with (nothing reserved, not closed yet), and, when it carries over, its outgoing
 * entry, the next-year allocation and that allocation's incoming entry, in the same transaction.
 */
export interface AllocationClose {
  origin: Allocation;
  closing: ClosingFigures;
  carry?: { outgoing: LedgerEntry; target: Allocation; incoming: LedgerEntry };
}

export interface AllocationFilter {
  /** The jurisdiction whose allocations are read: every read is within one (its items' keys start with it). */
  jurisdiction: string;
  fiscalYear?: number;
  fundingLine?: FundingLine;
  commune?: string;
  component?: string;
}

export interface RequestFilter {
  /** The jurisdiction whose requests are read: every read is within one (its items' keys start with it). */
  jurisdiction: string;
  status?: RequestStatus;
  allocationId?: string;
  commune?: string;
}

/** Which contracts a list reads: always one jurisdiction's, narrowed by allocation, year and commune. */
export interface ContractFilter {
  /** The jurisdiction whose contracts are read: every read is within one (its items' keys start with it). */
  jurisdiction: string;
  allocationId?: string;
  fiscalYear?: number;
  commune?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A contract request's claim checked on the contract at `expectedVersion`: the contract as it stands with it pending. */
export interface ContractCommitment {
  committed: Contract;
  expectedVersion: number;
}

/**
 * Storage of contracts, kept with the ledger: a request's submission, posting and release update its
 * contract's totals in the same transaction (see {@link LedgerStore.submitRequest}).
 */
export interface ContractStore {
  /** Creates the contract (and the idempotency record), refusing an existing id. */
  createContract(contract: Contract, idempotency?: IdempotencyRecord): Promise<void>;
  getContract(jurisdiction: string, id: string): Promise<Contract | undefined>;
  /** The contracts matching the filter, in their jurisdiction, by signing date (oldest first). */
  listContracts(filter: ContractFilter): Promise<Contract[]>;
  /**
   * Saves the amended contract and its amendment, conditional on the contract still being at
   * `expectedVersion` (the value was checked on it); false when it changed meanwhile.
   */
  amendContract(
    amended: Contract,
    expectedVersion: number,
    amendment: ContractAmendment,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean>;
}

/**
 * Storage of reallocations, kept with the ledger: applying one writes its record, every allocation it
 * touches and their entries in one transaction.
 */
export interface ReallocationStore {
  /** Stores a pending reallocation (and the Idempotency-Key's record) unless its id exists. */
  recordReallocation(reallocation: Reallocation, idempotency?: IdempotencyRecord): Promise<void>;
  getReallocation(jurisdiction: string, id: string): Promise<Reallocation | undefined>;
  /** A jurisdiction's reallocations of a fiscal year, oldest first. */
  listReallocations(jurisdiction: string, fiscalYear: number): Promise<Reallocation[]>;
  /**
   * Applies a reallocation in one transaction: its record (new, or over the pending one at
   * `pendingVersion`), each step's allocation (assigned and available moved by its delta, its head moved
   * to its last entry) and every entry. Conditional on each allocation's head as read, its year open, its
   * deadline not passed on `period.today`, a source's available covering what it gives and a target
   * staying within 10^15. A rule that fails on the values now stored is thrown (insufficient_funds,
   * fiscal_year_closed, disbursement_period_closed, amount_out_of_range); false when only a head moved
   * (nothing written: the caller reads again and retries).
   */
  applyReallocation(
    applied: Reallocation,
    steps: readonly ReallocationStep[],
    period: OpenPeriodOf,
    pendingVersion?: number,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean>;
  /** Saves a pending reallocation's rejection over `expectedVersion`; false when it changed meanwhile. */
  rejectReallocation(
    rejected: Reallocation,
    expectedVersion: number,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean>;
}

/** The day of a write and the default deadline of each allocation (by its year and capital type). */
export interface OpenPeriodOf {
  today: string;
  defaultDeadline: (a: Pick<Allocation, 'fiscalYear' | 'capitalType'>) => string;
}

/**
 * Storage of allocations, requests, ledger entries and idempotency records (DynamoDB in every runtime).
 * Every item is kept in its jurisdiction: reads name it, writes take it from the item (an allocation's
 * or request's own, `jurisdictionOf`), and nothing read in one jurisdiction comes from another.
 */
export interface LedgerStore extends ContractStore, ReallocationStore {
  /**
   * Reads in one consistent round trip what a use case needs before it writes: the first record found
   * under `idempotency.scopes` (in their order), the request and the allocation; each absent when not
   * asked for or not stored.
   */
  readTogether(read: TogetherRead): Promise<ReadTogether>;
  getIdempotency(
    jurisdiction: string,
    scope: string,
  ): Promise<IdempotencyRecord | FormerIdempotencyRecord | undefined>;
  /**
   * Stores the record unless one exists for the scope; false when it already did. A record carrying
   * an event is stored pending in the approval-event outbox (see {@link ApprovalOutbox}). With
   * `voucher`, the Treasury voucher's number of a jurisdiction's fiscal year is claimed for its request
   * in the same write (duplicate_voucher, nothing stored, when another request holds it; the same
   * request may claim it again). The posting writes the same item under the same condition, in its
   * transaction, so two requests never post one number.
   */
  putIdempotency(record: IdempotencyRecord, voucher?: VoucherClaim): Promise<boolean>;

  createAllocation(allocation: Allocation, idempotency?: IdempotencyRecord): Promise<void>;
  getAllocation(jurisdiction: string, id: string): Promise<Allocation | undefined>;
  listAllocations(filter: AllocationFilter): Promise<Allocation[]>;
  /**
   * Applies a signed delta, conditional on staying above reserved + disbursed and at most 10^15
   * (below_committed, amount_out_of_range); returns the new allocation.
   */
  adjustAllocation(adjustment: Adjustment, idempotency?: IdempotencyRecord): Promise<Allocation>;
  /**
   * Moves the allocation's deadline and appends the extension to its record, conditional on the stored
   * deadline still being the one the extension was checked on (a 503 to retry otherwise); returns the
   * new allocation.
   */
  extendDeadline(extension: AppliedExtension, idempotency?: IdempotencyRecord): Promise<Allocation>;

  /** The close of a jurisdiction's fiscal year, once one started. */
  getFiscalYearClose(jurisdiction: string, fiscalYear: number): Promise<FiscalYearClose | undefined>;
  /** Stores a close's plan (status `closing`) unless the year has one; false when it had. */
  startFiscalYearClose(close: FiscalYearClose): Promise<boolean>;
  /**
   * Closes one allocation ({@link AllocationClose}) in one transaction; false when it changed since it was
   * read (or is closed already): the caller reads it again.
   */
  closeAllocation(step: AllocationClose): Promise<boolean>;
  /** Marks the year's close `closed` with its figures (and stores the Idempotency-Key's record with it). */
  finishFiscalYearClose(close: FiscalYearClose, idempotency?: IdempotencyRecord): Promise<void>;

  /**
   * Writes the request and reserves its amount, in one transaction conditional on the amount being
   * available and the reservation staying within 10^15 (insufficient_funds, amount_out_of_range). A
   * contract request also reserves on its contract, conditional on the contract's version the claim
   * was checked on (advance_limit_exceeded, contract_value_exceeded, recovery_invalid when it no longer
   * fits; a 503 to retry when it still does). With `period`, also conditional on the allocation's
   * deadline not having passed (disbursement_period_closed).
   */
  submitRequest(
    request: DisbursementRequest,
    idempotency: IdempotencyRecord,
    contract?: ContractCommitment,
    period?: OpenPeriod,
  ): Promise<void>;
  getRequest(jurisdiction: string, id: string): Promise<DisbursementRequest | undefined>;
  listRequests(filter: RequestFilter, limit: number, cursor?: string): Promise<Page<DisbursementRequest>>;

  /**
   * Saves an approval that moves the request to its next level; false when the request changed meanwhile.
   * With `settle`, the event's outbox entry is settled in the same write (as {@link ApprovalOutbox.settle},
   * which it does not fail: an entry that is gone or of another event is left as it is).
   */
  saveApproval(
    request: DisbursementRequest,
    expectedVersion: number,
    settle?: OutboxSettlement,
  ): Promise<boolean>;
  /**
   * Applies an advancing approval without reading the request: appends `approval`, moves the request to
   * `advance.nextLevel`, bumps its version, conditional on the version being `advance.version`, and, as
   * {@link saveApproval}, on its allocation's year being open; and on the allocation's deadline holding
   * in `period`. False, nothing written, when any of these conditions fails: the caller reads and
   * decides again (the request changed, or the year or period closed).
   */
  advanceApproval(
    target: { jurisdiction: string; requestId: string; allocationId: string },
    advance: AdvanceSeen,
    approval: Approval,
    now: string,
    period: OpenPeriod,
    settle?: OutboxSettlement,
  ): Promise<boolean>;
  /**
   * Rejection or cancellation: saves the request and releases its reservation (on its contract too), in
   * one transaction.
   */
  closeAndRelease(
    request: DisbursementRequest,
    expectedVersion: number,
    settle?: OutboxSettlement,
  ): Promise<boolean>;
  /**
   * The posting: request → disbursed, allocation reserved → disbursed and head moved, the request's
   * declared outputs counted on the allocation, a contract request's claim moved from pending to
   * advanced or paid and recovered on its contract, chained entry appended, in one conditional
   * transaction. False when the request or the chain head changed meanwhile (nothing counted). An
   * entry carrying a Treasury voucher holds its number in the same transaction (duplicate_voucher when
   * another request holds it). With `period`, also conditional on the allocation's deadline not having
   * passed (disbursement_period_closed, never retried).
   */
  postDisbursement(
    request: DisbursementRequest,
    expectedVersion: number,
    entry: LedgerEntry,
    period?: OpenPeriod,
    settle?: OutboxSettlement,
  ): Promise<boolean>;
  listEntries(jurisdiction: string, allocationId: string): Promise<LedgerEntry[]>;
}

/** What {@link LedgerStore.readTogether} reads: each part in its own jurisdiction. */
export interface TogetherRead {
  idempotency?: { jurisdiction: string; scopes: readonly string[] };
  request?: { jurisdiction: string; id: string };
  allocation?: { jurisdiction: string; id: string };
}

/** What {@link LedgerStore.readTogether} found. */
export interface ReadTogether {
  record?: IdempotencyRecord | FormerIdempotencyRecord;
  request?: DisbursementRequest;
  allocation?: Allocation;
}

/** The outbox entry an applied event settles, in the write that applies it: the decision's record and its event. */
export interface OutboxSettlement {
  jurisdiction: string;
  key: string;
  eventId: string;
  at: string;
}

/** An accepted approval event still pending in the outbox (not yet settled by its handler). */
export interface OutboxEntry {
  /** The jurisdiction of the decision's record. */
  jurisdiction: string;
  /** The decision's idempotency scope, which holds the event. */
  key: string;
  event: ApprovalEvent;
  lastPublishedAt: string;
  relayCount: number;
}

/**
 * The approval-event outbox. A decision's idempotency record carrying an event is pending from the
 * moment it is stored ({@link LedgerStore.putIdempotency}) until the handler settles it.
 */
export interface ApprovalOutbox {
  /** Pending entries last published before `before` (oldest first), at most `limit`. */
  listDue(before: string, limit: number): Promise<OutboxEntry[]>;
  /** Records a re-publish, unless the entry was settled or re-published meanwhile; false then. */
  recordRepublish(entry: OutboxEntry, at: string): Promise<boolean>;
  /** Stops relaying an entry that used up its re-publishes (it stays visible as given up). */
  giveUp(entry: OutboxEntry, at: string): Promise<boolean>;
  /** Settles the entry of an applied (or stale, duplicate, refused) event; false when already settled. */
  settle(jurisdiction: string, key: string, eventId: string, at: string): Promise<boolean>;
}

/** Sends approval events to the funding line's queue. */
export interface ApprovalPublisher {
  publish(event: ApprovalEvent): Promise<void>;
}

/** Thrown by a store write whose Idempotency-Key record already exists: the use case replays or rejects. */
export class IdempotencyRecordExists extends Error {
  constructor() {
    super('idempotency record exists');
    this.name = 'IdempotencyRecordExists';
  }
}
