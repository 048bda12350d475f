import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../../platform/aws/dynamo-items.ts';
import type { ApprovalOutbox, IdempotencyRecord, OutboxEntry } from '../app/ports.ts';
import type { ApprovalEvent } from '../domain/disbursement-request.ts';
import { APPROVAL_OUTBOX_INDEX } from '../topology.ts';

/**
 * The outbox lives on the decisions' idempotency records themselves, as a sparse key of the gsi2
 * index (which otherwise lists requests by status): only records still pending carry it, so the relay
 * reads the pending events and nothing else, whatever the size of the ledger.
 */
export const OUTBOX_PENDING = 'OUTBOX#APPROVAL#PENDING';
/** Entries whose re-publishes ran out: off the relay's way, still findable for an operator. */
export const OUTBOX_GIVEN_UP = 'OUTBOX#APPROVAL#GIVEN_UP';

const sortKey = (at: string, eventId: string) => `${at}#${eventId}`;

/** The index keys that put a stored decision's record in the outbox, pending since it was accepted. */
export const outboxMark = (record: IdempotencyRecord) =>
  record.event
    ? { gsi2pk: OUTBOX_PENDING, gsi2sk: sortKey(record.createdAt, record.event.eventId), relayCount: 0 }
    : {};

const idempotencyKey = (scope: string) => ({ pk: `IDEM#${scope}`, sk: 'I' });

/** DynamoDB adapter of the {@link ApprovalOutbox} port, on the table's idempotency records. */
export class DynamoApprovalOutbox implements ApprovalOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listDue(before: string, limit: number): Promise<OutboxEntry[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: APPROVAL_OUTBOX_INDEX,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pending': OUTBOX_PENDING, ':before': before },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).flatMap((item) => {
      const event = item.event as ApprovalEvent | undefined;
      if (!event || typeof item.scope !== 'string' || typeof item.gsi2sk !== 'string') return [];
      return [
        {
          key: item.scope,
          event,
          lastPublishedAt: item.gsi2sk.slice(0, item.gsi2sk.length - event.eventId.length - 1),
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
          Key: idempotencyKey(entry.key),
          UpdateExpression: update,
          ConditionExpression: 'gsi2pk = :pending AND gsi2sk = :seen',
          ExpressionAttributeValues: {
            ':pending': OUTBOX_PENDING,
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
    return this.move(entry, 'SET gsi2sk = :next, relayCount = :count', {
      ':next': sortKey(at, entry.event.eventId),
      ':count': entry.relayCount + 1,
    });
  }

  giveUp(entry: OutboxEntry, at: string): Promise<boolean> {
    return this.move(entry, 'SET gsi2pk = :givenUp, outboxGivenUpAt = :at', {
      ':givenUp': OUTBOX_GIVEN_UP,
      ':at': at,
    });
  }

  async settle(key: string, eventId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: idempotencyKey(key),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk SET outboxSettledAt = :at',
          // Only the record of this very event, and only once.
          ConditionExpression: 'attribute_exists(gsi2pk) AND #event.#eventId = :eventId',
          ExpressionAttributeNames: { '#event': 'event', '#eventId': 'eventId' },
          ExpressionAttributeValues: { ':eventId': eventId, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
