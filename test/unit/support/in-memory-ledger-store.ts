import {
  type Adjustment,
  type AllocationFilter,
  type FormerIdempotencyRecord,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  type LedgerStore,
  type Page,
  type RequestFilter,
} from '../../../shared/ledger/app/ports.ts';
import {
  type Allocation,
  adjust,
  checkedTotals,
  disburse,
  release,
  reserve,
} from '../../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import type { LedgerEntry } from '../../../shared/ledger/domain/ledger-entry.ts';
import {
  InvalidCursorError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../../shared/platform/errors.ts';
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
 * An in-memory {@link LedgerStore} with the same conditional, all-or-nothing semantics as the
 * DynamoDB adapter: every write checks all its conditions first and then applies all of its changes,
 * with no `await` in between, so a transaction is atomic with respect to every other call. Values are
 * copied in and out, so a caller can never change stored state behind the store's back.
 */
export class InMemoryLedgerStore implements LedgerStore {
  readonly allocations = new Map<string, Allocation>();
  readonly requests = new Map<string, DisbursementRequest>();
  /** Ledger entries per allocation, keyed by seq (the table's sort key `E#seq`). */
  readonly entries = new Map<string, Map<number, LedgerEntry>>();
  readonly adjustments: Adjustment[] = [];
  /** Records by scope; a test may set one of the former format (see FormerIdempotencyRecord). */
  readonly idempotency = new Map<string, IdempotencyRecord | FormerIdempotencyRecord>();
  /** Outputs counted per allocation by its postings (the adapter's `output#<key>` attributes). */
  readonly outputs = new Map<string, Record<string, number>>();

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
    return record === undefined || !this.idempotency.has(record.scope);
  }

  async getIdempotency(scope: string): Promise<IdempotencyRecord | FormerIdempotencyRecord | undefined> {
    const record = this.idempotency.get(scope);
    return record && copy(record);
  }

  async putIdempotency(record: IdempotencyRecord): Promise<boolean> {
    return this.write('putIdempotency', () => {
      if (this.idempotency.has(record.scope)) return false;
      this.idempotency.set(record.scope, copy(record));
      return true;
    });
  }

  async createAllocation(allocation: Allocation, idempotency?: IdempotencyRecord): Promise<void> {
    this.write('createAllocation', () => {
      if (this.allocations.has(allocation.id)) throw new Error(`allocation ${allocation.id} exists`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      this.allocations.set(allocation.id, copy(allocation));
      if (idempotency) this.idempotency.set(idempotency.scope, copy(idempotency));
    });
  }

  async getAllocation(id: string): Promise<Allocation | undefined> {
    const allocation = this.allocations.get(id);
    return allocation && copy(allocation);
  }

  async listAllocations(filter: AllocationFilter): Promise<Allocation[]> {
    return [...this.allocations.values()]
      .filter(
        (a) =>
          (filter.fiscalYear === undefined || a.fiscalYear === filter.fiscalYear) &&
          (filter.fundingLine === undefined || a.fundingLine === filter.fundingLine) &&
          (filter.commune === undefined || a.commune === filter.commune) &&
          (filter.component === undefined || a.component === filter.component),
      )
      .map(copy);
  }

  async adjustAllocation(adjustment: Adjustment, idempotency?: IdempotencyRecord): Promise<Allocation> {
    return this.write('adjustAllocation', () => {
      const current = this.allocations.get(adjustment.allocationId);
      if (!current) throw new NotFoundError(`No allocation with id ${adjustment.allocationId}.`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      // The adapter's conditions, availableVnd >= -delta and assignedVnd <= 10^15 - delta, and its
      // errors: below_committed or amount_out_of_range.
      const updated = { ...current, ...adjust(checkedTotals(current), adjustment.deltaVnd) };
      this.allocations.set(updated.id, updated);
      this.adjustments.push(copy(adjustment));
      if (idempotency) this.idempotency.set(idempotency.scope, copy(idempotency));
      return copy(updated);
    });
  }

  async submitRequest(request: DisbursementRequest, idempotency: IdempotencyRecord): Promise<void> {
    this.write('submitRequest', () => {
      if (this.requests.has(request.id)) throw new Error(`request ${request.id} could not be submitted`);
      if (!this.putIdempotencyIfAbsent(idempotency)) throw new IdempotencyRecordExists();
      const allocation = this.allocations.get(request.allocationId);
      if (!allocation) throw new NotFoundError(`No allocation with id ${request.allocationId}.`);
      // The adapter's conditions, availableVnd >= amount and reservedVnd <= 10^15 - amount.
      const reserved = reserve(checkedTotals(allocation), request.amountVnd);
      this.requests.set(request.id, copy(request));
      this.allocations.set(allocation.id, { ...allocation, ...reserved });
      this.idempotency.set(idempotency.scope, copy(idempotency));
    });
  }

  async getRequest(id: string): Promise<DisbursementRequest | undefined> {
    const request = this.requests.get(id);
    return request && copy(request);
  }

  async listRequests(
    filter: RequestFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<DisbursementRequest>> {
    const start = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isSafeInteger(start) || start < 0) {
      throw new InvalidCursorError('The cursor is not one this store returned.');
    }
    const matching = [...this.requests.values()].filter(
      (r) =>
        (filter.status === undefined || r.status === filter.status) &&
        (filter.allocationId === undefined || r.allocationId === filter.allocationId) &&
        (filter.commune === undefined || r.commune === filter.commune),
    );
    const items = matching.slice(start, start + limit).map(copy);
    const next = start + items.length;
    return { items, ...(next < matching.length ? { nextCursor: String(next) } : {}) };
  }

  private versionMatches(request: DisbursementRequest, expectedVersion: number): boolean {
    return this.requests.get(request.id)?.version === expectedVersion;
  }

  async saveApproval(request: DisbursementRequest, expectedVersion: number): Promise<boolean> {
    return this.write('saveApproval', () => {
      if (!this.versionMatches(request, expectedVersion)) return false;
      this.requests.set(request.id, copy(request));
      return true;
    });
  }

  async closeAndRelease(request: DisbursementRequest, expectedVersion: number): Promise<boolean> {
    return this.write('closeAndRelease', () => {
      if (!this.versionMatches(request, expectedVersion)) return false;
      const allocation = this.allocations.get(request.allocationId);
      // The adapter's condition reservedVnd >= amount failing alone is an error, not a lost race.
      if (!allocation || allocation.reservedVnd < request.amountVnd) {
        throw new Error(`release of request ${request.id} failed: the allocation has not that much reserved`);
      }
      // The adapter's condition availableVnd <= 10^15 - amount, with its amount_out_of_range.
      const released = release(checkedTotals(allocation), request.amountVnd);
      this.requests.set(request.id, copy(request));
      this.allocations.set(allocation.id, { ...allocation, ...released });
      return true;
    });
  }

  async postDisbursement(
    request: DisbursementRequest,
    expectedVersion: number,
    entry: LedgerEntry,
  ): Promise<boolean> {
    return this.write('postDisbursement', () => {
      const allocation = this.allocations.get(entry.allocationId);
      const chain = this.entries.get(entry.allocationId) ?? new Map<number, LedgerEntry>();
      const allConditionsHold =
        this.versionMatches(request, expectedVersion) &&
        allocation !== undefined &&
        allocation.headSeq === entry.seq - 1 &&
        allocation.headHash === entry.prevHash &&
        allocation.reservedVnd >= entry.amountVnd &&
        !chain.has(entry.seq);
      if (!allConditionsHold) return false;
      // The adapter's conditions disbursedVnd <= 10^15 - amount and, per output, count <= 10^15 - n.
      const disbursed = disburse(checkedTotals(allocation), entry.amountVnd);
      const counted = { ...this.outputs.get(allocation.id) };
      for (const [key, n] of Object.entries(request.outputs ?? {})) {
        if (n <= 0) continue;
        assertIncreaseFits(`outputs.${key}`, counted[key] ?? 0, n);
        counted[key] = (counted[key] ?? 0) + n;
      }
      this.requests.set(request.id, copy(request));
      this.allocations.set(allocation.id, {
        ...allocation,
        ...disbursed,
        headSeq: entry.seq,
        headHash: entry.hash,
      });
      chain.set(entry.seq, copy(entry));
      this.entries.set(entry.allocationId, chain);
      this.outputs.set(allocation.id, counted);
      return true;
    });
  }

  async listEntries(allocationId: string): Promise<LedgerEntry[]> {
    const chain = this.entries.get(allocationId) ?? new Map<number, LedgerEntry>();
    return [...chain.values()].sort((a, b) => a.seq - b.seq).map(copy);
  }
}
