import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { allocationOf } from '../../ledger/adapters/output-counters.ts';
import type { Page } from '../../ledger/app/ports.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import { type LedgerEntry, movesCapital } from '../../ledger/domain/ledger-entry.ts';
import type { Payee } from '../../payees/domain/payee.ts';
import {
  conditionalPut,
  decodeKeyCursor,
  encodeKeyCursor,
  isConditionFailure,
  itemsOfListing,
  QueryFilter,
  queryAll,
  queryAllItems,
  queryPage,
  stripKeys,
} from '../../platform/aws/dynamo-items.ts';
import {
  alertKeys,
  allocationKeys,
  deliveryKeys,
  entryKeys,
  partitionOf,
  payeeKeys,
  requestKeys,
  subscriptionKeys,
} from '../../platform/table/keys.ts';
import type {
  AlertFilter,
  AlertStore,
  DeliveryClaim,
  DeliveryLog,
  IntegritySource,
  ProgressSource,
  SubscriptionStore,
} from '../app/ports.ts';
import { type Alert, alertJurisdiction, type StoredAlert } from '../domain/alert.ts';
import { type Subscription, subscriptionJurisdiction } from '../domain/subscription.ts';

/**
 * Item types of monitoring, in the same single table (their keys: `alertKeys`, `deliveryKeys`,
 * `subscriptionKeys` in platform/table/keys.ts), each in its jurisdiction's partitions: an alert in
 * its scope's, its deliveries beside it, a subscription in its owner's. Allocations and pending
 * requests are read through the ledger's own listings (the jurisdiction's allocations of the year,
 * its requests by status). Nothing here ever reads a ledger entry.
 */
const alertItem = (alert: Alert) => ({
  ...alertKeys.item(alertJurisdiction(alert), alert),
  ...alert,
  status: 'open',
});
const subscriptionItem = (s: Subscription) => ({
  ...subscriptionKeys.item(subscriptionJurisdiction(s), s),
  ...s,
});

/** How many allocations' request listings the integrity reads query at once. */
const LISTINGS_AT_ONCE = 8;

/**
 * The first page of a chain's tail read (a window's few payments, usually), and how much each next page
 * grows: a window of many payments takes a few reads, not one per page of ten.
 */
const TAIL_FIRST_PAGE = 10;
const TAIL_PAGE_GROWTH = 4;
const TAIL_PAGE_MAX = 1000;

/** The listing a deleted subscription leaves. */
const listed = subscriptionKeys.index;

/** A page cursor of one jurisdiction's alert listing: one of another partition is refused. */
const decodeAlertCursor = (jurisdiction: string, cursor: string) => {
  const partition = partitionOf(alertKeys.listing(jurisdiction));
  return decodeKeyCursor(cursor, (key) => key[partition.attribute] === partition.value);
};

/** DynamoDB adapter of the monitoring ports. */
export class DynamoMonitoringRepository
  implements ProgressSource, IntegritySource, AlertStore, SubscriptionStore, DeliveryLog
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    return queryAll<T>(this.db, this.tableName, input);
  }

  async listAllocationsOfYear(jurisdiction: string, fiscalYear: number): Promise<Allocation[]> {
    // Read as the ledger reads them: without the output counters the posting adds to the item.
    const items = await this.queryAll<Record<string, unknown>>(
      allocationKeys.ofYear(jurisdiction, fiscalYear),
    );
    return items.map(allocationOf);
  }

  async listPendingRequests(jurisdiction: string): Promise<DisbursementRequest[]> {
    // The status listing's keys, then the requests by key: those decided meanwhile are left out.
    const requests = await queryAllItems<DisbursementRequest>(
      this.db,
      this.tableName,
      requestKeys.withStatus(jurisdiction, 'pending_approval'),
    );
    return requests.filter((r) => r.status === 'pending_approval');
  }

  async listRequestsOfAllocations(
    jurisdiction: string,
    allocationIds: readonly string[],
  ): Promise<DisbursementRequest[]> {
    // Each allocation's own listing (gsi1), a few at a time: the year's requests, never the table's.
    const out: DisbursementRequest[][] = [];
    for (let i = 0; i < allocationIds.length; i += LISTINGS_AT_ONCE) {
      out.push(
        ...(await Promise.all(
          allocationIds
            .slice(i, i + LISTINGS_AT_ONCE)
            .map((id) =>
              queryAllItems<DisbursementRequest>(
                this.db,
                this.tableName,
                requestKeys.ofAllocation(jurisdiction, id),
              ),
            ),
        )),
      );
    }
    return out.flat();
  }

  listPayees(jurisdiction: string): Promise<Payee[]> {
    return this.queryAll<Payee>(payeeKeys.byName(jurisdiction));
  }

  listRequestsCreatedBetween(
    jurisdiction: string,
    from?: string,
    to?: string,
  ): Promise<DisbursementRequest[]> {
    // The jurisdiction's requests listing (gsi6, sorted by creation), a key range, then the requests by key.
    return queryAllItems<DisbursementRequest>(
      this.db,
      this.tableName,
      requestKeys.createdBetween(jurisdiction, from, to),
    );
  }

  getRequests(jurisdiction: string, ids: readonly string[]): Promise<DisbursementRequest[]> {
    return itemsOfListing<DisbursementRequest>(
      this.db,
      this.tableName,
      [...new Set(ids)].map((id) => ({ ...requestKeys.key(jurisdiction, id) })),
    );
  }

  async listPaymentsSince(
    jurisdiction: string,
    allocation: Pick<Allocation, 'id' | 'headSeq'>,
    since: string,
  ): Promise<LedgerEntry[]> {
    if (allocation.headSeq < 1) return [];
    // The chain's partition backwards from the head given (a later posting is not read: the totals
    // judged are the head's), strongly consistent, pages growing until a payment before `since`.
    const key = entryKeys.ofAllocationBetween(jurisdiction, allocation.id, 1, allocation.headSeq);
    const payments: LedgerEntry[] = [];
    let start: Record<string, unknown> | undefined;
    let limit = TAIL_FIRST_PAGE;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...key,
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const entry = stripKeys<LedgerEntry>(item);
        if (movesCapital(entry)) continue;
        if (entry.postedAt < since) return payments;
        payments.push(entry);
      }
      start = out.LastEvaluatedKey;
      limit = Math.min(limit * TAIL_PAGE_GROWTH, TAIL_PAGE_MAX);
    } while (start);
    return payments;
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

  async markAlertQueued(jurisdiction: string, id: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: alertKeys.key(jurisdiction, id),
        UpdateExpression: 'SET queuedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async getAlert(jurisdiction: string, id: string): Promise<StoredAlert | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: alertKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<StoredAlert>(out.Item) : undefined;
  }

  async listAlerts(filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> {
    const key = alertKeys.listing(filter.jurisdiction, filter.fiscalYear);
    const query = new QueryFilter(key.ExpressionAttributeValues);
    if (filter.status) query.where('status', '=', filter.status);
    if (filter.severity) query.where('severity', '=', filter.severity);
    if (filter.kind) query.where('kind', '=', filter.kind);
    if (filter.commune) query.where('scope.commune', '=', filter.commune);
    const { items, lastKey } = await queryPage<StoredAlert>(
      this.db,
      this.tableName,
      { ...key, ...query.expression(), ScanIndexForward: false },
      limit,
      cursor ? decodeAlertCursor(filter.jurisdiction, cursor) : undefined,
    );
    return { items, ...(lastKey ? { nextCursor: encodeKeyCursor(lastKey) } : {}) };
  }

  async acknowledgeAlert(
    jurisdiction: string,
    id: string,
    by: string,
    at: string,
  ): Promise<StoredAlert | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKeys.key(jurisdiction, id),
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
      return this.getAlert(jurisdiction, id); // already acknowledged (or gone)
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

  async getSubscription(jurisdiction: string, id: string): Promise<Subscription | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item && out.Item.deletedAt === undefined ? stripKeys<Subscription>(out.Item) : undefined;
  }

  listSubscriptions(jurisdiction: string, owner?: string): Promise<Subscription[]> {
    return this.queryAll<Subscription>(subscriptionKeys.listing(jurisdiction, owner));
  }

  async deleteSubscription(jurisdiction: string, id: string, owner: string, at: string): Promise<boolean> {
    try {
      // A soft delete: the item leaves the listing index but keeps who ended it and when. It also
      // keeps the functions' IAM free of DeleteItem, which the append-only ledger never needs.
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKeys.key(jurisdiction, id),
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

  async confirmSubscription(jurisdiction: string, id: string, at: string): Promise<Subscription | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKeys.key(jurisdiction, id),
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

  async claimDelivery(
    jurisdiction: string,
    alertId: string,
    email: string,
    claim: { at: string; staleBefore: string; claimant: string },
  ): Promise<DeliveryClaim> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryKeys.item(jurisdiction, alertId, email),
            alertId,
            email,
            status: 'sending',
            claimedAt: claim.at,
            claimant: claim.claimant,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :failed OR ' +
            '(#status = :sending AND (claimedAt < :stale OR claimant = :claimant))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':sending': 'sending',
            ':stale': claim.staleBefore,
            ':claimant': claim.claimant,
          },
          // The record that refused the claim comes back with the refusal: sent, or another's claim.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The item of a refusal is in the wire format (the document client does not convert it).
      const old = (error as { Item?: { status?: { S?: string } } }).Item;
      return old?.status?.S === 'sent' ? 'sent' : 'busy';
    }
  }

  async completeDelivery(
    jurisdiction: string,
    alertId: string,
    email: string,
    at: string,
    messageId: string,
  ): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKeys.key(jurisdiction, alertId, email),
        UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :messageId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': at, ':messageId': messageId },
      }),
    );
  }

  async sentCount(jurisdiction: string, alertId: string): Promise<number> {
    const deliveries = await this.queryAll<{ status?: string }>(deliveryKeys.ofAlert(jurisdiction, alertId));
    return deliveries.filter((d) => d.status === 'sent').length;
  }

  async releaseDelivery(jurisdiction: string, alertId: string, email: string, error: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKeys.key(jurisdiction, alertId, email),
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
