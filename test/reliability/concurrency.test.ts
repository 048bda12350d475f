import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { district } from '../../shared/config/index.ts';
import { FUNDING_LINES } from '../../shared/domain/funding-line.ts';
import { steps } from '../e2e/support/api-steps.ts';
import { type ApiResponse, eventually, type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('concurrency');

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
});
afterAll(async () => {
  run.save();
  await rt?.stop();
});

let retried = 0;
/**
 * Every HTTP call of the scenario goes through here, so the report can say how many were made. A 503
 * (a concurrent change of the same item) is retried as a client would, after its Retry-After.
 */
const op = async (call: () => Promise<ApiResponse>): Promise<ApiResponse> => {
  for (let attempt = 0; ; attempt++) {
    run.figures.operations += 1;
    const res = await call();
    if (res.status !== 503 || attempt === 10) return res;
    expect(res.headers.get('retry-after')).toBeTruthy();
    retried += 1;
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
  }
};

/** A small deterministic generator, so a failing run can be replayed. */
const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const terminal = (id: string) =>
  eventually(
    `request ${id} settled`,
    () => s.getRequest(id),
    (r) => r.status !== 'pending_approval' && r.status !== 'approved',
    60_000,
  );

describe('concurrent traffic on nine allocations through the HTTP API, checked by the independent checker', () => {
  it('accepts exactly as many racing submissions as one allocation can fund and refuses the rest as insufficient_funds', async () => {
    const amount = 3_000_000;
    const allocation = await s.createAllocation({ fundingLine: 'local', amountVnd: 12 * amount });
    run.figures.operations += 1;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        op(async () => s.submit(allocation.id, amount, `finance-race-${i % 6}`)),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(12);
    expect(
      results.filter((r) => r.status === 409 && r.body.error.code === 'insufficient_funds'),
    ).toHaveLength(48);
    expect(await s.getAllocation(allocation.id)).toMatchObject({ reservedVnd: 12 * amount, availableVnd: 0 });
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
  });

  it('keeps every ledger invariant after concurrent submissions, decisions and cancellations on all four funding lines', async () => {
    const random = rng(20241127);
    const allocations = await Promise.all(
      FUNDING_LINES.flatMap((line, i) =>
        [0, 1].map((k) =>
          s.createAllocation({
            fundingLine: line,
            capitalType: k === 0 ? 'investment' : 'recurrent',
            component: `DA${1 + ((i + k) % 7)}`,
            commune: district.communes[(2 * i + k) % district.communes.length],
            amountVnd: 3_000_000_000,
          }),
        ),
      ),
    );

    // Submissions: 12 per allocation, some above the 1 billion threshold that adds district-leader.
    const submitted = await Promise.all(
      allocations.flatMap((a, ai) =>
        Array.from({ length: 12 }, (_, k) => {
          const amountVnd =
            k === 0 && ai % 2 === 0 ? 1_200_000_000 : 5_000_000 + Math.floor(random() * 90) * 1_000_000;
          // With declared outputs: the checker verifies each disbursed request's are counted once.
          const outputs = { models: 1 + (k % 3), workers: k };
          return op(async () =>
            s.submit(a.id, amountVnd, `finance-${ai}-${k % 3}`, randomUUID(), { outputs }),
          ).then((res) => ({
            res,
            submitter: `finance-${ai}-${k % 3}`,
          }));
        }),
      ),
    );
    const accepted = submitted.filter((x) => x.res.status === 201);
    // 8 × (1.2 bn + at most 11 × 95 M) can exceed nothing of a 3 bn allocation: all are accepted.
    expect(accepted).toHaveLength(submitted.length);

    const fates = accepted.map((x) => {
      const r = random();
      return {
        id: x.res.body.id as string,
        submitter: x.submitter,
        fate:
          r < 0.15
            ? 'cancel'
            : r < 0.25
              ? 'reject'
              : r < 0.35
                ? 'cancel-race'
                : r < 0.55
                  ? 'last-race'
                  : 'approve',
      };
    });
    const approverGroup = s.approver;

    const drive = async ({ id, submitter, fate }: (typeof fates)[number]) => {
      if (fate === 'cancel') {
        const res = await op(async () =>
          rt.call('POST', `/requests/${id}/cancel`, { token: await s.as(submitter, 'finance') }),
        );
        expect(res.status).toBe(200);
        return;
      }
      let request = await s.getRequest(id);
      run.figures.operations += 1;
      let step = 0;
      while (request.status === 'pending_approval') {
        const level: string = request.nextLevel;
        const last = request.chain.at(-1) === level;
        const group = approverGroup[level] ?? level;
        if (fate === 'cancel-race' && step === 1) {
          // A cancellation racing a decision: one of them wins, the other is refused or ignored.
          const [cancel, decision] = await Promise.all([
            op(async () =>
              rt.call('POST', `/requests/${id}/cancel`, { token: await s.as(submitter, 'finance') }),
            ),
            op(async () => s.decide(id, await s.as(`${level}-approver-a`, group))),
          ]);
          expect([200, 409]).toContain(cancel.status);
          expect([202, 409]).toContain(decision.status);
        } else if (fate === 'last-race' && last) {
          // Three different people decide the last level at once; one reject among them.
          const results = await Promise.all([
            op(async () => s.decide(id, await s.as(`${level}-approver-a`, group))),
            op(async () => s.decide(id, await s.as(`${level}-approver-b`, group))),
            op(async () =>
              s.decide(id, await s.as(`${level}-approver-c`, group), step % 2 === 0 ? 'reject' : 'approve'),
            ),
          ]);
          for (const res of results) expect([202, 409]).toContain(res.status);
        } else {
          const decision = fate === 'reject' && last ? 'reject' : 'approve';
          const res = await op(async () => s.decide(id, await s.as(`${level}-approver-a`, group), decision));
          expect(res.status).toBe(202);
        }
        request = await eventually(
          `request ${id} past ${level}`,
          () => s.getRequest(id),
          (r) => r.nextLevel !== level || r.status !== 'pending_approval',
          60_000,
        );
        run.figures.operations += 1;
        step += 1;
      }
    };
    await Promise.all(fates.map(drive));
    const settled = await Promise.all(fates.map((f) => terminal(f.id)));

    const statuses = settled.map((r) => r.status as string);
    run.figures.notes = {
      allocations: allocations.length + 1,
      requestsSubmitted: submitted.length + 60,
      disbursed: statuses.filter((x) => x === 'disbursed').length,
      rejected: statuses.filter((x) => x === 'rejected').length,
      cancelled: statuses.filter((x) => x === 'cancelled').length,
      retriedAfter503: retried,
    };
    expect(statuses.every((x) => ['disbursed', 'rejected', 'cancelled'].includes(x))).toBe(true);
    fates.forEach((f, i) => {
      if (f.fate === 'approve') expect(statuses[i]).toBe('disbursed');
      if (f.fate === 'cancel') expect(statuses[i]).toBe('cancelled');
      if (f.fate === 'reject') expect(statuses[i]).toBe('rejected');
    });
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
    expect(report.counts.entries).toBe(statuses.filter((x) => x === 'disbursed').length);
  });
});
