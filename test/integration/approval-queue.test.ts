import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsEnv } from '../../local/aws-local.ts';
import type { LoadedFunction } from '../../local/function-loader.ts';
import type { ProvisionedQueue } from '../../local/provision.ts';
import { type RunningPoller, startQueuePoller, toRecord } from '../../local/queue-poller.ts';
import { ApprovalQueuePublisher } from '../../shared/ledger/adapters/approval-queue-publisher.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { decideRequest, submitRequest } from '../../shared/ledger/app/requests.ts';
import type { ApprovalEvent } from '../../shared/ledger/domain/disbursement-request.ts';
import type { FundingLine } from '../../shared/ledger/domain/funding-line.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { approvalPolicies, approvalPolicy } from '../../shared/platform/config/approval-policies/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { TABLE_NAME_ENV } from '../../shared/platform/topology.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
import { injectFaults } from '../support/fault-injection.ts';
import {
  actor,
  finance,
  givenAllocation,
  newRequest,
  TEST_CLOCK_START,
  testEnv,
} from '../support/fixtures.ts';
import { freshQueues, freshTable } from '../support/local-aws.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let store: LedgerStore;
let sqs: SQSClient;
let central: ProvisionedQueue;
let poller: RunningPoller;
let consume: (event: SQSEvent) => Promise<SQSBatchResponse>;
/** Requests whose next read by the consumer fails (a non-transient fault, so the record fails at once). */
const failNextRead = new Set<string>();

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  // The handlers run in this process on the system clock: the fixtures' day, in their plans' year (as the local runtime does).
  setSystemClock(new Date(TEST_CLOCK_START));
  const table = await freshTable('queue');
  store = table.store;
  const provisioned = await freshQueues('queue', { visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
  sqs = provisioned.sqs;
  const found = provisioned.queues.find((q) => q.spec.id === 'approvals-central');
  if (!found) throw new Error('no central queue');
  central = found;
  Object.assign(process.env, localAwsEnv(inject('dynamoEndpoint'), inject('sqsEndpoint')), {
    [TABLE_NAME_ENV]: table.tableName,
    FUNDING_LINE: 'central',
  });
  const spec = FUNCTIONS.find((f) => f.trigger.kind === 'queue' && f.trigger.queueId === 'approvals-central');
  if (!spec) throw new Error('no consumer of the approvals-central queue');
  // Before the consumer builds its DynamoDB client (and after the environment, which the tracer reads
  // when it is first imported): fail one read of a chosen request.
  const { sdkClientHooks } = await import('../../shared/platform/aws/aws-clients.ts');
  sdkClientHooks.push((client, service) => {
    if (service !== 'dynamodb') return;
    // The consumer reads a request with its allocation in one BatchGetItem (a GetItem where it reads alone).
    for (const command of ['GetItemCommand', 'BatchGetItemCommand']) {
      injectFaults(client as DynamoDBClient, {
        command,
        fail: (_, input) => {
          const id = [...failNextRead].find((r) => JSON.stringify(input).includes(r));
          return id !== undefined && failNextRead.delete(id);
        },
        error: () => new Error('injected: a read failed'),
        where: 'before-retries',
      });
    }
  });
  const { handler } = await import('../../functions/approvals/decision-consumer.ts');
  consume = (event) =>
    (handler as unknown as (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>)(event, {});
  const fn: LoadedFunction = { spec, handler };
  poller = startQueuePoller({
    sqs,
    fn,
    queueUrl: central.url,
    queueArn: central.arn,
    batchSize: 10,
    log: () => {},
  });
});

afterAll(async () => {
  setSystemClock(undefined);
  await poller?.stop();
});

describe('the central line consumer behind the SQS emulator', () => {
  it('applies every level once although each approval event is delivered three times', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 500_000_000, fundingLine: 'central' });
    const submitted = await submitRequest(
      { store, policies: approvalPolicies, ...testEnv },
      finance,
      newRequest(allocation.id, 123_000_000),
      'queue-test-key-1',
    );
    const request = submitted.result;
    for (const [i, level] of request.chain.entries()) {
      const event: ApprovalEvent = {
        eventId: `evt-${level}`,
        requestId: request.id,
        fundingLine: 'central',
        level,
        decision: 'approve',
        actor: actor(`approver-${i}`, approvalPolicy.levels[level]?.group ?? ''),
        decidedAt: new Date().toISOString(),
      };
      for (let copy = 0; copy < 3; copy++) {
        await sqs.send(new SendMessageCommand({ QueueUrl: central.url, MessageBody: JSON.stringify(event) }));
      }
      await until(
        `level ${level} applied`,
        async () => (await store.getRequest(J, request.id))?.approvals.length === i + 1,
      );
    }
    await until('posting', async () => (await store.getRequest(J, request.id))?.status === 'disbursed');
    await new Promise((r) => setTimeout(r, 500)); // let the remaining copies drain
    expect(await store.listEntries(J, allocation.id)).toHaveLength(1);
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({
      reservedVnd: 0,
      disbursedVnd: 123_000_000,
    });
  });

  it('publishes a decision through the API use case and the consumer applies it', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 500_000_000, fundingLine: 'central' });
    const deps = { store, policies: approvalPolicies, ...testEnv };
    const request = (
      await submitRequest(deps, finance, newRequest(allocation.id, 1_000_000), 'queue-test-key-2')
    ).result;
    const urls = { central: central.url } as Record<FundingLine, string>;
    const publisher = new ApprovalQueuePublisher(sqs, urls);
    const approver = actor('district-approver-x', 'approver-district');
    const accepted = await decideRequest(
      { ...deps, publisher },
      approver,
      request.id,
      { decision: 'approve' },
      'decide-key-0001',
    );
    const replay = await decideRequest(
      { ...deps, publisher },
      approver,
      request.id,
      { decision: 'approve' },
      'decide-key-0001',
    );
    expect([accepted.replayed, replay.replayed]).toEqual([false, true]);
    expect(replay.result).toEqual(accepted.result);
    await until(
      'decision applied',
      async () => (await store.getRequest(J, request.id))?.nextLevel === 'province',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await store.getRequest(J, request.id))?.approvals).toHaveLength(1);
  });

  it("leaves a request's later event in a batch unapplied when an earlier one failed, so the two are redelivered in order", async () => {
    const allocation = await givenAllocation(store, { amountVnd: 500_000_000, fundingLine: 'central' });
    const request = (
      await submitRequest(
        { store, policies: approvalPolicies, ...testEnv },
        finance,
        newRequest(allocation.id, 2_000_000),
        'queue-test-key-3',
      )
    ).result;
    const level = request.chain[0] ?? '';
    const group = approvalPolicy.levels[level]?.group ?? '';
    // Two deciders at the first level: the approval was accepted first, the rejection second.
    const decision = (eventId: string, decision: 'approve' | 'reject', sub: string): ApprovalEvent => ({
      eventId,
      requestId: request.id,
      fundingLine: 'central',
      level,
      decision,
      actor: actor(sub, group),
      decidedAt: new Date().toISOString(),
    });
    const batch = (receive: number): SQSEvent => ({
      Records: [
        decision('evt-first', 'approve', 'approver-a'),
        decision('evt-second', 'reject', 'approver-b'),
      ].map((event) =>
        toRecord(
          {
            MessageId: event.eventId,
            Body: JSON.stringify(event),
            Attributes: { ApproximateReceiveCount: String(receive) },
          },
          central.arn,
        ),
      ),
    });

    failNextRead.add(request.id);
    const first = await consume(batch(1));
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: 'evt-first' },
      { itemIdentifier: 'evt-second' },
    ]);
    expect(await store.getRequest(J, request.id)).toMatchObject({
      status: 'pending_approval',
      nextLevel: level,
    });

    const again = await consume(batch(2));
    expect(again.batchItemFailures).toEqual([]);
    const after = await store.getRequest(J, request.id);
    expect(after).toMatchObject({ status: 'pending_approval', nextLevel: request.chain[1] });
    expect(after?.approvals.map((a) => a.eventId)).toEqual(['evt-first']);
  });

  it('reports a poison message as a batch item failure until it lands in the dead-letter queue', async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: central.url, MessageBody: 'this is not an approval event' }),
    );
    let dead: string | undefined;
    await until('dead-lettering', async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: central.deadLetterUrl, WaitTimeSeconds: 1 }),
      );
      dead = out.Messages?.[0]?.Body;
      return dead !== undefined;
    });
    expect(dead).toBe('this is not an approval event');
    expect(poller.stats().failures).toBeGreaterThanOrEqual(2);
  });
});
