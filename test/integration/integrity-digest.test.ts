import { BatchWriteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { generateYear } from '../../bench/integrity/generated-year.ts';
import { localDynamoClient } from '../../local/aws-local.ts';
import { policyFor } from '../../shared/ledger/domain/approval-policy.ts';
import {
  DynamoIntegrityDigestRepository,
  INTEGRITY_CHUNK_MEMBERS,
} from '../../shared/monitoring/adapters/integrity-digest-repository.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import {
  candidateSettingsFrom,
  digestClosedDays,
  requestsTheRulesJudge,
} from '../../shared/monitoring/app/integrity-digest.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import { MEMBER_BYTES } from '../../shared/monitoring/domain/integrity/digest-chunks.ts';
import { evaluateIntegrity } from '../../shared/monitoring/domain/integrity/evaluate-integrity.ts';
import {
  type DigestMember,
  digestAdditions,
  encodeMember,
  isCandidate,
} from '../../shared/monitoring/domain/integrity/integrity-digest.ts';
import { integrityPolicyFor } from '../../shared/monitoring/domain/integrity/integrity-policy.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { entryKeys, integrityDigestKeys, requestKeys } from '../../shared/platform/table/keys.ts';
import type { IsoDate } from '../../shared/platform/vn-calendar.ts';
import { ledgerOf } from '../support/generated-ledger.ts';
import { freshTable } from '../support/local-aws.ts';

const year = generateYear(2, { splitting: 2, sharedAccount: 2, doubleSupport: 2, deadlineBunching: 2 });
// The ledger the requests would have left: bunching reads the chains' tails.
const ledger = ledgerOf(year.allocations, year.requests);
const J = year.jurisdiction;
const FY = year.fiscalYear;
const settingsOf = candidateSettingsFrom(integrityConfig, approvalPolicies);

let table: Awaited<ReturnType<typeof freshTable>>;
let source: DynamoMonitoringRepository;
let digest: DynamoIntegrityDigestRepository;

/** Every item of a year's digest partition in a table, keys and all, read consistently, page by page. */
const partitionOf = async (t: Awaited<ReturnType<typeof freshTable>>, fiscalYear: number) => {
  const found: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await t.db.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': integrityDigestKeys.day(J, fiscalYear).pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
};

/** Every item of the year's digest partition, keys and all. */
const digestItems = () => partitionOf(table, FY);

const digestThrough = (through: IsoDate) =>
  digestClosedDays(
    { source, digest, supportRules, settingsOf },
    J,
    FY,
    async () => `${FY}-01-01`,
    through,
    400,
  );

/** A table of its own holding the generated year's requests and the ledger they left. */
const tableWithYear = async (label: string) => {
  const t = await freshTable(label);
  const items = [
    ...year.requests.map((r) => ({ ...requestKeys.item(J, r), ...r })),
    ...ledger.entries.map((e) => ({ ...entryKeys.item(J, e), ...e })),
  ];
  for (let i = 0; i < items.length; i += 25) {
    await t.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [t.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
  return t;
};

/** What the rules judge besides the requests and `asOf`: the year's allocations (heads) and settings. */
const rulesInput = {
  fiscalYear: FY,
  allocations: ledger.allocations,
  payees: year.payees,
  approvalPolicy: policyFor(approvalPolicies, J, FY),
  supportRules,
  deadlineRules,
  policy: integrityPolicyFor(integrityConfig, J),
};

/** The whole year's cases and the digest's, at `asOf`. */
const bothWays = async (
  s: { source: DynamoMonitoringRepository; digest: DynamoIntegrityDigestRepository },
  asOf: IsoDate,
) => {
  const whole = evaluateIntegrity({
    ...rulesInput,
    asOf,
    requests: await s.source.listRequestsOfAllocations(
      J,
      year.allocations.map((a) => a.id),
    ),
  });
  const judged = await requestsTheRulesJudge(
    { source: s.source, digest: s.digest, supportRules, settingsOf },
    {
      jurisdiction: J,
      fiscalYear: FY,
      asOf,
      allocations: ledger.allocations,
      payees: year.payees,
      deadlineRules,
      policy: rulesInput.policy,
    },
  );
  return { whole, digested: judged && evaluateIntegrity({ ...rulesInput, asOf, ...judged }) };
};

beforeAll(async () => {
  table = await tableWithYear('integrity-digest');
  source = new DynamoMonitoringRepository(table.db, table.tableName);
  digest = new DynamoIntegrityDigestRepository(table.db, table.tableName);
}, 120_000);

describe('integrity digest against DynamoDB Local (issue 20)', () => {
  it('lists requests by creation in a key range, and gets them by id', async () => {
    const made = await source.listRequestsCreatedBetween(
      J,
      `${FY}-09-01T00:00:00.000Z`,
      `${FY}-10-01T00:00:00.000Z`,
    );
    const expected = year.requests
      .filter((r) => r.createdAt >= `${FY}-09-01T00:00:00.000Z` && r.createdAt < `${FY}-10-01T00:00:00.000Z`)
      .map((r) => r.id)
      .sort();
    expect(made.map((r) => r.id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    const some = expected.slice(0, 3);
    expect((await source.getRequests(J, [...some, 'no-such-request'])).map((r) => r.id).sort()).toEqual(some);
  });

  it('digested through a day, a run finds the cases of the whole year from the digest', async () => {
    const through = `${FY}-11-30` as IsoDate;
    const result = await digestThrough(through);
    expect(result.days).toBeGreaterThan(300);
    expect((await digest.digestDay(J, FY))?.date).toBe(through);
    for (const asOf of [`${FY}-11-30`, `${FY + 1}-01-31`] as IsoDate[]) {
      const { whole, digested } = await bothWays({ source, digest }, asOf);
      expect(digested).toEqual(whole);
      expect(whole.length).toBeGreaterThan(0);
      // Bunching judged from the chains' tails, on a real case once the windows have opened.
      if (asOf > `${FY}-12-31`) expect(whole.some((c) => c.details.rule === 'deadline-bunching')).toBe(true);
    }
  });

  it('writing a day again changes no item; the day never moves back unless the settings change', async () => {
    const before = await digestItems();
    // The days digested, written again (as a rerun after a crash would): the same items.
    const digested = year.requests.filter((r) => r.createdAt < `${FY}-11-30T17:00:00.000Z`);
    const whole = await digest.addToGroups(J, FY, digestAdditions(digested, FY, supportRules));
    await digest.markCandidates(
      J,
      FY,
      whole.filter((g) => isCandidate(g.group, g.members, settingsOf(J, FY))),
    );
    await digest.setDigestDay(J, FY, `${FY}-03-01`, (await digest.digestDay(J, FY))?.settings ?? '');
    expect(await digestItems()).toEqual(before);
    expect(before.filter((i) => String(i.sk).startsWith('C#')).length).toBeGreaterThan(0);
    expect((await digest.digestDay(J, FY))?.date).toBe(`${FY}-11-30`);
    await digest.setDigestDay(J, FY, `${FY}-03-01`, 'other-settings');
    expect(await digest.digestDay(J, FY)).toEqual({ date: `${FY}-03-01`, settings: 'other-settings' });
    // A digest of other settings is not used by a run; the job starts it over and catches up.
    const run = {
      jurisdiction: J,
      fiscalYear: FY,
      asOf: `${FY}-11-30` as IsoDate,
      allocations: ledger.allocations,
      payees: year.payees,
      deadlineRules,
      policy: integrityPolicyFor(integrityConfig, J),
    };
    expect(await requestsTheRulesJudge({ source, digest, supportRules, settingsOf }, run)).toBeUndefined();
    await digestThrough(`${FY}-11-30`);
    expect((await digest.digestDay(J, FY))?.date).toBe(`${FY}-11-30`);
    expect(await requestsTheRulesJudge({ source, digest, supportRules, settingsOf }, run)).toBeDefined();
  }, 120_000);
});

describe('integrity digest groups in chunks (an item never outgrows its bound)', () => {
  /** A year of its own in the same table, so the generated year's digest above is left alone. */
  const CY = 2031;
  const CHUNK = 3;
  const tiny = () => new DynamoIntegrityDigestRepository(table.db, table.tableName, { chunkMembers: CHUNK });

  /** Request n, made on day `day` of March (later n, later in the day). */
  const member = (n: number, day: number): DigestMember => ({
    id: `req-${String(n).padStart(4, '0')}`,
    createdAt: `${CY}-03-${String(day).padStart(2, '0')}T02:${String(n % 60).padStart(2, '0')}:00.000Z`,
    amountVnd: 1_000_000 + n,
    fundingLine: 'local',
    investor: 'commune',
  });
  const range = (from: number, to: number, day: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => member(from + i, day));

  /** The raw items of a group or candidate (`G#`/`C#`): head and sealed chunks, keys and all. */
  const itemsOf = async (kind: 'group' | 'candidate', group: string) =>
    (await partitionOf(table, CY)).filter((i) => {
      const part = integrityDigestKeys.partOf({ pk: String(i.pk), sk: String(i.sk) });
      return part?.kind === kind && part.group === group;
    });
  const idsIn = (items: Record<string, unknown>[]) =>
    items.flatMap((i) => [...((i.members as Set<string>) ?? [])]).map((m) => m.slice(0, m.indexOf('|')));
  const ids = (members: readonly DigestMember[]) => members.map((m) => m.id).sort();
  /** Adds members to one group, as the daily job does (a candidate group answers whole). */
  const addTo = async (repo: DynamoIntegrityDigestRepository, group: string, members: DigestMember[]) =>
    (await repo.addToGroups(J, CY, [{ group, candidate: true, members }]))[0]?.members ?? [];

  it('reads a group of many chunks back whole, each request once, with no item above the bound', async () => {
    const repo = tiny();
    const group = 'pair:id:big-supplier|alloc-1';
    // Day after day, a few members at a time, one day more than a chunk at once.
    const days = [range(1, 2, 1), range(3, 5, 2), range(6, 6, 3), range(7, 14, 4), range(15, 17, 5)];
    let answered: DigestMember[] = [];
    for (const day of days) answered = await addTo(repo, group, day);
    const all = days.flat();
    expect(ids(answered)).toEqual(ids(all));
    expect((await repo.groupIds(J, CY, [group])).sort()).toEqual(ids(all));
    const items = await itemsOf('group', group);
    expect(items.length).toBeGreaterThanOrEqual(Math.ceil(all.length / CHUNK));
    for (const item of items) expect((item.members as Set<string>).size).toBeLessThanOrEqual(CHUNK);
    expect(idsIn(items).sort()).toEqual(ids(all));
    const head = items.find((i) => i.sk === integrityDigestKeys.group(J, CY, group).sk);
    expect(head?.sealedChunks).toBe(items.length - 1);
    // The answer of an addition is whole too when it needs no read (members newer than the sealed).
    expect(ids(await addTo(repo, group, [member(18, 6)]))).toEqual(ids([...all, member(18, 6)]));
  });

  it('adds nothing when members are added again, whatever the batches, and never loses one', async () => {
    const repo = tiny();
    const group = 'payee:again';
    // 16 members: the last chunk open with one, room for two more.
    const all = range(101, 116, 7);
    for (let i = 0; i < all.length; i += 4) await addTo(repo, group, all.slice(i, i + 4));
    const before = await itemsOf('group', group);
    // A rerun of the days, a retry of one day, everything at once, one old member alone.
    for (let i = 0; i < all.length; i += 4) await addTo(repo, group, all.slice(i, i + 4));
    await addTo(repo, group, all.slice(5, 9));
    expect(ids(await addTo(repo, group, all))).toEqual(ids(all));
    // A sealed member alone, and with an open one: the open chunk has room, yet they are held already.
    await addTo(repo, group, [member(101, 7)]);
    await addTo(repo, group, [member(105, 7), member(116, 7)]);
    expect(await itemsOf('group', group)).toEqual(before);
    expect((await repo.groupIds(J, CY, [group])).sort()).toEqual(ids(all));
  });

  it('loses nothing and holds each request once when two runs add the same days at once', async () => {
    const group = 'pair:id:overlap|alloc-2';
    const [first, second, third] = [tiny(), tiny(), tiny()];
    const expected: DigestMember[] = [];
    for (let day = 1; day <= 6; day++) {
      const made = range(200 + day * 10, 200 + day * 10 + day, day);
      expected.push(...made);
      // Two runs of the same day, and a third with part of it: all at once.
      await Promise.all([
        addTo(first, group, made),
        addTo(second, group, made),
        addTo(third, group, made.slice(0, 2)),
      ]);
    }
    expect((await tiny().groupIds(J, CY, [group])).sort()).toEqual(ids(expected));
    const items = await itemsOf('group', group);
    expect(idsIn(items).sort()).toEqual(ids(expected));
    for (const item of items) expect((item.members as Set<string>).size).toBeLessThanOrEqual(CHUNK);
  });

  it('marks a chunked candidate whole, and lists it whole in one query', async () => {
    const repo = tiny();
    const group = 'support:housing|id:twice';
    const all = range(301, 311, 8);
    let whole: DigestMember[] = [];
    for (let i = 0; i < all.length; i += 3) {
      whole = await addTo(repo, group, all.slice(i, i + 3));
      await repo.markCandidates(J, CY, [{ group, members: whole }]);
    }
    expect(ids(whole)).toEqual(ids(all));
    // Marked again (a rerun): the same items.
    const before = await itemsOf('candidate', group);
    await repo.markCandidates(J, CY, [{ group, members: whole }]);
    expect(await itemsOf('candidate', group)).toEqual(before);
    expect(before.length).toBeGreaterThan(1);
    for (const item of before) expect((item.members as Set<string>).size).toBeLessThanOrEqual(CHUNK);
    const listed = await repo.candidateIds(J, CY);
    expect(ids(all).every((id) => listed.includes(id))).toBe(true);
    expect(listed.filter((id) => id.startsWith('req-03'))).toHaveLength(all.length);
  });

  it('reads a head written before chunks as a group of one chunk, and splits it at its next addition', async () => {
    const repo = tiny();
    const group = 'pair:id:legacy|alloc-3';
    const old = range(401, 405, 9);
    for (const [key, type] of [
      [integrityDigestKeys.group(J, CY, group), 'integrity-group'],
      [integrityDigestKeys.candidate(J, CY, group), 'integrity-candidate'],
    ] as const) {
      await table.db.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { ...key, type, members: new Set(old.map(encodeMember)) },
        }),
      );
    }
    expect((await repo.groupIds(J, CY, [group])).sort()).toEqual(ids(old));
    const listed = await repo.candidateIds(J, CY);
    expect(ids(old).every((id) => listed.includes(id))).toBe(true);
    // An old member again adds nothing; a new one splits the head into chunks.
    expect(ids(await addTo(repo, group, [member(402, 9)]))).toEqual(ids(old));
    expect(ids(await addTo(repo, group, [member(406, 10)]))).toEqual(ids([...old, member(406, 10)]));
    const items = await itemsOf('group', group);
    expect(items.length).toBe(2);
    for (const item of items) expect((item.members as Set<string>).size).toBeLessThanOrEqual(CHUNK);
    expect(idsIn(items).sort()).toEqual(ids([...old, member(406, 10)]));
  });

  it('bounds a chunk in bytes too: members of long ids are cut by size, and never added without a read', async () => {
    const repo = tiny();
    const group = 'payee:long-ids';
    // Ids of 300 characters: members of ~370 bytes, past 256 (long); three of them pass a chunk's 768.
    const long = (n: number, day: number): DigestMember => ({
      ...member(n, day),
      id: `${'l'.repeat(292)}-${n}`,
    });
    // One at a time: two long members fill a chunk's bytes (~740 of 768), a third short one passes them.
    const days = [
      [member(501, 11), member(502, 11)],
      [long(503, 12)],
      [long(504, 13)],
      [long(505, 14)],
      [member(506, 15)],
      [member(507, 16)],
      [long(508, 17), member(509, 17)],
    ];
    for (const day of days) await addTo(repo, group, day);
    const all = days.flat();
    expect((await repo.groupIds(J, CY, [group])).sort()).toEqual(ids(all));
    const items = await itemsOf('group', group);
    expect(idsIn(items).sort()).toEqual(ids(all));
    const bound = CHUNK * MEMBER_BYTES;
    for (const item of items) {
      const members = [...(item.members as Set<string>)];
      const bytes = members.reduce((n, m) => n + Buffer.byteLength(m), 0);
      expect(members.length).toBeLessThanOrEqual(CHUNK);
      expect(members.length === 1 || bytes <= bound).toBe(true);
    }
    const head = items.find((i) => i.sk === integrityDigestKeys.group(J, CY, group).sk);
    const longOpen = [...((head?.members as Set<string> | undefined) ?? [])].some(
      (m) => Buffer.byteLength(m) > MEMBER_BYTES,
    );
    expect(head?.longOpen === true).toBe(longOpen);
  });

  it('bills an addition to a large group for its open chunk only, not the whole group', async () => {
    // A client of its own that asks for the units consumed.
    const units: { command: string; units: number }[] = [];
    const raw = localDynamoClient(inject('dynamoEndpoint'));
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
          CapacityUnits?: number;
        }[];
        units.push({
          command: String(context.commandName),
          units: list.reduce((a, c) => a + (c.CapacityUnits ?? 0), 0),
        });
        return result;
      },
      { step: 'initialize', name: 'unitCounter' },
    );
    const db = createDocumentClient(raw);
    /** A supplier's request n: made on day n / 40 from 1 March, an id of 39 characters. */
    const supplied = (n: number): DigestMember => ({
      ...member(n, 1),
      id: `request-of-a-supplier-paid-daily-${String(n).padStart(6, '0')}`,
      createdAt: new Date(
        Date.UTC(CY, 2, 1) + Math.floor(n / 40) * 86_400_000 + (n % 40) * 1000,
      ).toISOString(),
    });
    /** 2,400 members over 60 days (40 a day), then one more the next day: its writes and their units. */
    const lastAddition = async (repo: DynamoIntegrityDigestRepository, group: string) => {
      for (let day = 0; day < 60; day++) {
        const made = Array.from({ length: 40 }, (_, i) => supplied(day * 40 + i));
        await repo.addToGroups(J, CY, [{ group, candidate: false, members: made }]);
      }
      units.length = 0;
      await repo.addToGroups(J, CY, [{ group, candidate: false, members: [supplied(2_400)] }]);
      return [...units];
    };
    const chunked = await lastAddition(
      new DynamoIntegrityDigestRepository(db, table.tableName),
      'payee:paid-thousands-of-times',
    );
    // The layout before chunks, as a chunk larger than the group.
    const whole = await lastAddition(
      new DynamoIntegrityDigestRepository(db, table.tableName, { chunkMembers: 100_000 }),
      'payee:paid-thousands-of-times-in-one-item',
    );
    const items = await itemsOf('group', 'payee:paid-thousands-of-times');
    const bytes = items.map((i) => [...(i.members as Set<string>)].reduce((a, m) => a + m.length, 0));
    expect(idsIn(items)).toHaveLength(2_401);
    expect(new Set(idsIn(items)).size).toBe(2_401);
    for (const item of items) {
      expect((item.members as Set<string>).size).toBeLessThanOrEqual(INTEGRITY_CHUNK_MEMBERS);
    }
    expect(items.length).toBeGreaterThanOrEqual(5);
    // One member more, the next day: one update of the open chunk, no read, billed on it alone.
    expect(chunked.map((u) => u.command)).toEqual(['UpdateItemCommand']);
    expect(whole.map((u) => u.command)).toEqual(['UpdateItemCommand']);
    const [inChunks = 0, inOne = 0] = [chunked[0]?.units, whole[0]?.units];
    expect(inOne).toBeGreaterThan(150);
    expect(inChunks).toBeGreaterThan(0);
    expect(inChunks).toBeLessThanOrEqual(Math.ceil(Math.max(...bytes) / 1024) + 2);
    console.info(
      `integrity digest write units for one member added to a group of 2,400: ${inChunks} in chunks (${items.length} items, ${bytes.join(', ')} bytes of members), ${inOne} in one item`,
    );
  }, 180_000);
});

// Chunks of 1 (every candidate, two requests or more, spans chunks) and of 3 (groups of up to 17 requests
// in up to 6 items; the year's candidates, 2–4 requests, mostly fit one).
describe.each([
  { CHUNK: 1, candidatesInChunks: true },
  { CHUNK: 3, candidatesInChunks: false },
])(
  'integrity digest in chunks of $CHUNK: a digest written before chunks grows into them (issue 20)',
  ({ CHUNK, candidatesInChunks }) => {
    let chunked: Awaited<ReturnType<typeof freshTable>>;
    let s: { source: DynamoMonitoringRepository; digest: DynamoIntegrityDigestRepository };

    /** Every item of the year's digest partition, read consistently. */
    const partition = () => partitionOf(chunked, FY);
    const digestWith = (repo: DynamoIntegrityDigestRepository, through: IsoDate) =>
      digestClosedDays(
        { source: s.source, digest: repo, supportRules, settingsOf },
        J,
        FY,
        async () => `${FY}-01-01`,
        through,
        400,
      );

    beforeAll(async () => {
      chunked = await tableWithYear(`integrity-digest-chunks-${CHUNK}`);
      s = {
        source: new DynamoMonitoringRepository(chunked.db, chunked.tableName),
        digest: new DynamoIntegrityDigestRepository(chunked.db, chunked.tableName, { chunkMembers: CHUNK }),
      };
    }, 120_000);

    it('finds the same cases in the same order, every group whole, no item above a chunk', async () => {
      // Half a year digested as before chunks: heads holding every member, no chunk fields.
      await digestWith(new DynamoIntegrityDigestRepository(chunked.db, chunked.tableName), `${FY}-06-30`);
      const old = (await partition()).filter((i) => String(i.sk) !== 'DAY');
      for (const item of old) {
        await chunked.db.send(
          new UpdateCommand({
            TableName: chunked.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'REMOVE sealedChunks',
          }),
        );
      }
      expect(old.some((i) => (i.members as Set<string>).size > CHUNK)).toBe(true);
      // The oracle on the old layout, then the rest of the year digested in chunks of 3.
      const before = await bothWays(s, `${FY}-06-30`);
      expect(before.digested).toEqual(before.whole);
      await digestWith(s.digest, `${FY}-11-30`);
      expect((await s.digest.digestDay(J, FY))?.date).toBe(`${FY}-11-30`);
      for (const asOf of [`${FY}-11-30`, `${FY + 1}-01-31`] as IsoDate[]) {
        const { whole, digested } = await bothWays(s, asOf);
        expect(digested).toEqual(whole);
        expect(whole.length).toBeGreaterThan(0);
      }
      // Every group holds its requests, each once; only heads never added to since keep the old layout.
      const items = await partition();
      const expected = digestAdditions(
        year.requests.filter((r) => r.createdAt < `${FY}-11-30T17:00:00.000Z`),
        FY,
        supportRules,
      );
      const groups = expected.map((a) => a.group);
      const stored = await s.digest.groupIds(J, FY, groups);
      expect(stored.sort()).toEqual([...new Set(expected.flatMap((a) => a.members.map((m) => m.id)))].sort());
      const partOf = (i: Record<string, unknown>) =>
        integrityDigestKeys.partOf({ pk: String(i.pk), sk: String(i.sk) });
      const heads = items.filter((i) => partOf(i)?.group !== undefined && partOf(i)?.chunk === undefined);
      const sealed = items.filter((i) => partOf(i)?.chunk !== undefined);
      const size = (i: Record<string, unknown>) => (i.members as Set<string>).size;
      for (const head of heads.filter((i) => i.sealedChunks !== undefined)) {
        expect(size(head)).toBeLessThanOrEqual(CHUNK);
      }
      for (const chunk of sealed) expect(size(chunk)).toBeLessThanOrEqual(CHUNK);
      // Every group of more than a chunk that grew after June is in chunks, as many as its members take.
      const inJune = new Map(
        digestAdditions(
          year.requests.filter((r) => r.createdAt < `${FY}-06-30T17:00:00.000Z`),
          FY,
          supportRules,
        ).map((a) => [a.group, a.members.length]),
      );
      const grown = expected.filter(
        (a) => a.members.length > CHUNK && a.members.length > (inJune.get(a.group) ?? 0),
      );
      expect(grown.length).toBeGreaterThan(10);
      for (const a of grown) {
        const head = heads.find((i) => i.sk === integrityDigestKeys.group(J, FY, a.group).sk);
        expect(Number(head?.sealedChunks)).toBeGreaterThanOrEqual(Math.ceil(a.members.length / CHUNK) - 1);
      }
      const candidates = expected.filter((a) => isCandidate(a.group, a.members, settingsOf(J, FY)));
      expect(candidates.length).toBeGreaterThan(0);
      for (const a of candidates.filter((c) => c.members.length > CHUNK)) {
        const head = heads.find((i) => i.sk === integrityDigestKeys.candidate(J, FY, a.group).sk);
        expect(Number(head?.sealedChunks)).toBeGreaterThanOrEqual(Math.ceil(a.members.length / CHUNK) - 1);
      }
      expect(sealed.some((i) => String(i.sk).startsWith('C#'))).toBe(candidatesInChunks);
      expect(sealed.length).toBe(heads.reduce((n, i) => n + Number(i.sealedChunks ?? 0), 0));
    }, 240_000);

    it('writing the days again changes no item', async () => {
      const before = await partition();
      const digested = year.requests.filter((r) => r.createdAt < `${FY}-11-30T17:00:00.000Z`);
      const whole = await s.digest.addToGroups(J, FY, digestAdditions(digested, FY, supportRules));
      await s.digest.markCandidates(
        J,
        FY,
        whole.filter((g) => isCandidate(g.group, g.members, settingsOf(J, FY))),
      );
      expect(await partition()).toEqual(before);
    }, 240_000);
  },
);
