import { describe, expect, it } from 'vitest';
import { CLEAN, generateYear } from '../../bench/integrity/generated-year.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import { policyFor } from '../../shared/ledger/domain/approval-policy.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { type LedgerEntry, movesCapital } from '../../shared/ledger/domain/ledger-entry.ts';
import {
  bunchingFactsThroughTails,
  candidateSettingsFrom,
  digestClosedDays,
  inListingOrder,
  requestsTheRulesJudge,
} from '../../shared/monitoring/app/integrity-digest.ts';
import type { IntegrityDigestStore, IntegritySource } from '../../shared/monitoring/app/ports.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import {
  bunchingWindowsOf,
  findDeadlineBunching,
  judgeDeadlineBunching,
} from '../../shared/monitoring/domain/integrity/deadline-bunching.ts';
import { evaluateIntegrity } from '../../shared/monitoring/domain/integrity/evaluate-integrity.ts';
import {
  type DigestMember,
  digestAdditions,
  digestGroupsOf,
  sharedPayeeGroups,
} from '../../shared/monitoring/domain/integrity/integrity-digest.ts';
import { integrityPolicyFor } from '../../shared/monitoring/domain/integrity/integrity-policy.ts';
import type { Payee } from '../../shared/payees/domain/payee.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { addDays, type IsoDate, vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { ledgerOf, plantBunchingEdges } from '../support/generated-ledger.ts';

const J = 'tay-giang';
const policy = integrityPolicyFor(integrityConfig, J);
const settingsOf = candidateSettingsFrom(integrityConfig, approvalPolicies);

/**
 * The store and reads in memory, as the DynamoDB adapters behave: ids added as sets, a group of two or
 * more copied whole to the candidates, requests listed by creation, a chain's tail read back from the
 * head given. Counts the requests it hands out and the entries a tail read goes through.
 */
class MemoryDigest implements IntegrityDigestStore, IntegritySource {
  groups = new Map<string, Map<string, DigestMember>>();
  candidates = new Map<string, Set<string>>();
  day: { date: string; settings: string } | undefined;
  requestsRead = 0;
  /** The ledger's entries (every chain), from {@link ledgerOf}. */
  entries: LedgerEntry[] = [];
  entriesRead = 0;
  /** Throws on the nth group written (a crash mid-day), once. */
  crashAt: number | undefined;
  private writes = 0;

  constructor(
    public requests: DisbursementRequest[],
    private readonly payees: Payee[],
  ) {}

  private hand(found: DisbursementRequest[]) {
    this.requestsRead += found.length;
    return found.map((r) => ({ ...r }));
  }

  async listRequestsOfAllocations(_j: string, ids: readonly string[]) {
    return this.hand(
      ids.flatMap((id) =>
        inListingOrder(
          [{ id }],
          this.requests.filter((r) => r.allocationId === id),
        ),
      ),
    );
  }
  async listPayees() {
    return this.payees;
  }
  async listRequestsCreatedBetween(_j: string, from?: string, to?: string) {
    return this.hand(
      this.requests.filter(
        (r) => (from === undefined || r.createdAt >= from) && (to === undefined || r.createdAt < to),
      ),
    );
  }
  async getRequests(_j: string, ids: readonly string[]) {
    const wanted = new Set(ids);
    return this.hand(this.requests.filter((r) => wanted.has(r.id)));
  }
  async listPaymentsSince(_j: string, allocation: Pick<Allocation, 'id' | 'headSeq'>, since: string) {
    const chain = this.entries
      .filter((e) => e.allocationId === allocation.id && e.seq <= allocation.headSeq)
      .sort((x, y) => y.seq - x.seq);
    const payments: LedgerEntry[] = [];
    for (const e of chain) {
      this.entriesRead += 1;
      if (movesCapital(e)) continue;
      if (e.postedAt < since) break;
      payments.push({ ...e });
    }
    return payments;
  }
  async addToGroups(
    _j: string,
    _fy: number,
    additions: readonly { group: string; candidate: boolean; members: readonly DigestMember[] }[],
  ) {
    const whole: { group: string; members: DigestMember[] }[] = [];
    for (const a of additions) {
      this.crash();
      const all = this.groups.get(a.group) ?? new Map<string, DigestMember>();
      for (const m of a.members) all.set(m.id, m);
      this.groups.set(a.group, all);
      if (a.candidate) whole.push({ group: a.group, members: [...all.values()] });
    }
    return whole;
  }
  async markCandidates(
    _j: string,
    _fy: number,
    groups: readonly { group: string; members: readonly DigestMember[] }[],
  ) {
    for (const g of groups) {
      this.crash();
      const copy = this.candidates.get(g.group) ?? new Set<string>();
      for (const m of g.members) copy.add(m.id);
      this.candidates.set(g.group, copy);
    }
  }
  private crash() {
    this.writes += 1;
    if (this.crashAt !== undefined && this.writes === this.crashAt) {
      this.crashAt = undefined;
      throw new Error('crashed mid-day');
    }
  }
  async groupIds(_j: string, _fy: number, groups: readonly string[]) {
    return [...new Set(groups.flatMap((g) => [...(this.groups.get(g)?.keys() ?? [])]))];
  }
  /** Whether a request is in a candidate group. */
  candidateOf(id: string) {
    return [...this.candidates.values()].some((s) => s.has(id));
  }
  async candidateIds() {
    return [...new Set([...this.candidates.values()].flatMap((s) => [...s]))];
  }
  async digestDay() {
    return this.day;
  }
  async setDigestDay(_j: string, _fy: number, date: string, settings: string) {
    if (this.day === undefined || this.day.date < date || this.day.settings !== settings) {
      this.day = { date, settings };
    }
  }
}

/** A pseudo-random generator (mulberry32), seeded: the same changes every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const PLANTED = { splitting: 3, sharedAccount: 3, doubleSupport: 3, deadlineBunching: 3 };

/**
 * The whole-year evaluation (the oracle) and the digest's, on the same store; the ledger built from its
 * requests as they now stand (each paid one posted, the allocations' heads its chains').
 */
const bothWays = async (store: MemoryDigest, year: ReturnType<typeof generateYear>, asOf: IsoDate) => {
  const ledger = ledgerOf(year.allocations, store.requests);
  store.entries = ledger.entries;
  const input = {
    fiscalYear: year.fiscalYear,
    asOf,
    allocations: ledger.allocations,
    payees: year.payees,
    approvalPolicy: policyFor(approvalPolicies, J, year.fiscalYear),
    supportRules,
    deadlineRules,
    policy,
  };
  const whole = evaluateIntegrity({
    ...input,
    requests: await store.listRequestsOfAllocations(
      J,
      year.allocations.map((a) => a.id),
    ),
  });
  store.requestsRead = 0;
  const judged = await requestsTheRulesJudge(
    { source: store, digest: store, supportRules, settingsOf },
    {
      jurisdiction: J,
      fiscalYear: year.fiscalYear,
      asOf,
      allocations: ledger.allocations,
      payees: year.payees,
      deadlineRules,
      policy,
    },
  );
  const read = store.requestsRead;
  return { whole, digested: judged && evaluateIntegrity({ ...input, ...judged }), read };
};

/** Digests every closed day up to `through` (the daily job's part), in runs of at most 40 days. */
const digestThrough = async (store: MemoryDigest, fiscalYear: number, through: IsoDate) => {
  for (let run = 0; run < 30; run++) {
    const { days } = await digestClosedDays(
      { source: store, digest: store, supportRules, settingsOf },
      J,
      fiscalYear,
      async () => `${fiscalYear}-01-01`,
      through,
      40,
    );
    if (days === 0) return;
  }
};

describe('integrity digest (issue 20): the same cases as the whole year, from a bounded read', () => {
  it('puts a request in its payee-on-allocation, payee and support groups', () => {
    const year = generateYear(3, CLEAN);
    const housed = year.requests.find((r) => r.component === 'DA5' && r.payeeId !== undefined);
    expect(housed).toBeDefined();
    const groups = digestGroupsOf(housed as DisbursementRequest, supportRules).map((g) => g.group);
    expect(groups).toEqual([
      `pair:id:${housed?.payeeId}|${housed?.allocationId}`,
      `payee:${housed?.payeeId}`,
      `support:housing-once|id:${housed?.payeeId}`,
    ]);
    // Requests of another fiscal year add nothing to this one's digest.
    expect(digestAdditions(year.requests, year.fiscalYear + 1, supportRules)).toEqual([]);
  });

  // The oracle: on generated years with planted cases of every rule, digested up to a day and with
  // statuses changed after it (rejections, payments), every run from that day on finds exactly the
  // whole year's cases, in the same order, while reading far fewer requests.
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: equal cases at every asOf, after status changes, at a fraction of the reads`, async () => {
      const year = generateYear(seed, PLANTED);
      const store = new MemoryDigest(
        year.requests.map((r) => ({ ...r })),
        year.payees,
      );
      const rand = random(seed);
      const fy = year.fiscalYear;
      let judgedSomething = false;
      for (const digested of [`${fy}-03-31`, `${fy}-09-15`, `${fy}-12-31`, `${fy + 1}-01-25`] as IsoDate[]) {
        await digestThrough(store, fy, digested);
        expect(store.day?.date).toBe(digested);
        // After the digested day: some live requests rejected, some pending ones paid.
        for (const r of store.requests) {
          const roll = rand();
          if (r.status === 'pending_approval' && roll < 0.3) {
            r.status = 'disbursed';
            r.updatedAt = `${addDays(digested, 1)}T03:00:00.000Z`;
          } else if (r.status !== 'rejected' && roll < 0.03) r.status = 'rejected';
        }
        for (const asOf of [addDays(digested, -40), digested, addDays(digested, 1), `${fy + 1}-01-31`]) {
          const { whole, digested: found, read } = await bothWays(store, year, asOf as IsoDate);
          expect(found).toEqual(whole);
          if (whole.length > 0) judgedSomething = true;
          // Before any bunching window opens, the digest reads the requests made since the digested
          // day and a small part of the others.
          const since = store.requests.filter((r) => vnDateOf(r.createdAt) > digested).length;
          if (asOf < `${fy}-12-22`) expect(read - since).toBeLessThan(store.requests.length / 4);
        }
      }
      expect(judgedSomething).toBe(true);
      // Every rule found something on these years (so each was compared on a real case).
      const { whole } = await bothWays(store, year, `${fy + 1}-01-31`);
      expect(new Set(whole.map((c) => c.details.rule))).toEqual(
        new Set(['splitting', 'shared-account', 'double-support', 'deadline-bunching']),
      );
    });
  }

  it('requests made after the last digested day are judged with the rest of their groups', async () => {
    const year = generateYear(5, PLANTED);
    const store = new MemoryDigest(year.requests, year.payees);
    // Nothing digested: no answer (the monitor reads the year).
    expect(
      await requestsTheRulesJudge(
        { source: store, digest: store, supportRules, settingsOf },
        {
          jurisdiction: J,
          fiscalYear: year.fiscalYear,
          asOf: `${year.fiscalYear}-06-30`,
          allocations: year.allocations,
          payees: year.payees,
          deadlineRules,
          policy,
        },
      ),
    ).toBeUndefined();
    // Digested up to the middle of a planted split: its later parts come from the new requests.
    const split = year.planted.find((p) => p.rule === 'splitting');
    const parts = year.requests.filter((r) => split?.rule === 'splitting' && split.requestIds.includes(r.id));
    const first = vnDateOf(parts.map((r) => r.createdAt).sort()[0] ?? '');
    await digestThrough(store, year.fiscalYear, first);
    const { whole, digested } = await bothWays(store, year, `${year.fiscalYear}-12-01`);
    expect(digested).toEqual(whole);
    expect(whole.some((c) => c.details.rule === 'splitting')).toBe(true);
  });

  it("a new request does not bring its payee's other requests, unless the payee shares an account", async () => {
    const year = generateYear(7, CLEAN);
    const fy = year.fiscalYear;
    const store = new MemoryDigest(year.requests, year.payees);
    const digested = `${fy}-09-30` as IsoDate;
    await digestThrough(store, fy, digested);
    // The payee with the most requests of the year, one of them made after the digested day.
    const shared = new Set(sharedPayeeGroups(year.payees));
    const byPayee = new Map<string, DisbursementRequest[]>();
    for (const r of year.requests) {
      if (r.payeeId !== undefined) byPayee.set(r.payeeId, [...(byPayee.get(r.payeeId) ?? []), r]);
    }
    const [payee, theirs = []] =
      [...byPayee]
        .filter(([id, rs]) => !shared.has(`payee:${id}`) && rs.some((r) => vnDateOf(r.createdAt) > digested))
        .sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    expect(theirs.length).toBeGreaterThan(5);
    const judged = await requestsTheRulesJudge(
      { source: store, digest: store, supportRules, settingsOf },
      {
        jurisdiction: J,
        fiscalYear: fy,
        asOf: addDays(digested, 1),
        allocations: year.allocations,
        payees: year.payees,
        deadlineRules,
        policy,
      },
    );
    // Only those made since, and those of its groups with them (payee on allocation, support).
    const fresh = theirs.filter((r) => vnDateOf(r.createdAt) > digested);
    const pairs = new Set(fresh.map((r) => r.allocationId));
    const judgedTheirs = (judged?.requests ?? []).filter((r) => r.payeeId === payee);
    expect(judgedTheirs.length).toBeLessThan(theirs.length);
    expect(judgedTheirs.every((r) => pairs.has(r.allocationId) || store.candidateOf(r.id))).toBe(true);
  });

  it('a day digested again, or after a crash half-way, leaves the same digest', async () => {
    const year = generateYear(6, PLANTED);
    const clean = new MemoryDigest(year.requests, year.payees);
    await digestThrough(clean, year.fiscalYear, `${year.fiscalYear}-12-31`);
    const crashed = new MemoryDigest(year.requests, year.payees);
    crashed.crashAt = 300;
    await expect(digestThrough(crashed, year.fiscalYear, `${year.fiscalYear}-12-31`)).rejects.toThrow(
      'crashed mid-day',
    );
    await digestThrough(crashed, year.fiscalYear, `${year.fiscalYear}-12-31`);
    // And a rerun over days already digested (the marker moved back by hand) changes nothing.
    crashed.day = { date: `${year.fiscalYear}-06-30`, settings: crashed.day?.settings ?? '' };
    await digestThrough(crashed, year.fiscalYear, `${year.fiscalYear}-12-31`);
    expect(crashed.groups).toEqual(clean.groups);
    expect(crashed.candidates).toEqual(clean.candidates);
    expect(crashed.day).toEqual(clean.day);
  });
});

describe('bunching from the chains’ tails (issue 20): the same cases as every request', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: equal bunching cases, in order, at the window's edges and at past days`, async () => {
      const year = generateYear(seed, PLANTED);
      const edges = plantBunchingEdges(year);
      const requests = [...year.requests, ...edges.requests];
      const store = new MemoryDigest(requests, year.payees);
      const ledger = ledgerOf([...year.allocations, ...edges.allocations], requests, {
        moves: edges.moves,
        chainKey: (link) => edges.order.get(link.id) ?? `${link.postedAt}#${link.id}`,
      });
      store.entries = ledger.entries;
      const allocations = ledger.allocations.map((a) =>
        a.id === 'edge-broken-head' ? { ...a, disbursedVnd: 2 ** 60 } : a,
      );
      const fy = year.fiscalYear;
      const settings = policy.deadlineBunching;
      const firing = new Set<string>();
      for (const asOf of [
        `${fy}-12-31`,
        `${fy + 1}-01-21`,
        `${fy + 1}-01-22`,
        `${fy + 1}-01-25`,
        `${fy + 1}-01-29`,
        `${fy + 1}-01-31`,
        `${fy + 1}-02-10`,
      ] as IsoDate[]) {
        const whole = findDeadlineBunching(allocations, requests, deadlineRules, asOf, settings);
        const windows = bunchingWindowsOf(allocations, deadlineRules, asOf, settings);
        const facts = await bunchingFactsThroughTails(store, J, fy, asOf, windows);
        expect(judgeDeadlineBunching(facts, settings)).toEqual(whole);
        for (const c of whole) firing.add(`${c.scope.allocationId}@${asOf}`);
      }
      // The planted cases fire at a past day with payments after it, and at the deadline.
      for (const id of edges.planted) {
        expect(firing.has(`${id}@${fy + 1}-01-29`)).toBe(true);
        expect(firing.has(`${id}@${fy + 1}-01-31`)).toBe(true);
      }
      expect(firing.has(`edge-broken-head@${fy + 1}-01-31`)).toBe(true);
    });
  }

  it('tells each day once recorded, oldest first', async () => {
    const year = generateYear(3, CLEAN);
    const store = new MemoryDigest(year.requests, year.payees);
    const told: IsoDate[] = [];
    const through = `${year.fiscalYear}-02-10`;
    const run = () =>
      digestClosedDays(
        { source: store, digest: store, supportRules, settingsOf },
        J,
        year.fiscalYear,
        async () => `${year.fiscalYear}-01-01`,
        through,
        30,
        (date) => told.push(date),
      );
    const first = await run();
    const second = await run();
    expect(first.days).toBe(30);
    expect(told).toHaveLength(first.days + second.days);
    expect(told[0]).toBe(`${year.fiscalYear}-01-01`);
    expect(told.at(-1)).toBe(through);
    expect([...told].sort()).toEqual(told);
    expect(new Set(told).size).toBe(told.length);
  });
});
