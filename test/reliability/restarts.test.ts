import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localDynamoClient, localSqsClient } from '../../local/aws-local.ts';
import { readRuntimeInfo } from '../../local/runtime.ts';
import { type RunningServer, startDynamoDbLocal, startSqsEmulator } from '../../local/servers.ts';
import { OUTBOX_GIVEN_UP, OUTBOX_PENDING } from '../../shared/adapters/approval-outbox-repository.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { idempotencyScope } from '../../shared/app/idempotency.ts';
import { FUNDING_LINES } from '../../shared/domain/funding-line.ts';
import { steps } from '../e2e/support/api-steps.ts';
import {
  type ApiResponse,
  type CallOptions,
  type Runtime,
  startRuntime,
} from '../e2e/support/local-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';

const run = reliabilityRun('restarts');
const notes = run.figures.notes;
const count = (note: string, by = 1) => {
  notes[note] = Number(notes[note] ?? 0) + by;
};
afterAll(() => run.save());

/** Seconds since `from`, one decimal, for the figures. */
const since = (from: number) => Math.round((Date.now() - from) / 100) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Short outbox settings, so a lost event is re-published within seconds. */
const RELAY_ENV = { OUTBOX_GRACE_SECONDS: '2', OUTBOX_RELAY_INTERVAL_SECONDS: '2' };

/** An accepted decision: its 202 answer promised that this event will be applied. */
interface Accepted {
  requestId: string;
  eventId: string;
  level: string;
  sub: string;
  key: string;
}

/**
 * A client of one runtime, as a careful user would write it: a 503 is retried after its Retry-After
 * with the same Idempotency-Key; any other 5xx fails the scenario.
 */
const client = (rt: Runtime) => {
  const s = steps(rt);
  const accepted: Accepted[] = [];
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      run.figures.operations += 1;
      const res = await rt.call(method, path, options);
      if (res.status !== 503) {
        if (res.status >= 500)
          throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        return res;
      }
      expect(res.body.error.code).toBe('service_unavailable');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      count('503 answers retried');
      if (Date.now() > deadline) throw new Error(`${method} ${path}: still 503 after 120 s`);
      await sleep(retryAfter * 1000);
    }
  };
  const getRequest = async (id: string) =>
    (await call('GET', `/requests/${id}`, { token: await s.as('auditor-x', 'auditor') })).body;
  const submit = async (allocationId: string) => {
    const res = await call('POST', '/requests', {
      token: await s.as('finance-lan', 'finance'),
      headers: { 'idempotency-key': randomUUID() },
      body: {
        allocationId,
        amountVnd: 25_000_000,
        payee: { name: 'Hộ ông Bhling Mía', kind: 'household' },
        purpose: 'Hỗ trợ xây mới nhà ở',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  /** The next level's decision on a request, retried with the same key until it is accepted. */
  const decide = async (id: string, level: string) => {
    const sub = `${level}-approver`;
    const key = randomUUID();
    const res = await call('POST', `/requests/${id}/decisions`, {
      token: await s.as(sub, s.approver[level] ?? level),
      headers: { 'idempotency-key': key },
      body: { decision: 'approve' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    accepted.push({ requestId: id, eventId: res.body.eventId, level, sub, key });
  };
  /** Waits until the funding line's handler has applied the decision at `level`. */
  const waitPast = async (id: string, level: string) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const request = await getRequest(id);
      if (request.nextLevel !== level) return request;
      if (Date.now() > deadline) throw new Error(`request ${id} still waits at ${level} after 120 s`);
      await sleep(250);
    }
  };
  /** Every remaining level, each decided and applied in turn. */
  const approveAll = async (id: string) => {
    let request = await getRequest(id);
    while (request.status === 'pending_approval') {
      const level: string = request.nextLevel;
      await decide(id, level);
      request = await waitPast(id, level);
    }
    return request;
  };
  return { s, call, accepted, getRequest, submit, decide, waitPast, approveAll };
};

/** Approval events held by the queues now: waiting, in flight or delayed. */
const queued = async (sqs: SQSClient, urls: string[]) => {
  let total = 0;
  for (const url of urls) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    total +=
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  }
  return total;
};

/**
 * Holds the approval queues' new messages back (SQS DelaySeconds), so the events published next are
 * certainly still queued when the emulator stops: the loss the restart must survive.
 */
const holdBack = async (sqs: SQSClient, urls: string[]) => {
  for (const url of urls) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '600' } }));
  }
};

const approvalQueueUrls = (rt: Runtime) =>
  readRuntimeInfo(rt.dataDir)
    .queues.filter((q) => q.id.startsWith('approvals-'))
    .map((q) => q.url);

/** Re-publishes the relay made, read from its log lines. */
const relayed = (rt: Runtime) =>
  [...rt.logs().matchAll(/"msg":"outbox relay ran"[^}]*"republished":(\d+)/g)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );

/**
 * The end state: every decision accepted with 202 was applied (its event is among its request's
 * approvals), every request is disbursed once, the outbox is empty, and the independent checker
 * finds no violation.
 */
const checkNothingLost = async (rt: Runtime, c: ReturnType<typeof client>, requestIds: string[]) => {
  const db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
  const tableName = `${rt.namespace}-ledger`;
  const outbox = async (pk: string) =>
    (
      await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        }),
      )
    ).Items ?? [];
  try {
    for (const id of requestIds) {
      // Read from the table: the API's view of a request does not show the events' ids.
      const request = await rt.store.getRequest(id);
      expect(request?.status, id).toBe('disbursed');
      const applied = new Set(request?.approvals.map((a) => a.eventId));
      for (const decision of c.accepted.filter((a) => a.requestId === id)) {
        expect(applied.has(decision.eventId), `${id} ${decision.level} ${decision.eventId}`).toBe(true);
      }
    }
    expect(await outbox(OUTBOX_PENDING)).toEqual([]);
    expect(await outbox(OUTBOX_GIVEN_UP)).toEqual([]);
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
    expect(report.counts).toMatchObject({ entries: requestIds.length });
  } finally {
    db.destroy();
  }
};

describe('restarting the SQS emulator and DynamoDB Local in the middle of a run', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'giai-ngan-restarts-'));
  const servers: { dynamo?: RunningServer; sqs?: RunningServer } = {};
  let rt: Runtime | undefined;
  afterAll(async () => {
    await rt?.stop();
    await servers.sqs?.stop();
    await servers.dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no decision accepted with 202: every request is posted exactly once and the outbox ends empty', async () => {
    const started = Date.now();
    // The runtime's own servers, on a data folder: the test stops and starts them on the same ports.
    const dynamoDir = join(dataDir, 'dynamodb');
    servers.dynamo = await startDynamoDbLocal({ dataDir: dynamoDir });
    servers.sqs = await startSqsEmulator({});
    const { endpoint: dynamoEndpoint, port: dynamoPort } = servers.dynamo;
    const { endpoint: sqsEndpoint, port: sqsPort } = servers.sqs;
    rt = await startRuntime({
      servers: { dynamoEndpoint, sqsEndpoint },
      dataDir: join(dataDir, 'runtime'),
      visibilityTimeoutSeconds: 3,
      env: RELAY_ENV,
    });
    const c = client(rt);
    const sqs = localSqsClient(sqsEndpoint);
    try {
      const allocations = await Promise.all(
        FUNDING_LINES.map((fundingLine) => c.s.createAllocation({ fundingLine })),
      );
      run.figures.operations += allocations.length;
      // 16 requests, 4 per funding line, each decided at its first level before any fault.
      const first = await Promise.all(allocations.flatMap((a) => [1, 2, 3, 4].map(() => c.submit(a.id))));
      await Promise.all(
        first.map(async (id) => {
          const request = await c.getRequest(id);
          await c.decide(id, request.nextLevel);
          await c.waitPast(id, request.nextLevel);
        }),
      );

      // 1. The SQS emulator restarts with 8 accepted events still queued: the emulator loses them.
      const urls = approvalQueueUrls(rt);
      await holdBack(sqs, urls);
      const beforeRestart = first.slice(0, 8);
      const levels = new Map<string, string>();
      for (const id of first) levels.set(id, (await c.getRequest(id)).nextLevel);
      await Promise.all(beforeRestart.map((id) => c.decide(id, levels.get(id) ?? '')));
      const lost = await queued(sqs, urls);
      expect(lost).toBe(beforeRestart.length);
      count('events lost by the SQS emulator restart', lost);
      const sqsDown = Date.now();
      await servers.sqs.stop();
      count('SQS emulator restarts');
      // While it is down, decisions are still accepted: stored, their publish fails, the relay sends them.
      const duringOutage = first.slice(8, 12);
      await Promise.all(duringOutage.map((id) => c.decide(id, levels.get(id) ?? '')));
      count('decisions accepted while the SQS emulator was down', duringOutage.length);
      servers.sqs = await startSqsEmulator({ port: sqsPort });
      // The pollers re-create the queues; the relay re-publishes what the emulator lost.
      await Promise.all(
        [...beforeRestart, ...duringOutage].map((id) => c.waitPast(id, levels.get(id) ?? '')),
      );
      notes['seconds from the SQS emulator stop until every lost event was applied'] = since(sqsDown);

      // 2. DynamoDB Local restarts (stop the Java process, start it on the same port and folder) while
      // new submissions and every remaining level are driven; clients retry the 503s with the same key.
      const traffic = (async () => {
        const more = await Promise.all(allocations.flatMap((a) => [1, 2].map(() => c.submit(a.id))));
        await Promise.all([...first, ...more].map((id) => c.approveAll(id)));
        return [...first, ...more];
      })();
      await sleep(1500);
      const dynamoDown = Date.now();
      await servers.dynamo.stop();
      count('DynamoDB Local restarts');
      await sleep(1000);
      servers.dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir: dynamoDir });
      notes['seconds DynamoDB Local was down'] = since(dynamoDown);
      const requestIds = await traffic;
      notes['seconds from the DynamoDB Local stop until every request was posted'] = since(dynamoDown);

      // 3. After the relay ran: nothing lost, nothing posted twice.
      const runtime = rt;
      await checkNothingLost(runtime, c, requestIds);
      count('decisions accepted with 202', c.accepted.length);
      count('requests posted', requestIds.length);
      count('events re-published by the relay', relayed(runtime));
      expect(relayed(runtime)).toBeGreaterThanOrEqual(lost + duringOutage.length);
      run.figures.faultsInjected += 2 + lost + duringOutage.length;
      notes['seconds of the mid-run restart scenario'] = since(started);
    } finally {
      sqs.destroy();
    }
  }, 240_000);
});

describe('`npm start` stopped and started again on the same data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'giai-ngan-restart-'));
  const namespace = `restart-${randomUUID().slice(0, 8)}`;
  let rt: Runtime | undefined;
  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('relays after start the approval events still queued when it stopped, and keeps every record', async () => {
    const start = () =>
      startRuntime({ servers: 'own', dataDir, namespace, keepDataDir: true, env: RELAY_ENV });
    rt = await start();
    let c = client(rt);
    const allocation = await c.s.createAllocation({ fundingLine: 'central' });
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(() => c.submit(allocation.id)));
    const sqs = localSqsClient(readRuntimeInfo(rt.dataDir).sqsEndpoint);
    const urls = approvalQueueUrls(rt);
    try {
      await holdBack(sqs, urls);
      await Promise.all(ids.map((id) => c.decide(id, 'district')));
      expect(await queued(sqs, urls)).toBe(ids.length);
    } finally {
      sqs.destroy();
    }
    const accepted = c.accepted;
    await rt.stop();
    rt = undefined;
    count('events queued when npm start stopped', ids.length);
    run.figures.faultsInjected += 1 + ids.length;

    rt = await start();
    c = client(rt);
    c.accepted.push(...accepted);
    for (const id of ids) await c.waitPast(id, 'district');
    for (const id of ids) await c.approveAll(id);
    await checkNothingLost(rt, c, ids);
    // Each lost event was re-published once by the relay of the new run, from its record on disk.
    for (const decision of accepted) {
      const record = await rt.store.getIdempotency(
        idempotencyScope('decide-request', decision.sub, decision.key, decision.requestId),
      );
      expect(record, decision.eventId).toMatchObject({ relayCount: 1 });
    }
    count('events re-published after npm start restarted', relayed(rt));
  }, 180_000);
});
