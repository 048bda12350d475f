import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { localAwsEnv, localSqsClient } from '../../local/aws-local.ts';
import { queueDepth } from '../../local/queue-depth.ts';
import { type RuntimeInfo, readRuntimeInfo } from '../../local/runtime.ts';
import type { ApprovalEvent } from '../../shared/ledger/domain/disbursement-request.ts';
import { FUNDING_LINES, type FundingLine } from '../../shared/ledger/domain/funding-line.ts';
import { approvalQueueId } from '../../shared/ledger/topology.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { TABLE_NAME_ENV } from '../../shared/platform/topology.ts';
import { steps } from '../e2e/support/api-steps.ts';
import { eventually, type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { TEST_CLOCK_START } from '../support/fixtures.ts';
import { reliabilityRun } from './support/reliability-run.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let rt: Runtime;
let s: ReturnType<typeof steps>;
let info: RuntimeInfo;
let sqs: SQSClient;
const run = reliabilityRun('redelivery');

beforeAll(async () => {
  // The consumer this file also runs in its own process reads the same day as the runtime's clock.
  setSystemClock(new Date(TEST_CLOCK_START));
  rt = await startRuntime({ visibilityTimeoutSeconds: 1 });
  s = steps(rt);
  await s.declareOutputs(['houses']);
  info = readRuntimeInfo(rt.dataDir);
  sqs = localSqsClient(inject('sqsEndpoint'));
});
afterAll(async () => {
  setSystemClock(undefined);
  run.save();
  sqs?.destroy();
  await rt?.stop();
});

const queueOf = (line: FundingLine) => {
  const queue = info.queues.find((q) => q.id === approvalQueueId(line));
  if (!queue) throw new Error(`no queue for ${line}`);
  return queue;
};

/** Fisher–Yates with a seeded generator, so a failing order can be replayed. */
const shuffle = <T>(items: T[], seed: number): T[] => {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

const approvalEvent = (request: {
  id: string;
  fundingLine: FundingLine;
  nextLevel: string;
}): ApprovalEvent => ({
  eventId: randomUUID(),
  requestId: request.id,
  fundingLine: request.fundingLine,
  level: request.nextLevel,
  decision: 'approve',
  actor: {
    sub: `${request.nextLevel}-approver`,
    groups: [s.approver[request.nextLevel] ?? request.nextLevel],
  },
  decidedAt: new Date().toISOString(),
});

const send = async (line: FundingLine, bodies: string[]) => {
  for (let i = 0; i < bodies.length; i += 10) {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueOf(line).url,
        Entries: bodies.slice(i, i + 10).map((body, k) => ({ Id: String(k), MessageBody: body })),
      }),
    );
    expect(out.Failed ?? []).toEqual([]);
  }
};

/** Waits until a queue has nothing visible or in flight (every copy handled and deleted). */
const drained = (line: FundingLine) =>
  eventually(
    `queue ${line} drained`,
    () => queueDepth(sqs, queueOf(line).url, { missing: 1 }),
    (n) => n === 0,
    30_000,
  );

const entriesOfRequest = async (allocationId: string, requestId: string) =>
  (await rt.store.listEntries(J, allocationId)).filter((e) => e.requestId === requestId);

describe('approval events delivered several times and handlers that crash after posting', () => {
  it('posts each request exactly once when every approval event arrives 2 to 5 times in shuffled order', async () => {
    const submitted: { id: string; allocationId: string }[] = [];
    for (const line of FUNDING_LINES) {
      const allocation = await s.createAllocation({ fundingLine: line, amountVnd: 2_500_000_000 });
      run.figures.operations += 1;
      const results = await Promise.all(
        [1_100_000_000, 40_000_000, 30_000_000, 20_000_000, 10_000_000].map((amount, k) =>
          // Declared outputs too: the checker verifies each is counted once, whatever the redelivery.
          s.submit(allocation.id, amount, `finance-${k}`, randomUUID(), { outputs: { houses: k + 1 } }),
        ),
      );
      run.figures.operations += results.length;
      for (const res of results) {
        expect(res.status).toBe(201);
        submitted.push({ id: res.body.id, allocationId: allocation.id });
      }
    }

    let round = 0;
    let deliveries = 0;
    for (;;) {
      const pending = (await Promise.all(submitted.map((r) => s.getRequest(r.id)))).filter(
        (r) => r.status === 'pending_approval',
      );
      if (pending.length === 0) break;
      round += 1;
      expect(round).toBeLessThanOrEqual(4);
      // One event per pending request at its next level, each copied 2–5 times, all shuffled together.
      for (const line of FUNDING_LINES) {
        const copies = pending
          .filter((r) => r.fundingLine === line)
          .flatMap((r, i) => {
            const body = JSON.stringify(approvalEvent(r));
            return Array.from({ length: 2 + ((i + round) % 4) }, () => body);
          });
        deliveries += copies.length;
        run.figures.faultsInjected += copies.length - pending.filter((r) => r.fundingLine === line).length;
        await send(line, shuffle(copies, round * 31 + line.length));
      }
      await Promise.all(pending.map((r) => s.waitPast(r.id, r.nextLevel)));
      run.figures.operations += pending.length;
    }
    await Promise.all(FUNDING_LINES.map(drained));

    for (const r of submitted) {
      expect((await s.getRequest(r.id)).status).toBe('disbursed');
      expect(await entriesOfRequest(r.allocationId, r.id)).toHaveLength(1);
    }
    run.figures.notes.duplicateDeliveryRequests = submitted.length;
    run.figures.notes.approvalMessagesSent = deliveries;
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
    expect(report.counts.entries).toBe(submitted.length);
  });

  it('posts a request once when the consumer crashes after the ledger transaction and the message comes back', async () => {
    // The consumer of the community line, in this process, on the runtime's own table.
    Object.assign(process.env, localAwsEnv(inject('dynamoEndpoint'), inject('sqsEndpoint')), {
      [TABLE_NAME_ENV]: info.tableName,
      FUNDING_LINE: 'community',
    });
    const { handler } = await import('../../functions/approvals/decision-consumer.ts');
    const quiet = vi.spyOn(console, 'log').mockImplementation(() => {});
    const invoke = (event: SQSEvent) =>
      (handler as unknown as (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>)(event, {});
    /** Lambda ran the handler, the ledger transaction committed, then the process died: no delete. */
    const crashAfterHandler = async (event: SQSEvent) => {
      const out = await invoke(event);
      expect(out.batchItemFailures).toEqual([]);
      run.figures.faultsInjected += 1;
    };

    const allocation = await s.createAllocation({ fundingLine: 'community', amountVnd: 300_000_000 });
    const ids: string[] = [];
    for (let k = 0; k < 4; k++) {
      const res = await s.submit(allocation.id, 25_000_000, `finance-crash-${k}`);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    run.figures.operations += 5;

    for (const [k, id] of ids.entries()) {
      let request = await s.getRequest(id);
      expect(request.chain).toEqual(['commune', 'district']);
      // The first level through the API as usual.
      const first = await s.decide(id, await s.as('commune-approver', 'approver-commune'));
      expect(first.status).toBe(202);
      request = await s.waitPast(id, 'commune');
      run.figures.operations += 2;

      // The last level: the handler posts, then "crashes"; the same message is redelivered.
      const body = JSON.stringify(approvalEvent(request));
      const record = (n: number): SQSRecord =>
        ({
          messageId: `crash-${k}-${n}`,
          receiptHandle: `rh-${k}-${n}`,
          body,
          attributes: { ApproximateReceiveCount: String(n) },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: queueOf('community').arn,
          awsRegion: 'ap-southeast-1',
        }) as SQSRecord;
      if (k % 2 === 0) {
        await crashAfterHandler({ Records: [record(1)] });
      } else {
        // Two instances hold the same message at once (a visibility timeout ran out mid-flight).
        await Promise.all([crashAfterHandler({ Records: [record(1)] }), invoke({ Records: [record(2)] })]);
        run.figures.faultsInjected += 1;
      }
      expect((await s.getRequest(id)).status).toBe('disbursed');
      await send('community', [body, body]);
      run.figures.faultsInjected += 2;
    }
    await drained('community');

    quiet.mockRestore();
    for (const id of ids) expect(await entriesOfRequest(allocation.id, id)).toHaveLength(1);
    expect(await s.getAllocation(allocation.id)).toMatchObject({
      disbursedVnd: 100_000_000,
      reservedVnd: 0,
      headSeq: 4,
    });
    const report = await run.check(rt);
    expect(report.violations).toEqual([]);
  });
});
