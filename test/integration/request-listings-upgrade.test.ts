import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { ensureTable } from '../../local/provision.ts';
import { ensureRequestListings, exactDocumentClient } from '../../local/table-upgrade.ts';
import { DynamoLedgerRepository } from '../../shared/ledger/adapters/ledger-repository.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { REQUEST_LISTINGS_MARKER_KEY } from '../../shared/platform/table/upgrade.ts';

const J = 'da-nang';
const FORMER = ['gsi1', 'gsi2', 'gsi3'];

/** A request as stored before its listings had their own indexes: listed on gsi1–gsi3. */
const formerRequest = (id: string, status: string, createdAt: string) => ({
  pk: `J#${J}#REQ#${id}`,
  sk: 'R',
  type: 'request',
  gsi1pk: `J#${J}#REQ#ALLOC#a1`,
  gsi1sk: `${createdAt}#${id}`,
  gsi2pk: `J#${J}#REQ#STATUS#${status}`,
  gsi2sk: `${createdAt}#${id}`,
  gsi3pk: `J#${J}#REQ`,
  gsi3sk: `${createdAt}#${id}`,
  id,
  jurisdiction: J,
  allocationId: 'a1',
  commune: 'Hòa Vang',
  status,
  amountVnd: 1_000_000,
  createdAt,
  version: 1,
});

describe('a table from before the requests’ own listings, on start', () => {
  const raw = localDynamoClient(inject('dynamoEndpoint'));
  const db = createDocumentClient(raw);
  const tableName = `listings-${randomUUID().slice(0, 8)}`;
  const ids = { pending: randomUUID(), disbursed: randomUUID() };
  let indexes: string[] = [];
  let moved: number | undefined;
  let again: number | undefined;

  beforeAll(async () => {
    // The table as the former declaration created it: three indexes projecting every attribute.
    const keys = ['pk', 'sk', ...FORMER.flatMap((g) => [`${g}pk`, `${g}sk`])];
    await raw.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: FORMER.map((g) => ({
          IndexName: g,
          KeySchema: [
            { AttributeName: `${g}pk`, KeyType: 'HASH' },
            { AttributeName: `${g}sk`, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    for (const item of [
      formerRequest(ids.pending, 'pending_approval', '2026-03-01T01:00:00.000Z'),
      formerRequest(ids.disbursed, 'disbursed', '2026-03-02T01:00:00.000Z'),
    ]) {
      await db.send(new PutCommand({ TableName: tableName, Item: item }));
    }
    expect(await ensureTable(raw, tableName)).toBe('existed');
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: tableName }));
    indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName ?? '').sort();
    // As on start: the upgrade's client reads numbers exact, on a client of its own.
    const upgrading = exactDocumentClient(localDynamoClient(inject('dynamoEndpoint')));
    moved = await ensureRequestListings(upgrading, tableName);
    again = await ensureRequestListings(upgrading, tableName);
  }, 600_000); // Building three indexes on DynamoDB Local shared with the other suites took over 120 s once in CI.

  it('gains the indexes added since, and keeps its own', () => {
    expect(indexes).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5', 'gsi6']);
  });

  it('moves every request’s listing keys once, then records that it did', async () => {
    expect(moved).toBe(2);
    expect(again).toBeUndefined();
    const marker = await db.send(
      new GetCommand({ TableName: tableName, Key: REQUEST_LISTINGS_MARKER_KEY, ConsistentRead: true }),
    );
    expect(marker.Item).toMatchObject({ format: 'request-listings', by: 'upgrade' });
    const stored = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk: `J#${J}#REQ#${ids.pending}`, sk: 'R' } }),
    );
    expect(stored.Item).not.toHaveProperty('gsi1pk');
    expect(stored.Item).not.toHaveProperty('gsi3sk');
    expect(stored.Item).toMatchObject({
      gsi5pk: `J#${J}#REQ#STATUS#pending_approval`,
      amountVnd: 1_000_000,
      version: 1,
    });
  });

  it('lists the moved requests whole, by allocation, by status, by commune and all', async () => {
    const store = new DynamoLedgerRepository(db, tableName);
    const all = await store.listRequests({ jurisdiction: J }, 10);
    expect(all.items.map((r) => r.id)).toEqual([ids.disbursed, ids.pending]);
    expect(all.items[0]).toMatchObject({ amountVnd: 1_000_000, allocationId: 'a1' });
    expect(all.items[0]).not.toHaveProperty('gsi6pk');
    const pending = await store.listRequests({ jurisdiction: J, status: 'pending_approval' }, 10);
    expect(pending.items.map((r) => r.id)).toEqual([ids.pending]);
    const ofAllocation = await store.listRequests(
      { jurisdiction: J, allocationId: 'a1', status: 'disbursed' },
      10,
    );
    expect(ofAllocation.items.map((r) => r.id)).toEqual([ids.disbursed]);
    const elsewhere = await store.listRequests({ jurisdiction: J, commune: 'Hội An' }, 10);
    expect(elsewhere.items).toEqual([]);
    const monitoring = new DynamoMonitoringRepository(db, tableName);
    expect((await monitoring.listPendingRequests(J)).map((r) => r.id)).toEqual([ids.pending]);
    expect((await monitoring.listRequestsOfAllocations(J, ['a1'])).map((r) => r.id).sort()).toEqual(
      [ids.pending, ids.disbursed].sort(),
    );
  });
});
