import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import type { ApprovalEvent, DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { approvalPolicies, approvalPolicy } from '../../shared/platform/config/approval-policies/index.ts';
import { fingerprint, idempotencyScope } from '../../shared/platform/idempotency.ts';
import { idempotencyKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { actor, finance, givenAllocation, newRequest, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';
import { aRequest } from '../unit/support/domain-fixtures.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let store: LedgerStore;
let db: Awaited<ReturnType<typeof freshTable>>['db'];
let tableName: string;
const deps = () => ({ store, policies: approvalPolicies, ...testEnv, sleep: async () => {} });

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
  actor: actor(sub, approvalPolicy.levels[level]?.group ?? 'none'),
  decidedAt: new Date().toISOString(),
});

const submit = async (allocationId: string, amount: number, key = crypto.randomUUID()) =>
  (await submitRequest(deps(), finance, newRequest(allocationId, amount), key)).result;

beforeAll(async () => {
  ({ store, db, tableName } = await freshTable('repo'));
});

// What the store itself must do is the LedgerStore contract (ledger-store-contract.test.ts, run on
// the fake too); here, the use cases' idempotency and redelivery on the real adapter.
describe('the ledger use cases on the DynamoDB repository', () => {
  it('replays the first answer for the same Idempotency-Key and refuses the key with another body', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const first = await submitRequest(deps(), finance, newRequest(allocation.id, 5_000_000), 'same-key-0001');
    const again = await submitRequest(deps(), finance, newRequest(allocation.id, 5_000_000), 'same-key-0001');
    expect(again).toEqual({ result: first.result, replayed: true });
    expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(5_000_000);
    await expect(
      submitRequest(deps(), finance, newRequest(allocation.id, 6_000_000), 'same-key-0001'),
    ).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
  });

  it('reads the first record of the scopes given, the request and its allocation together, each absent when not stored', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const key = idempotencyScope('submit-request', finance, 'together-key-01');
    const request = (
      await submitRequest(deps(), finance, newRequest(allocation.id, 5_000_000), 'together-key-01')
    ).result;
    const found = await store.readTogether({
      idempotency: { jurisdiction: key.jurisdiction, scopes: ['submit-request#none', key.scope] },
      request: { jurisdiction: J, id: request.id },
      allocation: { jurisdiction: J, id: allocation.id },
    });
    expect(found.record).toMatchObject({ scope: key.scope, result: request });
    expect(found.request).toEqual(request);
    expect(found.allocation).toMatchObject({ id: allocation.id, reservedVnd: 5_000_000 });
    expect(
      await store.readTogether({
        idempotency: { jurisdiction: key.jurisdiction, scopes: ['submit-request#none'] },
        request: { jurisdiction: J, id: 'no-such-request' },
      }),
    ).toEqual({});
  });

  it('keeps a record’s scope and jurisdiction in its key only, and reads a record that still repeats them the same', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const key = idempotencyScope('submit-request', finance, 'key-only-scope-1');
    await submitRequest(deps(), finance, newRequest(allocation.id, 5_000_000), 'key-only-scope-1');
    const raw = await db.send(
      new GetCommand({ TableName: tableName, Key: idempotencyKeys.key(J, key.scope) }),
    );
    expect(raw.Item).toBeDefined();
    expect(raw.Item).not.toHaveProperty('scope');
    expect(raw.Item).not.toHaveProperty('jurisdiction');
    const record = await store.getIdempotency(J, key.scope);
    expect(record).toMatchObject({ jurisdiction: J, scope: key.scope });

    // As written before 2026-12-03: the same item with both repeated.
    const older = idempotencyScope('submit-request', finance, 'key-only-scope-2');
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...raw.Item,
          ...idempotencyKeys.key(J, older.scope),
          scope: older.scope,
          jurisdiction: older.jurisdiction,
        },
      }),
    );
    expect(await store.getIdempotency(J, older.scope)).toEqual({ ...record, scope: older.scope });
  });

  it('replays a record stored before results replaced answers (status and view) as the same answer', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const body = newRequest(allocation.id, 5_000_000);
    const firstAnswer = requestView(
      aRequest({ id: 'answered-before', allocationId: allocation.id, amountVnd: 5_000_000 }),
    );
    const { scope } = idempotencyScope('submit-request', finance, 'former-record-1');
    const createdAt = new Date().toISOString();
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...idempotencyKeys.key(J, scope),
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
    expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(0);
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
    const entries = await store.listEntries(J, allocation.id);
    const after = await store.getAllocation(J, allocation.id);
    expect(entries).toHaveLength(1);
    expect(after).toMatchObject({
      reservedVnd: 0,
      disbursedVnd: 25_000_000,
      availableVnd: 75_000_000,
      headSeq: 1,
    });
    expect(verifyChain(entries, { seq: after?.headSeq ?? -1, hash: after?.headHash ?? '' }).valid).toBe(true);
    expect((await store.getRequest(J, request.id))?.status).toBe('disbursed');
  });
});
