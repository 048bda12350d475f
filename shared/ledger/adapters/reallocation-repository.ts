import {
  type DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { queryAll, stripKeys } from '../../platform/aws/dynamo-items.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import { allocationKeys, entryKeys, reallocationKeys } from '../../platform/table/keys.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { IdempotencyRecord, OpenPeriodOf } from '../app/ports.ts';
import type { Allocation } from '../domain/allocation.ts';
import { assertStepStillFits, type Reallocation, type ReallocationStep } from '../domain/reallocation.ts';
import { OPEN_YEAR, periodCondition } from './allocation-conditions.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What the ledger's adapter lends this one: its transaction runner and its reads and records. */
export interface ReallocationTableAccess {
  transact(items: TransactItem[]): Promise<(string | undefined)[] | undefined>;
  idempotencyPut(record: IdempotencyRecord): TransactItem;
  getAllocation(jurisdiction: string, id: string): Promise<Allocation | undefined>;
}

/** The pending record's condition: still pending, at the version the decision read. */
const PENDING_AT = {
  ConditionExpression: 'version = :v AND #status = :pending',
  ExpressionAttributeNames: { '#status': 'status' },
};

/**
 * DynamoDB storage of reallocations, within the ledger's table (see LedgerStore's ReallocationStore):
 * its records, and the one transaction that applies a reallocation to every allocation it touches.
 */
export class DynamoReallocationRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly table: ReallocationTableAccess,
  ) {}

  private item(r: Reallocation) {
    return { ...reallocationKeys.item(r.jurisdiction, r), ...r };
  }

  /** Stores a new record (and the key's); false when the Idempotency-Key's record exists. */
  async recordReallocation(reallocation: Reallocation, idempotency?: IdempotencyRecord): Promise<boolean> {
    const codes = await this.table.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: this.item(reallocation),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...(idempotency ? [this.table.idempotencyPut(idempotency)] : []),
    ]);
    if (!codes) return true;
    if (codes[1] === 'ConditionalCheckFailed') return false;
    throw new Error(`reallocation ${reallocation.id} could not be recorded: ${codes.join(',')}`);
  }

  async getReallocation(jurisdiction: string, id: string): Promise<Reallocation | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: reallocationKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<Reallocation>(out.Item) : undefined;
  }

  listReallocations(jurisdiction: string, fiscalYear: number): Promise<Reallocation[]> {
    return queryAll<Reallocation>(this.db, this.tableName, reallocationKeys.ofYear(jurisdiction, fiscalYear));
  }

  /** One step's allocation update: totals and head moved, conditional on all it was checked on. */
  private stepUpdate(step: ReallocationStep, period: OpenPeriodOf): TransactItem {
    const { allocation: a, deltaVnd, entries } = step;
    const last = entries.at(-1);
    const open = periodCondition({ today: period.today, defaultDeadline: period.defaultDeadline(a) });
    return {
      Update: {
        TableName: this.tableName,
        Key: allocationKeys.key(jurisdictionOf(a), a.id),
        UpdateExpression:
          'SET assignedVnd = assignedVnd + :d, availableVnd = availableVnd + :d, reallocatedVnd = if_not_exists(reallocatedVnd, :zero) + :d, headSeq = :seq, headHash = :hash',
        // On the head read, so no posting or other move forks the chain; available ≥ −delta (a source
        // never drops below what is committed) and assigned ≤ 10^15 − delta, written without arithmetic.
        ConditionExpression: `attribute_exists(pk) AND ${OPEN_YEAR} AND headSeq = :prevSeq AND headHash = :prevHash AND availableVnd >= :minAvailable AND assignedVnd <= :maxAssigned${open.expression}`,
        ExpressionAttributeValues: {
          ':d': deltaVnd,
          ':zero': 0,
          ':seq': last?.seq ?? a.headSeq,
          ':hash': last?.hash ?? a.headHash,
          ':prevSeq': a.headSeq,
          ':prevHash': a.headHash,
          ':minAvailable': -deltaVnd,
          ':maxAssigned': MAX_AMOUNT_VND - deltaVnd,
          ...open.values,
        },
      },
    };
  }

  /**
   * Applies the reallocation in one transaction (see ReallocationStore.applyReallocation): 'applied',
   * 'stale' when a head or the pending record moved, 'recorded' when the Idempotency-Key's record exists.
   */
  async applyReallocation(
    applied: Reallocation,
    steps: readonly ReallocationStep[],
    period: OpenPeriodOf,
    pendingVersion?: number,
    idempotency?: IdempotencyRecord,
  ): Promise<'applied' | 'stale' | 'recorded'> {
    const record: TransactItem =
      pendingVersion === undefined
        ? {
            Put: {
              TableName: this.tableName,
              Item: this.item(applied),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
        : {
            Put: {
              TableName: this.tableName,
              Item: this.item(applied),
              ...PENDING_AT,
              ExpressionAttributeValues: { ':v': pendingVersion, ':pending': 'pending_approval' },
            },
          };
    const entries = steps.flatMap((s) => s.entries);
    const items: TransactItem[] = [
      record,
      ...steps.map((s) => this.stepUpdate(s, period)),
      ...entries.map(
        (e): TransactItem => ({
          Put: {
            TableName: this.tableName,
            Item: { ...entryKeys.item(jurisdictionOf(e), e), ...e },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      ),
      ...(idempotency ? [this.table.idempotencyPut(idempotency)] : []),
    ];
    const codes = await this.table.transact(items);
    if (!codes) return 'applied';
    if (idempotency && codes.at(-1) === 'ConditionalCheckFailed') return 'recorded';
    if (codes[0] === 'ConditionalCheckFailed') {
      if (pendingVersion !== undefined) return 'stale';
      throw new Error(`reallocation ${applied.id} exists already`);
    }
    const refused = steps.filter((_, i) => codes[i + 1] === 'ConditionalCheckFailed');
    // Which rule failed, told by the domain on the values now stored; none: only a head moved.
    for (const step of refused) {
      const { allocation: a } = step;
      const current = await this.table.getAllocation(jurisdictionOf(a), a.id);
      if (!current) throw new Error(`allocation ${a.id} of reallocation ${applied.id} is gone`);
      assertStepStillFits(current, step.deltaVnd, step.move, {
        today: period.today,
        defaultDeadline: period.defaultDeadline(current),
      });
    }
    if (codes.some((c) => c === 'ConditionalCheckFailed')) return 'stale';
    throw new Error(`reallocation ${applied.id} failed: ${codes.join(',')}`);
  }

  /** Saves a pending record's rejection over its version; 'stale' when it changed, 'recorded' as above. */
  async rejectReallocation(
    rejected: Reallocation,
    expectedVersion: number,
    idempotency?: IdempotencyRecord,
  ): Promise<'rejected' | 'stale' | 'recorded'> {
    const codes = await this.table.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: this.item(rejected),
          ...PENDING_AT,
          ExpressionAttributeValues: { ':v': expectedVersion, ':pending': 'pending_approval' },
        },
      },
      ...(idempotency ? [this.table.idempotencyPut(idempotency)] : []),
    ]);
    if (!codes) return 'rejected';
    if (codes[1] === 'ConditionalCheckFailed') return 'recorded';
    if (codes[0] === 'ConditionalCheckFailed') return 'stale';
    throw new Error(`rejection of reallocation ${rejected.id} failed: ${codes.join(',')}`);
  }
}
