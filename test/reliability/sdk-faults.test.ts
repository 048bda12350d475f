import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAULT_KINDS } from '../../local/sdk-faults.ts';
import { placeNamesIn } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import { FUNDING_LINES } from '../../shared/ledger/domain/funding-line.ts';
import { steps, voucherFieldsFor } from '../e2e/support/api-steps.ts';
import { eventually, type Runtime } from '../e2e/support/local-runtime.ts';
import { startInProcessRuntime } from './support/in-process-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';
import { queuesDrained, readRequest, retryingClient } from './support/retrying-client.ts';

/** The communes of the upgrade default jurisdiction (Tây Giang's ten). */
const { communes } = placeNamesIn(jurisdictionCatalog, undefined);

/** Share of the handlers' AWS calls that fail, and the seed of the generator that picks them. */
const FAULT_RATE = 0.2;
const SEED = 20241128;

let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('sdk-faults');
const client = retryingClient();

beforeAll(async () => {
  // The handlers run in this process: keep their JSON log lines out of the test output.
  for (const level of ['log', 'warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation(() => {});
  rt = await startInProcessRuntime({ visibilityTimeoutSeconds: 2 });
  s = steps(rt);
});
afterAll(async () => {
  vi.restoreAllMocks();
  run.save();
  await rt?.stop();
});

/** One logical operation: the same call (same Idempotency-Key) until it gets an answer other than 503. */
const op = (what: string, call: () => Promise<Awaited<ReturnType<Runtime['call']>>>) => {
  run.figures.operations += 1;
  return client.send(what, call);
};

describe('the running system with SDK faults on a fifth of the handlers’ AWS calls', () => {
  it('answers every call with success or a clean 503, and ends with nothing lost, doubled or half-written', async () => {
    const inspector = await s.as('inspector-faults', 'inspector');
    const read = (id: string) => readRequest(rt, client, inspector, id);
    const allocations = await Promise.all(
      FUNDING_LINES.flatMap((line, i) =>
        [0, 1].map((k) =>
          s.createAllocation({
            fundingLine: line,
            capitalType: k === 0 ? 'investment' : 'recurrent',
            component: `DA${1 + ((i + k) % 7)}`,
            commune: communes[(3 * i + k) % communes.length],
            amountVnd: 3_000_000_000,
          }),
        ),
      ),
    );
    const scarce = await s.createAllocation({ fundingLine: 'provincial', amountVnd: 8 * 7_000_000 });

    rt.faults.start({ rate: FAULT_RATE, seed: SEED });

    // Submissions, each retried with its own key: 7 on each of 8 allocations, and 20 racing for 8 slots.
    const submit = (allocationId: string, amountVnd: number, submitter: string) => {
      const key = randomUUID();
      return op('POST /requests', () => s.submit(allocationId, amountVnd, submitter, key)).then((res) => ({
        res,
        submitter,
      }));
    };
    const [wide, race] = await Promise.all([
      Promise.all(
        allocations.flatMap((a, ai) =>
          Array.from({ length: 7 }, (_, k) =>
            submit(
              a.id,
              k === 0 && ai % 2 === 0 ? 1_100_000_000 : 10_000_000 * (k + 1),
              `finance-f${ai}-${k % 3}`,
            ),
          ),
        ),
      ),
      Promise.all(
        Array.from({ length: 20 }, (_, i) => submit(scarce.id, 7_000_000, `finance-race-${i % 4}`)),
      ),
    ]);
    for (const { res } of wide) expect(res.status).toBe(201);
    expect(race.filter((x) => x.res.status === 201)).toHaveLength(8);
    expect(
      race.filter((x) => x.res.status === 409 && x.res.body.error.code === 'insufficient_funds'),
    ).toHaveLength(12);

    // Adjustments with keys: each lands once, whatever the faults.
    const adjustments = await Promise.all(
      allocations.map((a) => {
        const key = randomUUID();
        return op('POST adjustments', async () =>
          rt.call('POST', `/allocations/${a.id}/adjustments`, {
            token: await s.as('planner-an', 'planner'),
            headers: { 'idempotency-key': key },
            body: { deltaVnd: 50_000_000, reason: 'Bổ sung vốn' },
          }),
        );
      }),
    );
    for (const res of adjustments) expect(res.status).toBe(201);

    // Every accepted request driven to its fate: approved, rejected at its last level, or cancelled.
    const accepted = [...wide, ...race].filter((x) => x.res.status === 201);
    const fates = accepted.map((x, i) => ({
      id: x.res.body.id as string,
      submitter: x.submitter,
      fate: (['approve', 'approve', 'reject', 'cancel', 'cancel-later'] as const)[i % 5] ?? 'approve',
    }));
    const cancel = async (id: string, submitter: string) => {
      const res = await op('POST cancel', async () =>
        rt.call('POST', `/requests/${id}/cancel`, { token: await s.as(submitter, 'finance') }),
      );
      // 409 only when an earlier attempt was applied and its answer lost: the request is cancelled.
      if (res.status === 409) expect((await read(id)).status).toBe('cancelled');
      else expect(res.status).toBe(200);
    };
    const drive = async ({ id, submitter, fate }: (typeof fates)[number]) => {
      if (fate === 'cancel') return cancel(id, submitter);
      let request = await read(id);
      for (let step = 0; request.status === 'pending_approval'; step++) {
        if (fate === 'cancel-later' && step === 1) return cancel(id, submitter);
        const level = request.nextLevel ?? '';
        const last = request.chain.at(-1) === level;
        const token = await s.as(`${level}-approver-f`, s.approver[level] ?? level);
        const key = randomUUID();
        const decision = fate === 'reject' && last ? 'reject' : 'approve';
        const fields = decision === 'approve' ? voucherFieldsFor(request, level) : {};
        const res = await op('POST decisions', () => s.decide(id, token, decision, key, fields));
        expect(res.status).toBe(202);
        request = await eventually(
          `request ${id} past ${level}`,
          () => read(id),
          (r) => r.nextLevel !== level || r.status !== 'pending_approval',
          60_000,
        );
      }
    };
    await Promise.all(fates.map(drive));

    rt.faults.stop();
    const deadLetters = await queuesDrained(rt.local);
    const final = await Promise.all(fates.map((f) => read(f.id)));
    fates.forEach((f, i) => {
      const status = final[i]?.status;
      if (f.fate === 'approve') expect(status).toBe('disbursed');
      if (f.fate === 'reject') expect(status).toBe('rejected');
      if (f.fate === 'cancel') expect(status).toBe('cancelled');
      // Every chain has at least two levels: the request is still pending when its submitter cancels.
      if (f.fate === 'cancel-later') expect(status).toBe('cancelled');
    });

    const { counts } = rt.faults;
    run.figures.faultsInjected = rt.faults.injectedTotal();
    run.figures.notes = {
      faultRate: FAULT_RATE,
      seed: SEED,
      handlerAwsCalls: counts.calls,
      ...Object.fromEntries(FAULT_KINDS.map((k) => [`faults.${k}`, counts.injected[k]])),
      httpCalls: client.stats.calls,
      answers503: client.stats.answers503,
      retriedWithSameKey: client.stats.retries,
      requests: accepted.length + 12,
      disbursed: final.filter((r) => r.status === 'disbursed').length,
      rejected: final.filter((r) => r.status === 'rejected').length,
      cancelled: final.filter((r) => r.status === 'cancelled').length,
      deadLetters,
    };
    expect(client.unclean).toEqual([]);
    for (const kind of FAULT_KINDS) expect(counts.injected[kind]).toBeGreaterThan(0);
    expect(client.stats.answers503).toBeGreaterThan(0);
    expect(deadLetters).toBe(0);
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
    expect(report.counts.entries).toBe(final.filter((r) => r.status === 'disbursed').length);
  });
});
