import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  assertClaimsHeld,
  supportClaimPuts,
  supportClaimReleases,
} from '../../payees/adapters/support-claim-items.ts';
import {
  batchGetByKey,
  conditionalPut,
  decodeKeyCursor,
  encodeKeyCursor,
  keyId,
  QueryFilter,
  queryAll,
  queryItemsPage,
  stripKeys,
} from '../../platform/aws/dynamo-items.ts';
import { NotFoundError, ServiceUnavailableError } from '../../platform/errors.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import {
  adjustmentKeys,
  allocationKeys,
  entryKeys,
  fiscalYearCloseKeys,
  idempotencyKeys,
  requestKeys,
} from '../../platform/table/keys.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { assertIncreaseFits } from '../../platform/total-range.ts';
import {
  type Adjustment,
  type AllocationClose,
  type AllocationFilter,
  type AppliedExtension,
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
} from '../app/ports.ts';
import {
  type Allocation,
  adjust,
  advanceTotalsOf,
  checkedTotals,
  disburse,
  release,
  reserve,
} from '../domain/allocation.ts';
import {
  type Contract,
  type ContractAmendment,
  cashOutVnd,
  claimOf,
  commitClaim,
} from '../domain/contract.ts';
import { assertPeriodHolds } from '../domain/disbursement-deadline.ts';
import type { AdvanceSeen, Approval, DisbursementRequest } from '../domain/disbursement-request.ts';
import type { LedgerEntry } from '../domain/ledger-entry.ts';
import type { Reallocation, ReallocationStep } from '../domain/reallocation.ts';
import { duplicateVoucher, type VoucherClaim } from '../domain/treasury-voucher.ts';
import {
  assertYearOpen,
  assertYearTakesAllocations,
  type FiscalYearClose,
} from '../domain/year-end-close.ts';
import { OPEN_YEAR, periodCondition } from './allocation-conditions.ts';
import { outboxMark, settleUpdate } from './approval-outbox-repository.ts';
import { contractClaimItems, contractCommitItem, DynamoContractRepository } from './contract-repository.ts';
import { addOutputs, allocationOf, outputsOfItem } from './output-counters.ts';
import { DynamoReallocationRepository } from './reallocation-repository.ts';
import { postedVoucherOf, voucherPut } from './voucher-items.ts';

export { stripKeys };

/** How long an Idempotency-Key is remembered. */
const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

// An allocation, request or entry is kept in its own jurisdiction (data from before: the upgrade default).
const allocationItem = (a: Allocation) => ({ ...allocationKeys.item(jurisdictionOf(a), a), ...a });
const requestItem = (r: DisbursementRequest) => ({ ...requestKeys.item(jurisdictionOf(r), r), ...r });
const entryItem = (e: LedgerEntry) => ({ ...entryKeys.item(jurisdictionOf(e), e), ...e });

/**
 * The record an idempotency item of `jurisdiction` holds, without the outbox's bookkeeping on it (relay
 * count, settled at…). Its scope is read from its key: records written before 2026-12-03 also repeat it
 * (and the jurisdiction) as attributes, the same values.
 */
const idempotencyRecordOf = (
  item: Record<string, unknown>,
  jurisdiction: string,
): IdempotencyRecord | FormerIdempotencyRecord => {
  const { fingerprint, event, createdAt } = item as unknown as IdempotencyRecord;
  const scope =
    idempotencyKeys.scopeOf({ pk: String(item.pk), sk: String(item.sk) })?.scope ?? String(item.scope);
  const common = { scope, fingerprint, ...(event ? { event } : {}), createdAt };
  return 'result' in item ? { ...common, jurisdiction, result: item.result } : { ...common, body: item.body };
};

/**
 * A record's item: its jurisdiction and scope are in its key and not repeated (105 bytes of a submission's
 * record, which holds the whole request: the difference between 1 and 2 KB billed for a short one). A
 * decision's record is written pending in the approval-event outbox, in the same put.
 */
export const idempotencyItem = (r: IdempotencyRecord) => {
  const { jurisdiction, scope, ...held } = r;
  return {
    ...idempotencyKeys.item(
      jurisdiction,
      scope,
      Math.floor(Date.parse(r.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS,
    ),
    ...outboxMark(r),
    ...held,
  };
};

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction's Put of an item that must not exist yet (a new record, a uniqueness item, an idempotency record). */
export const putNew = (tableName: string, item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});

/** Cancellation reason codes per item of a cancelled transaction, or undefined when it was another error. */
const cancellationCodes = (error: unknown): (string | undefined)[] | undefined => {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code);
};

/** A conflicting concurrent transaction or throttling: nothing was written; the caller may retry. */
export class TransientWriteError extends ServiceUnavailableError {}

/**
 * Runs a transaction: undefined when it committed, else the cancellation code of each item (to tell
 * which condition failed). A conflict or throttling throws {@link TransientWriteError}.
 */
export const transactOrCodes = async (
  db: DynamoDBDocumentClient,
  items: TransactItem[],
): Promise<(string | undefined)[] | undefined> => {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (
      codes.some(
        (c) =>
          c === 'TransactionConflict' || c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded',
      )
    ) {
      throw new TransientWriteError('The ledger is busy with a concurrent change; retry in a moment.');
    }
    return codes;
  }
};

/** DynamoDB adapter for the {@link LedgerStore} port. */
export class DynamoLedgerRepository implements LedgerStore {
  private readonly contracts: DynamoContractRepository;
  private readonly reallocations: DynamoReallocationRepository;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.contracts = new DynamoContractRepository(
      db,
      tableName,
      (items) => this.transact(items),
      (record) => this.idempotencyPut(record),
    );
    this.reallocations = new DynamoReallocationRepository(db, tableName, {
      transact: (items) => this.transact(items),
      idempotencyPut: (record) => this.idempotencyPut(record),
      getAllocation: (jurisdiction, id) => this.getAllocation(jurisdiction, id),
    });
  }

  async recordReallocation(reallocation: Reallocation, idempotency?: IdempotencyRecord): Promise<void> {
    if (!(await this.reallocations.recordReallocation(reallocation, idempotency))) {
      throw new IdempotencyRecordExists();
    }
  }

  getReallocation(jurisdiction: string, id: string): Promise<Reallocation | undefined> {
    return this.reallocations.getReallocation(jurisdiction, id);
  }

  listReallocations(jurisdiction: string, fiscalYear: number): Promise<Reallocation[]> {
    return this.reallocations.listReallocations(jurisdiction, fiscalYear);
  }

  async applyReallocation(
    applied: Reallocation,
    steps: readonly ReallocationStep[],
    period: OpenPeriodOf,
    pendingVersion?: number,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    const outcome = await this.reallocations.applyReallocation(
      applied,
      steps,
      period,
      pendingVersion,
      idempotency,
    );
    if (outcome === 'recorded') throw new IdempotencyRecordExists();
    return outcome === 'applied';
  }

  async rejectReallocation(
    rejected: Reallocation,
    expectedVersion: number,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    const outcome = await this.reallocations.rejectReallocation(rejected, expectedVersion, idempotency);
    if (outcome === 'recorded') throw new IdempotencyRecordExists();
    return outcome === 'rejected';
  }

  async createContract(contract: Contract, idempotency?: IdempotencyRecord): Promise<void> {
    if (!(await this.contracts.createContract(contract, idempotency))) throw new IdempotencyRecordExists();
  }

  getContract(jurisdiction: string, id: string): Promise<Contract | undefined> {
    return this.contracts.getContract(jurisdiction, id);
  }

  listContracts(filter: ContractFilter): Promise<Contract[]> {
    return this.contracts.listContracts(filter);
  }

  async amendContract(
    amended: Contract,
    expectedVersion: number,
    amendment: ContractAmendment,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    const failed = await this.contracts.amendContract(amended, expectedVersion, amendment, idempotency);
    if (failed === 'recorded') throw new IdempotencyRecordExists();
    return failed === undefined;
  }

  private transact(items: TransactItem[]): Promise<(string | undefined)[] | undefined> {
    return transactOrCodes(this.db, items);
  }

  /**
   * Runs the transaction with the outbox entry's settlement as its last item: when only that item's
   * condition failed (the record expired, or holds another event), the write is run again without it,
   * so a settlement never refuses the write it rides on.
   */
  private async transactSettling(
    items: TransactItem[],
    settle: OutboxSettlement | undefined,
  ): Promise<(string | undefined)[] | undefined> {
    if (!settle) return this.transact(items);
    const codes = await this.transact([...items, { Update: settleUpdate(this.tableName, settle, false) }]);
    if (
      codes?.at(-1) === 'ConditionalCheckFailed' &&
      codes.slice(0, -1).every((c) => c === 'None' || c === undefined)
    ) {
      return this.transact(items);
    }
    return codes?.slice(0, -1);
  }

  async readTogether(read: TogetherRead): Promise<ReadTogether> {
    const scopes = read.idempotency?.scopes ?? [];
    const recordKeys = scopes.map((scope) =>
      idempotencyKeys.key(read.idempotency?.jurisdiction ?? '', scope),
    );
    const requestKey = read.request && requestKeys.key(read.request.jurisdiction, read.request.id);
    const allocationKey =
      read.allocation && allocationKeys.key(read.allocation.jurisdiction, read.allocation.id);
    const keys = [
      ...recordKeys,
      ...(requestKey ? [requestKey] : []),
      ...(allocationKey ? [allocationKey] : []),
    ];
    // At most 100 keys: one batch, consistent (the request and allocation are written just before).
    const found = await batchGetByKey(this.db, this.tableName, keys, { consistentRead: true });
    const id = (k: { pk: string; sk: string }) => keyId({ ...k });
    const recordItem = recordKeys.map((k) => found.get(id(k))).find((item) => item !== undefined);
    const requestItem = requestKey && found.get(id(requestKey));
    const allocationItem = allocationKey && found.get(id(allocationKey));
    return {
      ...(recordItem
        ? { record: idempotencyRecordOf(recordItem, read.idempotency?.jurisdiction ?? '') }
        : {}),
      ...(requestItem ? { request: stripKeys<DisbursementRequest>(requestItem) } : {}),
      ...(allocationItem ? { allocation: allocationOf(allocationItem) } : {}),
    };
  }

  async getIdempotency(
    jurisdiction: string,
    scope: string,
  ): Promise<IdempotencyRecord | FormerIdempotencyRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: idempotencyKeys.key(jurisdiction, scope),
        ConsistentRead: true,
      }),
    );
    return out.Item ? idempotencyRecordOf(out.Item, jurisdiction) : undefined;
  }

  async putIdempotency(record: IdempotencyRecord, voucher?: VoucherClaim): Promise<boolean> {
    if (!voucher) {
      return conditionalPut(this.db, {
        TableName: this.tableName,
        Item: idempotencyItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    }
    // The record and the voucher's hold in one write: one request rather than two.
    const codes = await this.transact([
      this.idempotencyPut(record),
      { Put: voucherPut(this.tableName, voucher) },
    ]);
    if (!codes) return true;
    if (codes[0] === 'ConditionalCheckFailed') return false;
    if (codes[1] === 'ConditionalCheckFailed') throw duplicateVoucher(voucher);
    throw new Error(`record of ${record.scope} could not be stored: ${codes.join(',')}`);
  }

  private idempotencyPut(record: IdempotencyRecord): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: idempotencyItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async createAllocation(allocation: Allocation, idempotency?: IdempotencyRecord): Promise<void> {
    const jurisdiction = jurisdictionOf(allocation);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: allocationItem(allocation),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // Only in a year with no close recorded (closing or closed), checked in the same transaction,
      // so a close that starts meanwhile either sees this allocation when it lists the year or refuses it.
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: fiscalYearCloseKeys.key(jurisdiction, allocation.fiscalYear),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    const codes = await this.transact(items);
    if (!codes) return;
    if (codes[1] === 'ConditionalCheckFailed') {
      assertYearTakesAllocations(await this.getFiscalYearClose(jurisdiction, allocation.fiscalYear));
    }
    if (codes[2] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    throw new Error(`allocation ${allocation.id} could not be created: ${codes.join(',')}`);
  }

  async getAllocation(jurisdiction: string, id: string): Promise<Allocation | undefined> {
    const item = await this.allocationItemOf(jurisdiction, id);
    return item ? allocationOf(item) : undefined;
  }

  /** The allocation's item as stored, output counters included. */
  private async allocationItemOf(
    jurisdiction: string,
    id: string,
  ): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: allocationKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }

  async listAllocations(filter: AllocationFilter): Promise<Allocation[]> {
    // The index sort key is fiscalYear#line#commune#component#id: use the longest prefix given, filter the rest.
    const parts = [filter.fiscalYear, filter.fundingLine, filter.commune, filter.component];
    const prefixParts: string[] = [];
    for (const p of parts) {
      if (p === undefined) break;
      prefixParts.push(String(p));
    }
    const key = allocationKeys.listing(filter.jurisdiction, prefixParts);
    const query = new QueryFilter(key.ExpressionAttributeValues);
    (['fiscalYear', 'fundingLine', 'commune', 'component'] as const).forEach((field, i) => {
      if (filter[field] !== undefined && i >= prefixParts.length) query.where(field, '=', filter[field]);
    });
    const items = await this.queryAll<Record<string, unknown>>({ ...key, ...query.expression() });
    return items.map(allocationOf);
  }

  private queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    return queryAll<T>(this.db, this.tableName, input);
  }

  async adjustAllocation(adjustment: Adjustment, idempotency?: IdempotencyRecord): Promise<Allocation> {
    const { deltaVnd } = adjustment;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: allocationKeys.key(adjustment.jurisdiction, adjustment.allocationId),
          UpdateExpression: 'SET assignedVnd = assignedVnd + :d, availableVnd = availableVnd + :d',
          // available + delta >= 0 and assigned + delta <= 10^15, written without arithmetic, so a
          // racing adjustment cannot pass either: available >= -delta, assigned <= 10^15 - delta.
          ConditionExpression: `attribute_exists(pk) AND ${OPEN_YEAR} AND availableVnd >= :minAvailable AND assignedVnd <= :maxAssigned`,
          ExpressionAttributeValues: {
            ':d': deltaVnd,
            ':minAvailable': -deltaVnd,
            ':maxAssigned': MAX_AMOUNT_VND - deltaVnd,
          },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...adjustmentKeys.item(adjustment.jurisdiction, adjustment), ...adjustment },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    const codes = await this.transact(items);
    if (codes?.[2] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    if (codes?.[0] === 'ConditionalCheckFailed') {
      // Which condition failed, told by the domain rule on the values now stored (below_committed or
      // amount_out_of_range, or fiscal_year_closed); when it passes now, the allocation changed in between: retry.
      const current = await this.allocationOrNotFound(adjustment.jurisdiction, adjustment.allocationId);
      assertYearOpen(current);
      adjust(checkedTotals(current), deltaVnd);
      throw new TransientWriteError('The allocation changed meanwhile; retry the adjustment.');
    }
    if (codes) throw new Error(`adjustment failed: ${codes.join(',')}`);
    const updated = await this.getAllocation(adjustment.jurisdiction, adjustment.allocationId);
    if (!updated) throw new NotFoundError(`No allocation with id ${adjustment.allocationId}.`);
    return updated;
  }

  async extendDeadline(extension: AppliedExtension, idempotency?: IdempotencyRecord): Promise<Allocation> {
    const { jurisdiction, allocationId, storedDeadline, ...record } = extension;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: allocationKeys.key(jurisdiction, allocationId),
          UpdateExpression:
            'SET deadline = :deadline, extensions = list_append(if_not_exists(extensions, :none), :extension)',
          // Only from the deadline the extension was checked on, so two extensions never cross.
          ConditionExpression:
            storedDeadline === undefined
              ? `attribute_exists(pk) AND ${OPEN_YEAR} AND attribute_not_exists(deadline)`
              : `attribute_exists(pk) AND ${OPEN_YEAR} AND deadline = :stored`,
          ExpressionAttributeValues: {
            ':deadline': record.deadline,
            ':none': [],
            ':extension': [record],
            ...(storedDeadline === undefined ? {} : { ':stored': storedDeadline }),
          },
        },
      },
    ];
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    const codes = await this.transact(items);
    if (codes?.[1] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    if (codes?.[0] === 'ConditionalCheckFailed') {
      assertYearOpen(await this.allocationOrNotFound(jurisdiction, allocationId));
      throw new TransientWriteError('The allocation changed meanwhile; retry the extension.');
    }
    if (codes) throw new Error(`extension failed: ${codes.join(',')}`);
    return this.allocationOrNotFound(jurisdiction, allocationId);
  }

  private async allocationOrNotFound(jurisdiction: string, id: string): Promise<Allocation> {
    const current = await this.getAllocation(jurisdiction, id);
    if (!current) throw new NotFoundError(`No allocation with id ${id}.`);
    return current;
  }

  async submitRequest(
    request: DisbursementRequest,
    idempotency: IdempotencyRecord,
    contract?: ContractCommitment,
    period?: OpenPeriod,
  ): Promise<void> {
    // The allocation reserves the cash out (a payment's net); the contract, the claim (last item).
    const amount = cashOutVnd(request);
    const open = periodCondition(period);
    const codes = await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: requestItem(request),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: allocationKeys.key(jurisdictionOf(request), request.allocationId),
          UpdateExpression: 'SET reservedVnd = reservedVnd + :a, availableVnd = availableVnd - :a',
          ConditionExpression: `attribute_exists(pk) AND ${OPEN_YEAR} AND availableVnd >= :a AND reservedVnd <= :maxReserved${open.expression}`,
          ExpressionAttributeValues: {
            ':a': amount,
            ':maxReserved': MAX_AMOUNT_VND - amount,
            ...open.values,
          },
        },
      },
      this.idempotencyPut(idempotency),
      ...(contract ? [contractCommitItem(this.tableName, contract)] : []),
      ...supportClaimPuts(this.tableName, request),
    ]);
    if (!codes) return;
    if (codes[2] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    if (codes[3] === 'ConditionalCheckFailed' && contract) await this.assertClaimFits(request, contract);
    // Support claims follow the contract's item, when there is one.
    await assertClaimsHeld(this.db, this.tableName, request, codes, contract ? 4 : 3);
    if (codes[1] === 'ConditionalCheckFailed') {
      // disbursement_period_closed, insufficient_funds or amount_out_of_range, as the domain rules say
      // on the values now stored.
      const current = await this.allocationOrNotFound(jurisdictionOf(request), request.allocationId);
      assertYearOpen(current);
      if (period) assertPeriodHolds(current, period);
      reserve(checkedTotals(current), amount);
      throw new TransientWriteError('The allocation changed meanwhile; retry the submission.');
    }
    throw new Error(`request ${request.id} could not be submitted: ${codes.join(',')}`);
  }

  /**
   * After a submission refused on its contract's version: the claim checked again on the contract as it
   * stands now says why (advance_limit_exceeded, contract_value_exceeded, recovery_invalid); when it
   * fits now, the contract changed in between: retry.
   */
  private async assertClaimFits(request: DisbursementRequest, contract: ContractCommitment): Promise<void> {
    const current = await this.getContract(jurisdictionOf(request), contract.committed.id);
    const claim = claimOf(request);
    if (!current) throw new NotFoundError(`No contract with id ${contract.committed.id}.`);
    if (claim) commitClaim(current, claim);
    throw new TransientWriteError('The contract changed meanwhile; retry the submission.');
  }

  async getRequest(jurisdiction: string, id: string): Promise<DisbursementRequest | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: requestKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<DisbursementRequest>(out.Item) : undefined;
  }

  async listRequests(
    filter: RequestFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<DisbursementRequest>> {
    const { jurisdiction } = filter;
    const key = filter.allocationId
      ? requestKeys.ofAllocation(jurisdiction, filter.allocationId)
      : filter.status
        ? requestKeys.withStatus(jurisdiction, filter.status)
        : requestKeys.all(jurisdiction);
    const query = new QueryFilter(key.ExpressionAttributeValues);
    if (filter.allocationId && filter.status) query.where('status', '=', filter.status);
    if (filter.commune) query.where('commune', '=', filter.commune);
    // The listings project status and commune only: the filter reads them there, the page's requests
    // are then read by key. One whose status moved since the index said it is left out of a status listing.
    const { items, lastKey } = await queryItemsPage<DisbursementRequest>(
      this.db,
      this.tableName,
      { ...key, ...query.expression(), ScanIndexForward: false },
      limit,
      cursor ? decodeKeyCursor(cursor) : undefined,
    );
    const kept = filter.status ? items.filter((r) => r.status === filter.status) : items;
    return { items: kept, ...(lastKey ? { nextCursor: encodeKeyCursor(lastKey) } : {}) };
  }

  private requestPut(request: DisbursementRequest, expectedVersion: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: requestItem(request),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      },
    };
  }

  async saveApproval(
    request: DisbursementRequest,
    expectedVersion: number,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    // With a check that the allocation's year is still open: a closed year takes no decision.
    const codes = await this.transactSettling(
      [
        this.requestPut(request, expectedVersion),
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: allocationKeys.key(jurisdictionOf(request), request.allocationId),
            ConditionExpression: OPEN_YEAR,
          },
        },
      ],
      settle,
    );
    if (!codes) return true;
    if (codes[1] === 'ConditionalCheckFailed') {
      assertYearOpen(await this.allocationOrNotFound(jurisdictionOf(request), request.allocationId));
    }
    if (codes[0] === 'ConditionalCheckFailed') return false;
    throw new Error(`approval of request ${request.id} failed: ${codes.join(',')}`);
  }

  async advanceApproval(
    target: { jurisdiction: string; requestId: string; allocationId: string },
    advance: AdvanceSeen,
    approval: Approval,
    now: string,
    period: OpenPeriod,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    const open = periodCondition(period);
    // The request's index keys (allocation, status, creation) do not move: an update of what changes.
    const codes = await this.transactSettling(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.key(target.jurisdiction, target.requestId),
            UpdateExpression:
              'SET approvals = list_append(approvals, :approval), nextLevel = :next, updatedAt = :now, pendingSince = :now, version = :newVersion',
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: {
              ':approval': [approval],
              ':next': advance.nextLevel,
              ':now': now,
              ':newVersion': advance.version + 1,
              ':v': advance.version,
            },
          },
        },
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: allocationKeys.key(target.jurisdiction, target.allocationId),
            ConditionExpression: `attribute_exists(pk) AND ${OPEN_YEAR}${open.expression}`,
            ...(open.expression ? { ExpressionAttributeValues: open.values } : {}),
          },
        },
      ],
      settle,
    );
    if (!codes) return true;
    if (codes.some((c) => c === 'ConditionalCheckFailed')) return false;
    throw new Error(`approval of request ${target.requestId} failed: ${codes.join(',')}`);
  }

  async closeAndRelease(
    request: DisbursementRequest,
    expectedVersion: number,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    const amount = cashOutVnd(request);
    const codes = await this.transactSettling(
      [
        this.requestPut(request, expectedVersion),
        {
          Update: {
            TableName: this.tableName,
            Key: allocationKeys.key(jurisdictionOf(request), request.allocationId),
            UpdateExpression: 'SET reservedVnd = reservedVnd - :a, availableVnd = availableVnd + :a',
            ConditionExpression: 'reservedVnd >= :a AND availableVnd <= :maxAvailable',
            ExpressionAttributeValues: {
              ':a': amount,
              ':maxAvailable': MAX_AMOUNT_VND - amount,
            },
          },
        },
        ...contractClaimItems(this.tableName, request, 'release'),
        ...supportClaimReleases(this.tableName, request),
      ],
      settle,
    );
    if (!codes) return true;
    if (codes[0] === 'ConditionalCheckFailed') return false;
    if (codes[1] === 'ConditionalCheckFailed') {
      release(
        checkedTotals(await this.allocationOrNotFound(jurisdictionOf(request), request.allocationId)),
        amount,
      );
    }
    throw new Error(`release of request ${request.id} failed: ${codes.join(',')}`);
  }

  async postDisbursement(
    request: DisbursementRequest,
    expectedVersion: number,
    entry: LedgerEntry,
    period?: OpenPeriod,
    settle?: OutboxSettlement,
  ): Promise<boolean> {
    const open = periodCondition(period);
    // The request's declared outputs are counted on the allocation in the same update: exactly once,
    // since a redelivered or concurrent posting fails the conditions below and writes nothing.
    // So are the advance it pays or the advance it recovers, on the allocation's advance totals.
    const counted = addOutputs(request.outputs, advanceTotalsOf(entry));
    const voucher = postedVoucherOf(entry, jurisdictionOf(request));
    const codes = await this.transactSettling(
      [
        this.requestPut(request, expectedVersion),
        {
          Update: {
            TableName: this.tableName,
            Key: allocationKeys.key(jurisdictionOf(request), entry.allocationId),
            UpdateExpression: `SET reservedVnd = reservedVnd - :a, disbursedVnd = disbursedVnd + :a, headSeq = :seq, headHash = :hash${counted.expression}`,
            // Condition on the head so two postings can never fork the hash chain; no total past 10^15.
            // And on the deadline: no entry is ever dated after its allocation's deadline.
            ConditionExpression: `${OPEN_YEAR} AND headSeq = :prevSeq AND headHash = :prevHash AND reservedVnd >= :a AND disbursedVnd <= :maxDisbursed${counted.condition}${open.expression}`,
            ...(counted.names ? { ExpressionAttributeNames: counted.names } : {}),
            ExpressionAttributeValues: {
              ':a': entry.amountVnd,
              ':seq': entry.seq,
              ':hash': entry.hash,
              ':prevSeq': entry.seq - 1,
              ':prevHash': entry.prevHash,
              ':maxDisbursed': MAX_AMOUNT_VND - entry.amountVnd,
              ...counted.values,
              ...open.values,
            },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: entryItem(entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // The voucher's hold first (index 3: a duplicate is told by its code), then the contract's totals.
        ...(voucher ? [{ Put: voucherPut(this.tableName, voucher) }] : []),
        ...contractClaimItems(this.tableName, request, 'post'),
      ],
      settle,
    );
    if (!codes) return true;
    if (voucher && codes[3] === 'ConditionalCheckFailed') throw duplicateVoucher(voucher);
    if (codes[1] === 'ConditionalCheckFailed' && !codes.some((c, i) => i !== 1 && c !== 'None')) {
      await this.assertPostingFits(request, entry, period);
    }
    if (codes.some((c) => c === 'ConditionalCheckFailed')) return false;
    throw new Error(`posting of request ${request.id} failed: ${codes.join(',')}`);
  }

  /**
   * After a posting refused on the allocation alone: when its head and reservation still match, a
   * total would have passed 10^15, and that is said (amount_out_of_range) rather than retried forever.
   */
  private async assertPostingFits(
    request: DisbursementRequest,
    entry: LedgerEntry,
    period: OpenPeriod | undefined,
  ): Promise<void> {
    const item = await this.allocationItemOf(jurisdictionOf(request), entry.allocationId);
    if (!item) throw new NotFoundError(`No allocation with id ${entry.allocationId}.`);
    const current = allocationOf(item);
    assertYearOpen(current);
    // Past the deadline: said (disbursement_period_closed), never retried; the handler expires the request.
    if (period) assertPeriodHolds(current, period);
    if (current.headSeq !== entry.seq - 1 || current.headHash !== entry.prevHash) return;
    if (current.reservedVnd < entry.amountVnd) return;
    disburse(checkedTotals(current), entry.amountVnd);
    const counted = outputsOfItem(item);
    for (const [key, n] of Object.entries(request.outputs ?? {})) {
      assertIncreaseFits(`outputs.${key}`, counted[key] ?? 0, n);
    }
  }

  async getFiscalYearClose(jurisdiction: string, fiscalYear: number): Promise<FiscalYearClose | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: fiscalYearCloseKeys.key(jurisdiction, fiscalYear),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<FiscalYearClose>(out.Item) : undefined;
  }

  startFiscalYearClose(close: FiscalYearClose): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: { ...fiscalYearCloseKeys.item(close.jurisdiction, close.fiscalYear), ...close },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async closeAllocation({ origin, closing, carry }: AllocationClose): Promise<boolean> {
    const head = carry ? { seq: carry.outgoing.seq, hash: carry.outgoing.hash } : undefined;
    const codes = await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: allocationKeys.key(jurisdictionOf(origin), origin.id),
          UpdateExpression: `SET closing = :closing${head ? ', headSeq = :seq, headHash = :hash' : ''}`,
          // The figures are the totals read: nothing reserved, nothing changed since, not closed yet.
          ConditionExpression: `attribute_exists(pk) AND ${OPEN_YEAR} AND reservedVnd = :zero AND assignedVnd = :assigned AND disbursedVnd = :disbursed AND availableVnd = :available AND headSeq = :prevSeq AND headHash = :prevHash`,
          ExpressionAttributeValues: {
            ':closing': closing,
            ':zero': 0,
            ':assigned': origin.assignedVnd,
            ':disbursed': origin.disbursedVnd,
            ':available': origin.availableVnd,
            ':prevSeq': origin.headSeq,
            ':prevHash': origin.headHash,
            ...(head ? { ':seq': head.seq, ':hash': head.hash } : {}),
          },
        },
      },
      ...(carry
        ? [
            putNew(this.tableName, entryItem(carry.outgoing)),
            putNew(this.tableName, allocationItem(carry.target)),
            putNew(this.tableName, entryItem(carry.incoming)),
          ]
        : []),
    ]);
    if (!codes) return true;
    if (codes.some((c) => c === 'ConditionalCheckFailed')) return false;
    throw new Error(`close of allocation ${origin.id} failed: ${codes.join(',')}`);
  }

  async finishFiscalYearClose(close: FiscalYearClose, idempotency?: IdempotencyRecord): Promise<void> {
    const codes = await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: { ...fiscalYearCloseKeys.item(close.jurisdiction, close.fiscalYear), ...close },
          // Only over its own plan, still closing: a finished close is never written again.
          ConditionExpression: 'attribute_exists(pk) AND #status = :closing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':closing': 'closing' },
        },
      },
      ...(idempotency ? [this.idempotencyPut(idempotency)] : []),
    ]);
    if (codes?.[1] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    if (codes?.[0] === 'ConditionalCheckFailed') {
      throw new TransientWriteError('The close of the fiscal year was finished meanwhile; repeat the call.');
    }
    if (codes) throw new Error(`close of fiscal year ${close.fiscalYear} failed: ${codes.join(',')}`);
  }

  async listEntries(jurisdiction: string, allocationId: string): Promise<LedgerEntry[]> {
    return this.queryAll<LedgerEntry>({
      ...entryKeys.ofAllocation(jurisdiction, allocationId),
      ConsistentRead: true,
    });
  }
}

/**
 * The base of another feature's repository in the same table: its writes keep their Idempotency-Key
 * records as the ledger does, so it reads them through the ledger's adapter.
 */
export abstract class TableRepository {
  private readonly ledger: DynamoLedgerRepository;

  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {
    this.ledger = new DynamoLedgerRepository(db, tableName);
  }

  getIdempotency(jurisdiction: string, scope: string) {
    return this.ledger.getIdempotency(jurisdiction, scope);
  }
}
