import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import {
  type AuditDeps,
  allLedgerEntries,
  allocationStatement,
  listAuditLog,
  listDigests,
  listLedgerEntries,
  recordAuditorQuery,
  recordDailyDigest,
  verifyLedger,
} from '../../shared/audit/app/ledger-audit.ts';
import { entryFromCsvRecord, ledgerCsv } from '../../shared/audit/presentation/ledger-csv.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { hashOf, verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { stripKeys } from '../../shared/platform/aws/dynamo-items.ts';
import { allocationKeys, entryKeys, INDEXES } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { actor, envInOctoberOf, givenAllocation, givenPosting, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';
import { aChainOfEntries, anAllocation } from '../unit/support/domain-fixtures.ts';

let db: DynamoDBDocumentClient;
let tableName: string;
let store: LedgerStore;
let deps: AuditDeps;
const auditor = actor('auditor-1', 'auditor');
/** The fixtures' planner and the auditor above hold no jurisdiction claim: theirs is the upgrade default. */
const J = UPGRADE_DEFAULT_JURISDICTION;

beforeAll(async () => {
  const table = await freshTable('audit');
  ({ db, tableName, store } = table);
  const audit = new DynamoAuditRepository(db, tableName);
  deps = { store, audit, ...testEnv };
});

/** An allocation with `n` postings of 1, 2, 3… million đồng, paid in October of its year. */
const ledgerOf = async (n: number, overrides: Parameters<typeof givenAllocation>[1] = {}) => {
  const allocation = await givenAllocation(store, {
    fundingLine: 'local',
    fiscalYear: 2010,
    amountVnd: 900_000_000,
    ...overrides,
  });
  const env = envInOctoberOf(allocation.fiscalYear);
  for (let i = 1; i <= n; i++) await givenPosting({ store, ...env }, allocation.id, i * 1_000_000);
  return allocation.id;
};

const readEntry = async (allocationId: string, seq: number) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: entryKeys.key(J, allocationId, seq) })))
    .Item as Record<string, unknown>;
const writeItem = (item: Record<string, unknown>) =>
  db.send(new PutCommand({ TableName: tableName, Item: item }));
const firstBroken = async (allocationId: string) => {
  const report = await verifyLedger(deps, auditor, { allocationId });
  return { report, first: report.broken[0] };
};

describe('tamper detection: direct edits of the table are reported at the exact seq', () => {
  it('reports an intact chain as valid', async () => {
    const id = await ledgerOf(3);
    const { report } = await firstBroken(id);
    expect(report).toMatchObject({ valid: true, checked: 3, allocations: 1, broken: [] });
  });

  it('detects an edited amount', async () => {
    const id = await ledgerOf(5);
    await writeItem({ ...(await readEntry(id, 3)), amountVnd: 3 });
    const { report, first } = await firstBroken(id);
    expect(report.valid).toBe(false);
    expect(first).toEqual({ allocationId: id, seq: 3, reason: 'hash does not match the entry content' });
  });

  it('detects an edited payee', async () => {
    const id = await ledgerOf(5);
    const entry = await readEntry(id, 2);
    await writeItem({ ...entry, payee: { name: 'Công ty Ma', kind: 'contractor' } });
    expect((await firstBroken(id)).first).toMatchObject({
      seq: 2,
      reason: 'hash does not match the entry content',
    });
  });

  it('detects a deleted entry', async () => {
    const id = await ledgerOf(5);
    await db.send(new DeleteCommand({ TableName: tableName, Key: entryKeys.key(J, id, 4) }));
    expect((await firstBroken(id)).first).toMatchObject({
      seq: 4,
      reason: 'entry 4 is missing (found seq 5)',
    });
  });

  it('detects two swapped entries', async () => {
    const id = await ledgerOf(5);
    const [second, third] = [await readEntry(id, 2), await readEntry(id, 3)];
    await writeItem({ ...third, pk: second.pk, sk: second.sk });
    await writeItem({ ...second, pk: third.pk, sk: third.sk });
    const { first } = await firstBroken(id);
    expect(first?.seq).toBe(2);
    expect(first?.reason).toContain('out of place');
  });

  it('detects a consistently rewritten tail, head and totals included, against the daily digest', async () => {
    const id = await ledgerOf(5);
    await recordDailyDigest(deps, [2010]);
    // Rewrite entries 3..5 with new amounts, re-chain them, and move the allocation head and totals to match.
    let prev = (await readEntry(id, 2)).hash as string;
    let removed = 0;
    for (const seq of [3, 4, 5]) {
      const old = (await readEntry(id, seq)) as unknown as LedgerEntry & Record<string, unknown>;
      removed += old.amountVnd - 1;
      const { hash: _, ...body } = stripKeys<LedgerEntry>(old);
      const forged = { ...body, amountVnd: 1, prevHash: prev };
      const hash = hashOf<LedgerEntry>(forged);
      await writeItem({ ...entryKeys.item(J, forged), ...forged, hash });
      prev = hash;
    }
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: allocationKeys.key(J, id),
        UpdateExpression:
          'SET headHash = :h, disbursedVnd = disbursedVnd - :r, availableVnd = availableVnd + :r',
        ExpressionAttributeValues: { ':h': prev, ':r': removed },
      }),
    );
    const { report } = await firstBroken(id);
    expect(report.valid).toBe(false);
    expect(report.broken.map((b) => b.seq)).toEqual([5]);
    expect(report.broken[0]?.reason).toMatch(
      /differs from the digest of \d{4}-\d{2}-\d{2}: the chain was rewritten/,
    );
  });

  it('verifies every allocation of a fiscal year and locates the broken one', async () => {
    const year = 2011;
    const ok = await ledgerOf(2, { fiscalYear: year });
    const bad = await ledgerOf(2, { fiscalYear: year });
    await writeItem({ ...(await readEntry(bad, 1)), purpose: 'sửa' });
    const report = await verifyLedger(deps, auditor, { fiscalYear: year });
    expect(report).toMatchObject({ valid: false, checked: 4, allocations: 2 });
    expect(report.broken.map((b) => [b.allocationId, b.seq])).toEqual([[bad, 1]]);
    expect(report.broken.some((b) => b.allocationId === ok)).toBe(false);
  });
});

describe('ledger queries', () => {
  it('pages through a year in posting order and returns every entry exactly once while postings continue', async () => {
    const year = 2012;
    const a = await ledgerOf(12, { fiscalYear: year });
    const b = await ledgerOf(12, { fiscalYear: year, commune: 'Dang' });
    const before = new Set<string>();
    for (const id of [a, b]) for (const e of await store.listEntries(J, id)) before.add(e.entryId);
    const seen: string[] = [];
    const postedAt: string[] = [];
    let cursor: string | undefined;
    const concurrent = (async () => {
      for (let i = 0; i < 8; i++) await givenPosting({ store, ...envInOctoberOf(year) }, a, 100_000 + i);
    })();
    do {
      const page = await listLedgerEntries(deps, auditor, { fiscalYear: year }, 5, cursor);
      seen.push(...page.items.map((e) => e.entryId));
      postedAt.push(...page.items.map((e) => e.postedAt));
      cursor = page.nextCursor;
    } while (cursor);
    await concurrent;
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    expect([...postedAt].sort()).toEqual(postedAt);
  });

  it('filters by commune, allocation and period', async () => {
    const year = 2013;
    const a = await ledgerOf(3, { fiscalYear: year, commune: 'Lăng' });
    await ledgerOf(2, { fiscalYear: year, commune: 'Ga Ri' });
    const byCommune = await listLedgerEntries(deps, auditor, { fiscalYear: year, commune: 'Lăng' }, 100);
    const byAllocation = await listLedgerEntries(deps, auditor, { fiscalYear: year, allocationId: a }, 100);
    const future = await listLedgerEntries(deps, auditor, { fiscalYear: year, from: '2099-01-01' }, 100);
    expect(byCommune.items.map((e) => e.commune)).toEqual(['Lăng', 'Lăng', 'Lăng']);
    expect(byAllocation.items.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(future.items).toHaveLength(0);
  });

  it('confines a commune-scoped user to their commune', async () => {
    const year = 2014;
    await ledgerOf(2, { fiscalYear: year, commune: 'Lăng' });
    await ledgerOf(2, { fiscalYear: year, commune: 'Dang' });
    const scoped = { ...actor('inspector-dang', 'inspector'), commune: 'Dang' };
    const page = await listLedgerEntries(deps, scoped, { fiscalYear: year }, 100);
    expect(page.items.map((e) => e.commune)).toEqual(['Dang', 'Dang']);
    await expect(
      listLedgerEntries(deps, scoped, { fiscalYear: year, commune: 'Lăng' }, 100),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('refuses a cursor outside the query’s own partition, and one that is no position, with invalid_cursor', async () => {
    // Clients never see these bare positions: the HTTP edge signs them (test/reliability covers that).
    const year = 2015;
    await ledgerOf(3, { fiscalYear: year });
    const page = await listLedgerEntries(deps, auditor, { fiscalYear: year }, 1);
    const cursor = page.nextCursor ?? '';
    expect((await listLedgerEntries(deps, auditor, { fiscalYear: year }, 1, cursor)).items).toHaveLength(1);
    await expect(listLedgerEntries(deps, auditor, { fiscalYear: 2016 }, 1, cursor)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
    await expect(listLedgerEntries(deps, auditor, { fiscalYear: year }, 1, 'garbage')).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  it('exports CSV that a CSV parser reads back into exactly the JSON result, chain intact', async () => {
    const year = 2017;
    const id = await ledgerOf(3, { fiscalYear: year, commune: "Ch'ơm" });
    await writeItem({ ...(await readEntry(id, 1)) }); // unchanged rewrite: still valid
    const json = await listLedgerEntries(deps, auditor, { fiscalYear: year }, 500);
    const all = await allLedgerEntries(deps, auditor, { fiscalYear: year });
    const csv = ledgerCsv(all);
    const rows = all.length;
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.includes('\r\n')).toBe(true);
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toBe(json.items.length);
    expect(records.map((r) => [r.seq, r.amountVnd, r.prevHash?.slice(0, 7)])).toEqual(
      json.items.map((e) => [String(e.seq), String(e.amountVnd), 'sha256:']),
    );
    const entries = records.map(entryFromCsvRecord);
    expect(entries).toEqual(json.items);
    expect(verifyChain(entries)).toMatchObject({ valid: true, checked: 3 });
  });

  it("gives a statement whose running balance closes at the allocation's disbursed total", async () => {
    const id = await ledgerOf(4);
    const statement = await allocationStatement(deps, auditor, id);
    expect(statement.openingBalanceVnd).toBe(0);
    expect(statement.lines.map((l) => l.balanceVnd)).toEqual([1_000_000, 3_000_000, 6_000_000, 10_000_000]);
    expect(statement.closingBalanceVnd).toBe(10_000_000);
    expect(statement).toMatchObject({ disbursedVnd: 10_000_000, agreesWithAllocation: true });
  });

  it("records an auditor's query and nobody else's", async () => {
    await recordAuditorQuery(deps, auditor, 'GET /ledger/entries', { fiscalYear: '2012' }, 7);
    await recordAuditorQuery(deps, actor('planner-x', 'planner'), 'GET /ledger/entries', {}, 1);
    const log = await deps.audit.listAuditLog(J, 10);
    expect(log.items[0]).toMatchObject({
      by: 'auditor-1',
      route: 'GET /ledger/entries',
      filters: { fiscalYear: '2012' },
      rows: 7,
    });
    expect(log.items.some((r) => r.by === 'planner-x')).toBe(false);
  });
  it('files an entry under the commune its read was confined to, and pages one commune from the index', async () => {
    const lang = { ...actor('auditor-lang', 'auditor'), commune: 'Lăng' };
    const ganRi = { ...actor('auditor-ga-ri', 'auditor'), commune: 'Ga Ri' };
    // One second apart, after every other test's entries: the log's order is then certain.
    let tick = Date.parse('2099-01-01T00:00:00Z');
    const later = {
      ...deps,
      now: () => {
        tick += 1000;
        return new Date(tick);
      },
    };
    await recordAuditorQuery(later, lang, 'GET /allocations', {}, 1);
    await recordAuditorQuery(
      later,
      auditor,
      'GET /ledger/entries',
      { fiscalYear: '2013', commune: 'Lăng' },
      2,
    );
    await recordAuditorQuery(later, ganRi, 'GET /allocations', {}, 3);
    await recordAuditorQuery(later, auditor, 'GET /ledger/verify', { fiscalYear: '2013' }, 4);

    const first = await listAuditLog(deps.audit, lang, 1);
    const second = await listAuditLog(deps.audit, lang, 1, first.nextCursor);
    const all = await listAuditLog(deps.audit, auditor, 500);

    expect([...first.items, ...second.items].map((r) => [r.by, r.rows, r.commune])).toEqual([
      ['auditor-1', 2, 'Lăng'],
      ['auditor-lang', 1, 'Lăng'],
    ]);
    expect(first.items[0]).not.toHaveProperty(INDEXES.gsi2.partitionKey);
    expect((await listAuditLog(deps.audit, ganRi, 10)).items.map((r) => r.by)).toEqual(['auditor-ga-ri']);
    expect(all.items.slice(0, 4).map((r) => r.rows)).toEqual([4, 3, 2, 1]);
    await expect(listAuditLog(deps.audit, ganRi, 1, first.nextCursor)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});

describe('jurisdictions: an auditor reads their own jurisdiction’s partitions only', () => {
  const B = 'da-nang';
  const auditorB = { ...actor('auditor-b', 'auditor'), jurisdiction: B };
  const year = 2031;
  const date = '2031-05-06';
  /** One allocation's chain of two entries in jurisdiction `j`, written as the ledger adapter keys them. */
  const chainIn = async (j: string, allocationId: string) => {
    const { entries, head } = aChainOfEntries(
      [1_000_000, 2_000_000],
      anAllocation({ id: allocationId, fiscalYear: year, jurisdiction: j }),
    );
    for (const e of entries) {
      await writeItem({ ...entryKeys.item(j, { ...e, fiscalYear: year }), ...e, fiscalYear: year });
    }
    await deps.audit.putDigests([
      { date, allocationId, fiscalYear: year, jurisdiction: j, ...head, recordedAt: `${date}T17:00:00.000Z` },
    ]);
    return entries.map((e) => e.entryId);
  };

  it('never sees entries, digests or audit-log records of another jurisdiction, even of the same year and date', async () => {
    const [inA, inB] = [randomUUID(), randomUUID()];
    const entriesA = await chainIn(J, inA);
    const entriesB = await chainIn(B, inB);
    await recordAuditorQuery(deps, auditor, 'GET /ledger/entries', { fiscalYear: String(year) }, 2);
    await recordAuditorQuery(deps, auditorB, 'GET /ledger/entries', { fiscalYear: String(year) }, 2);

    const entriesSeenBy = async (who: typeof auditor) =>
      (await allLedgerEntries(deps, who, { fiscalYear: year })).map((e) => e.entryId);
    expect(await entriesSeenBy(auditor)).toEqual(entriesA);
    expect(await entriesSeenBy(auditorB)).toEqual(entriesB);
    // Naming the other jurisdiction's allocation finds nothing: it is not in the caller's partitions.
    expect(
      (await listLedgerEntries(deps, auditor, { fiscalYear: year, allocationId: inB }, 10)).items,
    ).toEqual([]);

    expect((await listDigests(deps, auditor, date)).map((d) => d.allocationId)).toEqual([inA]);
    expect((await listDigests(deps, auditorB, date)).map((d) => [d.allocationId, d.jurisdiction])).toEqual([
      [inB, B],
    ]);
    expect(await deps.audit.digestsOfAllocation(J, inB)).toEqual([]);

    const logOf = async (who: typeof auditor) => (await listAuditLog(deps.audit, who, 500)).items;
    expect((await logOf(auditorB)).map((r) => [r.by, r.jurisdiction])).toEqual([['auditor-b', B]]);
    expect((await logOf(auditor)).some((r) => r.by === 'auditor-b')).toBe(false);
  });

  it('digests every jurisdiction’s allocations daily, each in its own, and verifies the caller’s only', async () => {
    // 2025: Tây Giang district's communes until 30 June, Đà Nẵng's new ones from 1 July.
    const shared = 2025;
    const inA = await ledgerOf(2, { fiscalYear: shared });
    const plannerB = { ...actor('planner-b', 'planner'), jurisdiction: B };
    const inB = (await givenAllocation(store, { fiscalYear: shared, commune: 'Hùng Sơn' }, plannerB)).id;
    const result = await recordDailyDigest(deps, [shared]);
    const today = result.date;

    expect(result.byJurisdiction).toMatchObject({ [J]: 1, [B]: 1 });
    expect(await deps.audit.digestsOfAllocation(B, inB)).toMatchObject([{ date: today, jurisdiction: B }]);
    expect(await deps.audit.digestsOfAllocation(J, inB)).toEqual([]);
    expect((await listDigests(deps, auditorB, today)).map((d) => d.allocationId)).toEqual([inB]);
    expect((await listDigests(deps, auditor, today)).map((d) => d.allocationId)).toContain(inA);

    expect(await verifyLedger(deps, auditorB, { fiscalYear: shared })).toMatchObject({
      valid: true,
      allocations: 1,
      checked: 0,
    });
    expect(await verifyLedger(deps, auditor, { fiscalYear: shared })).toMatchObject({
      valid: true,
      allocations: 1,
      checked: 2,
    });
    await expect(verifyLedger(deps, auditorB, { allocationId: inA })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it("refuses a position in another jurisdiction's partition with invalid_cursor", async () => {
    await chainIn(B, randomUUID());
    await chainIn(B, randomUUID());
    const pageB = await listLedgerEntries(deps, auditorB, { fiscalYear: year }, 1);
    await expect(
      listLedgerEntries(deps, auditor, { fiscalYear: year }, 1, pageB.nextCursor),
    ).rejects.toMatchObject({ code: 'invalid_cursor' });
    await recordAuditorQuery(deps, auditorB, 'GET /ledger/digests', { date }, 1);
    const logB = await listAuditLog(deps.audit, auditorB, 1);
    await expect(listAuditLog(deps.audit, auditor, 1, logB.nextCursor)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});
