import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustAllocation } from '../../shared/ledger/app/allocations.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { cancelRequest, listRequests, submitRequest } from '../../shared/ledger/app/requests.ts';
import type { ApprovalEvent, DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { approvalPolicy } from '../../shared/platform/config/index.ts';
import { fingerprint, idempotencyScope } from '../../shared/platform/idempotency.ts';
import { actor, finance, givenAllocation, newRequest, planner, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';
import { aRequest } from '../unit/support/domain-fixtures.ts';

let store: LedgerStore;
let db: Awaited<ReturnType<typeof freshTable>>['db'];
let tableName: string;
const deps = () => ({ store, policy: approvalPolicy, ...testEnv, sleep: async () => {} });

const event = (
  request: DisbursementRequest,
  level: string,
  sub: string,
  decision: 'approve' | 'reject' = 'approve',
): ApprovalEvent => ({
  eventId: `${request.id}-${level}-${sub}-${decision}`,
  requestId: request.id,
  fundingLine: request.fundingLine,
  level,
  decision,
  actor: actor(sub, approvalPolicy.levels[level] ?? 'none'),
  decidedAt: new Date().toISOString(),
});

const submit = async (allocationId: string, amount: number, key = crypto.randomUUID()) =>
  (await submitRequest(deps(), finance, newRequest(allocationId, amount), key)).result;

beforeAll(async () => {
  ({ store, db, tableName } = await freshTable('repo'));
});

describe('DynamoDB ledger repository on DynamoDB Local', () => {
  it('reserves the amount on the allocation in the same transaction that writes the request', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const request = await submit(allocation.id, 30_000_000);
    const after = await store.getAllocation(allocation.id);
    expect(request.status).toBe('pending_approval');
    expect(after).toMatchObject({
      assignedVnd: 100_000_000,
      reservedVnd: 30_000_000,
      disbursedVnd: 0,
      availableVnd: 70_000_000,
    });
  });

  it('refuses a request larger than what is available and writes nothing', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 10_000_000 });
    await expect(submit(allocation.id, 10_000_001)).rejects.toMatchObject({ code: 'insufficient_funds' });
    const page = await store.listRequests({ allocationId: allocation.id }, 10);
    expect(page.items).toHaveLength(0);
    expect((await store.getAllocation(allocation.id))?.reservedVnd).toBe(0);
  });

  it('replays the first answer for the same Idempotency-Key and refuses the key with another body', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const first = await submitRequest(deps(), finance, newRequest(allocation.id, 5_000_000), 'same-key-0001');
    const again = await submitRequest(deps(), finance, newRequest(allocation.id, 5_000_000), 'same-key-0001');
    expect(again).toEqual({ result: first.result, replayed: true });
    expect((await store.getAllocation(allocation.id))?.reservedVnd).toBe(5_000_000);
    await expect(
      submitRequest(deps(), finance, newRequest(allocation.id, 6_000_000), 'same-key-0001'),
    ).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
  });

  it('replays a record stored before results replaced answers (status and view) as the same answer', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const body = newRequest(allocation.id, 5_000_000);
    const firstAnswer = requestView(
      aRequest({ id: 'answered-before', allocationId: allocation.id, amountVnd: 5_000_000 }),
    );
    const { scope } = idempotencyScope('submit-request', finance.sub, 'former-record-1');
    const createdAt = new Date().toISOString();
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: `IDEM#${scope}`,
          sk: 'I',
          type: 'idempotency',
          expiresAt: Math.floor(Date.parse(createdAt) / 1000) + 3600,
          scope,
          fingerprint: fingerprint(body),
          statusCode: 201,
          body: firstAnswer,
          createdAt,
        },
      }),
    );

    const again = await submitRequest(deps(), finance, body, 'former-record-1');

    expect(again.replayed).toBe(true);
    expect(JSON.stringify(requestView(again.result))).toBe(JSON.stringify(firstAnswer));
    expect((await store.getAllocation(allocation.id))?.reservedVnd).toBe(0);
  });

  it('posts the last approval once: reserved moves to disbursed and a chained entry is appended', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000, fundingLine: 'local' });
    const request = await submit(allocation.id, 25_000_000);
    expect(request.chain).toEqual(['district', 'treasury']);
    await applyApprovalEvent(deps(), event(request, 'district', 'approver-a'));
    const last = event(request, 'treasury', 'treasurer-b');
    const first = await applyApprovalEvent(deps(), last);
    const redelivered = await applyApprovalEvent(deps(), last);
    expect(first.outcome).toBe('disbursed');
    expect(redelivered.outcome).toBe('ignored');
    const entries = await store.listEntries(allocation.id);
    const after = await store.getAllocation(allocation.id);
    expect(entries).toHaveLength(1);
    expect(after).toMatchObject({
      reservedVnd: 0,
      disbursedVnd: 25_000_000,
      availableVnd: 75_000_000,
      headSeq: 1,
    });
    expect(verifyChain(entries, { seq: after?.headSeq ?? -1, hash: after?.headHash ?? '' }).valid).toBe(true);
    expect((await store.getRequest(request.id))?.status).toBe('disbursed');
  });

  it('chains several postings of one allocation in seq order', async () => {
    const allocation = await givenAllocation(store, {
      amountVnd: 100_000_000,
      fundingLine: 'community',
      commune: 'Dang',
    });
    for (const amount of [1_000_000, 2_000_000, 3_000_000]) {
      const request = await submit(allocation.id, amount);
      await applyApprovalEvent(deps(), event(request, 'commune', 'commune-approver'));
      await applyApprovalEvent(deps(), event(request, 'district', 'district-approver'));
    }
    const entries = await store.listEntries(allocation.id);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(verifyChain(entries).valid).toBe(true);
  });

  it('releases the reservation on rejection and on cancellation', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 50_000_000 });
    const rejected = await submit(allocation.id, 10_000_000);
    const cancelled = await submit(allocation.id, 20_000_000);
    expect(
      (await applyApprovalEvent(deps(), event(rejected, 'district', 'approver-a', 'reject'))).outcome,
    ).toBe('rejected');
    expect((await cancelRequest(deps(), finance, cancelled.id)).status).toBe('cancelled');
    expect(await store.getAllocation(allocation.id)).toMatchObject({
      reservedVnd: 0,
      availableVnd: 50_000_000,
    });
    await expect(cancelRequest(deps(), finance, cancelled.id)).rejects.toMatchObject({ code: 'not_pending' });
  });

  it('refuses an adjustment that would bring assigned below reserved plus disbursed', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 50_000_000 });
    await submit(allocation.id, 40_000_000);
    await expect(
      adjustAllocation({ store, ...testEnv }, planner, allocation.id, {
        deltaVnd: -10_000_001,
        reason: 'cut',
      }),
    ).rejects.toMatchObject({ code: 'below_committed' });
    const ok = await adjustAllocation({ store, ...testEnv }, planner, allocation.id, {
      deltaVnd: -10_000_000,
      reason: 'cut',
    });
    expect(ok.result).toMatchObject({ allocation: { assignedVnd: 40_000_000, availableVnd: 0 } });
  });

  it('pages through requests with an opaque cursor and returns each exactly once', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 1_000_000_000 });
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) ids.add((await submit(allocation.id, 1_000_000 + i)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRequests(store, finance, { allocationId: allocation.id }, 3, cursor);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    await expect(listRequests(store, finance, {}, 3, 'not-a-cursor')).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});
