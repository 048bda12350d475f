import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import {
  ensureJurisdictionKeys,
  exactDocumentClient,
  hasFormatMarker,
  type UpgradeReport,
  upgradeTable,
} from '../../local/table-upgrade.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { stripKeys } from '../../shared/platform/aws/dynamo-items.ts';
import {
  allocationKeys,
  approvalOutboxKeys,
  auditLogKeys,
  digestKeys,
  entryKeys,
  requestKeys,
  subscriptionKeys,
  TABLE_INDEXES,
} from '../../shared/platform/table/keys.ts';
import { domainAttributes, FORMAT_MARKER_KEY, type StoredItem } from '../../shared/platform/table/upgrade.ts';
import { scanTable } from '../reliability/support/invariant-checker.ts';
import { freshTable } from '../support/local-aws.ts';
import { PRE_JURISDICTION_ITEMS, preJurisdictionTable } from '../support/pre-jurisdiction-table.ts';

const OLD = PRE_JURISDICTION_ITEMS;
const DA_NANG = 'da-nang';
const TAY_GIANG = 'tay-giang';

const countsByType = (items: readonly StoredItem[]) => {
  const counts: Record<string, number> = {};
  for (const i of items) counts[String(i.type)] = (counts[String(i.type)] ?? 0) + 1;
  return counts;
};

const oldTable = preJurisdictionTable;

const queryAll = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName'>,
) => ((await db.send(new QueryCommand({ TableName: tableName, ...input }))).Items ?? []) as StoredItem[];

/** The jurisdiction each old item belongs in, told from the fixture itself (not by the upgrade's code). */
const expectedJurisdiction = (item: StoredItem): string => {
  const byId = (type: string, id: unknown) => OLD.find((i) => i.type === type && i.id === id);
  const own = (i: StoredItem | undefined): string | undefined =>
    (i?.jurisdiction as string | undefined) ??
    (i?.ownerJurisdiction as string | undefined) ??
    ((i?.scope as { jurisdiction?: string } | undefined)?.jurisdiction as string | undefined);
  switch (item.type) {
    case 'entry':
    case 'adjustment':
    case 'digest':
      return own(byId('allocation', item.allocationId)) ?? TAY_GIANG;
    case 'delivery':
      return own(byId('alert', item.alertId)) ?? TAY_GIANG;
    case 'idempotency': {
      const result = item.result as {
        jurisdiction?: string;
        allocation?: { jurisdiction?: string };
        requestId?: string;
      };
      return (
        result.jurisdiction ??
        result.allocation?.jurisdiction ??
        own(byId('request', result.requestId)) ??
        // A measurement's answer is its indicator's progress: the only one in the fixture is Đà Nẵng's.
        (String(item.scope).startsWith('record-measurement') ? DA_NANG : TAY_GIANG)
      );
    }
    default:
      return own(item) ?? TAY_GIANG;
  }
};

/** Every hash chain of the table verified as the audit does: entries, head, digests, total. */
const verifyChains = async (db: DynamoDBDocumentClient, tableName: string) => {
  const problems: string[] = [];
  let checked = 0;
  for (const old of OLD.filter((i) => i.type === 'allocation')) {
    const j = expectedJurisdiction(old);
    const id = String(old.id);
    const allocation = (
      await db.send(
        new GetCommand({ TableName: tableName, Key: allocationKeys.key(j, id), ConsistentRead: true }),
      )
    ).Item;
    if (!allocation) {
      problems.push(`allocation ${id} not found in ${j}`);
      continue;
    }
    const entries = (await queryAll(db, tableName, entryKeys.ofAllocation(j, id))).map((e) =>
      stripKeys<LedgerEntry>(e),
    );
    const digests = await queryAll(db, tableName, digestKeys.ofAllocation(j, id));
    const result = verifyChain(
      entries,
      { seq: Number(allocation.headSeq), hash: String(allocation.headHash) },
      digests.map((d) => ({ seq: Number(d.seq), hash: String(d.hash), label: `digest of ${d.date}` })),
    );
    checked += result.checked;
    for (const b of result.broken) problems.push(`${id} seq ${b.seq}: ${b.reason}`);
    const total = entries.reduce((sum, e) => sum + e.amountVnd, 0);
    if (total !== allocation.disbursedVnd) problems.push(`${id}: entries add up to ${total}`);
    if (digests.length === 0) problems.push(`${id}: no digest found`);
  }
  return { checked, problems };
};

/** The table's items, comparable between two tables (the marker's date aside). */
const snapshot = async (raw: DynamoDBClient, tableName: string) =>
  (await scanTable(raw, tableName))
    .map((i) => (i.pk === FORMAT_MARKER_KEY.pk ? { ...i, since: '' } : i))
    .map((i) => JSON.stringify(i, Object.keys(i).sort()))
    .sort();

describe('upgrade of a table written before keys carried the jurisdiction', () => {
  let table: Awaited<ReturnType<typeof oldTable>>;
  let report: UpgradeReport;
  let items: StoredItem[];
  const lines: string[] = [];

  beforeAll(async () => {
    table = await oldTable('upgrade');
    report = await upgradeTable(exactDocumentClient(table.raw), table.tableName, {
      log: (line) => lines.push(line),
      progressEvery: 20,
    });
    items = (await scanTable(table.raw, table.tableName)) as StoredItem[];
  });

  it('the fixture holds every kind of item, its chains valid under the old keys', () => {
    expect(Object.keys(countsByType(OLD)).sort()).toEqual(
      [
        'adjustment',
        'alert',
        'allocation',
        'audit',
        'delivery',
        'digest',
        'entry',
        'idempotency',
        'indicator',
        'measurement',
        'request',
        'subscription',
      ].sort(),
    );
    expect(new Set(OLD.filter((i) => i.type === 'request').map((i) => i.status))).toEqual(
      new Set(['pending_approval', 'disbursed']),
    );
    expect(OLD.some((i) => i.gsi2pk === approvalOutboxKeys.pending)).toBe(true);
    expect(OLD.some((i) => i.type === 'subscription' && i.gsi3pk === undefined)).toBe(true);
    expect(OLD.every((i) => !i.pk.startsWith('J#'))).toBe(true);
  });

  it('leaves no key of the old format: every key and listing key starts with a jurisdiction (or is the outbox)', () => {
    const old = items.filter(
      (i) =>
        i.pk !== FORMAT_MARKER_KEY.pk &&
        (!i.pk.startsWith('J#') ||
          TABLE_INDEXES.some((x) => {
            const value = i[x.partitionKey];
            return (
              value !== undefined && !String(value).startsWith('J#') && !String(value).startsWith('OUTBOX#')
            );
          })),
    );
    expect(old.map((i) => `${i.pk} ${i.sk}`)).toEqual([]);
  });

  it('moves each item, and no other, into its jurisdiction with exactly its attributes', () => {
    expect(countsByType(items.filter((i) => i.pk !== FORMAT_MARKER_KEY.pk))).toEqual(countsByType(OLD));
    expect(report.moved).toEqual(countsByType(OLD));
    expect(report.left).toEqual([]);
    for (const old of OLD) {
      const same = items.filter(
        (i) =>
          JSON.stringify(domainAttributes(i), Object.keys(i).sort()) ===
            JSON.stringify(domainAttributes(old), Object.keys(old).sort()) && i.type === old.type,
      );
      expect(same, `${old.pk} ${old.sk}`).toHaveLength(1);
      expect(same[0]?.pk, `${old.pk} ${old.sk}`).toMatch(new RegExp(`^J#${expectedJurisdiction(old)}#`));
      // No jurisdiction added where there was none; expiry kept.
      expect('jurisdiction' in (same[0] ?? {})).toBe('jurisdiction' in old);
      expect(same[0]?.expiresAt).toEqual(old.expiresAt);
    }
    expect(new Set(items.map((i) => i.pk.split('#')[1]))).toEqual(new Set([undefined, TAY_GIANG, DA_NANG]));
  });

  it('every hash chain still verifies: entries, heads, digests and totals', async () => {
    const { checked, problems } = await verifyChains(table.db, table.tableName);
    expect(problems).toEqual([]);
    expect(checked).toBe(OLD.filter((i) => i.type === 'entry').length);
  });

  it('the listings read the moved items in their jurisdiction', async () => {
    const { db, tableName } = table;
    const pending = (j: string) => queryAll(db, tableName, requestKeys.withStatus(j, 'pending_approval'));
    const oldPending = (j: string) =>
      OLD.filter((i) => i.type === 'request' && i.status === 'pending_approval' && i.jurisdiction === j)
        .length;
    expect((await pending(TAY_GIANG)).length).toBe(oldPending(TAY_GIANG));
    expect((await pending(DA_NANG)).length).toBe(oldPending(DA_NANG));
    // Decisions whose events were never relayed are still due, in the deployment's one outbox.
    const due = await queryAll(db, tableName, approvalOutboxKeys.due('9999'));
    expect(due.length).toBe(OLD.filter((i) => i.gsi2pk === approvalOutboxKeys.pending).length);
    expect(due.map((i) => i.pk.split('#')[1]).sort()).toEqual([DA_NANG, TAY_GIANG]);
    // The deleted subscription stays out of the listing.
    const listed = [
      ...(await queryAll(db, tableName, subscriptionKeys.listing(TAY_GIANG))),
      ...(await queryAll(db, tableName, subscriptionKeys.listing(DA_NANG))),
    ];
    expect(listed.length).toBe(OLD.filter((i) => i.type === 'subscription' && i.gsi3pk !== undefined).length);
    const aboutACommune = OLD.filter((i) => i.type === 'audit' && i.commune !== undefined);
    expect(aboutACommune.length).toBeGreaterThan(0);
    for (const a of aboutACommune) {
      const read = await queryAll(
        db,
        tableName,
        auditLogKeys.listing(expectedJurisdiction(a), String(a.commune)),
      );
      expect(read.map((i) => i.id)).toContain(a.id);
    }
    const digestsOfDay = await queryAll(db, tableName, digestKeys.ofDate(DA_NANG, '2026-10-03'));
    expect(digestsOfDay.length).toBe(
      OLD.filter((i) => i.type === 'digest' && i.jurisdiction === DA_NANG).length,
    );
  });

  it('says how far it got while it works, and marks the table', async () => {
    expect(lines.some((l) => /moved 20 of \d+ items/.test(l))).toBe(true);
    expect(await hasFormatMarker(table.db, table.tableName)).toBe(true);
  });

  it('a second run moves nothing', async () => {
    const before = await snapshot(table.raw, table.tableName);
    const again = await upgradeTable(exactDocumentClient(table.raw), table.tableName);
    expect(again.moved).toEqual({});
    expect(again.scanned).toBe(items.length);
    expect(await snapshot(table.raw, table.tableName)).toEqual(before);
  });

  it.each([
    ['after 3 moves', 3],
    [
      'just before the parents move',
      OLD.filter((i) => !['allocation', 'alert', 'indicator'].includes(String(i.type))).length,
    ],
  ])('an upgrade interrupted %s resumes to the same table', async (_, k) => {
    const interrupted = await oldTable('upgrade-stop');
    const raw = localDynamoClient(inject('dynamoEndpoint'));
    let writes = 0;
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        if (/TransactWrite/.test(String(context.commandName)) && ++writes > k) throw new Error('power cut');
        return next(args);
      },
      { step: 'initialize', name: 'powerCut' },
    );
    await expect(
      upgradeTable(exactDocumentClient(raw), interrupted.tableName, { concurrency: 1 }),
    ).rejects.toThrow('power cut');
    raw.destroy();
    expect(await hasFormatMarker(interrupted.db, interrupted.tableName)).toBe(false);
    const resumed = await upgradeTable(exactDocumentClient(interrupted.raw), interrupted.tableName);
    expect(Object.values(resumed.moved).reduce((a, b) => a + b, 0)).toBe(OLD.length - k);
    expect(await snapshot(interrupted.raw, interrupted.tableName)).toEqual(
      await snapshot(table.raw, table.tableName),
    );
    expect((await verifyChains(interrupted.db, interrupted.tableName)).problems).toEqual([]);
  });
});

describe('the format marker', () => {
  it('a table created by local provisioning is marked: nothing to upgrade', async () => {
    const { db, tableName } = await freshTable('upgrade-fresh');
    expect(await hasFormatMarker(db, tableName)).toBe(true);
  });

  it('on start, a marked table costs one GetItem; an unmarked one is upgraded once', async () => {
    const old = await oldTable('upgrade-start');
    const raw = localDynamoClient(inject('dynamoEndpoint'));
    const calls: string[] = [];
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    const db = exactDocumentClient(raw);
    const first = await ensureJurisdictionKeys(db, old.tableName);
    expect(first?.moved).toEqual(countsByType(OLD));
    calls.length = 0;
    expect(await ensureJurisdictionKeys(db, old.tableName)).toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^Get(Item)?Command$/);
    raw.destroy();
  });
});
