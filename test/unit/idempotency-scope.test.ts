import { describe, expect, it } from 'vitest';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import { adjustmentView, allocationView, decisionView, requestView } from '../../shared/ledger/http/views.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { IdempotencyKeyReusedError } from '../../shared/platform/errors.ts';
import { fingerprint, idempotencyScope, idempotent } from '../../shared/platform/idempotency.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { actor, givenAllocation, newRequest, testEnv } from '../support/fixtures.ts';
import { anAllocation, aRequest, T0 } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore, recordKey } from './support/in-memory-ledger-store.ts';

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

/**
 * A store holding a submission's record as the former key and record formats stored it: the first
 * answer (status and the request's view), answering request `answerId`.
 */
const givenFormerRecord = async (scope: string, answerId: string) => {
  const store = new InMemoryLedgerStore();
  const deps = { store, policies: approvalPolicies, ...testEnv };
  const allocation = await givenAllocation(store);
  const body = newRequest(allocation.id, 1_000_000);
  const answered = requestView(aRequest({ id: answerId, allocationId: allocation.id, amountVnd: 1_000_000 }));
  const former = {
    scope,
    fingerprint: fingerprint(body),
    statusCode: 201,
    body: answered,
    createdAt: new Date().toISOString(),
  };
  store.idempotency.set(recordKey(UPGRADE_DEFAULT_JURISDICTION, scope), former);
  return { store, deps, body, answered };
};

describe('idempotencyScope', () => {
  it.each(COLLIDING)('keeps %j and %j apart', ([subA, keyA], [subB, keyB]) => {
    expect(`${subA}#${keyA}`).toBe(`${subB}#${keyB}`);
    expect(idempotencyScope('submit-request', { sub: subA }, keyA).scope).not.toBe(
      idempotencyScope('submit-request', { sub: subB }, keyB).scope,
    );
  });

  it('keeps the target apart from the caller', () => {
    expect(idempotencyScope('decide-request', { sub: 'u' }, 'k', 'r1#x').scope).not.toBe(
      idempotencyScope('decide-request', { sub: 'x#u' }, 'k', 'r1').scope,
    );
  });

  it('keeps the operation readable in front, as the outbox relay’s IAM condition reads it', () => {
    expect(idempotencyScope('decide-request', { sub: 'approver' }, 'key-1', 'req-1').scope).toMatch(
      /^decide-request#[0-9a-f]{64}$/,
    );
  });

  it('looks up the previous format only when it has a single reading', () => {
    expect(idempotencyScope('adjust-allocation', { sub: 'planner-1' }, 'k.1:2', 'alloc-1').legacyScope).toBe(
      'adjust-allocation#alloc-1#planner-1#k.1:2',
    );
    expect(idempotencyScope('submit-request', { sub: 'finance#1' }, 'k').legacyScope).toBeUndefined();
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

    expect([first.replayed, second.replayed]).toEqual([false, false]);
    expect(second.result.id).not.toBe(first.result.id);
    expect(store.requests.size).toBe(2);
  });

  it('are never answered from a record of the former format that another caller wrote', async () => {
    // Written before the upgrade by `finance` with the key `1#k`.
    const { deps, body } = await givenFormerRecord('submit-request##finance#1#k', 'someone-else');

    const answer = await submitRequest(deps, actor('finance#1', 'finance'), body, 'k');

    expect(answer.result.id).not.toBe('someone-else');
  });
});

describe('a record written in the former format before the upgrade', () => {
  it('still replays its first answer to its own caller, byte for byte through the route’s view', async () => {
    const { store, deps, body, answered } = await givenFormerRecord(
      'submit-request##finance-1#retry-1',
      'first-answer',
    );

    const answer = await submitRequest(deps, actor('finance-1', 'finance'), body, 'retry-1');

    expect(answer.replayed).toBe(true);
    expect(JSON.stringify(requestView(answer.result))).toBe(JSON.stringify(answered));
    expect(store.requests.size).toBe(0);
  });

  it('holds a view that the route’s view leaves as it is, on every replayable route', () => {
    const allocation = anAllocation();
    const request = aRequest({
      outputs: { houses: 1 },
      approvals: [{ level: 'district', decision: 'approve', by: 'a', email: 'a@x.vn', at: T0, eventId: 'e' }],
      submittedByEmail: 'maker@x.vn',
    });
    const adjustment = {
      id: 'adj-1',
      allocationId: allocation.id,
      deltaVnd: -1,
      reason: 'r',
      by: 'p',
      at: T0,
    };
    const views: [string, (x: never) => unknown, unknown][] = [
      ['request', requestView, request],
      ['allocation', allocationView, allocation],
      ['adjustment', adjustmentView, { ...adjustment, allocation }],
      ['decision', decisionView, { eventId: 'e', requestId: request.id, level: 'district' }],
    ];
    for (const [name, view, result] of views) {
      const once = JSON.stringify(view(result as never));
      expect(JSON.stringify(view(JSON.parse(once) as never)), name).toBe(once);
    }
  });
});

describe('a retry sent while its first attempt still runs', () => {
  const key = idempotencyScope('submit-request', { sub: 'finance-1' }, 'retry-key');
  const print = fingerprint({ contractId: 'c1', kind: 'advance' });
  /** What the first attempt stores, in its own transaction, while the retry is under way. */
  const firstAttempt = (store: InMemoryLedgerStore, body: { contractId: string; kind: string }) =>
    store.idempotency.set(recordKey(key.jurisdiction, key.scope), {
      jurisdiction: key.jurisdiction,
      scope: key.scope,
      fingerprint: fingerprint(body),
      result: { id: 'request-1' },
      createdAt: T0,
    });

  it('answers with the first attempt’s result, not with the refusal its reservation caused', async () => {
    const store = new InMemoryLedgerStore();
    const answer = await idempotent(store, key, print, async () => {
      firstAttempt(store, { contractId: 'c1', kind: 'advance' });
      throw new Error('over the contract’s advance limit');
    });
    expect(answer).toEqual({ result: { id: 'request-1' }, replayed: true });
  });

  it('refuses as before when no call stored a record', async () => {
    const store = new InMemoryLedgerStore();
    await expect(
      idempotent(store, key, print, async () => {
        throw new Error('over the contract’s advance limit');
      }),
    ).rejects.toThrow('over the contract’s advance limit');
  });

  it('refuses the key when the record stored meanwhile is of another body', async () => {
    const store = new InMemoryLedgerStore();
    await expect(
      idempotent(store, key, print, async () => {
        firstAttempt(store, { contractId: 'c2', kind: 'advance' });
        throw new Error('over the contract’s advance limit');
      }),
    ).rejects.toThrow(IdempotencyKeyReusedError);
  });
});
