import { randomUUID } from 'node:crypto';
import { SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { localDynamoClient } from '../../../local/aws-local.ts';
import { queueDepth } from '../../../local/queue-depth.ts';
import { readRuntimeInfo } from '../../../local/runtime.ts';
import { createDocumentClient } from '../../../shared/platform/aws/aws-clients.ts';
import { approvalOutboxKeys, idempotencyKeys } from '../../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
import { steps, voucherFieldsFor } from '../../e2e/support/api-steps.ts';
import {
  type ApiResponse,
  type CallOptions,
  eventually,
  type Runtime,
} from '../../e2e/support/local-runtime.ts';
import type { reliabilityRun } from './reliability-run.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

/** Seconds since `from`, one decimal, for the figures. */
export const since = (from: number) => Math.round((Date.now() - from) / 100) / 10;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Short outbox settings, so a lost event is re-published within seconds. */
export const RELAY_ENV = { OUTBOX_GRACE_SECONDS: '2', OUTBOX_RELAY_INTERVAL_SECONDS: '2' };

/** An accepted decision: its 202 answer promised that this event will be applied. */
export interface Accepted {
  requestId: string;
  eventId: string;
  level: string;
  sub: string;
  key: string;
}

/** Approval events held by the queues now: waiting, in flight or delayed. */
export const queued = async (sqs: SQSClient, urls: string[]) => {
  let total = 0;
  for (const url of urls) total += await queueDepth(sqs, url, { counts: ['visible', 'inFlight', 'delayed'] });
  return total;
};

/** The decisions' records on one outbox partition (`approvalOutboxKeys.pending` or `.givenUp`). */
const outboxEntries = async (rt: Runtime, pk: string) => {
  const db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
  try {
    const out = await db.send(
      new QueryCommand({ TableName: `${rt.namespace}-ledger`, ...approvalOutboxKeys.partition(pk) }),
    );
    return out.Items ?? [];
  } finally {
    db.destroy();
  }
};

/**
 * Waits until the approval queues are empty and no decision is pending in the outbox: under load the
 * relay may re-publish an event whose consumer was slower than the grace period (at-least-once, by
 * design), and such a duplicate must be consumed before a step counts the events it queued itself.
 */
export const waitForQuiet = (rt: Runtime, sqs: SQSClient, urls: string[]) =>
  eventually(
    'the approval queues and the outbox to empty',
    async () => (await outboxEntries(rt, approvalOutboxKeys.pending)).length + (await queued(sqs, urls)),
    (left) => left === 0,
    60_000,
  );

/**
 * Holds the approval queues' new messages back (SQS DelaySeconds), so the events published next are
 * certainly still queued when the emulator stops: the loss the restart must survive.
 */
export const holdBack = async (sqs: SQSClient, urls: string[]) => {
  for (const url of urls) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '600' } }));
  }
};

export const approvalQueueUrls = (rt: Runtime) =>
  readRuntimeInfo(rt.dataDir)
    .queues.filter((q) => q.id.startsWith('approvals-'))
    .map((q) => q.url);

/**
 * Re-publishes the relay made, read from its log lines: those it recorded and those whose entry the
 * consumer settled first (the event, sent again, was applied before the relay's record; a CI run
 * counted 8 of 9 when only the recorded ones were summed).
 */
export const relayed = (rt: Runtime) =>
  // The relay's log entry, as a readable line (`… outbox relay ran {…"republished":3,…}`) or as JSON.
  [...rt.logs().matchAll(/outbox relay ran[^}]*\}/g)].reduce((sum, [line]) => {
    const field = (name: string) => Number(new RegExp(`"${name}":(\\d+)`).exec(line)?.[1] ?? 0);
    return sum + field('republished') + field('sentUnrecorded');
  }, 0);

type Run = ReturnType<typeof reliabilityRun>;

/** Counters of a restart scenario, kept in its figures' notes. */
export const noteCounter =
  (run: Run) =>
  (note: string, by = 1) => {
    run.figures.notes[note] = Number(run.figures.notes[note] ?? 0) + by;
  };

/**
 * A client of one runtime, as a careful user would write it: a 503 is retried after its Retry-After
 * with the same Idempotency-Key; any other 5xx fails the scenario.
 */
export const restartClient = (run: Run, rt: Runtime) => {
  const count = noteCounter(run);
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
      body: { decision: 'approve', ...voucherFieldsFor(await getRequest(id), level) },
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

/**
 * How often the relay re-published a decision's event: outbox bookkeeping on the decision's
 * idempotency item, read from the table (the store's record leaves it out).
 */
export const relayCountOf = async (rt: Runtime, scope: string): Promise<unknown> => {
  const db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
  try {
    const out = await db.send(
      new GetCommand({
        TableName: `${rt.namespace}-ledger`,
        Key: idempotencyKeys.key(J, scope),
        ConsistentRead: true,
      }),
    );
    return out.Item?.relayCount;
  } finally {
    db.destroy();
  }
};

/**
 * The end state: every decision accepted with 202 was applied (its event is among its request's
 * approvals), every request is disbursed once, the outbox is empty, and the independent checker
 * finds no violation.
 */
export const checkNothingLost = async (
  run: Run,
  rt: Runtime,
  c: ReturnType<typeof restartClient>,
  requestIds: string[],
) => {
  for (const id of requestIds) {
    // Read from the table: the API's view of a request does not show the events' ids.
    const request = await rt.store.getRequest(J, id);
    expect(request?.status, id).toBe('disbursed');
    const applied = new Set(request?.approvals.map((a) => a.eventId));
    for (const decision of c.accepted.filter((a) => a.requestId === id)) {
      expect(applied.has(decision.eventId), `${id} ${decision.level} ${decision.eventId}`).toBe(true);
    }
  }
  expect(await outboxEntries(rt, approvalOutboxKeys.pending)).toEqual([]);
  expect(await outboxEntries(rt, approvalOutboxKeys.givenUp)).toEqual([]);
  const report = await run.check(rt);
  expect(report.violations).toEqual([]);
  expect(report.counts).toMatchObject({ entries: requestIds.length });
};
