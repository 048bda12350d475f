import { bySigning } from '../../../shared/ledger/adapters/contract-repository.ts';
import { postedVoucherOf } from '../../../shared/ledger/adapters/voucher-items.ts';
import {
  type Adjustment,
  type AllocationClose,
  type AllocationFilter,
  type AppliedExtension,
  type ApprovalOutbox,
  type ContractCommitment,
  type ContractFilter,
  type FormerIdempotencyRecord,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  type LedgerStore,
  type OpenPeriod,
  type OpenPeriodOf,
  type OutboxSettlement,
  type Page,
  type ReadTogether,
  type RequestFilter,
  type TogetherRead,
} from '../../../shared/ledger/app/ports.ts';
import {
  type Allocation,
  adjust,
  advanceTotalsOf,
  checkedTotals,
  disburse,
  release,
  reserve,
} from '../../../shared/ledger/domain/allocation.ts';
import {
  type Contract,
  type ContractAmendment,
  cashOutVnd,
  claimOf,
  commitClaim,
  holdsClaim,
  postClaim,
  releaseClaim,
} from '../../../shared/ledger/domain/contract.ts';
import { assertPeriodHolds, periodHolds } from '../../../shared/ledger/domain/disbursement-deadline.ts';
import type {
  AdvanceSeen,
  Approval,
  DisbursementRequest,
} from '../../../shared/ledger/domain/disbursement-request.ts';
import type { LedgerEntry } from '../../../shared/ledger/domain/ledger-entry.ts';
import {
  assertStepStillFits,
  type Reallocation,
  type ReallocationStep,
} from '../../../shared/ledger/domain/reallocation.ts';
import { duplicateVoucher, type VoucherClaim } from '../../../shared/ledger/domain/treasury-voucher.ts';
import {
  assertYearOpen,
  assertYearTakesAllocations,
  type FiscalYearClose,
} from '../../../shared/ledger/domain/year-end-close.ts';
import { alreadySupported } from '../../../shared/payees/errors.ts';
import {
  InvalidCursorError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../../shared/platform/errors.ts';
import { MAX_AMOUNT_VND } from '../../../shared/platform/money.ts';
import { jurisdictionOf } from '../../../shared/platform/tenancy.ts';
import { assertIncreaseFits } from '../../../shared/platform/total-range.ts';

/** The store committed the write, but its answer never reached the caller (a timeout, a crashed function). */
export class LostReplyError extends Error {
  constructor(operation: string) {
    super(`${operation}: the write committed but the reply was lost`);
    this.name = 'LostReplyError';
  }
}

/**
 * What happens to a conditional write before and after it is tried: nothing, a transient conflict
 * (nothing written, ServiceUnavailableError, like DynamoDB's TransactionConflict), or a lost reply
 * (everything written, then an error).
 */
export type WriteFault = 'none' | 'conflict' | 'lost-reply';

/** Chooses the fault of each conditional write; the default never injects one. */
export type FaultPlan = (operation: string) => WriteFault;

const copy = <T>(value: T): T => structuredClone(value);

/**
 * After a condition failed: the domain rule, run on the values stored, throws the error the adapter
 * gives (insufficient_funds, below_committed, amount_out_of_range…). The adapter would retry a race;
 * here nothing races, so a rule that passes means the fake's condition and the rule disagree.
 */
const refuse = (operation: string, rule: () => unknown): never => {
  rule();
  throw new Error(`${operation}: its condition failed although the domain rule passes`);
};

/** Requests newest first, as the adapter's indexes list them (sort key `createdAt#id`, read backwards). */
const position = (r: DisbursementRequest) => `${r.createdAt}#${r.id}`;

/** The allocation's advance totals after a posting, as the adapter's ADD writes them (only those it adds). */
const advanceTotalsAfter = (a: Allocation, entry: LedgerEntry) =>
  Object.fromEntries(
    Object.entries(advanceTotalsOf(entry))
      .filter(([, n]) => n > 0)
      .map(([name, n]) => [name, (a[name as 'advancedVnd' | 'recoveredVnd'] ?? 0) + n]),
  );

/** Allocations in the order of the adapter's index: one string `year#line#commune#component#id`. */
const allocationPosition = (a: Allocation) =>
  `${a.fiscalYear}#${a.fundingLine}#${a.commune}#${a.component}#${a.id}`;

/** A cursor is the position of the last item handed out, so an item written meanwhile moves nothing. */
const encodeCursor = (after: string) => Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof value?.after === 'string') return value.after;
  } catch {
    // not base64url JSON: refused below
  }
  throw new InvalidCursorError('The cursor is not one this store returned.');
};

/**
 * One page of items newest first, as an adapter's index read backwards lists them: by `positionOf`
 * (the index's sort key), after the cursor's position; copies, so a caller changes nothing stored.
 */
export const pageNewestFirst = <T>(
  items: readonly T[],
  positionOf: (item: T) => string,
  limit: number,
  cursor?: string,
): Page<T> => {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const matching = items
    .filter((item) => after === undefined || positionOf(item) < after)
    .sort((a, b) => (positionOf(a) < positionOf(b) ? 1 : positionOf(a) > positionOf(b) ? -1 : 0));
  const page = matching.slice(0, limit).map(copy);
  const last = page.at(-1);
  return {
    items: page,
    ...(last && matching.length > limit ? { nextCursor: encodeCursor(positionOf(last)) } : {}),
  };
};

/** Where a voucher number is held: its jurisdiction, fiscal year and number (the table's voucher key). */
const voucherKey = (v: VoucherClaim) => `${v.jurisdiction}#${v.fiscalYear}#${v.number}`;

/** Where a record is kept: the caller's jurisdiction, then the scope (the table's `J#<j>#IDEM#<scope>`). */
export const recordKey = (jurisdiction: string, scope: string) => `${jurisdiction}#${scope}`;

/**
 * An in-memory {@link LedgerStore} with the same conditional, all-or-nothing semantics as the
 * DynamoDB adapter: every write checks all its conditions first and then applies all of its changes,
 * with no `await` in between, so a transaction is atomic with respect to every other call. Values are
 * copied in and out, so a caller can never change stored state behind the store's back. Items are kept
 * in their jurisdictions as the table keeps them: a read in one never finds another's item.
 */
export class InMemoryLedgerStore implements LedgerStore {
  readonly allocations = new Map<string, Allocation>();
  readonly requests = new Map<string, DisbursementRequest>();
  /** Ledger entries per allocation, keyed by seq (the table's sort key `E#seq`). */
  readonly entries = new Map<string, Map<number, LedgerEntry>>();
  readonly adjustments: Adjustment[] = [];
  /**
   * Records by `<jurisdiction>#<scope>` ({@link recordKey}), as the table keys them; a test may set one of
   * the former format (see FormerIdempotencyRecord).
   */
  readonly idempotency = new Map<string, IdempotencyRecord | FormerIdempotencyRecord>();
  /** Outputs counted per allocation by its postings (the adapter's `output#<key>` attributes). */
  readonly outputs = new Map<string, Record<string, number>>();
  /** Support claims by `<jurisdiction>#<rule>#<payeeId>` (the table's `J#<j>#SUPPORT#…`): the holding request's id. */
  readonly supportClaims = new Map<string, string>();

  /** The claim keys a request holds or asks for (see DisbursementRequest.supportClaims). */
  private claimKeys(request: DisbursementRequest): { key: string; rule: string; payeeId: string }[] {
    const { payeeId } = request;
    if (payeeId === undefined) return [];
    return (request.supportClaims ?? []).map((rule) => ({
      key: `${jurisdictionOf(request)}#${rule}#${payeeId}`,
      rule,
      payeeId,
    }));
  }
  /** Contracts by `<jurisdiction>#<id>` ({@link recordKey}), as the table keys them, and their amendments. */
  readonly contracts = new Map<string, Contract>();
  readonly amendments: ContractAmendment[] = [];
  /** Year-end closes by `<jurisdiction>#<fiscalYear>` (the table's `J#<j>#FYCLOSE#<year>`). */
  readonly closes = new Map<string, FiscalYearClose>();
  /** Treasury voucher numbers held, by `<jurisdiction>#<fiscalYear>#<number>` (the table's voucher items). */
  readonly vouchers = new Map<string, VoucherClaim>();
  /** Reallocations by `<jurisdiction>#<id>` ({@link recordKey}), as the table keys them. */
  readonly reallocations = new Map<string, Reallocation>();

  constructor(private readonly faults: FaultPlan = () => 'none') {}

  /** Runs a write under the fault plan: `apply` checks its conditions and writes, all or nothing. */
  private write<T>(operation: string, apply: () => T): T {
    const fault = this.faults(operation);
    if (fault === 'conflict') {
      throw new ServiceUnavailableError(
        `${operation}: the ledger is busy with a concurrent change; retry in a moment.`,
      );
    }
    const result = apply();
    if (fault === 'lost-reply') throw new LostReplyError(operation);
    return result;
  }

  private putIdempotencyIfAbsent(record: IdempotencyRecord | undefined): boolean {
    return record === undefined || !this.idempotency.has(recordKey(record.jurisdiction, record.scope));
  }

  private setIdempotency(record: IdempotencyRecord | undefined): void {
    if (record) this.idempotency.set(recordKey(record.jurisdiction, record.scope), copy(record));
  }

  async readTogether(read: TogetherRead): Promise<ReadTogether> {
    let record: ReadTogether['record'];
    for (const scope of read.idempotency?.scopes ?? []) {
      record ??= await this.getIdempotency(read.idempotency?.jurisdiction ?? '', scope);
    }
    const request = read.request && (await this.getRequest(read.request.jurisdiction, read.request.id));
    const allocation =
      read.allocation && (await this.getAllocation(read.allocation.jurisdiction, read.allocation.id));
    return {
      ...(record ? { record } : {}),
      ...(request ? { request } : {}),
      ...(allocation ? { allocation } : {}),
    };
  }

  async getIdempotency(
    jurisdiction: string,
    scope: string,
  ): Promise<IdempotencyRecord | FormerIdempotencyRecord | undefined> {
    const record = this.idempotency.get(recordKey(jurisdiction, scope));
    return record && copy(record);
  }

  async putIdempotency(record: IdempotencyRecord, voucher?: VoucherClaim): Promise<boolean> {
    return this.write('putIdempotency', () => {
      if (!this.putIdempotencyIfAbsent(record)) return false;
      // The adapter's one transaction: the record and the voucher's hold, or neither.
      if (voucher && !this.voucherFree(voucher)) throw duplicateVoucher(voucher);
      this.setIdempotency(record);
      if (voucher) this.vouchers.set(voucherKey(voucher), copy(voucher));
      return true;
    });
  }

  /** The allocation kept at (jurisdiction, id), as a table read of that key finds it. */
  private allocationAt(jurisdiction: string, id: string): Allocation | undefined {
    const allocation = this.allocations.get(id);
    return allocation && jurisdictionOf(allocation) === jurisdiction ? allocation : undefined;
  }

  async createAllocation(allocation: Allocation, idempotency?: IdempotencyRecord): Promise<void> {
    this.write('createAllocation', () => {
      if (this.allocations.has(allocation.id)) throw new Error(`allocation ${allocation.id} exists`);
      // The adapter's condition check on the year's close item.
      assertYearTakesAllocations(this.closes.get(`${jurisdictionOf(allocation)}#${allocation.fiscalYear}`));
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      this.allocations.set(allocation.id, copy(allocation));
      this.setIdempotency(idempotency);
    });
  }

  async getAllocation(jurisdiction: string, id: string): Promise<Allocation | undefined> {
    const allocation = this.allocationAt(jurisdiction, id);
    return allocation && copy(allocation);
  }

  async listAllocations(filter: AllocationFilter): Promise<Allocation[]> {
    return [...this.allocations.values()]
      .filter(
        (a) =>
          (filter.fiscalYear === undefined || a.fiscalYear === filter.fiscalYear) &&
          (filter.fundingLine === undefined || a.fundingLine === filter.fundingLine) &&
          (filter.commune === undefined || a.commune === filter.commune) &&
          (filter.component === undefined || a.component === filter.component) &&
          jurisdictionOf(a) === filter.jurisdiction,
      )
      .sort((a, b) => (allocationPosition(a) < allocationPosition(b) ? -1 : 1))
      .map(copy);
  }

  async adjustAllocation(adjustment: Adjustment, idempotency?: IdempotencyRecord): Promise<Allocation> {
    return this.write('adjustAllocation', () => {
      const current = this.allocationAt(adjustment.jurisdiction, adjustment.allocationId);
      if (!current) throw new NotFoundError(`No allocation with id ${adjustment.allocationId}.`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      assertYearOpen(current); // the adapter's condition on the year lock
      const delta = adjustment.deltaVnd;
      // The adapter's condition, on the totals this write changes only.
      if (!(current.availableVnd >= -delta && current.assignedVnd <= MAX_AMOUNT_VND - delta)) {
        refuse('adjustAllocation', () => adjust(checkedTotals(current), delta));
      }
      const updated = {
        ...current,
        assignedVnd: current.assignedVnd + delta,
        availableVnd: current.availableVnd + delta,
      };
      this.allocations.set(updated.id, updated);
      this.adjustments.push(copy(adjustment));
      this.setIdempotency(idempotency);
      return copy(updated);
    });
  }

  async extendDeadline(extension: AppliedExtension, idempotency?: IdempotencyRecord): Promise<Allocation> {
    return this.write('extendDeadline', () => {
      const { jurisdiction, allocationId, storedDeadline, ...record } = extension;
      const current = this.allocationAt(jurisdiction, allocationId);
      if (!current) throw new NotFoundError(`No allocation with id ${allocationId}.`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      assertYearOpen(current);
      // The adapter's condition: the deadline the extension was checked on is still the stored one.
      if (current.deadline !== storedDeadline) {
        throw new ServiceUnavailableError('The allocation changed meanwhile; retry the extension.');
      }
      const updated = {
        ...current,
        deadline: record.deadline,
        extensions: [...(current.extensions ?? []), copy(record)],
      };
      this.allocations.set(updated.id, updated);
      this.setIdempotency(idempotency);
      return copy(updated);
    });
  }

  async createContract(contract: Contract, idempotency?: IdempotencyRecord): Promise<void> {
    this.write('createContract', () => {
      const key = recordKey(contract.jurisdiction, contract.id);
      if (this.contracts.has(key)) throw new Error(`contract ${contract.id} could not be created`);
      this.assertContractYearOpen(contract);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      this.contracts.set(key, copy(contract));
      this.setIdempotency(idempotency);
    });
  }

  /** The adapter's check on a contract write: its allocation's year is not closed. */
  private assertContractYearOpen(contract: Contract): void {
    const allocation = this.allocationAt(contract.jurisdiction, contract.allocationId);
    if (allocation) assertYearOpen(allocation);
  }

  async getContract(jurisdiction: string, id: string): Promise<Contract | undefined> {
    const contract = this.contracts.get(recordKey(jurisdiction, id));
    return contract && copy(contract);
  }

  async listContracts(filter: ContractFilter): Promise<Contract[]> {
    return [...this.contracts.values()]
      .filter(
        (c) =>
          c.jurisdiction === filter.jurisdiction &&
          (filter.allocationId === undefined || c.allocationId === filter.allocationId) &&
          (filter.fiscalYear === undefined || c.fiscalYear === filter.fiscalYear) &&
          (filter.commune === undefined || c.commune === filter.commune),
      )
      .sort(bySigning)
      .map(copy);
  }

  async amendContract(
    amended: Contract,
    expectedVersion: number,
    amendment: ContractAmendment,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    return this.write('amendContract', () => {
      const key = recordKey(amended.jurisdiction, amended.id);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      if (this.contracts.get(key)?.version !== expectedVersion) return false;
      this.assertContractYearOpen(amended);
      this.contracts.set(key, copy(amended));
      this.amendments.push(copy(amendment));
      this.setIdempotency(idempotency);
      return true;
    });
  }

  /** The contract a request claims on, as stored in the request's jurisdiction. */
  private contractOf(request: DisbursementRequest) {
    const claim = claimOf(request);
    const key = claim && recordKey(jurisdictionOf(request), claim.contractId);
    const contract = key === undefined ? undefined : this.contracts.get(key);
    return { claim, key, contract };
  }

  async submitRequest(
    request: DisbursementRequest,
    idempotency: IdempotencyRecord,
    commitment?: ContractCommitment,
    period?: OpenPeriod,
  ): Promise<void> {
    this.write('submitRequest', () => {
      if (this.requests.has(request.id)) throw new Error(`request ${request.id} could not be submitted`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      const allocation = this.allocationAt(jurisdictionOf(request), request.allocationId);
      if (!allocation) throw new NotFoundError(`No allocation with id ${request.allocationId}.`);
      assertYearOpen(allocation);
      const { claim, key, contract } = this.contractOf(request);
      if (commitment && (!contract || contract.version !== commitment.expectedVersion)) {
        // The adapter's condition on the contract's version: the claim checked again says why.
        if (!contract) throw new NotFoundError(`No contract with id ${commitment.committed.id}.`);
        if (claim) commitClaim(contract, claim);
        throw new ServiceUnavailableError('The contract changed meanwhile; retry the submission.');
      }
      const amount = cashOutVnd(request);
      // The adapter's condition, on the totals this write changes and the deadline only.
      if (
        !(
          allocation.availableVnd >= amount &&
          allocation.reservedVnd <= MAX_AMOUNT_VND - amount &&
          (period === undefined || periodHolds(allocation, period))
        )
      ) {
        refuse('submitRequest', () => {
          if (period) assertPeriodHolds(allocation, period);
          reserve(checkedTotals(allocation), amount);
        });
      }
      for (const claim of this.claimKeys(request)) {
        const holder = this.supportClaims.get(claim.key);
        if (holder !== undefined) throw alreadySupported({ ...claim, requestId: holder });
      }
      for (const claim of this.claimKeys(request)) this.supportClaims.set(claim.key, request.id);
      this.requests.set(request.id, copy(request));
      this.allocations.set(allocation.id, {
        ...allocation,
        reservedVnd: allocation.reservedVnd + amount,
        availableVnd: allocation.availableVnd - amount,
      });
      if (commitment && key !== undefined) {
        this.contracts.set(key, { ...copy(commitment.committed), version: commitment.expectedVersion + 1 });
      }
      this.setIdempotency(idempotency);
    });
  }

  async getRequest(jurisdiction: string, id: string): Promise<DisbursementRequest | undefined> {
    const request = this.requests.get(id);
    return request && jurisdictionOf(request) === jurisdiction ? copy(request) : undefined;
  }

  async listRequests(
    filter: RequestFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<DisbursementRequest>> {
    const matching = [...this.requests.values()].filter(
      (r) =>
        (filter.status === undefined || r.status === filter.status) &&
        (filter.allocationId === undefined || r.allocationId === filter.allocationId) &&
        (filter.commune === undefined || r.commune === filter.commune) &&
        jurisdictionOf(r) === filter.jurisdiction,
    );
    return pageNewestFirst(matching, position, limit, cursor);
  }

  private versionMatches(request: DisbursementRequest, expectedVersion: number): boolean {
    return this.requests.get(request.id)?.version === expectedVersion;
  }

  /** The outbox a write's settlement settles, as the table's record would be (tests wire it). */
  outbox?: Pick<ApprovalOutbox, 'settle'>;

  /** Settles the entry after a write that carried its settlement and was done. */
  private async settling(done: Promise<boolean>, settle: OutboxSettlement | undefined): Promise<boolean> {
    const written = await done;
    if (written && settle)
      await this.outbox?.settle(settle.jurisdiction, settle.key, settle.eventId, settle.at);
    return written;
  }

  async saveApproval(
    request: DisbursementRequest,
    expectedVersion: number,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    return this.settling(this.saveApprovalOnly(request, expectedVersion), settle);
  }

  private async saveApprovalOnly(request: DisbursementRequest, expectedVersion: number): Promise<boolean> {
    return this.write('saveApproval', () => {
      const allocation = this.allocationAt(jurisdictionOf(request), request.allocationId);
      if (allocation) assertYearOpen(allocation);
      if (!this.versionMatches(request, expectedVersion)) return false;
      this.requests.set(request.id, copy(request));
      return true;
    });
  }

  async advanceApproval(
    target: { jurisdiction: string; requestId: string; allocationId: string },
    advance: AdvanceSeen,
    approval: Approval,
    now: string,
    period: OpenPeriod,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    const written = this.write('advanceApproval', () => {
      // The adapter's conditions: the request at the version seen, its allocation's year open and period holding.
      const current = this.requests.get(target.requestId);
      if (!current || jurisdictionOf(current) !== target.jurisdiction) return false;
      if (current.version !== advance.version) return false;
      const allocation = this.allocationAt(target.jurisdiction, target.allocationId);
      if (!allocation || allocation.closing !== undefined || !periodHolds(allocation, period)) return false;
      this.requests.set(current.id, {
        ...current,
        approvals: [...current.approvals, copy(approval)],
        nextLevel: advance.nextLevel,
        updatedAt: now,
        pendingSince: now,
        version: advance.version + 1,
      });
      return true;
    });
    return this.settling(Promise.resolve(written), settle);
  }

  async closeAndRelease(
    request: DisbursementRequest,
    expectedVersion: number,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    return this.settling(this.closeAndReleaseOnly(request, expectedVersion), settle);
  }

  private async closeAndReleaseOnly(request: DisbursementRequest, expectedVersion: number): Promise<boolean> {
    return this.write('closeAndRelease', () => {
      if (!this.versionMatches(request, expectedVersion)) return false;
      const allocation = this.allocationAt(jurisdictionOf(request), request.allocationId);
      const amount = cashOutVnd(request);
      const { claim, key, contract } = this.contractOf(request);
      if (claim && !(contract && holdsClaim(contract, claim))) {
        throw new Error(`release of request ${request.id} failed: its contract does not hold its claim`);
      }
      // The adapter's condition; failing alone it is an error (amount_out_of_range…), not a lost race.
      if (
        !allocation ||
        !(allocation.reservedVnd >= amount && allocation.availableVnd <= MAX_AMOUNT_VND - amount)
      ) {
        if (allocation) release(checkedTotals(allocation), amount);
        throw new Error(`release of request ${request.id} failed: the allocation's condition does not hold`);
      }
      const claims = this.claimKeys(request);
      if (claims.some((c) => (this.supportClaims.get(c.key) ?? request.id) !== request.id)) {
        throw new Error(
          `release of request ${request.id} failed: a claim it names is held by another request`,
        );
      }
      for (const claim of claims) this.supportClaims.delete(claim.key);
      this.requests.set(request.id, copy(request));
      this.allocations.set(allocation.id, {
        ...allocation,
        reservedVnd: allocation.reservedVnd - amount,
        availableVnd: allocation.availableVnd + amount,
      });
      if (claim && contract && key !== undefined) {
        this.contracts.set(key, { ...contract, ...releaseClaim(contract, claim) });
      }
      return true;
    });
  }

  async postDisbursement(
    request: DisbursementRequest,
    expectedVersion: number,
    entry: LedgerEntry,
    period?: OpenPeriod,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    return this.settling(this.postDisbursementOnly(request, expectedVersion, entry, period), settle);
  }

  private async postDisbursementOnly(
    request: DisbursementRequest,
    expectedVersion: number,
    entry: LedgerEntry,
    period?: OpenPeriod,
  ): Promise<boolean> {
    return this.write('postDisbursement', () => {
      const allocation = this.allocationAt(jurisdictionOf(request), entry.allocationId);
      const chain = this.entries.get(entry.allocationId) ?? new Map<number, LedgerEntry>();
      const counts = this.outputs.get(entry.allocationId) ?? {};
      const declared = Object.entries(request.outputs ?? {}).filter(([, n]) => n > 0);
      const amount = entry.amountVnd;
      // The voucher's uniqueness item, written in the same transaction (duplicate_voucher when held).
      const voucher = postedVoucherOf(entry, jurisdictionOf(request));
      if (voucher && !this.voucherFree(voucher)) throw duplicateVoucher(voucher);
      // The adapter's three conditions: on the request, on the allocation, on the entry.
      const requestHolds = this.versionMatches(request, expectedVersion);
      const { claim, key, contract } = this.contractOf(request);
      const contractHolds = !claim || (contract !== undefined && holdsClaim(contract, claim));
      const entryHolds = !chain.has(entry.seq) && contractHolds;
      const headHolds =
        allocation !== undefined &&
        allocation.headSeq === entry.seq - 1 &&
        allocation.headHash === entry.prevHash &&
        allocation.reservedVnd >= amount;
      if (requestHolds && entryHolds && headHolds) assertYearOpen(allocation);
      const allocationHolds =
        headHolds &&
        (period === undefined || periodHolds(allocation, period)) &&
        allocation.disbursedVnd <= MAX_AMOUNT_VND - amount &&
        declared.every(([key, n]) => (counts[key] ?? 0) <= MAX_AMOUNT_VND - n);
      if (requestHolds && entryHolds && headHolds && !allocationHolds) {
        // Refused on the deadline or a total alone: said (disbursement_period_closed,
        // amount_out_of_range) rather than retried forever.
        if (period) assertPeriodHolds(allocation, period);
        disburse(checkedTotals(allocation), amount);
        for (const [key, n] of declared) assertIncreaseFits(`outputs.${key}`, counts[key] ?? 0, n);
      }
      if (!(requestHolds && entryHolds && allocationHolds)) return false;
      this.requests.set(request.id, copy(request));
      this.allocations.set(allocation.id, {
        ...allocation,
        reservedVnd: allocation.reservedVnd - amount,
        disbursedVnd: allocation.disbursedVnd + amount,
        ...advanceTotalsAfter(allocation, entry),
        headSeq: entry.seq,
        headHash: entry.hash,
      });
      chain.set(entry.seq, copy(entry));
      this.entries.set(entry.allocationId, chain);
      if (claim && contract && key !== undefined) {
        this.contracts.set(key, { ...contract, ...postClaim(contract, claim) });
      }
      const counted = { ...counts };
      for (const [key, n] of declared) counted[key] = (counted[key] ?? 0) + n;
      this.outputs.set(allocation.id, counted);
      if (voucher) this.vouchers.set(voucherKey(voucher), copy(voucher));
      return true;
    });
  }

  async getFiscalYearClose(jurisdiction: string, fiscalYear: number): Promise<FiscalYearClose | undefined> {
    const close = this.closes.get(`${jurisdiction}#${fiscalYear}`);
    return close && copy(close);
  }

  async startFiscalYearClose(close: FiscalYearClose): Promise<boolean> {
    return this.write('startFiscalYearClose', () => {
      const key = `${close.jurisdiction}#${close.fiscalYear}`;
      if (this.closes.has(key)) return false;
      this.closes.set(key, copy(close));
      return true;
    });
  }

  async closeAllocation({ origin, closing, carry }: AllocationClose): Promise<boolean> {
    return this.write('closeAllocation', () => {
      const current = this.allocationAt(jurisdictionOf(origin), origin.id);
      // The adapter's conditions: the totals and head read, nothing reserved, not closed; new items absent.
      const holds =
        current !== undefined &&
        current.closing === undefined &&
        current.reservedVnd === 0 &&
        current.assignedVnd === origin.assignedVnd &&
        current.disbursedVnd === origin.disbursedVnd &&
        current.availableVnd === origin.availableVnd &&
        current.headSeq === origin.headSeq &&
        current.headHash === origin.headHash &&
        (carry === undefined ||
          (!this.allocations.has(carry.target.id) &&
            !(this.entries.get(origin.id)?.has(carry.outgoing.seq) ?? false)));
      if (!holds) return false;
      this.allocations.set(origin.id, {
        ...current,
        closing: copy(closing),
        ...(carry ? { headSeq: carry.outgoing.seq, headHash: carry.outgoing.hash } : {}),
      });
      if (carry) {
        this.allocations.set(carry.target.id, copy(carry.target));
        for (const entry of [carry.outgoing, carry.incoming]) {
          const chain = this.entries.get(entry.allocationId) ?? new Map<number, LedgerEntry>();
          chain.set(entry.seq, copy(entry));
          this.entries.set(entry.allocationId, chain);
        }
      }
      return true;
    });
  }

  async finishFiscalYearClose(close: FiscalYearClose, idempotency?: IdempotencyRecord): Promise<void> {
    this.write('finishFiscalYearClose', () => {
      const key = `${close.jurisdiction}#${close.fiscalYear}`;
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      if (this.closes.get(key)?.status !== 'closing') {
        throw new ServiceUnavailableError(
          'The close of the fiscal year was finished meanwhile; repeat the call.',
        );
      }
      this.closes.set(key, copy(close));
      this.setIdempotency(idempotency);
    });
  }

  private voucherFree(claim: VoucherClaim): boolean {
    const held = this.vouchers.get(voucherKey(claim));
    return held === undefined || held.requestId === claim.requestId;
  }

  async recordReallocation(reallocation: Reallocation, idempotency?: IdempotencyRecord): Promise<void> {
    this.write('recordReallocation', () => {
      const key = recordKey(reallocation.jurisdiction, reallocation.id);
      if (this.reallocations.has(key)) throw new Error(`reallocation ${reallocation.id} exists`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      this.reallocations.set(key, copy(reallocation));
      this.setIdempotency(idempotency);
    });
  }

  async getReallocation(jurisdiction: string, id: string): Promise<Reallocation | undefined> {
    const reallocation = this.reallocations.get(recordKey(jurisdiction, id));
    return reallocation && copy(reallocation);
  }

  async listReallocations(jurisdiction: string, fiscalYear: number): Promise<Reallocation[]> {
    const position = (r: Reallocation) => `${r.fiscalYear}#${r.requestedAt}#${r.id}`;
    return [...this.reallocations.values()]
      .filter((r) => r.jurisdiction === jurisdiction && r.fiscalYear === fiscalYear)
      .sort((a, b) => (position(a) < position(b) ? -1 : 1))
      .map(copy);
  }

  /** The adapter's condition on a pending record: still pending, at the version read. */
  private pendingAt(r: Reallocation, version: number): boolean {
    const stored = this.reallocations.get(recordKey(r.jurisdiction, r.id));
    return stored?.status === 'pending_approval' && stored.version === version;
  }

  async applyReallocation(
    applied: Reallocation,
    steps: readonly ReallocationStep[],
    period: OpenPeriodOf,
    pendingVersion?: number,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    return this.write('applyReallocation', () => {
      const key = recordKey(applied.jurisdiction, applied.id);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      if (pendingVersion === undefined && this.reallocations.has(key)) {
        throw new Error(`reallocation ${applied.id} exists already`);
      }
      if (pendingVersion !== undefined && !this.pendingAt(applied, pendingVersion)) return false;
      // The adapter's condition on each allocation: head as read, year open, deadline, totals.
      let stale = false;
      for (const step of steps) {
        const { allocation: a, deltaVnd } = step;
        const current = this.allocationAt(jurisdictionOf(a), a.id);
        if (!current) throw new Error(`allocation ${a.id} of reallocation ${applied.id} is gone`);
        const open = { today: period.today, defaultDeadline: period.defaultDeadline(current) };
        const holds =
          current.closing === undefined &&
          current.headSeq === a.headSeq &&
          current.headHash === a.headHash &&
          current.availableVnd >= -deltaVnd &&
          current.assignedVnd <= MAX_AMOUNT_VND - deltaVnd &&
          periodHolds(current, open);
        if (!holds) {
          assertStepStillFits(current, deltaVnd, step.move, open);
          stale = true;
        }
      }
      if (stale) return false;
      for (const { allocation: a, deltaVnd, entries } of steps) {
        const current = this.allocationAt(jurisdictionOf(a), a.id) as Allocation;
        const last = entries.at(-1);
        this.allocations.set(a.id, {
          ...current,
          assignedVnd: current.assignedVnd + deltaVnd,
          availableVnd: current.availableVnd + deltaVnd,
          reallocatedVnd: (current.reallocatedVnd ?? 0) + deltaVnd,
          headSeq: last?.seq ?? current.headSeq,
          headHash: last?.hash ?? current.headHash,
        });
        const chain = this.entries.get(a.id) ?? new Map<number, LedgerEntry>();
        for (const entry of entries) chain.set(entry.seq, copy(entry));
        this.entries.set(a.id, chain);
      }
      this.reallocations.set(key, copy(applied));
      this.setIdempotency(idempotency);
      return true;
    });
  }

  async rejectReallocation(
    rejected: Reallocation,
    expectedVersion: number,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    return this.write('rejectReallocation', () => {
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      if (!this.pendingAt(rejected, expectedVersion)) return false;
      this.reallocations.set(recordKey(rejected.jurisdiction, rejected.id), copy(rejected));
      this.setIdempotency(idempotency);
      return true;
    });
  }

  async listEntries(jurisdiction: string, allocationId: string): Promise<LedgerEntry[]> {
    const chain = this.entries.get(allocationId) ?? new Map<number, LedgerEntry>();
    return [...chain.values()]
      .filter((e) => jurisdictionOf(e) === jurisdiction)
      .sort((a, b) => a.seq - b.seq)
      .map(copy);
  }
}
