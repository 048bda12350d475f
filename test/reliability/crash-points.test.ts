import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALERTS_QUEUE_ID } from '../../shared/monitoring/topology.ts';
import { deliveryKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { steps, voucherFieldsFor } from '../e2e/support/api-steps.ts';
import type { ApiResponse } from '../e2e/support/local-runtime.ts';
import { startInProcessRuntime } from './support/in-process-runtime.ts';
import { scanTable } from './support/invariant-checker.ts';
import { reliabilityRun } from './support/reliability-run.ts';
import { queuesDrained, readRequest, retryingClient } from './support/retrying-client.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('crash-points');
// A crashed Lambda answers API Gateway's 500: the client retries it like a 503, with the same key.
const client = retryingClient({ crashesExpected: true, maxAttempts: 10 });
const sweeps: Record<string, number> = {};

beforeAll(async () => {
  for (const level of ['log', 'warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation(() => {});
  // One alert per mailer invocation: a crash after a call of one alert's delivery never lands between
  // another alert's send and its record, the window no claim can close (docs/reliability.md).
  rt = await startInProcessRuntime({ visibilityTimeoutSeconds: 2, batchSizes: { [ALERTS_QUEUE_ID]: 1 } });
  s = steps(rt);
});
afterAll(async () => {
  vi.restoreAllMocks();
  run.figures.notes = {
    ...sweeps,
    httpCalls: client.stats.calls,
    retriedAfterCrash: client.stats.answers5xxAfterCrash,
  };
  run.save();
  await rt?.stop();
});

const send = (what: string, call: () => Promise<ApiResponse>) => {
  run.figures.operations += 1;
  return client.send(what, call);
};
const inspectorToken = () => s.as('inspector-crash', 'inspector');
const read = async (id: string) => readRequest(rt, client, await inspectorToken(), id);

/**
 * One multi-step path: `arrange` prepares a fresh case, `act` drives it as a client would (retrying
 * with the same Idempotency-Key) while `functionId` may crash, `verify` checks it happened exactly once.
 */
interface CrashPath<C> {
  name: string;
  functionId: string;
  arrange: () => Promise<C>;
  act: (c: C) => Promise<void>;
  verify: (c: C) => Promise<void>;
  /** How many of the measured calls to sweep (default all). */
  sweepCalls?: (measured: number) => number;
}

/**
 * The sweep: one run without a crash counts the AWS calls the function makes on this path; then,
 * for every k, a fresh case whose invocation dies right after its k-th call (later calls never
 * happen, its answer is lost), the normal recovery (client retry, SQS redelivery), and the check.
 */
const sweep = async <C>(path: CrashPath<C>) => {
  rt.faults.clearTraces();
  const dry = await path.arrange();
  await path.act(dry);
  await queuesDrained(rt.local);
  await path.verify(dry);
  const measured = Math.max(0, ...rt.faults.tracesOf(path.functionId).map((t) => t.commands.length));
  expect(measured, `${path.name}: AWS calls of ${path.functionId}`).toBeGreaterThan(0);
  const calls = path.sweepCalls?.(measured) ?? measured;
  for (let k = 1; k <= calls; k++) {
    const c = await path.arrange();
    rt.faults.armCrash({ functionId: path.functionId, afterCall: k });
    await path.act(c);
    await queuesDrained(rt.local);
    expect(rt.faults.armedCrashPending(), `${path.name}: crash after call ${k} happened`).toBe(false);
    run.figures.faultsInjected += 1;
    await path.verify(c);
  }
  sweeps[`${path.name} (crash points)`] = calls;
  const report = await run.check(rt);
  expect(report.violations).toEqual([]);
};

const created = async (res: ApiResponse, what: string) => {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
};

/** A pending request on a fresh allocation of `line`, submitted without any crash. */
const pendingRequest = async (fundingLine: string, amountVnd = 20_000_000) => {
  const allocation = await s.createAllocation({ fundingLine, amountVnd: 500_000_000 });
  const request = await created(await s.submit(allocation.id, amountVnd, 'finance-crash'), 'submit');
  return { allocationId: allocation.id, id: request.id };
};

const decide = async (id: string, level: string, decision: 'approve' | 'reject' = 'approve') => {
  const token = await s.as(`${level}-approver-crash`, s.approver[level] ?? level);
  const key = randomUUID();
  const fields = decision === 'approve' ? voucherFieldsFor(await read(id), level) : {};
  const res = await send(`decide ${level}`, () => s.decide(id, token, decision, key, fields));
  expect(res.status).toBe(202);
};

const entriesOf = async (allocationId: string, requestId: string) =>
  (await rt.store.listEntries(J, allocationId)).filter((e) => e.requestId === requestId);

describe('a crash after every AWS call of every multi-step path, then the normal recovery', () => {
  it('submits a request exactly once when submit-request dies after any of its calls', async () => {
    await sweep({
      name: 'submit',
      functionId: 'submit-request',
      arrange: async () => ({
        allocation: await s.createAllocation({ fundingLine: 'local' }),
        key: randomUUID(),
      }),
      act: async ({ allocation, key }) => {
        const res = await send('submit', () => s.submit(allocation.id, 30_000_000, 'finance-crash', key));
        expect(res.status).toBe(201);
      },
      verify: async ({ allocation }) => {
        const { items } = await rt.store.listRequests({ jurisdiction: J, allocationId: allocation.id }, 10);
        expect(items).toHaveLength(1);
        expect(await s.getAllocation(allocation.id)).toMatchObject({ reservedVnd: 30_000_000 });
      },
    });
  });

  it('records and applies a decision exactly once when decide-request dies after any of its calls', async () => {
    await sweep({
      name: 'decide',
      functionId: 'decide-request',
      arrange: () => pendingRequest('central'),
      act: ({ id }) => decide(id, 'district'),
      verify: async ({ id }) => {
        const request = await s.getRequest(id);
        expect(request).toMatchObject({ status: 'pending_approval', nextLevel: 'province' });
        expect(request.approvals).toHaveLength(1);
      },
    });
  });

  it('advances a request exactly once when the approval consumer dies after any of its calls', async () => {
    await sweep({
      name: 'approval consumer, advance',
      functionId: 'approval-consumer-provincial',
      arrange: () => pendingRequest('provincial'),
      act: ({ id }) => decide(id, 'district'),
      verify: async ({ id }) => {
        const request = await s.getRequest(id);
        expect(request).toMatchObject({ status: 'pending_approval', nextLevel: 'province' });
        expect(request.approvals).toHaveLength(1);
      },
    });
  });

  it('posts a request exactly once when the approval consumer dies after any call of the final approval', async () => {
    await sweep({
      name: 'approval consumer, post',
      functionId: 'approval-consumer-local',
      arrange: async () => {
        const request = await pendingRequest('local');
        await decide(request.id, 'district');
        await s.waitPast(request.id, 'district');
        return request;
      },
      act: ({ id }) => decide(id, 'treasury'),
      verify: async ({ id, allocationId }) => {
        expect((await read(id)).status).toBe('disbursed');
        expect(await entriesOf(allocationId, id)).toHaveLength(1);
        expect(await s.getAllocation(allocationId)).toMatchObject({
          reservedVnd: 0,
          disbursedVnd: 20_000_000,
        });
      },
    });
  });

  it('rejects a request and releases its reservation exactly once when the consumer dies after any call', async () => {
    await sweep({
      name: 'approval consumer, reject',
      functionId: 'approval-consumer-community',
      arrange: () => pendingRequest('community'),
      act: ({ id }) => decide(id, 'commune', 'reject'),
      verify: async ({ id, allocationId }) => {
        expect((await read(id)).status).toBe('rejected');
        expect(await s.getAllocation(allocationId)).toMatchObject({
          reservedVnd: 0,
          availableVnd: 500_000_000,
        });
      },
    });
  });

  it('cancels a request and releases its reservation once when cancel-request dies after any call', async () => {
    await sweep({
      name: 'cancel',
      functionId: 'cancel-request',
      arrange: () => pendingRequest('local'),
      act: async ({ id }) => {
        const res = await send('cancel', async () =>
          rt.call('POST', `/requests/${id}/cancel`, { token: await s.as('finance-crash', 'finance') }),
        );
        // A retry after a crash that came after the write finds the request already cancelled.
        if (res.status === 409) expect(res.body.error.code).toBe('not_pending');
        else expect(res.status).toBe(200);
      },
      verify: async ({ id, allocationId }) => {
        expect((await read(id)).status).toBe('cancelled');
        expect(await s.getAllocation(allocationId)).toMatchObject({
          reservedVnd: 0,
          availableVnd: 500_000_000,
        });
      },
    });
  });

  it('applies an adjustment exactly once when adjust-allocation dies after any of its calls', async () => {
    await sweep({
      name: 'adjust',
      functionId: 'adjust-allocation',
      arrange: async () => ({
        allocation: await s.createAllocation({ amountVnd: 700_000_000 }),
        key: randomUUID(),
      }),
      act: async ({ allocation, key }) => {
        const res = await send('adjust', async () =>
          rt.call('POST', `/allocations/${allocation.id}/adjustments`, {
            token: await s.as('planner-an', 'planner'),
            headers: { 'idempotency-key': key },
            body: { deltaVnd: -100_000_000, reason: 'Điều chuyển vốn' },
          }),
        );
        expect(res.status).toBe(201);
      },
      verify: async ({ allocation }) => {
        expect(await s.getAllocation(allocation.id)).toMatchObject({
          assignedVnd: 600_000_000,
          availableVnd: 600_000_000,
        });
      },
    });
  });

  it('creates an allocation exactly once when create-allocation dies after any of its calls', async () => {
    await sweep({
      name: 'create allocation',
      functionId: 'create-allocation',
      arrange: async () => ({ key: randomUUID(), title: `Cầu treo ${randomUUID().slice(0, 8)}` }),
      act: async ({ key, title }) => {
        const res = await send('create allocation', async () =>
          rt.call('POST', '/allocations', {
            token: await s.as('planner-an', 'planner'),
            headers: { 'idempotency-key': key },
            body: {
              fiscalYear: 2024,
              fundingLine: 'community',
              capitalType: 'investment',
              component: 'DA1',
              commune: 'Lăng',
              title,
              amountVnd: 90_000_000,
            },
          }),
        );
        expect(res.status).toBe(201);
      },
      verify: async ({ title }) => {
        const res = await rt.call(
          'GET',
          '/allocations?fiscalYear=2024&fundingLine=community&commune=L%C4%83ng',
          {
            token: await s.as('planner-an', 'planner'),
          },
        );
        expect(res.body.items.filter((a: { title: string }) => a.title === title)).toHaveLength(1);
      },
    });
  });

  describe('the monitor, the alerts queue and the mailer', () => {
    const inspectors = ['thanh-tra-a@taygiang.gov.vn', 'thanh-tra-b@taygiang.gov.vn'];
    let day = 0;
    // A day of its own per run, from December 2023 into January 2024 (the year's period still open):
    // the sweeps take one day per AWS call of the paths they crash, more than a month holds.
    const nextDay = () => new Date(Date.UTC(2023, 11, 1 + day++)).toISOString().slice(0, 10);
    const runMonitor = (asOf: string) => rt.local.runScheduled('monitor', { asOf, fiscalYear: 2023 });

    beforeAll(async () => {
      // One lagging investment allocation of fiscal year 2023, still open in January 2024.
      await s.createAllocation({ fiscalYear: 2023, fundingLine: 'local', amountVnd: 400_000_000 });
      for (const email of inspectors) {
        const res = await rt.call('POST', '/subscriptions', {
          token: await s.as(email.slice(0, 11), 'inspector'),
          body: { email, scope: {} },
        });
        expect(res.status).toBe(201);
      }
    });

    /** Every alert of the day is queued, and each inspector got exactly one e-mail of it, recorded as sent. */
    const verifyDay = async (asOf: string) => {
      const items = await scanTable(run.raw, rt.local.tableName);
      const alerts = items.filter((i) => i.type === 'alert' && i.day === asOf);
      expect(alerts.length).toBeGreaterThan(0);
      const files = readdirSync(join(rt.dataDir, 'mail'));
      for (const alert of alerts) {
        expect(alert.queuedAt, `alert ${String(alert.id)} queued`).toBeTruthy();
        for (const email of inspectors) {
          const sent = files.filter((f) => f.includes(safe(String(alert.id))) && f.includes(safe(email)));
          expect(sent, `e-mails of alert ${String(alert.id)} to ${email}`).toHaveLength(1);
          const key = deliveryKeys.key(J, String(alert.id), email);
          const delivery = items.find((i) => i.pk === key.pk && i.sk === key.sk);
          expect(delivery?.status).toBe('sent');
        }
      }
      run.figures.operations += alerts.length * inspectors.length;
    };

    it('queues and mails every alert exactly once when the monitor dies after any of its calls and runs again', async () => {
      await sweep({
        name: 'monitor',
        functionId: 'monitor',
        arrange: async () => nextDay(),
        act: async (asOf) => {
          run.figures.operations += 1;
          // The scheduled run that crashes (or not), then the next scheduled run.
          await runMonitor(asOf).catch((error: unknown) => expect(String(error)).toContain('InjectedCrash'));
          await queuesDrained(rt.local);
          await runMonitor(asOf);
        },
        verify: verifyDay,
      });
    });

    it('mails every alert exactly once when the mailer dies after any call of delivering an alert', async () => {
      await sweep({
        name: 'alert mailer',
        functionId: 'alert-mailer',
        // A batch holds several alerts; each is delivered the same way: list the subscriptions, then
        // claim, send and record per inspector. Every call of delivering the first alert is swept.
        sweepCalls: (measured) => Math.min(measured, 1 + 2 * inspectors.length),
        arrange: async () => nextDay(),
        act: async (asOf) => {
          run.figures.operations += 1;
          await runMonitor(asOf);
        },
        verify: verifyDay,
      });
    });
  });
});

const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
