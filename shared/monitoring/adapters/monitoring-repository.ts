import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { allocationOf } from '../../ledger/adapters/output-counters.ts';
import type { Page } from '../../ledger/app/ports.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import {
  conditionalPut,
  decodeKeyCursor,
  encodeKeyCursor,
  isConditionFailure,
  QueryFilter,
  queryAll,
  queryPage,
  stripKeys,
} from '../../platform/aws/dynamo-items.ts';
import {
  alertKeys,
  allocationKeys,
  deliveryKeys,
  partitionOf,
  requestKeys,
  subscriptionKeys,
} from '../../platform/table/keys.ts';
import type {
  AlertFilter,
  AlertStore,
  DeliveryLog,
  ProgressSource,
  SubscriptionStore,
} from '../app/ports.ts';
import type { Alert, StoredAlert } from '../domain/alert.ts';
import type { Subscription } from '../domain/subscription.ts';

/**
 * Item types of monitoring, in the same single table (their keys: `alertKeys`, `deliveryKeys`,
 * `subscriptionKeys` in platform/table/keys.ts). Allocations and pending requests are read through
 * the ledger's own listings (every allocation of the year, requests by status). Nothing here ever
 * reads a ledger entry.
 */
const alertItem = (alert: Alert) => ({ ...alertKeys.item(alert), ...alert, status: 'open' });
const subscriptionItem = (s: Subscription) => ({ ...subscriptionKeys.item(s), ...s });

const alertCursorPartition = partitionOf(alertKeys.listing());
/** The listing a deleted subscription leaves. */
const listed = subscriptionKeys.index;

const decodeAlertCursor = (cursor: string) =>
  decodeKeyCursor(cursor, (key) => key[alertCursorPartition.attribute] === alertCursorPartition.value);

/** DynamoDB adapter of the monitoring ports. */
export class DynamoMonitoringRepository
  implements ProgressSource, AlertStore, SubscriptionStore, DeliveryLog
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    return queryAll<T>(this.db, this.tableName, input);
  }

  async listAllocationsOfYear(fiscalYear: number): Promise<Allocation[]> {
    // Read as the ledger reads them: without the output counters the posting adds to the item.
    const items = await this.queryAll<Record<string, unknown>>(allocationKeys.ofYear(fiscalYear));
    return items.map(allocationOf);
  }

  listPendingRequests(): Promise<DisbursementRequest[]> {
    return this.queryAll<DisbursementRequest>(requestKeys.withStatus('pending_approval'));
  }

  async recordAlert(alert: Alert): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: alertItem(alert),
      // New, or stored by a run that failed before queueing it (and nobody acknowledged it since).
      ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(queuedAt) AND #status = :open)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'open' },
    });
  }

  async markAlertQueued(id: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: alertKeys.key(id),
        UpdateExpression: 'SET queuedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async getAlert(id: string): Promise<StoredAlert | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: alertKeys.key(id), ConsistentRead: true }),
    );
    return out.Item ? stripKeys<StoredAlert>(out.Item) : undefined;
  }

  async listAlerts(filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> {
    const key = alertKeys.listing(filter.fiscalYear);
    const query = new QueryFilter(key.ExpressionAttributeValues);
    if (filter.status) query.where('status', '=', filter.status);
    if (filter.severity) query.where('severity', '=', filter.severity);
    if (filter.commune) query.where('scope.commune', '=', filter.commune);
    query.inJurisdiction(filter.jurisdiction, 'scope.jurisdiction');
    const { items, lastKey } = await queryPage<StoredAlert>(
      this.db,
      this.tableName,
      { ...key, ...query.expression(), ScanIndexForward: false },
      limit,
      cursor ? decodeAlertCursor(cursor) : undefined,
    );
    return { items, ...(lastKey ? { nextCursor: encodeKeyCursor(lastKey) } : {}) };
  }

  async acknowledgeAlert(id: string, by: string, at: string): Promise<StoredAlert | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKeys.key(id),
          UpdateExpression: 'SET #status = :acknowledged, acknowledgedBy = :by, acknowledgedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':acknowledged': 'acknowledged',
            ':open': 'open',
            ':by': by,
            ':at': at,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? stripKeys<StoredAlert>(out.Attributes) : undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.getAlert(id); // already acknowledged (or gone)
    }
  }

  async putSubscription(subscription: Subscription): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: subscriptionItem(subscription),
      // A deleted subscription may be taken out again.
      ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(deletedAt)',
    });
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.key(id),
        ConsistentRead: true,
      }),
    );
    return out.Item && out.Item.deletedAt === undefined ? stripKeys<Subscription>(out.Item) : undefined;
  }

  listSubscriptions(owner?: string): Promise<Subscription[]> {
    return this.queryAll<Subscription>(subscriptionKeys.listing(owner));
  }

  async deleteSubscription(id: string, owner: string, at: string): Promise<boolean> {
    try {
      // A soft delete: the item leaves the listing index but keeps who ended it and when. It also
      // keeps the functions' IAM free of DeleteItem, which the append-only ledger never needs.
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKeys.key(id),
          UpdateExpression: `SET deletedAt = :at REMOVE ${listed.partitionKey}, ${listed.sortKey}`,
          ConditionExpression: '#owner = :owner AND attribute_not_exists(deletedAt)',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async confirmSubscription(id: string, at: string): Promise<Subscription | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKeys.key(id),
          // The first confirmation is kept: opening the link again changes nothing.
          UpdateExpression: 'SET confirmedAt = if_not_exists(confirmedAt, :at)',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? stripKeys<Subscription>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async claimDelivery(alertId: string, email: string, at: string, staleBefore: string): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: {
        ...deliveryKeys.item(alertId, email),
        alertId,
        email,
        status: 'sending',
        claimedAt: at,
      },
      ConditionExpression:
        'attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND claimedAt < :stale)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':stale': staleBefore },
    });
  }

  async completeDelivery(alertId: string, email: string, at: string, messageId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKeys.key(alertId, email),
        UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :messageId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': at, ':messageId': messageId },
      }),
    );
  }

  async releaseDelivery(alertId: string, email: string, error: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKeys.key(alertId, email),
          UpdateExpression: 'SET #status = :failed, #error = :error',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':sending': 'sending',
            ':error': error.slice(0, 500),
          },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
}
