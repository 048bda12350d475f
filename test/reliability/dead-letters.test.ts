import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localSqsClient } from '../../local/aws-local.ts';
import { queueDepth } from '../../local/queue-depth.ts';
import { type RuntimeInfo, readRuntimeInfo } from '../../local/runtime.ts';
import type { ApprovalEvent } from '../../shared/ledger/domain/disbursement-request.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { steps } from '../e2e/support/api-steps.ts';
import { eventually, type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

const repoRoot = resolve(import.meta.dirname, '../..');
let rt: Runtime;
let s: ReturnType<typeof steps>;
let info: RuntimeInfo;
let sqs: SQSClient;
const run = reliabilityRun('dead-letters');

beforeAll(async () => {
  rt = await startRuntime({ visibilityTimeoutSeconds: 1 });
  s = steps(rt);
  info = readRuntimeInfo(rt.dataDir);
  sqs = localSqsClient(inject('sqsEndpoint'));
});
afterAll(async () => {
  run.save();
  sqs?.destroy();
  await rt?.stop();
});

const central = () => {
  const queue = info.queues.find((q) => q.id === 'approvals-central');
  if (!queue) throw new Error('no approvals-central queue');
  return queue;
};
const depth = (url: string) => queueDepth(sqs, url);
/** Waits until the poison message is the central queue's only dead letter and the queue itself is empty. */
const poisonAloneOnTheDeadLetterQueue = async (what: string) => {
  await eventually(
    what,
    () => depth(central().deadLetterUrl),
    (n) => n === 1,
    40_000,
  );
  await eventually(
    'the central queue empty',
    () => depth(central().url),
    (n) => n === 0,
  );
};
/** Runs `npm run -s dlq -- …` without blocking this process (its pooled HTTP sockets stay serviced). */
const dlq = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['scripts/run.mjs', 'local/dlq-cli.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, DATA_DIR: rt.dataDir }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
      },
    );
  });

/** A request of the central line, approved through the API up to (not including) the treasury. */
const atTreasury = async (allocationId: string, submitter: string) => {
  const res = await s.submit(allocationId, 15_000_000, submitter);
  expect(res.status).toBe(201);
  const id: string = res.body.id;
  for (const level of ['district', 'province']) {
    expect((await s.decide(id, await s.as(`${level}-approver`, s.approver[level] ?? level))).status).toBe(
      202,
    );
    await s.waitPast(id, level);
  }
  run.figures.operations += 5;
  const request = await s.getRequest(id);
  expect(request.nextLevel).toBe('treasury');
  const event: ApprovalEvent = {
    eventId: randomUUID(),
    requestId: id,
    fundingLine: 'central',
    level: 'treasury',
    decision: 'approve',
    actor: { sub: 'treasury-approver', groups: ['treasury'] },
    decidedAt: new Date().toISOString(),
  };
  return { id, body: JSON.stringify(event) };
};

describe('poison messages, the dead-letter queue and `npm run dlq`', () => {
  it('dead-letters a poison message after maxReceiveCount and re-drives dead letters so each request posts at most once', async () => {
    // A body no consumer can read: received 5 times, then moved to the dead-letter queue.
    await sqs.send(
      new SendMessageCommand({ QueueUrl: central().url, MessageBody: '{"requestId": not json' }),
    );
    run.figures.faultsInjected += 1;
    await poisonAloneOnTheDeadLetterQueue('the poison message dead-lettered');

    const allocation = await s.createAllocation({ fundingLine: 'central', amountVnd: 100_000_000 });
    // One request whose last approval was applied and whose copies were also dead-lettered ...
    const applied = await atTreasury(allocation.id, 'finance-dlq-1');
    await sqs.send(new SendMessageCommand({ QueueUrl: central().url, MessageBody: applied.body }));
    await eventually(
      'the first request posted',
      () => s.getRequest(applied.id),
      (r) => r.status === 'disbursed',
    );
    // ... and one whose only last approval sits on the dead-letter queue.
    const stranded = await atTreasury(allocation.id, 'finance-dlq-2');
    for (const body of [applied.body, applied.body, stranded.body])
      await sqs.send(new SendMessageCommand({ QueueUrl: central().deadLetterUrl, MessageBody: body }));
    run.figures.faultsInjected += 3;

    const listed = await dlq('list', 'approvals-central');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('approvals-central\t4 dead letter(s)');
    expect(listed.stdout).toContain(stranded.id);
    expect(listed.stdout).toContain('not json');
    const all = await dlq('list');
    expect(all.stdout).toMatch(/approvals-community\t0 dead letter\(s\)/);

    const redriven = await dlq('redrive', 'approvals-central');
    expect(redriven.status).toBe(0);
    expect(redriven.stdout).toContain('approvals-central: 4 message(s) re-driven');
    run.figures.operations += 3;

    await eventually(
      'the stranded request posted',
      () => s.getRequest(stranded.id),
      (r) => r.status === 'disbursed',
    );
    // The poison message fails again and goes back; the valid ones are applied (or ignored) and deleted.
    await poisonAloneOnTheDeadLetterQueue('the poison message dead-lettered again');

    const entries = await rt.store.listEntries(J, allocation.id);
    expect(entries.filter((e) => e.requestId === applied.id)).toHaveLength(1);
    expect(entries.filter((e) => e.requestId === stranded.id)).toHaveLength(1);
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
  });

  it('refuses an unknown command or queue with a usage line and exit code 1', async () => {
    expect((await dlq('purge')).status).toBe(1);
    const unknown = await dlq('redrive', 'no-such-queue');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown queue no-such-queue');
  });
});
