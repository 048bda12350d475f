import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeNamesIn } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import { FUNDING_LINES } from '../../shared/ledger/domain/funding-line.ts';
import { steps, voucherFieldsFor } from '../e2e/support/api-steps.ts';
import { type ApiResponse, eventually, type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';

/** The communes of the upgrade default jurisdiction (Tây Giang's ten). */
const { communes } = placeNamesIn(jurisdictionCatalog, undefined);

let rt: Runtime;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('concurrency');

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  await s.declareOutputs(['models', 'workers']);
});
afterAll(async () => {
  run.save();
  await rt?.stop();
});

let retried = 0;
/** Calls by kind, for the report: submissions, decisions, cancellations and reads. */
const kinds: Record<string, number> = {};
const count = (kind: string) => {
  kinds[kind] = (kinds[kind] ?? 0) + 1;
};
/**
 * Every HTTP call of the scenario goes through here, so the report can say how many were made. A 503
 * (a concurrent change of the same item) is retried as a client would, after its Retry-After.
 */
const op = async (kind: string, call: () => Promise<ApiResponse>): Promise<ApiResponse> => {
  for (let attempt = 0; ; attempt++) {
    run.figures.operations += 1;
    count(kind);
    const res = await call();
    if (res.status !== 503 || attempt === 40) return res;
    expect(res.headers.get('retry-after')).toBeTruthy();
    retried += 1;
    // Backing off as a client would: a busy allocation is the one every racer is after.
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100 * Math.min(attempt + 1, 10)));
  }
};

/** A small deterministic generator, so a failing run can be replayed. */
const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** Runs `work` over `items` with at most `limit` in flight, as a crowd of clients would. */
const pool = async <T>(items: T[], limit: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
};

const RACE_SLOTS = 24;
const RACERS = 120;
const LINES_ALLOCATIONS = 5;
const SUBMISSIONS_PER_ALLOCATION = 30;

describe('thousands of concurrent calls on many allocations through the HTTP API, checked by the independent checker', () => {
  it('accepts exactly as many racing submissions as one allocation can fund and refuses the rest as insufficient_funds', async () => {
    const amount = 3_000_000;
    const allocation = await s.createAllocation({ fundingLine: 'local', amountVnd: RACE_SLOTS * amount });
    run.figures.operations += 1;
    const results: ApiResponse[] = [];
    await pool(
      Array.from({ length: RACERS }, (_, i) => i),
      RACERS,
      async (i) => {
        results.push(
          await op('submissions', async () => s.submit(allocation.id, amount, `finance-race-${i % 6}`)),
        );
      },
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(RACE_SLOTS);
    expect(
      results.filter((r) => r.status === 409 && r.body.error.code === 'insufficient_funds'),
    ).toHaveLength(RACERS - RACE_SLOTS);
    expect(await s.getAllocation(allocation.id)).toMatchObject({
      reservedVnd: RACE_SLOTS * amount,
      availableVnd: 0,
    });
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
  });

  it('keeps every ledger invariant after concurrent submissions, decisions and cancellations on all four funding lines', async () => {
    const random = rng(20241127);
    const allocations = await Promise.all(
      FUNDING_LINES.flatMap((line, i) =>
        Array.from({ length: LINES_ALLOCATIONS }, (_, k) =>
          s.createAllocation({
            fundingLine: line,
            capitalType: k % 2 === 0 ? 'investment' : 'recurrent',
            component: `DA${1 + ((i + k) % 7)}`,
            commune: communes[(LINES_ALLOCATIONS * i + k) % communes.length],
            amountVnd: 8_000_000_000,
          }),
        ),
      ),
    );
    run.figures.operations += allocations.length;

    // Submissions: 30 per allocation, some above the 1 billion threshold that adds district-leader.
    const wanted = allocations.flatMap((a, ai) =>
      Array.from({ length: SUBMISSIONS_PER_ALLOCATION }, (_, k) => ({
        allocationId: a.id,
        submitter: `finance-${ai}-${k % 3}`,
        amountVnd:
          k % 15 === 0 && ai % 2 === 0 ? 1_200_000_000 : 5_000_000 + Math.floor(random() * 90) * 1_000_000,
        // With declared outputs: the checker verifies each disbursed request's are counted once.
        outputs: { models: 1 + (k % 3), workers: k % 12 },
      })),
    );
    const submitted: { res: ApiResponse; submitter: string; allocationId: string }[] = [];
    await pool(wanted, 64, async (w) => {
      const key = randomUUID();
      const res = await op('submissions', async () =>
        s.submit(w.allocationId, w.amountVnd, w.submitter, key, { outputs: w.outputs }),
      );
      submitted.push({ res, submitter: w.submitter, allocationId: w.allocationId });
    });
    // 2 × 1.2 bn + 28 × at most 95 M stays under 8 bn: every submission is accepted.
    for (const x of submitted) expect(x.res.status).toBe(201);

    type Fate = 'cancel' | 'reject' | 'cancel-race' | 'last-race' | 'approve';
    const fates = submitted.map((x) => {
      const r = random();
      const fate: Fate =
        r < 0.15
          ? 'cancel'
          : r < 0.25
            ? 'reject'
            : r < 0.35
              ? 'cancel-race'
              : r < 0.55
                ? 'last-race'
                : 'approve';
      return {
        id: x.res.body.id as string,
        allocationId: x.allocationId,
        submitter: x.submitter,
        fate,
        request: x.res.body as {
          status: string;
          nextLevel?: string;
          chain: string[];
          createdAt: string;
          approvalLevels?: { level: string; tier: string }[];
        },
        step: 0,
      };
    });
    const approverGroup = s.approver;
    const inspector = await s.as('inspector-concurrency', 'inspector');

    /** A decision sent, and re-sent after a 503, with one Idempotency-Key. */
    const decide = (
      f: (typeof fates)[number],
      who: string,
      group: string,
      decision: 'approve' | 'reject' = 'approve',
    ) => {
      const key = randomUUID();
      // The Treasury's approval records a voucher: each decider its own number.
      const fields = decision === 'approve' ? voucherFieldsFor(f.request, f.request.nextLevel ?? '') : {};
      return op('decisions', async () => s.decide(f.id, await s.as(who, group), decision, key, fields));
    };
    /** One client move on a request at its current level, by its fate. */
    const act = async (f: (typeof fates)[number]) => {
      const { id, submitter, fate, request, step } = f;
      const cancel = () =>
        op('cancellations', async () =>
          rt.call('POST', `/requests/${id}/cancel`, { token: await s.as(submitter, 'finance') }),
        );
      if (fate === 'cancel') {
        expect((await cancel()).status).toBe(200);
        return;
      }
      const level = request.nextLevel ?? '';
      const last = request.chain.at(-1) === level;
      const group = approverGroup[level] ?? level;
      if (fate === 'cancel-race' && step === 1) {
        // A cancellation racing a decision: one of them wins, the other is refused or ignored.
        const [cancelled, decision] = await Promise.all([cancel(), decide(f, `${level}-approver-a`, group)]);
        expect([200, 409]).toContain(cancelled.status);
        expect([202, 409]).toContain(decision.status);
      } else if (fate === 'last-race' && last) {
        // Three different people decide the last level at once; one reject among them.
        const results = await Promise.all([
          decide(f, `${level}-approver-a`, group),
          decide(f, `${level}-approver-b`, group),
          decide(f, `${level}-approver-c`, group, step % 2 === 0 ? 'reject' : 'approve'),
        ]);
        for (const res of results) expect([202, 409]).toContain(res.status);
      } else {
        const decision = fate === 'reject' && last ? 'reject' : 'approve';
        const res = await decide(f, `${level}-approver-a`, group, decision);
        expect(res.status).toBe(202);
      }
    };

    /** Every request of the allocations, read a page per allocation (as a dashboard would). */
    const readAll = async () => {
      const byId = new Map<string, { status: string; nextLevel?: string; chain: string[] }>();
      await pool(allocations, 12, async (a) => {
        const res = await op('reads', () =>
          rt.call('GET', `/requests?allocationId=${a.id}&limit=100`, { token: inspector }),
        );
        expect(res.status).toBe(200);
        for (const r of res.body.items) byId.set(r.id, r);
      });
      return byId;
    };
    const open = (r: { status: string }) => r.status === 'pending_approval' || r.status === 'approved';

    // Rounds: every open request gets its move at once, then the round waits for the queues' handlers.
    for (let round = 0; ; round++) {
      const active = fates.filter((f) => open(f.request));
      if (active.length === 0) break;
      expect(round).toBeLessThan(8);
      await pool(active, 64, act);
      const moved = await eventually(
        `round ${round} applied`,
        readAll,
        (byId) =>
          active.every((f) => {
            const now = byId.get(f.id);
            return now !== undefined && (!open(now) || now.nextLevel !== f.request.nextLevel);
          }),
        120_000,
      );
      for (const f of active) {
        const now = moved.get(f.id);
        // The GET answers the whole request; its type here names fewer fields (createdAt stays the same).
        if (now)
          f.request = { createdAt: f.request.createdAt, approvalLevels: f.request.approvalLevels, ...now };
        f.step += 1;
      }
    }

    const statuses = fates.map((f) => f.request.status);
    run.figures.notes = {
      allocations: allocations.length + 1,
      requestsSubmitted: submitted.length + RACERS,
      disbursed: statuses.filter((x) => x === 'disbursed').length,
      rejected: statuses.filter((x) => x === 'rejected').length,
      cancelled: statuses.filter((x) => x === 'cancelled').length,
      ...kinds,
      retriedAfter503: retried,
    };
    fates.forEach((f) => {
      if (f.fate === 'approve') expect(f.request.status).toBe('disbursed');
      if (f.fate === 'cancel') expect(f.request.status).toBe('cancelled');
      if (f.fate === 'reject') expect(f.request.status).toBe('rejected');
      expect(['disbursed', 'rejected', 'cancelled']).toContain(f.request.status);
    });
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
    expect(report.counts.entries).toBe(statuses.filter((x) => x === 'disbursed').length);
  }, 240_000);
});
