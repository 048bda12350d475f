import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../../platform/aws/dynamo-items.ts';
import { approvalOutboxKeys, idempotencyKeys } from '../../platform/table/keys.ts';
import type { ApprovalOutbox, IdempotencyRecord, OutboxEntry, OutboxSettlement } from '../app/ports.ts';
import type { ApprovalEvent } from '../domain/disbursement-request.ts';

const { pending, givenUp, sortKey } = approvalOutboxKeys;
const { partitionKey, sortKey: sortKeyAttribute } = approvalOutboxKeys.index;

/** The index keys that put a stored decision's record in the outbox, pending since it was accepted. */
export const outboxMark = (record: IdempotencyRecord) =>
  record.event ? { ...approvalOutboxKeys.mark(record.createdAt, record.event.eventId), relayCount: 0 } : {};

/**
 * The update that settles an entry: its outbox keys removed, the time recorded; only on the record of
 * this very event. `once` also requires it pending (or given up), so it is settled once; without it (in
 * the applying write's transaction) it may meet an entry the relay settled already and changes nothing.
 */
export const settleUpdate = (tableName: string, s: OutboxSettlement, once: boolean) => ({
  TableName: tableName,
  Key: idempotencyKeys.key(s.jurisdiction, s.key),
  UpdateExpression: `REMOVE ${partitionKey}, ${sortKeyAttribute} SET outboxSettledAt = if_not_exists(outboxSettledAt, :at)`,
  ConditionExpression: `${once ? `attribute_exists(${partitionKey})` : 'attribute_exists(pk)'} AND #event.#eventId = :eventId`,
  ExpressionAttributeNames: { '#event': 'event', '#eventId': 'eventId' },
  ExpressionAttributeValues: { ':eventId': s.eventId, ':at': s.at },
});

/**
 * DynamoDB adapter of the {@link ApprovalOutbox} port, on the table's idempotency records: the
 * outbox is their sparse gsi2 keys (see `approvalOutboxKeys`).
 */
export class DynamoApprovalOutbox implements ApprovalOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listDue(before: string, limit: number): Promise<OutboxEntry[]> {
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, ...approvalOutboxKeys.due(before), Limit: limit }),
    );
    return (out.Items ?? []).flatMap((item) => {
      const event = item.event as ApprovalEvent | undefined;
      const at = item[sortKeyAttribute];
      // The record's own key says where it is kept (records moved by the upgrade carry no attribute for it).
      const stored = idempotencyKeys.scopeOf({ pk: String(item.pk), sk: String(item.sk) });
      if (!event || !stored || typeof at !== 'string') return [];
      return [
        {
          jurisdiction: stored.jurisdiction,
          key: stored.scope,
          event,
          lastPublishedAt: approvalOutboxKeys.publishedAtOf(at, event.eventId),
          relayCount: typeof item.relayCount === 'number' ? item.relayCount : 0,
        },
      ];
    });
  }

  /** An update conditional on the entry being exactly as the relay read it. */
  private async move(entry: OutboxEntry, update: string, values: Record<string, unknown>) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: idempotencyKeys.key(entry.jurisdiction, entry.key),
          UpdateExpression: update,
          ConditionExpression: `${partitionKey} = :pending AND ${sortKeyAttribute} = :seen`,
          ExpressionAttributeValues: {
            ':pending': pending,
            ':seen': sortKey(entry.lastPublishedAt, entry.event.eventId),
            ...values,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  recordRepublish(entry: OutboxEntry, at: string): Promise<boolean> {
    return this.move(entry, `SET ${sortKeyAttribute} = :next, relayCount = :count`, {
      ':next': sortKey(at, entry.event.eventId),
      ':count': entry.relayCount + 1,
    });
  }

  giveUp(entry: OutboxEntry, at: string): Promise<boolean> {
    return this.move(entry, `SET ${partitionKey} = :givenUp, outboxGivenUpAt = :at`, {
      ':givenUp': givenUp,
      ':at': at,
    });
  }

  async settle(jurisdiction: string, key: string, eventId: string, at: string): Promise<boolean> {
    try {
      // Only the record of this very event, and only once.
      await this.db.send(
        new UpdateCommand(settleUpdate(this.tableName, { jurisdiction, key, eventId, at }, true)),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
