import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalOutbox } from '../../shared/ledger/adapters/approval-outbox-repository.ts';
import { ApprovalQueuePublisher } from '../../shared/ledger/adapters/approval-queue-publisher.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { ApprovalPublisher, OutboxEntry } from '../../shared/ledger/app/ports.ts';
import { relayApprovalEvents } from '../../shared/ledger/app/relay-approval-events.ts';
import { decideRequest } from '../../shared/ledger/app/requests.ts';
import type { ApprovalEvent } from '../../shared/ledger/domain/disbursement-request.ts';
import type { FundingLine } from '../../shared/ledger/domain/funding-line.ts';
import { DECISION_OPERATION } from '../../shared/ledger/topology.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { approvalOutboxKeys, idempotencyKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { actor, givenAllocation, givenSubmission, TEST_CLOCK_START, testEnv } from '../support/fixtures.ts';
import { like } from '../support/iam-string-like.ts';
import { freshQueues, freshTable } from '../support/local-aws.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let table: Awaited<ReturnType<typeof freshTable>>;
let outbox: DynamoApprovalOutbox;
let sqs: SQSClient;
let queueUrls: Record<FundingLine, string>;

/** A publisher whose queue is gone: the event is lost between the store and the queue. */
const lostOnTheWay: ApprovalPublisher = {
  publish: async () => {
    throw Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
  },
};
const district = actor('district-1', 'approver-district');
const later = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** A request waiting at district, and a district decision accepted whose publish failed. */
const acceptedButLost = async () => {
  const deps = { store: table.store, ...testEnv };
  const allocation = await givenAllocation(table.store, { fundingLine: 'central' });
  const request = await givenSubmission(deps, allocation.id, 10_000_000);
  const result = await decideRequest(
    { ...deps, policies: approvalPolicies, publisher: lostOnTheWay },
    district,
    request.id,
    { decision: 'approve' },
    randomUUID(),
  );
  expect(result.replayed).toBe(false);
  return { request, eventId: result.result.eventId };
};

const pendingOf = async (eventId: string) =>
  (await outbox.listDue(later(1), 1000)).find((e) => e.event.eventId === eventId);

/** Every item of an outbox partition of the index, with its keys. */
const partition = async (pk: string) =>
  (await table.db.send(new QueryCommand({ TableName: table.tableName, ...approvalOutboxKeys.partition(pk) })))
    .Items ?? [];

beforeAll(async () => {
  // The handlers run in this process on the system clock: the fixtures' day, in their plans' year (as the local runtime does).
  setSystemClock(new Date(TEST_CLOCK_START));
  table = await freshTable('outbox');
  outbox = new DynamoApprovalOutbox(table.db, table.tableName);
  const provisioned = await freshQueues('outbox', { visibilityTimeoutSeconds: 1 });
  sqs = provisioned.sqs;
  queueUrls = Object.fromEntries(
    provisioned.queues
      .filter((q) => q.spec.id.startsWith('approvals-'))
      .map((q) => [q.spec.id.replace('approvals-', ''), q.url]),
  ) as Record<FundingLine, string>;
});
afterAll(() => {
  setSystemClock(undefined);
  sqs?.destroy();
  table?.raw.destroy();
});

// The port's own behaviour (due times, order, re-publish, give-up, settle) is the ApprovalOutbox
// contract (approval-outbox-contract.test.ts, run on the fake too); here, how it sits on the table.
describe('the approval-event outbox on DynamoDB Local', () => {
  it("holds an accepted decision's event pending, on the decision's own record, and nothing else", async () => {
    const { request, eventId } = await acceptedButLost();

    const entry = await pendingOf(eventId);

    expect(entry).toMatchObject({
      relayCount: 0,
      event: { eventId, requestId: request.id, level: 'district' },
    });
    expect(entry?.key).toMatch(/^decide-request#/);
    expect(entry?.event.outboxKey).toBe(entry?.key);
    // The sparse partition holds only decisions: no request, no submission record.
    // …whose keys the relay's IAM condition allows it to update.
    const decisionRecords = idempotencyKeys.ofOperationPattern(DECISION_OPERATION);
    for (const item of await partition(approvalOutboxKeys.pending)) {
      expect(like(decisionRecords, item.pk), item.pk).toBe(true);
    }
  });

  it("keeps the decision's record when its entry is settled", async () => {
    const { eventId } = await acceptedButLost();
    const entry = (await pendingOf(eventId)) as OutboxEntry;

    expect(await outbox.settle(J, entry.key, eventId, new Date().toISOString())).toBe(true);

    expect(await pendingOf(eventId)).toBeUndefined();
    // The record itself stays: a retry with the same key still gets its first answer.
    expect(await table.store.getIdempotency(J, entry.key)).toMatchObject({ result: { eventId } });
  });

  it('moves a given-up entry out of the pending partition, where an operator can still find it', async () => {
    const { eventId } = await acceptedButLost();
    const entry = (await pendingOf(eventId)) as OutboxEntry;

    expect(await outbox.giveUp(entry, new Date().toISOString())).toBe(true);
    expect(await pendingOf(eventId)).toBeUndefined();
    expect((await partition(approvalOutboxKeys.givenUp)).map((i) => i.event.eventId)).toContain(eventId);
  });
});

describe('the outbox relay against the local servers', () => {
  it('re-publishes a lost event to its queue, and the consumer applies it and settles the entry', async () => {
    const { request, eventId } = await acceptedButLost();
    const publisher = new ApprovalQueuePublisher(sqs, queueUrls);

    const report = await relayApprovalEvents({
      outbox,
      publisher,
      settings: { graceSeconds: 0, maxRepublishes: 3 },
      now: () => new Date(Date.now() + 1000),
    });
    expect(report.republished).toBeGreaterThanOrEqual(1);

    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrls.central, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const events = (received.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as ApprovalEvent);
    const event = events.find((e) => e.eventId === eventId);
    expect(event?.outboxKey).toBeDefined();

    const applied = await applyApprovalEvent(
      { store: table.store, outbox, policies: approvalPolicies, now: testEnv.now },
      event as ApprovalEvent,
    );
    expect(applied).toEqual({ outcome: 'advanced', nextLevel: 'province' });
    expect((await table.store.getRequest(J, request.id))?.nextLevel).toBe('province');
    expect(await pendingOf(eventId)).toBeUndefined();
  });
});

describe('the settlement riding on the applying write', () => {
  it('settles the entry in the transaction that applies the event, and never refuses the write when the record is gone', async () => {
    const { request, eventId } = await acceptedButLost();
    const event = (await pendingOf(eventId))?.event as ApprovalEvent;
    expect(event.allocationId).toBe(request.allocationId);

    // The record's entry names another event: the settlement's condition fails, the approval stands.
    const stray = { ...event, outboxKey: `${DECISION_OPERATION}#${randomUUID()}` };
    const deps = { store: table.store, outbox, policies: approvalPolicies, now: testEnv.now };
    expect(await applyApprovalEvent(deps, stray)).toEqual({ outcome: 'advanced', nextLevel: 'province' });
    expect((await table.store.getRequest(J, request.id))?.nextLevel).toBe('province');
    // Its own entry was not touched by the stray one; applying the real event (now a duplicate) settles it.
    expect(await pendingOf(eventId)).toBeDefined();
    expect(await applyApprovalEvent(deps, event)).toMatchObject({ outcome: 'ignored' });
    expect(await pendingOf(eventId)).toBeUndefined();
  });
});
