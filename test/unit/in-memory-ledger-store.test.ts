import { describe, expect, it } from 'vitest';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { buildDisbursementEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { InsufficientFundsError, ServiceUnavailableError } from '../../shared/platform/errors.ts';
import { anAllocation, aRequest, T0 } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore, LostReplyError, type WriteFault } from './support/in-memory-ledger-store.ts';

const idem = (scope: string) => ({ scope, fingerprint: 'f', result: {}, createdAt: T0 });

/** A store with one allocation of 1,000,000,000 VND and one pending request of 400,000,000 VND reserved on it. */
const storeWithPendingRequest = async (faults?: () => WriteFault) => {
  const store = new InMemoryLedgerStore(faults);
  await store.createAllocation(anAllocation({ assignedVnd: 1_000_000_000, availableVnd: 1_000_000_000 }));
  const request = aRequest({ amountVnd: 400_000_000 });
  await store.submitRequest(request, idem('submit#1'));
  return { store, request };
};

const disbursedVersionOf = (request: DisbursementRequest): DisbursementRequest => {
  const { nextLevel: _, pendingSince: __, ...rest } = request;
  return { ...rest, status: 'disbursed', version: request.version + 1 };
};

describe('InMemoryLedgerStore, the fake of the LedgerStore port', () => {
  it('reserves the amount of a submitted request and refuses one that does not fit', async () => {
    const { store } = await storeWithPendingRequest();

    const tooBig = store.submitRequest(aRequest({ id: 'req-2', amountVnd: 600_000_001 }), idem('submit#2'));

    await expect(tooBig).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(await store.getRequest('req-2')).toBeUndefined();
    expect(await store.getAllocation('alloc-1')).toMatchObject({
      reservedVnd: 400_000_000,
      availableVnd: 600_000_000,
    });
  });

  it('saves an approval only over the version it was read at', async () => {
    const { store, request } = await storeWithPendingRequest();
    const advanced = { ...request, nextLevel: 'province', version: 2 };

    const first = await store.saveApproval(advanced, 1);
    const stale = await store.saveApproval({ ...advanced, nextLevel: 'treasury' }, 1);

    expect([first, stale]).toEqual([true, false]);
    expect((await store.getRequest(request.id))?.nextLevel).toBe('province');
  });

  it('closes and releases together, or not at all when the version is stale', async () => {
    const { store, request } = await storeWithPendingRequest();
    const { nextLevel: _, ...rest } = request;
    const rejected: DisbursementRequest = { ...rest, status: 'rejected', version: 2 };

    const stale = await store.closeAndRelease(rejected, 7);
    const allocationAfterStale = await store.getAllocation('alloc-1');
    const fresh = await store.closeAndRelease(rejected, 1);

    expect(stale).toBe(false);
    expect(allocationAfterStale?.reservedVnd).toBe(400_000_000);
    expect(fresh).toBe(true);
    expect(await store.getAllocation('alloc-1')).toMatchObject({
      reservedVnd: 0,
      availableVnd: 1_000_000_000,
    });
    expect((await store.getRequest(request.id))?.status).toBe('rejected');
  });

  it('posts a disbursement atomically: request, totals, head and entry', async () => {
    const { store, request } = await storeWithPendingRequest();
    const allocation = await store.getAllocation('alloc-1');
    if (!allocation) throw new Error('arrange failed');
    const disbursed = disbursedVersionOf(request);
    const entry = buildDisbursementEntry(allocation, disbursed, T0);

    const posted = await store.postDisbursement(disbursed, 1, entry);

    expect(posted).toBe(true);
    expect(await store.getAllocation('alloc-1')).toMatchObject({
      reservedVnd: 0,
      disbursedVnd: 400_000_000,
      availableVnd: 600_000_000,
      headSeq: 1,
      headHash: entry.hash,
    });
    expect(await store.listEntries('alloc-1')).toEqual([entry]);
    expect((await store.getRequest(request.id))?.status).toBe('disbursed');
  });

  it.each<[string, { version?: number; headSeq?: number; prevHash?: string; amountVnd?: number }]>([
    ['a stale request version', { version: 9 }],
    ['a stale chain head', { headSeq: 5 }],
    ['a prevHash that is not the head', { prevHash: 'e'.repeat(64) }],
    ['more than is reserved', { amountVnd: 400_000_001 }],
  ])('refuses a posting with %s and writes nothing', async (_, change) => {
    const { store, request } = await storeWithPendingRequest();
    const allocation = await store.getAllocation('alloc-1');
    if (!allocation) throw new Error('arrange failed');
    const version = change.version ?? 1;
    const disbursed = disbursedVersionOf({ ...request, amountVnd: change.amountVnd ?? request.amountVnd });
    const built = buildDisbursementEntry(
      { ...allocation, headSeq: change.headSeq ?? allocation.headSeq },
      disbursed,
      T0,
    );
    const entry = { ...built, prevHash: change.prevHash ?? built.prevHash };

    const posted = await store.postDisbursement(disbursed, version, entry);

    expect(posted).toBe(false);
    expect(await store.getAllocation('alloc-1')).toEqual(allocation);
    expect(await store.listEntries('alloc-1')).toEqual([]);
    expect((await store.getRequest(request.id))?.status).toBe('pending_approval');
  });

  it('writes nothing on an injected conflict, and everything on a lost reply', async () => {
    const faults: WriteFault[] = [];
    const { store, request } = await storeWithPendingRequest(() => faults.shift() ?? 'none');
    const advanced = { ...request, nextLevel: 'province', version: 2 };

    faults.push('conflict');
    await expect(store.saveApproval(advanced, 1)).rejects.toBeInstanceOf(ServiceUnavailableError);
    const versionAfterConflict = (await store.getRequest(request.id))?.version;
    faults.push('lost-reply');
    await expect(store.saveApproval(advanced, 1)).rejects.toBeInstanceOf(LostReplyError);
    const versionAfterLostReply = (await store.getRequest(request.id))?.version;

    expect(versionAfterConflict).toBe(1);
    expect(versionAfterLostReply).toBe(2);
  });

  it('hands out copies, so a caller cannot change stored state behind its back', async () => {
    const { store, request } = await storeWithPendingRequest();

    const read = await store.getRequest(request.id);
    if (!read) throw new Error('arrange failed');
    read.status = 'disbursed';
    read.approvals.push({ level: 'district', decision: 'approve', by: 'x', at: T0, eventId: 'e' });

    expect(await store.getRequest(request.id)).toEqual(request);
  });
});
