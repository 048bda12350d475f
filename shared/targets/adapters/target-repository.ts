import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  idempotencyItem,
  putNew,
  TableRepository,
  transactOrCodes,
} from '../../ledger/adapters/ledger-repository.ts';
import { outputsOfItem } from '../../ledger/adapters/output-counters.ts';
import { type IdempotencyRecord, IdempotencyRecordExists } from '../../ledger/app/ports.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import { queryAll, stripKeys } from '../../platform/aws/dynamo-items.ts';
import { NotFoundError, NotMeasuredError } from '../../platform/errors.ts';
import { allocationKeys, indicatorKeys, measurementKeys } from '../../platform/table/keys.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { TargetStore } from '../app/ports.ts';
import {
  type AllocationFigures,
  declaredOutputKeys,
  type Indicator,
  type Measurement,
} from '../domain/plan-target.ts';

/**
 * Plan targets in the same single table (their keys: `indicatorKeys` and `measurementKeys` in
 * platform/table/keys.ts), in their jurisdiction's partitions: an indicator and its measurements in
 * the indicator's (`jurisdictionOf`: the upgrade default for one stored without). Outputs counted are `output#<key>` attributes of the allocation item (see
 * output-counters.ts), added by the posting transaction; a year's outputs are read with the year's
 * allocations, never from entries.
 */
const indicatorItem = (i: Indicator) => ({ ...indicatorKeys.item(jurisdictionOf(i), i), ...i });

/** DynamoDB adapter of the {@link TargetStore} port. */
export class DynamoTargetRepository extends TableRepository implements TargetStore {
  async putIndicator(indicator: Indicator): Promise<boolean> {
    const out = await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: indicatorItem(indicator), ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes === undefined;
  }

  async getIndicator(jurisdiction: string, id: string): Promise<Indicator | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: indicatorKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<Indicator>(out.Item) : undefined;
  }

  async declaredOutputKeys(fiscalYear: number, jurisdiction: string): Promise<string[]> {
    return declaredOutputKeys(await this.listIndicators(jurisdiction, fiscalYear));
  }

  listIndicators(jurisdiction: string, fiscalYear: number): Promise<Indicator[]> {
    return queryAll<Indicator>(this.db, this.tableName, indicatorKeys.ofYear(jurisdiction, fiscalYear));
  }

  async recordMeasurement(measurement: Measurement, idempotency: IdempotencyRecord): Promise<void> {
    const jurisdiction = jurisdictionOf(measurement);
    const codes = await transactOrCodes(this.db, [
      {
        // The definition may have changed since it was read: only a measured indicator takes one.
        ConditionCheck: {
          TableName: this.tableName,
          Key: indicatorKeys.key(jurisdiction, measurement.indicatorId),
          ConditionExpression: '#source = :measurements',
          ExpressionAttributeNames: { '#source': 'source' },
          ExpressionAttributeValues: { ':measurements': 'measurements' },
        },
      },
      putNew(this.tableName, { ...measurementKeys.item(jurisdiction, measurement), ...measurement }),
      putNew(this.tableName, idempotencyItem(idempotency)),
    ]);
    if (!codes) return;
    if (codes[2] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    if (codes[0] === 'ConditionalCheckFailed') {
      const now = await this.getIndicator(jurisdiction, measurement.indicatorId);
      if (!now) throw new NotFoundError(`No plan indicator with id ${measurement.indicatorId}.`);
      throw new NotMeasuredError(
        `Indicator ${measurement.indicatorId} is now computed from ${now.source}, not measured.`,
        { source: now.source },
      );
    }
    throw new Error(`measurement of ${measurement.indicatorId} could not be recorded: ${codes.join(',')}`);
  }

  async latestMeasurement(jurisdiction: string, indicatorId: string): Promise<Measurement | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        ...measurementKeys.ofIndicator(jurisdiction, indicatorId),
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? stripKeys<Measurement>(item) : undefined;
  }

  async allocationFigures(
    jurisdiction: string,
    fiscalYear: number,
  ): Promise<(AllocationFigures & { allocationId: string })[]> {
    const items = await queryAll<Allocation & Record<string, unknown>>(
      this.db,
      this.tableName,
      allocationKeys.ofYear(jurisdiction, fiscalYear),
    );
    return items.map((a) => ({
      allocationId: a.id,
      capitalType: a.capitalType,
      assignedVnd: a.assignedVnd,
      disbursedVnd: a.disbursedVnd,
      outputs: outputsOfItem(a),
    }));
  }
}
