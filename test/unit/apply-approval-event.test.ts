import { describe, expect, it } from 'vitest';
import { type ApplyDeps, applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { ServiceUnavailableError } from '../../shared/platform/errors.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { anActor, anAllocation, anEvent, aRequest, T0 } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore, LostReplyError, type WriteFault } from './support/in-memory-ledger-store.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

const district = anActor('dist-1', ['approver-district']);
const treasurer = anActor('treas-1', ['treasury']);
const otherTreasurer = anActor('treas-2', ['treasury']);

/** A store with a local-line allocation of 1,000,000,000 VND and the given pending requests reserved on it. */
const arrange = async (requests: DisbursementRequest[], faults?: (operation: string) => WriteFault) => {
  const store = new InMemoryLedgerStore(faults);
  await store.createAllocation(
    anAllocation({ fundingLine: 'local', assignedVnd: 1_000_000_000, availableVnd: 1_000_000_000 }),
  );
  for (const request of requests) {
    await store.submitRequest(request, {
      jurisdiction: J,
      scope: request.id,
      fingerprint: 'f',
      result: {},
      createdAt: T0,
    });
  }
  const deps: ApplyDeps = {
    store,
    policies: approvalPolicies,
    now: () => new Date(T0),
    sleep: async () => {},
  };
  return { store, deps };
};

const localRequest = (id: string, amountVnd = 300_000_000) =>
  aRequest({ id, fundingLine: 'local', amountVnd, chain: ['district', 'treasury'] });

/** The request approved at district, waiting at treasury. */
const atTreasury = async (deps: ApplyDeps, request: DisbursementRequest) => {
  const outcome = await applyApprovalEvent(deps, anEvent(request, 'district', district));
  if (outcome.outcome !== 'advanced') throw new Error(`arrange failed: ${outcome.outcome}`);
};

describe('applyApprovalEvent', () => {
  it('advances a request at its first level and posts it to the ledger at the last', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);

    const first = await applyApprovalEvent(deps, anEvent(request, 'district', district));
    const last = await applyApprovalEvent(deps, anEvent(request, 'treasury', treasurer));

    expect(first).toEqual({ outcome: 'advanced', nextLevel: 'treasury' });
    expect(last).toMatchObject({ outcome: 'disbursed', seq: 1 });
    const [entry] = await store.listEntries(J, 'alloc-1');
    expect(entry).toMatchObject({ requestId: 'r1', amountVnd: 300_000_000, seq: 1 });
    expect(await store.getAllocation(J, 'alloc-1')).toMatchObject({
      reservedVnd: 0,
      disbursedVnd: 300_000_000,
      availableVnd: 700_000_000,
      headSeq: 1,
      headHash: entry?.hash,
    });
    expect((await store.getRequest(J, 'r1'))?.status).toBe('disbursed');
  });

  it('ignores a redelivery of the final event and posts nothing more', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    await atTreasury(deps, request);
    const final = anEvent(request, 'treasury', treasurer);
    await applyApprovalEvent(deps, final);

    const again = await applyApprovalEvent(deps, final);

    expect(again.outcome).toBe('ignored');
    expect(await store.listEntries(J, 'alloc-1')).toHaveLength(1);
    expect((await store.getAllocation(J, 'alloc-1'))?.disbursedVnd).toBe(300_000_000);
  });

  it('posts once when two final approvals of the same request race', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    await atTreasury(deps, request);

    const outcomes = await Promise.all([
      applyApprovalEvent(deps, anEvent(request, 'treasury', treasurer)),
      applyApprovalEvent(deps, anEvent(request, 'treasury', otherTreasurer)),
    ]);

    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['disbursed', 'ignored']);
    expect(await store.listEntries(J, 'alloc-1')).toHaveLength(1);
  });

  it('chains two requests of one allocation posted concurrently one after the other', async () => {
    const [a, b] = [localRequest('r1'), localRequest('r2', 200_000_000)];
    const { store, deps } = await arrange([a, b]);
    await atTreasury(deps, a);
    await atTreasury(deps, b);

    await Promise.all([
      applyApprovalEvent(deps, anEvent(a, 'treasury', treasurer)),
      applyApprovalEvent(deps, anEvent(b, 'treasury', treasurer)),
    ]);

    const entries = await store.listEntries(J, 'alloc-1');
    const allocation = await store.getAllocation(J, 'alloc-1');
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(
      verifyChain(entries, { seq: allocation?.headSeq ?? -1, hash: allocation?.headHash ?? '' }).valid,
    ).toBe(true);
    expect(allocation?.disbursedVnd).toBe(500_000_000);
  });

  it('releases the reservation on a rejection', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    await atTreasury(deps, request);

    const outcome = await applyApprovalEvent(deps, anEvent(request, 'treasury', treasurer, 'reject'));

    expect(outcome).toEqual({ outcome: 'rejected' });
    expect((await store.getRequest(J, 'r1'))?.status).toBe('rejected');
    expect(await store.getAllocation(J, 'alloc-1')).toMatchObject({
      reservedVnd: 0,
      availableVnd: 1_000_000_000,
    });
  });

  it('posts once when the reply of the posting is lost and the event is redelivered', async () => {
    const request = localRequest('r1');
    const faults: WriteFault[] = [];
    const { store, deps } = await arrange([request], () => faults.shift() ?? 'none');
    await atTreasury(deps, request);
    const final = anEvent(request, 'treasury', treasurer);
    faults.push('lost-reply');

    const crashed = applyApprovalEvent(deps, final);
    await expect(crashed).rejects.toBeInstanceOf(LostReplyError);
    const redelivered = await applyApprovalEvent(deps, final);

    expect(redelivered).toEqual({ outcome: 'ignored', reason: 'event already applied' });
    expect(await store.listEntries(J, 'alloc-1')).toHaveLength(1);
    expect((await store.getAllocation(J, 'alloc-1'))?.disbursedVnd).toBe(300_000_000);
  });

  it('retries a transient conflict and then succeeds', async () => {
    const request = localRequest('r1');
    const faults: WriteFault[] = [];
    const { store, deps } = await arrange([request], () => faults.shift() ?? 'none');
    faults.push('conflict', 'conflict');

    const outcome = await applyApprovalEvent(deps, anEvent(request, 'district', district));

    expect(outcome).toEqual({ outcome: 'advanced', nextLevel: 'treasury' });
    expect((await store.getRequest(J, 'r1'))?.version).toBe(2);
  });

  it('retries a throttled read and a posting whose answer timed out, and posts exactly once', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    await atTreasury(deps, request);
    const getRequest = store.getRequest.bind(store);
    const postDisbursement = store.postDisbursement.bind(store);
    let reads = 0;
    store.getRequest = async (jurisdiction, id) => {
      reads += 1;
      if (reads === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return getRequest(jurisdiction, id);
    };
    let posts = 0;
    store.postDisbursement = async (...args) => {
      posts += 1;
      const written = await postDisbursement(...args);
      if (posts === 1) throw Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' });
      return written;
    };

    const outcome = await applyApprovalEvent(deps, anEvent(request, 'treasury', treasurer));

    expect(outcome).toEqual({ outcome: 'ignored', reason: 'event already applied' });
    expect(posts).toBe(1);
    expect(await store.listEntries(J, 'alloc-1')).toHaveLength(1);
    expect((await store.getRequest(J, 'r1'))?.status).toBe('disbursed');
  });

  it('does not retry an error that is not transient', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    let reads = 0;
    store.getRequest = async () => {
      reads += 1;
      throw new Error('the table is missing');
    };

    await expect(applyApprovalEvent(deps, anEvent(request, 'district', district))).rejects.toThrow(
      'the table is missing',
    );
    expect(reads).toBe(1);
  });

  it('gives up with service_unavailable after conflicts on every attempt, having written nothing', async () => {
    const request = localRequest('r1');
    let busy = false;
    const { store, deps } = await arrange([request], () => (busy ? 'conflict' : 'none'));
    busy = true;

    const attempt = applyApprovalEvent(deps, anEvent(request, 'district', district));

    await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect((await store.getRequest(J, 'r1'))?.version).toBe(1);
  });

  it('ignores an event for a request that does not exist or a level the policy does not know', async () => {
    const request = localRequest('r1');
    const { deps } = await arrange([request]);

    const missing = await applyApprovalEvent(deps, anEvent(localRequest('nope'), 'district', district));
    const unknownLevel = await applyApprovalEvent(deps, anEvent(request, 'ward', district));

    expect(missing).toEqual({ outcome: 'ignored', reason: 'no request nope' });
    expect(unknownLevel).toEqual({ outcome: 'ignored', reason: 'unknown level ward' });
  });

  it('ignores an approval by the submitter and leaves the request waiting', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);

    const outcome = await applyApprovalEvent(
      deps,
      anEvent(request, 'district', anActor('maker-1', ['approver-district'])),
    );

    expect(outcome.outcome).toBe('ignored');
    expect(await store.getRequest(J, 'r1')).toMatchObject({
      version: 1,
      nextLevel: 'district',
      approvals: [],
    });
  });
});

describe('applyApprovalEvent: an advancing approval carrying the version its decider checked', () => {
  /** The event as the decision use case publishes it: with the version read and the next level. */
  const advancing = (request: DisbursementRequest, level: string, actor = district) => ({
    ...anEvent(request, level, actor),
    allocationId: request.allocationId,
    jurisdiction: J,
    advance: {
      version: request.version,
      nextLevel: request.chain[request.chain.indexOf(level) + 1] ?? '',
      fiscalYear: request.fiscalYear,
      capitalType: request.capitalType,
    },
  });

  /** Counts the store's reads of requests and allocations. */
  const countReads = (store: InMemoryLedgerStore) => {
    const reads = { n: 0 };
    for (const name of ['readTogether', 'getRequest', 'getAllocation'] as const) {
      const read = store[name].bind(store) as (...args: unknown[]) => Promise<unknown>;
      (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        reads.n += 1;
        return read(...args);
      };
    }
    return reads;
  };

  it('is applied by one write without reading, leaving the request as the read path leaves it', async () => {
    const request = localRequest('r1');
    const unread = await arrange([request]);
    const read = await arrange([request]);
    const reads = countReads(unread.store);

    const outcome = await applyApprovalEvent(unread.deps, advancing(request, 'district'));
    const { advance: _, ...plain } = advancing(request, 'district');
    const expected = await applyApprovalEvent(read.deps, plain);

    expect(outcome).toEqual({ outcome: 'advanced', nextLevel: 'treasury' });
    expect(expected).toEqual(outcome);
    expect(reads.n).toBe(0);
    expect(await unread.store.getRequest(J, 'r1')).toEqual(await read.store.getRequest(J, 'r1'));
  });

  it('changes nothing twice when redelivered: the refused write reads, and finds the event applied', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    const event = advancing(request, 'district');
    await applyApprovalEvent(deps, event);

    const again = await applyApprovalEvent(deps, event);

    expect(again).toEqual({ outcome: 'ignored', reason: 'event already applied' });
    const stored = await store.getRequest(J, 'r1');
    expect(stored?.approvals).toHaveLength(1);
    expect(stored?.version).toBe(2);
  });

  it('is decided on the request read when it changed since the decision: a second approver of the level is ignored', async () => {
    const request = localRequest('r1');
    const { store, deps } = await arrange([request]);
    await applyApprovalEvent(deps, advancing(request, 'district'));

    const late = await applyApprovalEvent(
      deps,
      advancing(request, 'district', anActor('dist-2', ['approver-district'])),
    );

    expect(late.outcome).toBe('ignored');
    expect((await store.getRequest(J, 'r1'))?.approvals.map((a) => a.by)).toEqual(['dist-1']);
  });

  it("expires the request, releasing its reservation, when met after its allocation's deadline", async () => {
    const request = localRequest('r1');
    const store = new InMemoryLedgerStore();
    await store.createAllocation(
      anAllocation({
        fundingLine: 'local',
        assignedVnd: 1_000_000_000,
        availableVnd: 1_000_000_000,
        deadline: '2024-02-29',
      }),
    );
    await store.submitRequest(request, {
      jurisdiction: J,
      scope: 'r1',
      fingerprint: 'f',
      result: {},
      createdAt: T0,
    });
    const deps: ApplyDeps = {
      store,
      policies: approvalPolicies,
      now: () => new Date(T0),
      sleep: async () => {},
    };

    const outcome = await applyApprovalEvent(deps, advancing(request, 'district'));

    expect(outcome).toEqual({ outcome: 'expired', deadline: '2024-02-29' });
    expect((await store.getRequest(J, 'r1'))?.status).toBe('expired');
    expect(await store.getAllocation(J, 'alloc-1')).toMatchObject({ reservedVnd: 0 });
  });

  it('is applied once when the answer of its write is lost and the event redelivered', async () => {
    const request = localRequest('r1');
    let lost = false;
    const { store, deps } = await arrange([request], (operation) => {
      if (operation !== 'advanceApproval' || lost) return 'none';
      lost = true;
      return 'lost-reply';
    });

    const event = advancing(request, 'district');

    // The write was done, its answer lost (the function crashed): the redelivery reads, finds it applied.
    await expect(applyApprovalEvent(deps, event)).rejects.toBeInstanceOf(LostReplyError);
    const redelivered = await applyApprovalEvent(deps, event);

    expect(redelivered).toEqual({ outcome: 'ignored', reason: 'event already applied' });
    expect(lost).toBe(true);
    const stored = await store.getRequest(J, 'r1');
    expect(stored?.approvals).toHaveLength(1);
    expect(stored?.nextLevel).toBe('treasury');
  });
});
