import { describe, expect, it } from 'vitest';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { fingerprint, idempotencyScope } from '../../shared/platform/idempotency.ts';
import { actor, givenAllocation, newRequest, testEnv } from '../support/fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

/** (sub, key) pairs that the former `operation#target#sub#key` format wrote under one stored key. */
const COLLIDING: [[string, string], [string, string]][] = [
  [
    ['finance#1', 'k'],
    ['finance', '1#k'],
  ],
  [
    ['a', 'b#c#d'],
    ['a#b#c', 'd'],
  ],
];

/** A store holding a submission's record as the former format stored it, answering request `answerId`. */
const givenFormerRecord = async (scope: string, answerId: string) => {
  const store = new InMemoryLedgerStore();
  const deps = { store, policies: approvalPolicies, ...testEnv };
  const allocation = await givenAllocation(store);
  const body = newRequest(allocation.id, 1_000_000);
  await store.putIdempotency({
    scope,
    fingerprint: fingerprint(body),
    statusCode: 201,
    body: { id: answerId },
    createdAt: new Date().toISOString(),
  });
  return { store, deps, body };
};

describe('idempotencyScope', () => {
  it.each(COLLIDING)('keeps %j and %j apart', ([subA, keyA], [subB, keyB]) => {
    expect(`${subA}#${keyA}`).toBe(`${subB}#${keyB}`);
    expect(idempotencyScope('submit-request', subA, keyA).scope).not.toBe(
      idempotencyScope('submit-request', subB, keyB).scope,
    );
  });

  it('keeps the target apart from the caller', () => {
    expect(idempotencyScope('decide-request', 'u', 'k', 'r1#x').scope).not.toBe(
      idempotencyScope('decide-request', 'x#u', 'k', 'r1').scope,
    );
  });

  it('keeps the operation readable in front, as the outbox relay’s IAM condition reads it', () => {
    expect(idempotencyScope('decide-request', 'approver', 'key-1', 'req-1').scope).toMatch(
      /^decide-request#[0-9a-f]{64}$/,
    );
  });

  it('looks up the previous format only when it has a single reading', () => {
    expect(idempotencyScope('adjust-allocation', 'planner-1', 'k.1:2', 'alloc-1').legacyScope).toBe(
      'adjust-allocation#alloc-1#planner-1#k.1:2',
    );
    expect(idempotencyScope('submit-request', 'finance#1', 'k').legacyScope).toBeUndefined();
  });
});

describe('two callers whose Idempotency-Keys collided in the former format', () => {
  it('get independent answers', async () => {
    const store = new InMemoryLedgerStore();
    const deps = { store, policies: approvalPolicies, ...testEnv };
    const allocation = await givenAllocation(store);
    const body = newRequest(allocation.id, 1_000_000);

    const first = await submitRequest(deps, actor('finance#1', 'finance'), body, 'k');
    const second = await submitRequest(deps, actor('finance', 'finance'), body, '1#k');

    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers?.['idempotent-replay']).toBeUndefined();
    expect((second.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
    expect(store.requests.size).toBe(2);
  });

  it('are never answered from a record of the former format that another caller wrote', async () => {
    // Written before the upgrade by `finance` with the key `1#k`.
    const { deps, body } = await givenFormerRecord('submit-request##finance#1#k', 'someone-else');

    const answer = await submitRequest(deps, actor('finance#1', 'finance'), body, 'k');

    expect((answer.body as { id: string }).id).not.toBe('someone-else');
  });
});

describe('a record written in the former format before the upgrade', () => {
  it('still replays its first answer to its own caller', async () => {
    const { store, deps, body } = await givenFormerRecord(
      'submit-request##finance-1#retry-1',
      'first-answer',
    );

    const answer = await submitRequest(deps, actor('finance-1', 'finance'), body, 'retry-1');

    expect(answer).toMatchObject({ statusCode: 201, body: { id: 'first-answer' } });
    expect(answer.headers?.['idempotent-replay']).toBe('true');
    expect(store.requests.size).toBe(0);
  });
});
