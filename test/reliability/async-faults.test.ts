import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localDynamoClient, localS3Client } from '../../local/aws-local.ts';
import { FAULT_KINDS } from '../../local/sdk-faults.ts';
import { digestObjectKey } from '../../shared/audit/domain/anchored-digest.ts';
import { DynamoDaySummaryRepository } from '../../shared/monitoring/adapters/day-summary-repository.ts';
import { messageIdFor } from '../../shared/monitoring/app/deliver-alert.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { addDays } from '../../shared/platform/vn-calendar.ts';
import { steps } from '../e2e/support/api-steps.ts';
import { givenPayee } from '../e2e/support/contract-steps.ts';
import { type ApiResponse, eventually } from '../e2e/support/local-runtime.ts';
import { startInProcessRuntime } from './support/in-process-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';
import { queuesDrained, readRequest, retryingClient } from './support/retrying-client.ts';

/**
 * Every asynchronous path under SDK faults (issue 21): the monitor (scheduled and over the API) and the
 * alert mailer, the daily ledger-digest job (digests, day summaries, anchored copies, auditors'
 * e-mails), spreadsheet imports (in the call and by the worker) and the year-end close, each driven
 * with a fifth of the handlers' DynamoDB and SQS calls failing, retried and re-run as a client and a
 * scheduler do, then checked: each e-mail once (by Message-ID), no day's digest or anchor missing, each
 * import whole, the close's expiries and carry-overs once, and the independent invariant checker.
 */
const FAULT_RATE = 0.2;
/**
 * The rate of the monitor, the alert mailer, the digest job and the import worker. A monitor run reads
 * every roll-up before it writes (tens of calls), so at a fifth nearly every run fails whole; the
 * mailer and the worker get five receives a message, and at a fifth about a third of alerts went to
 * the dead-letter queue (docs/reliability.md, issue 21). Calls a client repeats (imports in the call,
 * the close) run at a fifth.
 */
const JOB_FAULT_RATE = 0.05;
const SEED = 20261202;
const J = UPGRADE_DEFAULT_JURISDICTION;

let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('async-faults');
// A resumed close or import gets further with each call: a client patient enough to see it through.
const client = retryingClient({ maxAttempts: 500 });
/** Scheduled runs that failed under a fault and were run again, by function. */
const rerunsAfterFailure: Record<string, number> = {};

beforeAll(async () => {
  for (const level of ['log', 'warn', 'error', 'info'] as const)
    vi.spyOn(console, level).mockImplementation(() => {});
  // A delivery claim goes stale after half the visibility timeout, and a sender sends only in the first
  // half of its claim's life (sendOnce). At 2 s, on a busy machine, most claims landed too late to send
  // and were left for later, spending receives: 10 s leaves a loaded machine room to send.
  rt = await startInProcessRuntime({ visibilityTimeoutSeconds: 10 });
  s = steps(rt);
}, 120_000);
afterAll(async () => {
  vi.restoreAllMocks();
  run.save();
  await rt?.stop();
  setSystemClock(undefined);
});

/** One logical API operation: the same call (same Idempotency-Key) until an answer other than 503. */
const op = (what: string, call: () => Promise<ApiResponse>) => {
  run.figures.operations += 1;
  return client.send(what, call);
};

/** A scheduled function run as EventBridge Scheduler does: again after a failed run, until one succeeds. */
const scheduled = async (functionId: string, detail?: Record<string, unknown>) => {
  run.figures.operations += 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await rt.local.runScheduled(functionId, detail)) as Record<string, unknown>;
    } catch (error) {
      if (attempt >= 100) throw error;
      rerunsAfterFailure[functionId] = (rerunsAfterFailure[functionId] ?? 0) + 1;
    }
  }
};

/** Runs `work` with SDK faults at `rate`, and switches them off whatever happens. */
const underFaults = async <T>(rate: number, seed: number, work: () => Promise<T>): Promise<T> => {
  rt.faults.start({ rate, seed });
  try {
    return await work();
  } finally {
    rt.faults.stop();
  }
};

const repoRoot = resolve(import.meta.dirname, '../..');
/** Messages found in the dead-letter queues, and re-driven by `npm run dlq` as the operator does. */
const deadLetters = { found: 0, redriven: 0 };

/** `npm run -s dlq -- redrive <queue>` against this runtime's data folder. */
const redrive = (queueId: string) =>
  new Promise<string>((done, fail) => {
    execFile(
      process.execPath,
      ['scripts/run.mjs', 'local/dlq-cli.ts', 'redrive', queueId],
      { cwd: repoRoot, env: { ...process.env, DATA_DIR: rt.dataDir }, encoding: 'utf8' },
      (error, stdout, stderr) => (error ? fail(new Error(`${stdout}${stderr}`)) : done(stdout)),
    );
  });

/**
 * Waits for every queue to drain. What reached a dead-letter queue (a message whose five receives
 * all failed, or were spent by redeliveries while a slow invocation still held it) is re-driven as
 * the runbook says, and must then drain with nothing left dead.
 */
const drained = async (queueIds: string[]) => {
  const dead = await queuesDrained(rt.local);
  deadLetters.found += dead;
  if (dead === 0) return 0;
  for (const id of queueIds) await redrive(id);
  deadLetters.redriven += dead;
  return queuesDrained(rt.local);
};

/** Every .eml file of the local mailbox with its Message-ID header. */
const mails = () => {
  const dir = join(rt.dataDir, 'mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(text)?.[1] ?? '';
      return { file, messageId };
    });
};

/** Message-IDs that occur more than once among the mails. */
const duplicates = (ids: string[]) => [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];

describe('every asynchronous path under SDK faults on a fifth of the handlers’ AWS calls', () => {
  it('monitor and alert mailer: each alert due is queued and e-mailed to each subscriber exactly once', async () => {
    const inspectors = [
      'thanh.tra.1@taygiang.gov.vn',
      'thanh.tra.2@taygiang.gov.vn',
      'thanh.tra.3@taygiang.gov.vn',
    ];
    for (const [i, email] of inspectors.entries()) {
      const res = await rt.call('POST', '/subscriptions', {
        token: await s.as(`inspector-af-${i}`, 'inspector'),
        body: { email, scope: {} },
      });
      expect(res.status).toBe(201);
    }
    // Nothing disbursed on investment allocations of three communes: lag alerts on every roll-up.
    for (const commune of ['A Tiêng', 'Lăng', 'Ga Ri'])
      await s.createAllocation({ commune, component: 'DA3', amountVnd: 900_000_000 });
    const planner = await s.as('planner-an', 'planner');
    const days = ['2024-09-30', '2024-10-01', '2024-10-02'];

    // Each day: the scheduled run and a planner's run at once, then both again (a re-run of the day).
    await underFaults(JOB_FAULT_RATE, SEED, async () => {
      for (const asOf of days) {
        for (let round = 0; round < 2; round++) {
          const [, api] = await Promise.all([
            scheduled('monitor', { asOf }),
            op('POST /monitor/runs', () =>
              rt.call('POST', '/monitor/runs', { token: planner, body: { asOf } }),
            ),
          ]);
          expect(api.status).toBe(202);
        }
      }
    });
    // The mailer works through the queue under faults (redeliveries, stale claims taken over).
    await underFaults(JOB_FAULT_RATE, SEED + 1, () => new Promise((r) => setTimeout(r, 8_000)));
    expect(await drained(['alerts'])).toBe(0);

    // A last clean run of each day finds every alert queued already: none was recorded and left behind.
    for (const asOf of days) {
      const last = await scheduled('monitor', { asOf });
      expect(last.queued).toBe(0);
      expect(last.alreadyQueued).toBe(last.findings);
    }
    const inspector = await s.as('inspector-af-0', 'inspector');
    const alerts: { id: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await rt.call(
        'GET',
        `/alerts?fiscalYear=2024&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: inspector },
      );
      expect(page.status).toBe(200);
      alerts.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(alerts.length).toBeGreaterThanOrEqual(days.length * 5);

    const sent = mails()
      .map((m) => m.messageId)
      .filter((id) => id.endsWith('@giai-ngan.alerts'));
    const expected = alerts.flatMap((a) => inspectors.map((email) => messageIdFor(a.id, email)));
    expect(duplicates(sent)).toEqual([]);
    expect(sent.sort()).toEqual(expected.sort());
    run.figures.notes.alerts = alerts.length;
    run.figures.notes.alertMails = sent.length;
  }, 180_000);

  it('ledger digest: under faults and re-runs no day’s digest, summary or anchor is missing, no auditor e-mailed twice', async () => {
    const auditors = ['kiem.toan.1@taygiang.gov.vn', 'kiem.toan.2@taygiang.gov.vn'];
    for (const [i, email] of auditors.entries()) {
      const res = await rt.call('POST', '/subscriptions', {
        token: await s.as(`auditor-af-${i}`, 'auditor'),
        body: { email, scope: {}, kind: 'ledger-digest' },
      });
      expect(res.status).toBe(201);
    }
    const days = ['2024-10-14', '2024-10-15', '2024-10-16', '2024-10-17'];
    // The year's earlier days summarised by a clean run (a first run catches up 62 days at a time).
    setSystemClock(new Date('2024-10-13T23:50:00+07:00'));
    for (let i = 0; i < 5; i++) await rt.local.runScheduled('ledger-digest');
    const allocations: string[] = [];
    for (const day of days) {
      setSystemClock(new Date(`${day}T09:00:00+07:00`));
      // A payment posted on the day, without faults: the day's chains move.
      const allocation = await s.createAllocation({ fundingLine: 'local', amountVnd: 300_000_000 });
      allocations.push(allocation.id);
      const submitted = await s.submit(allocation.id, 25_000_000);
      await s.approveAll(submitted.body.id);
      // The day's job under faults, re-run after each failure, then once more (a second schedule).
      await underFaults(JOB_FAULT_RATE, SEED + 10 + days.indexOf(day), async () => {
        await scheduled('ledger-digest');
        await scheduled('ledger-digest');
      });
    }

    const auditor = await s.as('auditor-af-0', 'auditor');
    for (const [i, day] of days.entries()) {
      const digests = await rt.call('GET', `/ledger/digests?date=${day}`, { token: auditor });
      expect(digests.status).toBe(200);
      const recorded = new Set((digests.body.items as { allocationId: string }[]).map((d) => d.allocationId));
      for (const id of allocations.slice(0, i + 1)) expect(recorded.has(id), `${day}: ${id}`).toBe(true);
    }
    const s3 = localS3Client(rt.local.s3Endpoint);
    const anchored = (
      (
        await s3.send(
          new ListObjectsV2Command({
            Bucket: `${rt.namespace}-digest-anchors`,
            Prefix: `ledger-digests/${J}/`,
          }),
        )
      ).Contents ?? []
    ).map((o) => o.Key);
    expect(anchored).toEqual(expect.arrayContaining(days.map((d) => digestObjectKey(J, d))));

    // Every closed day summarised, from 1 January to the day before the last run: no gap.
    const db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
    const summaries = await new DynamoDaySummaryRepository(db, rt.local.tableName).listDaySummaries(J, 2024);
    const summarised = summaries.map((d) => d.date).sort();
    expect(summarised[0]).toBe('2024-01-01');
    expect(summarised.at(-1)).toBe(addDays(days.at(-1) ?? '', -1));
    summarised.forEach((d, i) => {
      if (i > 0) expect(addDays(summarised[i - 1] ?? '', 1)).toBe(d);
    });

    const digestMails = mails()
      .map((m) => m.messageId)
      .filter((id) => id.endsWith('@giai-ngan.digests') && id.includes(`.${J}.`))
      .filter((id) => days.some((day) => id.startsWith(`ledger-digest-${day}.`)));
    expect(duplicates(digestMails)).toEqual([]);
    expect(digestMails).toHaveLength(days.length * auditors.length);
    for (const day of days)
      expect(digestMails.filter((id) => id.startsWith(`ledger-digest-${day}.`))).toHaveLength(
        auditors.length,
      );

    const verify = await rt.call('GET', '/ledger/verify?fiscalYear=2024', { token: auditor });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ valid: true, broken: [] });
    run.figures.notes.digestDays = days.length;
    run.figures.notes.digestMails = digestMails.length;
  }, 180_000);

  it('imports: each file is applied whole, in the call or by the worker, whatever failed on the way', async () => {
    setSystemClock(new Date('2024-11-04T09:00:00+07:00'));
    const plannerToken = await s.as('import-planner-af', 'planner');
    const financeToken = await s.as('import-finance-af', 'finance');
    const planRow = (component: string, commune: string, amountVnd: number, title: string) => [
      2024,
      'Vốn trung ương',
      'Vốn đầu tư',
      component,
      commune,
      title,
      amountVnd,
    ];
    const planHeader = [
      'Năm kế hoạch',
      'Nguồn vốn',
      'Loại vốn',
      'Dự án',
      'Xã',
      'Nội dung',
      'Kế hoạch vốn giao (đồng)',
    ];
    const csv = (header: string[], rows: unknown[][]) =>
      `\uFEFF${[header, ...rows].map((r) => r.join(';')).join('\r\n')}\r\n`;
    const communes = ['A Nông', 'A Tiêng', 'A Vương', 'A Xan', 'Bha Lê', 'Dang', 'Ga Ri', 'Lăng'];
    // Six plans of 12 rows (applied in the call) and one of 201 rows (queued for the worker).
    const plans = [
      ...Array.from({ length: 6 }, (_, p) => ({
        component: `AF${p + 1}`,
        rows: Array.from({ length: 12 }, (_, i) =>
          planRow(
            `AF${p + 1}`,
            communes[i % communes.length] ?? 'Lăng',
            10_000_000 + i,
            `Công trình ${i + 1}`,
          ),
        ),
      })),
      {
        component: 'AFJOB',
        rows: Array.from({ length: 201 }, (_, i) =>
          planRow('AFJOB', communes[i % communes.length] ?? 'Lăng', 1_000_000 + i, `Hạng mục ${i + 1}`),
        ),
      },
    ];
    const batchAllocation = await s.createAllocation({ component: 'AFREQ', amountVnd: 2_000_000_000 });
    const payeeId = await givenPayee(rt, { kind: 'household', name: 'Hộ ông Alăng Bhơ' });
    const requestHeader = ['Mã kế hoạch vốn', 'Mã đơn vị thụ hưởng', 'Nội dung thanh toán', 'Số tiền (đồng)'];
    const batches = [0, 1, 2].map((b) =>
      Array.from({ length: 6 }, (_, i) => [
        batchAllocation.id,
        payeeId,
        `Hỗ trợ đợt ${b + 1} số ${i + 1}`,
        1_000_000 * (b * 10 + i + 1),
      ]),
    );

    /** Sends a file until its import is applied: 503s and a stopped import are sent again, as a person would. */
    const importWhole = async (kind: 'allocations' | 'requests', token: string, body: string) => {
      run.figures.operations += 1;
      for (let attempt = 1; attempt <= 40; attempt++) {
        const res = await client.send(`POST /imports ${kind}`, () =>
          fetch(`${rt.url}/imports?kind=${kind}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
            body,
          }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() })),
        );
        if (res.status === 201) return res.body.import;
        if (res.status === 202) {
          const id = res.body.import.id as string;
          return eventually(
            `import ${id} applied by the worker`,
            async () =>
              (
                await client.send(`GET /imports/${id}`, () =>
                  rt.call('GET', `/imports/${id}`, { token: plannerToken }),
                )
              ).body.import,
            (i) => i.status === 'applied',
            360_000,
          );
        }
        // Still busy after the client's retries: the same file again resumes it from its progress.
        if (res.status === 503) continue;
        // A fault the ledger's use case answered as a refusal stops the import; the same file resumes it.
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        expect(res.body.error.code).toBe('import_failed');
      }
      throw new Error(`import of ${kind} never applied`);
    };

    // Files applied in the call, sent again and again by their client, at a fifth; the worker's at a twentieth.
    const inCall = await underFaults(FAULT_RATE, SEED + 100, () =>
      Promise.all([
        ...plans.slice(0, -1).map((p) => importWhole('allocations', plannerToken, csv(planHeader, p.rows))),
        ...batches.map((b) => importWhole('requests', financeToken, csv(requestHeader, b))),
      ]),
    );
    const byWorker = await underFaults(JOB_FAULT_RATE, SEED + 101, () =>
      importWhole('allocations', plannerToken, csv(planHeader, plans.at(-1)?.rows ?? [])),
    );
    const results = [...inCall, byWorker];
    expect(await drained(['imports'])).toBe(0);

    for (const record of results) {
      expect(record.status).toBe('applied');
      expect(record.counts.created + record.counts.replayed).toBe(record.counts.rows);
      expect(record.progress.done).toBe(record.counts.rows);
    }
    const auditor = await s.as('import-auditor-af', 'auditor');
    for (const plan of plans) {
      const page = await rt.call('GET', `/allocations?fiscalYear=2024&component=${plan.component}`, {
        token: auditor,
      });
      expect(page.status).toBe(200);
      const listed = page.body.items as { assignedVnd: number; title: string }[];
      // Each row once: no row missing, none written twice.
      expect(listed.map((a) => a.title).sort(), plan.component).toEqual(
        plan.rows.map((r) => String(r[5])).sort(),
      );
    }
    const requests = await rt.call('GET', `/requests?allocationId=${batchAllocation.id}&limit=100`, {
      token: auditor,
    });
    expect((requests.body.items as { purpose: string }[]).map((r) => r.purpose).sort()).toEqual(
      batches
        .flat()
        .map((r) => String(r[2]))
        .sort(),
    );
    const reserved = batches.flat().reduce((sum, r) => sum + Number(r[3]), 0);
    expect((await s.getAllocation(batchAllocation.id)).reservedVnd).toBe(reserved);
    run.figures.notes.imports = results.length;
    run.figures.notes.importedRows = results.reduce((n, r) => n + r.counts.rows, 0);
  }, 480_000);

  it('year-end close: each pending request expires once, each carry-over lands once, the close replays', async () => {
    setSystemClock(new Date('2024-11-20T09:00:00+07:00'));
    const carried = [];
    const pending: string[] = [];
    for (const [i, commune] of ['A Tiêng', 'Lăng', 'Dang', 'Bha Lê'].entries()) {
      const allocation = await s.createAllocation({ commune, component: 'DA5', amountVnd: 500_000_000 });
      const paid = await s.submit(allocation.id, 40_000_000 + i);
      await s.approveAll(paid.body.id);
      for (const amount of [10_000_000, 20_000_000]) {
        const res = await s.submit(allocation.id, amount + i);
        expect(res.status).toBe(201);
        pending.push(res.body.id);
      }
      if (i < 3) carried.push({ allocationId: allocation.id, expectedVnd: 500_000_000 - 40_000_000 - i });
    }
    // Every request still pending in the year, the imports' included: the close expires them all.
    const auditor = await s.as('close-auditor-af', 'auditor');
    const listPending = async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await rt.call(
          'GET',
          `/requests?status=pending_approval&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { token: auditor },
        );
        expect(page.status).toBe(200);
        ids.push(...(page.body.items as { id: string }[]).map((r) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const pendingBefore = await listPending();
    for (const id of pending) expect(pendingBefore).toContain(id);

    setSystemClock(new Date('2025-02-10T09:00:00+07:00'));
    const planner = await s.as('planner-an', 'planner');
    const body = {
      decisionNumber: '45/QĐ-UBND',
      decidedOn: '2025-02-10',
      carryOver: carried.map((c) => ({ allocationId: c.allocationId })),
    };
    // Two planners' calls at once (each retried with its own key), then a third after both.
    const close = (key: string) =>
      op('POST /fiscal-years/2024/close', () =>
        rt.call('POST', '/fiscal-years/2024/close', {
          token: planner,
          body,
          headers: { 'idempotency-key': key },
        }),
      );
    const [racing, again] = await underFaults(FAULT_RATE, SEED + 200, async () => {
      const both = await Promise.all([close('close-af-1'), close('close-af-2')]);
      return [both, await close('close-af-3')] as const;
    });
    for (const res of [...racing, again]) expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
    expect(racing.filter((r) => r.status === 201).length).toBeLessThanOrEqual(2);
    expect(again.body.allocations).toEqual(racing[0]?.body.allocations);

    const inspector = await s.as('close-inspector-af', 'inspector');
    for (const id of pendingBefore)
      expect((await readRequest(rt, client, inspector, id)).status).toBe('expired');
    expect(await listPending()).toEqual([]);
    // Each chosen balance carried once: one 2025 allocation per origin, holding exactly that balance.
    const listed2025 = await rt.call('GET', '/allocations?fiscalYear=2025', { token: auditor });
    expect(listed2025.status).toBe(200);
    const next = listed2025.body.items as { id: string; carriedFrom?: string; assignedVnd: number }[];
    for (const c of carried) {
      const targets = next.filter((a) => a.carriedFrom === c.allocationId);
      expect(targets.map((a) => a.assignedVnd)).toEqual([c.expectedVnd]);
      expect((await s.getAllocation(c.allocationId)).closing).toMatchObject({
        carriedOverVnd: c.expectedVnd,
        carriedTo: targets[0]?.id,
      });
    }
    expect(next.filter((a) => a.carriedFrom !== undefined)).toHaveLength(carried.length);
    const verify = await rt.call('GET', '/ledger/verify?fiscalYear=2024', { token: auditor });
    expect(verify.body).toMatchObject({ valid: true, broken: [] });
    run.figures.notes.expiredAtClose = pendingBefore.length;
    run.figures.notes.carriedOver = carried.length;
  }, 240_000);

  it('leaves nothing lost, doubled or half-written: the independent invariant checker finds no violation', async () => {
    const { counts } = rt.faults;
    run.figures.faultsInjected = rt.faults.injectedTotal();
    Object.assign(run.figures.notes, {
      faultRate: FAULT_RATE,
      jobFaultRate: JOB_FAULT_RATE,
      seed: SEED,
      handlerAwsCalls: counts.calls,
      ...Object.fromEntries(FAULT_KINDS.map((k) => [`faults.${k}`, counts.injected[k]])),
      httpCalls: client.stats.calls,
      answers503: client.stats.answers503,
      retriedWithSameKey: client.stats.retries,
      deadLettersFound: deadLetters.found,
      deadLettersRedriven: deadLetters.redriven,
      ...Object.fromEntries(Object.entries(rerunsAfterFailure).map(([f, n]) => [`reruns.${f}`, n])),
    });
    expect(client.unclean).toEqual([]);
    for (const kind of FAULT_KINDS) expect(counts.injected[kind]).toBeGreaterThan(0);
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
  }, 60_000);
});
