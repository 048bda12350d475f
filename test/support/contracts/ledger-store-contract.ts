import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Adjustment,
  type AllocationClose,
  type AppliedExtension,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  type LedgerStore,
} from '../../../shared/ledger/app/ports.ts';
import type { Allocation } from '../../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import { GENESIS_HASH } from '../../../shared/ledger/domain/hash-chain.ts';
import { buildDisbursementEntry, type LedgerEntry } from '../../../shared/ledger/domain/ledger-entry.ts';
import {
  type Reallocation,
  type ReallocationMove,
  reallocationSteps,
} from '../../../shared/ledger/domain/reallocation.ts';
import {
  carryOver,
  closingFiguresOf,
  type FiscalYearClose,
} from '../../../shared/ledger/domain/year-end-close.ts';
import { AlreadySupportedError } from '../../../shared/payees/errors.ts';
import {
  AmountOutOfRangeError,
  BelowCommittedError,
  InsufficientFundsError,
  InvalidCursorError,
  NotFoundError,
} from '../../../shared/platform/errors.ts';
import { MAX_AMOUNT_VND } from '../../../shared/platform/money.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
import { anActor, anAllocation, anEvent, aRequest, T0 } from '../../unit/support/domain-fixtures.ts';
import { retryingTransient } from '../retrying-transient.ts';

/**
 * The observable behaviour of the {@link LedgerStore} port, run against every implementation: the
 * in-memory fake of the unit tests and the DynamoDB adapter on DynamoDB Local. A use case tested on
 * the fake is only as good as the fake, so where the two differ one of them has a bug.
 *
 * Every test works on ids, communes and fiscal years of its own, so an implementation may share one
 * store (one table) between the tests.
 */

const MAX = MAX_AMOUNT_VND;
const uid = () => randomUUID();
/** A fiscal year no other test (or run) uses: listing a year then lists this test's allocations only. */
const aFreshYear = () => 10_000 + Math.floor(Math.random() * 80_000);
const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();

/** The jurisdiction of the fixtures' allocations and requests (they name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

const aRecord = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  jurisdiction: J,
  scope: `contract#${uid()}`,
  fingerprint: 'f',
  result: { id: 'first' },
  createdAt: T0,
  ...overrides,
});

const anAdjustment = (allocationId: string, deltaVnd: number): Adjustment => ({
  id: uid(),
  jurisdiction: J,
  allocationId,
  deltaVnd,
  reason: 'Bổ sung',
  by: 'planner-1',
  at: T0,
});

/** An extension of the allocation's deadline from 31/01/2025 to 30/06/2025. */
const anExtension = (allocationId: string): AppliedExtension => ({
  jurisdiction: J,
  allocationId,
  storedDeadline: '2025-01-31',
  decisionNumber: '12/QĐ-UBND',
  decidedOn: '2025-01-20',
  previousDeadline: '2025-01-31',
  deadline: '2025-06-30',
  by: 'planner-1',
  at: T0,
});

/** The request as the posting saves it: disbursed, one version on. */
const disbursedVersionOf = (request: DisbursementRequest): DisbursementRequest => {
  const { nextLevel: _, pendingSince: __, ...rest } = request;
  return { ...rest, status: 'disbursed', version: request.version + 1 };
};

/** The request as a rejection saves it: closed, one version on. */
const rejectedVersionOf = (request: DisbursementRequest): DisbursementRequest => {
  const { nextLevel: _, pendingSince: __, ...rest } = request;
  return { ...rest, status: 'rejected', version: request.version + 1 };
};

export const describeLedgerStoreContract = (
  name: string,
  makeStore: () => LedgerStore | Promise<LedgerStore>,
) => {
  /** A stored allocation of its own, 1,000,000,000 VND unless told otherwise. */
  const givenAllocation = async (store: LedgerStore, overrides: Partial<Allocation> = {}) => {
    const allocation = anAllocation({
      id: uid(),
      assignedVnd: 1_000_000_000,
      availableVnd: 1_000_000_000,
      ...overrides,
    });
    await store.createAllocation(allocation);
    return allocation;
  };

  /** A pending request of its own, submitted on the allocation. */
  const givenRequest = async (
    store: LedgerStore,
    allocationId: string,
    fields: Partial<DisbursementRequest> = {},
  ) => {
    const request = aRequest({ id: uid(), allocationId, ...fields });
    await store.submitRequest(request, aRecord());
    return request;
  };

  /** An allocation with one pending request reserved on it. */
  const givenPending = async (
    store: LedgerStore,
    amountVnd = 400_000_000,
    allocationOverrides: Partial<Allocation> = {},
    requestOverrides: Partial<DisbursementRequest> = {},
  ) => {
    const allocation = await givenAllocation(store, allocationOverrides);
    const request = aRequest({
      id: uid(),
      allocationId: allocation.id,
      commune: allocation.commune,
      amountVnd,
      ...requestOverrides,
    });
    await store.submitRequest(request, aRecord());
    return { allocation: (await store.getAllocation(J, allocation.id)) as Allocation, request };
  };

  /** The posting of a pending request at the allocation's current head (the entry it would append). */
  const postingOf = async (store: LedgerStore, request: DisbursementRequest, postedAt = T0) => {
    const allocation = await store.getAllocation(J, request.allocationId);
    if (!allocation) throw new Error('arrange failed: no allocation');
    const disbursed = disbursedVersionOf(request);
    return { disbursed, entry: buildDisbursementEntry(allocation, disbursed, postedAt) };
  };

  /** What a refused write must leave as it was. */
  const snapshot = async (store: LedgerStore, allocationId: string, requestId?: string) => ({
    allocation: await store.getAllocation(J, allocationId),
    request: requestId === undefined ? undefined : await store.getRequest(J, requestId),
    entries: await store.listEntries(J, allocationId),
  });

  /** A pending request and its allocation exactly as they were, with no entry posted. */
  const expectUntouched = async (store: LedgerStore, allocation: Allocation, request: DisbursementRequest) =>
    expect(await snapshot(store, allocation.id, request.id)).toEqual({ allocation, request, entries: [] });

  describe(`${name} keeps the LedgerStore contract`, () => {
    describe('idempotency records', () => {
      it('stores a record once and gives back the first, unchanged, whatever comes after', async () => {
        const store = await makeStore();
        const first = aRecord();
        const decision = aRecord({
          result: { eventId: 'e-1' },
          event: anEvent(aRequest(), 'district', anActor('approver-1', ['approver-district'])),
        });

        const stored = [await store.putIdempotency(first), await store.putIdempotency(decision)];
        const again = await store.putIdempotency({ ...first, result: { id: 'second' } });

        expect(stored).toEqual([true, true]);
        expect(again).toBe(false);
        expect(await store.getIdempotency(J, first.scope)).toEqual(first);
        expect(await store.getIdempotency(J, decision.scope)).toEqual(decision);
        expect(await store.getIdempotency(J, `contract#${uid()}`)).toBeUndefined();
      });
    });

    describe('allocations', () => {
      it('creates an allocation and its idempotency record together, and reads the allocation back as given', async () => {
        const store = await makeStore();
        const allocation = anAllocation({ id: uid() });
        const record = aRecord();

        await store.createAllocation(allocation, record);

        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
        expect(await store.getIdempotency(J, record.scope)).toEqual(record);
        expect(await store.getAllocation(J, uid())).toBeUndefined();
      });

      it('refuses a second allocation under a taken idempotency scope and writes nothing', async () => {
        const store = await makeStore();
        const record = aRecord();
        await store.createAllocation(anAllocation({ id: uid() }), record);
        const second = anAllocation({ id: uid() });

        const refused = store.createAllocation(second, { ...record, result: { id: 'second' } });

        await expect(refused).rejects.toBeInstanceOf(IdempotencyRecordExists);
        expect(await store.getAllocation(J, second.id)).toBeUndefined();
        expect(await store.getIdempotency(J, record.scope)).toEqual(record);
      });

      it('refuses to create an allocation over an existing one and writes nothing', async () => {
        const store = await makeStore();
        const first = await givenAllocation(store);
        const record = aRecord();

        const refused = store.createAllocation({ ...first, title: 'Overwritten' }, record);

        await expect(refused).rejects.toThrow();
        expect(await store.getAllocation(J, first.id)).toEqual(first);
        expect(await store.getIdempotency(J, record.scope)).toBeUndefined();
      });

      it('lists allocations by any combination of year, line, commune and component, ordered by them and then by id', async () => {
        const store = await makeStore();
        const year = aFreshYear();
        const base = uid();
        const given = (id: string, overrides: Partial<Allocation>) =>
          givenAllocation(store, { id: `${base}-${id}`, fiscalYear: year, ...overrides });
        // Created out of order: the listing orders them.
        const localATieng = await given('1', { fundingLine: 'local', commune: 'A Tiêng', component: 'DA1' });
        const dangDa1 = await given('2', { fundingLine: 'central', commune: 'Dang', component: 'DA1' });
        const aTiengDa5 = await given('3', { fundingLine: 'central', commune: 'A Tiêng', component: 'DA5' });
        const aTiengDa1b = await given('5', { fundingLine: 'central', commune: 'A Tiêng', component: 'DA1' });
        const aTiengDa1a = await given('4', { fundingLine: 'central', commune: 'A Tiêng', component: 'DA1' });
        const otherYear = await given('6', { fiscalYear: year + 1, commune: 'A Tiêng', component: 'DA1' });
        const ids = (list: Allocation[]) => list.map((a) => a.id);

        const everyOfYear = await store.listAllocations({ jurisdiction: J, fiscalYear: year });
        const byLine = await store.listAllocations({
          jurisdiction: J,
          fiscalYear: year,
          fundingLine: 'central',
        });
        const byCommune = await store.listAllocations({
          jurisdiction: J,
          fiscalYear: year,
          commune: 'A Tiêng',
        });
        const byComponent = await store.listAllocations({
          jurisdiction: J,
          fiscalYear: year,
          component: 'DA1',
        });
        const byAll = await store.listAllocations({
          jurisdiction: J,
          fiscalYear: year,
          fundingLine: 'central',
          commune: 'A Tiêng',
          component: 'DA1',
        });
        const withoutYear = (
          await store.listAllocations({ jurisdiction: J, fundingLine: 'central', component: 'DA1' })
        ).filter((a) => a.id.startsWith(base));

        expect(everyOfYear).toEqual([aTiengDa1a, aTiengDa1b, aTiengDa5, dangDa1, localATieng]);
        expect(ids(byLine)).toEqual(ids([aTiengDa1a, aTiengDa1b, aTiengDa5, dangDa1]));
        expect(ids(byCommune)).toEqual(ids([aTiengDa1a, aTiengDa1b, aTiengDa5, localATieng]));
        expect(ids(byComponent)).toEqual(ids([aTiengDa1a, aTiengDa1b, dangDa1, localATieng]));
        expect(ids(byAll)).toEqual(ids([aTiengDa1a, aTiengDa1b]));
        expect(ids(withoutYear)).toEqual(ids([aTiengDa1a, aTiengDa1b, dangDa1, otherYear]));
      });

      it('keeps each jurisdiction’s allocations apart, those stored without one in the upgrade default’s', async () => {
        const store = await makeStore();
        const year = aFreshYear();
        const old = await givenAllocation(store, { fiscalYear: year });
        const tayGiang = await givenAllocation(store, { fiscalYear: year, jurisdiction: 'tay-giang' });
        const daNang = await givenAllocation(store, { fiscalYear: year, jurisdiction: 'da-nang' });
        const ids = async (jurisdiction: string) =>
          (await store.listAllocations({ jurisdiction, fiscalYear: year })).map((a) => a.id).sort();

        expect(await ids('tay-giang')).toEqual([old.id, tayGiang.id].sort());
        expect(await ids('da-nang')).toEqual([daNang.id]);
        expect(await ids('ha-noi')).toEqual([]);
        expect(await store.getAllocation('da-nang', daNang.id)).toEqual(daNang);
        expect(await store.getAllocation('tay-giang', daNang.id)).toBeUndefined();
        expect(await store.getAllocation('da-nang', old.id)).toBeUndefined();
      });

      it('adjusts assigned and available capital together, returns the new allocation and stores the record', async () => {
        const store = await makeStore();
        const { allocation } = await givenPending(store, 400_000_000);
        const record = aRecord();

        const raised = await store.adjustAllocation(anAdjustment(allocation.id, 250_000_000), record);
        const cut = await store.adjustAllocation(anAdjustment(allocation.id, -850_000_000));

        expect(raised).toEqual({ ...allocation, assignedVnd: 1_250_000_000, availableVnd: 850_000_000 });
        expect(cut).toEqual({ ...allocation, assignedVnd: 400_000_000, availableVnd: 0 });
        expect(await store.getAllocation(J, allocation.id)).toEqual(cut);
        expect(await store.getIdempotency(J, record.scope)).toEqual(record);
      });

      it('refuses a cut below reserved plus disbursed with below_committed and writes nothing', async () => {
        const store = await makeStore();
        const { allocation } = await givenPending(store, 400_000_000);
        const record = aRecord();

        const refused = store.adjustAllocation(anAdjustment(allocation.id, -600_000_001), record);

        await expect(refused).rejects.toBeInstanceOf(BelowCommittedError);
        await expect(refused).rejects.toMatchObject({
          details: { committedVnd: 400_000_000, maxCutVnd: 600_000_000, deltaVnd: -600_000_001 },
        });
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
        expect(await store.getIdempotency(J, record.scope)).toBeUndefined();
      });

      it('refuses an adjustment past 10^15 with amount_out_of_range and writes nothing', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store, { assignedVnd: MAX - 1, availableVnd: MAX - 1 });
        const record = aRecord();

        const refused = store.adjustAllocation(anAdjustment(allocation.id, 2), record);

        await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
        await expect(refused).rejects.toMatchObject({
          message: expect.stringContaining(`it is ${MAX - 1} now`),
          details: { field: 'assignedVnd', current: MAX - 1, delta: 2, maxDelta: 1 },
        });
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
        expect(await store.getIdempotency(J, record.scope)).toBeUndefined();
      });

      it('refuses an adjustment under a taken idempotency scope and changes nothing', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store);
        const record = aRecord();
        await store.putIdempotency(record);

        const refused = store.adjustAllocation(anAdjustment(allocation.id, 5), { ...record, result: {} });

        await expect(refused).rejects.toBeInstanceOf(IdempotencyRecordExists);
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
        expect(await store.getIdempotency(J, record.scope)).toEqual(record);
      });

      it('answers not_found when adjusting an allocation that does not exist', async () => {
        const store = await makeStore();
        const id = uid();

        await expect(store.adjustAllocation(anAdjustment(id, 5))).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getAllocation(J, id)).toBeUndefined();
      });

      it('lets exactly one of two racing adjustments pass when each fits alone but both would exceed 10^15', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store, { assignedVnd: MAX - 100, availableVnd: MAX - 100 });

        const results = await Promise.allSettled(
          [60, 60].map((delta) =>
            retryingTransient(() => store.adjustAllocation(anAdjustment(allocation.id, delta))),
          ),
        );

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const [refused] = results.filter((r) => r.status === 'rejected');
        expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(AmountOutOfRangeError);
        expect(await store.getAllocation(J, allocation.id)).toMatchObject({
          assignedVnd: MAX - 40,
          availableVnd: MAX - 40,
        });
      });
    });

    describe('submissions', () => {
      it('writes the request, reserves its amount and stores the record, in one write', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store);
        const request = aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 300_000_000 });
        const record = aRecord();

        await store.submitRequest(request, record);

        expect(await store.getRequest(J, request.id)).toEqual(request);
        expect(await store.getAllocation(J, allocation.id)).toEqual({
          ...allocation,
          reservedVnd: 300_000_000,
          availableVnd: 700_000_000,
        });
        expect(await store.getIdempotency(J, record.scope)).toEqual(record);
        expect(await store.getRequest(J, uid())).toBeUndefined();
      });

      it('refuses a request larger than what is available with insufficient_funds and writes nothing', async () => {
        const store = await makeStore();
        const { allocation } = await givenPending(store, 400_000_000);
        const request = aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 600_000_001 });
        const record = aRecord();

        const refused = store.submitRequest(request, record);

        await expect(refused).rejects.toBeInstanceOf(InsufficientFundsError);
        await expect(refused).rejects.toMatchObject({
          details: { availableVnd: 600_000_000, amountVnd: 600_000_001 },
        });
        expect(await store.getRequest(J, request.id)).toBeUndefined();
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
        expect(await store.getIdempotency(J, record.scope)).toBeUndefined();
      });

      it('refuses a reservation that would take reservedVnd past 10^15, even when enough is available', async () => {
        const store = await makeStore();
        // Inconsistent totals, as older code or a hand edit could leave them: plenty available, reserved near the top.
        const allocation = await givenAllocation(store, { reservedVnd: MAX - 5 });
        const request = aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 6 });

        const refused = store.submitRequest(request, aRecord());

        await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
        await expect(refused).rejects.toMatchObject({
          details: { field: 'reservedVnd', current: MAX - 5, delta: 6, maxDelta: 5 },
        });
        expect(await store.getRequest(J, request.id)).toBeUndefined();
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
      });

      it('conditions a reservation on the totals it changes, and names every total stored out of range when refused', async () => {
        const store = await makeStore();
        // Stored out of range, as older code or a hand edit could leave them (the use cases refuse such
        // an allocation before any write: the store's own conditions bear only on what a write changes).
        const untouched = await givenAllocation(store, { disbursedVnd: MAX + 1 });
        const touched = await givenAllocation(store, { reservedVnd: MAX + 1, disbursedVnd: MAX + 2 });
        const passes = aRequest({ id: uid(), allocationId: untouched.id, amountVnd: 1 });
        const refusedRequest = aRequest({ id: uid(), allocationId: touched.id, amountVnd: 1 });

        await store.submitRequest(passes, aRecord());
        const refused = store.submitRequest(refusedRequest, aRecord());

        await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
        expect(await store.getAllocation(J, untouched.id)).toMatchObject({
          reservedVnd: 1,
          disbursedVnd: MAX + 1,
        });
        await expect(refused).rejects.toMatchObject({
          details: {
            allocationId: touched.id,
            totals: [
              { field: 'reservedVnd', value: String(MAX + 1) },
              { field: 'disbursedVnd', value: String(MAX + 2) },
            ],
          },
        });
        expect(await store.getRequest(J, refusedRequest.id)).toBeUndefined();
        expect(await store.getAllocation(J, touched.id)).toEqual(touched);
      });

      it('refuses a submission under a taken idempotency scope and writes nothing', async () => {
        const store = await makeStore();
        const { allocation } = await givenPending(store);
        const record = aRecord();
        await store.putIdempotency(record);
        const request = aRequest({ id: uid(), allocationId: allocation.id });

        const refused = store.submitRequest(request, { ...record, result: {} });

        await expect(refused).rejects.toBeInstanceOf(IdempotencyRecordExists);
        expect(await store.getRequest(J, request.id)).toBeUndefined();
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
        expect(await store.getIdempotency(J, record.scope)).toEqual(record);
      });

      it('answers not_found for a request on an allocation that does not exist, and writes nothing', async () => {
        const store = await makeStore();
        const request = aRequest({ id: uid(), allocationId: uid() });
        const record = aRecord();

        await expect(store.submitRequest(request, record)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getRequest(J, request.id)).toBeUndefined();
        expect(await store.getIdempotency(J, record.scope)).toBeUndefined();
      });

      it('refuses a second request under an existing id and reserves nothing more', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 400_000_000);

        const refused = store.submitRequest({ ...request, purpose: 'Overwritten' }, aRecord());

        await expect(refused).rejects.toThrow();
        expect(await store.getRequest(J, request.id)).toEqual(request);
        expect(await store.getAllocation(J, allocation.id)).toEqual(allocation);
      });

      it('lets only as many racing submissions pass as the allocation has room for', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store, { assignedVnd: 100, availableVnd: 100 });
        const requests = [60, 60, 40].map((amountVnd) =>
          aRequest({ id: uid(), allocationId: allocation.id, amountVnd }),
        );

        const results = await Promise.allSettled(
          requests.map((r) => retryingTransient(() => store.submitRequest(r, aRecord()))),
        );

        const passed = requests.filter((_, i) => results[i]?.status === 'fulfilled');
        const reserved = passed.reduce((sum, r) => sum + r.amountVnd, 0);
        expect(reserved).toBeLessThanOrEqual(100);
        expect(passed.length).toBeGreaterThanOrEqual(1);
        for (const [i, r] of results.entries()) {
          if (r.status === 'rejected')
            expect(r.reason, `request ${i}`).toBeInstanceOf(InsufficientFundsError);
        }
        expect(await store.getAllocation(J, allocation.id)).toMatchObject({
          reservedVnd: reserved,
          availableVnd: 100 - reserved,
        });
      });
    });

    describe('listing requests', () => {
      /**
       * Two allocations of one fresh commune; four requests, one of them since rejected. Newest first:
       * newest (alloc 1), then two of the same minute by id (rejected c on alloc 1, b on alloc 2), oldest.
       */
      const givenRequests = async (store: LedgerStore) => {
        const commune = `commune-${uid()}`;
        const base = uid();
        const one = await givenAllocation(store, { commune });
        const two = await givenAllocation(store, { commune });
        const submit = async (id: string, allocation: Allocation, minute: number) => {
          const request = aRequest({
            id: `${base}-${id}`,
            allocationId: allocation.id,
            commune,
            createdAt: at(minute),
          });
          await store.submitRequest(request, aRecord());
          return request;
        };
        const oldest = await submit('a', one, 1);
        const newest = await submit('d', one, 3);
        const sameMinuteB = await submit('b', two, 2);
        const pending = await submit('c', one, 2);
        const rejected = rejectedVersionOf(pending);
        if (!(await store.closeAndRelease(rejected, pending.version))) throw new Error('arrange failed');
        return { commune, one, two, oldest, newest, sameMinuteB, rejected };
      };

      it('filters by allocation, status and commune, in any combination, newest first', async () => {
        const store = await makeStore();
        const { commune, one, two, oldest, newest, sameMinuteB, rejected } = await givenRequests(store);
        const list = async (filter: Omit<Parameters<LedgerStore['listRequests']>[0], 'jurisdiction'>) =>
          (await store.listRequests({ jurisdiction: J, ...filter }, 50)).items;

        expect(await list({ commune })).toEqual([newest, rejected, sameMinuteB, oldest]);
        expect(await list({ allocationId: one.id })).toEqual([newest, rejected, oldest]);
        expect(await list({ allocationId: two.id })).toEqual([sameMinuteB]);
        expect(await list({ status: 'pending_approval', commune })).toEqual([newest, sameMinuteB, oldest]);
        expect(await list({ status: 'rejected', commune })).toEqual([rejected]);
        expect(await list({ allocationId: one.id, status: 'rejected' })).toEqual([rejected]);
        expect(await list({ allocationId: one.id, status: 'pending_approval', commune })).toEqual([
          newest,
          oldest,
        ]);
        expect(await list({ allocationId: one.id, commune: `${commune}-other` })).toEqual([]);
      });

      it('keeps each jurisdiction’s requests apart, those stored without one in the upgrade default’s', async () => {
        const store = await makeStore();
        const commune = `commune-${uid()}`;
        const allocation = await givenAllocation(store, { commune });
        const daNangAllocation = await givenAllocation(store, { commune, jurisdiction: 'da-nang' });
        const old = await givenRequest(store, allocation.id, { commune, createdAt: at(1) });
        const tayGiang = await givenRequest(store, allocation.id, {
          commune,
          createdAt: at(2),
          jurisdiction: 'tay-giang',
        });
        const daNang = await givenRequest(store, daNangAllocation.id, {
          commune,
          createdAt: at(3),
          jurisdiction: 'da-nang',
        });
        const list = async (jurisdiction: string) =>
          (await store.listRequests({ jurisdiction, commune }, 50)).items;

        expect(await list('tay-giang')).toEqual([tayGiang, old]);
        expect(await list('da-nang')).toEqual([daNang]);
        expect(await list('ha-noi')).toEqual([]);
        expect(await store.getRequest('da-nang', daNang.id)).toEqual(daNang);
        expect(await store.getRequest('tay-giang', daNang.id)).toBeUndefined();
        expect(await store.getRequest('da-nang', old.id)).toBeUndefined();
      });

      it('pages with an opaque cursor: each request once, in order, unmoved by a newer one submitted meanwhile', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store);
        const base = uid();
        const requests: DisbursementRequest[] = [];
        for (let minute = 1; minute <= 7; minute++) {
          const request = aRequest({
            id: `${base}-${minute}`,
            allocationId: allocation.id,
            createdAt: at(minute),
          });
          await store.submitRequest(request, aRecord());
          requests.unshift(request);
        }
        const filter = { jurisdiction: J, allocationId: allocation.id };

        const first = await store.listRequests(filter, 3);
        await store.submitRequest(
          aRequest({ id: `${base}-8`, allocationId: allocation.id, amountVnd: 1, createdAt: at(8) }),
          aRecord(),
        );
        const pages = [first];
        for (let cursor = first.nextCursor; cursor !== undefined; ) {
          const page = await store.listRequests(filter, 3, cursor);
          pages.push(page);
          cursor = page.nextCursor;
        }

        expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
        expect(pages.flatMap((p) => p.items)).toEqual(requests);
      });

      it('thins a page by a filter without cutting it short while more matches remain', async () => {
        const store = await makeStore();
        const { commune, newest, sameMinuteB, oldest } = await givenRequests(store);

        const first = await store.listRequests({ jurisdiction: J, status: 'pending_approval', commune }, 2);
        const second = await store.listRequests(
          { jurisdiction: J, status: 'pending_approval', commune },
          2,
          first.nextCursor,
        );

        expect(first.items).toEqual([newest, sameMinuteB]);
        expect(second.items).toEqual([oldest]);
        expect(second.nextCursor).toBeUndefined();
      });

      it('refuses a cursor it did not hand out with invalid_cursor', async () => {
        const store = await makeStore();

        await expect(store.listRequests({ jurisdiction: J }, 3, 'not-a-cursor')).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });
    });

    describe('approvals, rejections and cancellations', () => {
      it('saves an approval only over the version it was read at', async () => {
        const store = await makeStore();
        const { request } = await givenPending(store);
        const advanced = { ...request, nextLevel: 'province', version: 2 };

        const first = await store.saveApproval(advanced, 1);
        const stale = await store.saveApproval({ ...advanced, nextLevel: 'treasury', version: 2 }, 1);
        const unknown = await store.saveApproval({ ...advanced, id: uid() }, 1);

        expect([first, stale, unknown]).toEqual([true, false, false]);
        expect(await store.getRequest(J, request.id)).toEqual(advanced);
      });

      it('closes and releases together, or not at all when the version is stale', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 400_000_000);
        const rejected = rejectedVersionOf(request);

        const stale = await store.closeAndRelease(rejected, 7);
        const afterStale = await snapshot(store, allocation.id, request.id);
        const fresh = await store.closeAndRelease(rejected, 1);

        expect(stale).toBe(false);
        expect(afterStale).toEqual({ allocation, request, entries: [] });
        expect(fresh).toBe(true);
        expect(await store.getAllocation(J, allocation.id)).toEqual({
          ...allocation,
          reservedVnd: 0,
          availableVnd: 1_000_000_000,
        });
        expect(await store.getRequest(J, request.id)).toEqual(rejected);
      });

      it('refuses to release more than the allocation has reserved, and writes nothing', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 400_000_000);
        const bigger = { ...rejectedVersionOf(request), amountVnd: 400_000_001 };

        await expect(store.closeAndRelease(bigger, 1)).rejects.toThrow();
        await expectUntouched(store, allocation, request);
      });

      it('refuses a release that would take availableVnd past 10^15 with amount_out_of_range', async () => {
        const store = await makeStore();
        // Inconsistent totals (available above assigned), then a raise: available ends 2 short of 10^15.
        const { allocation: pending, request } = await givenPending(store, 10, {
          assignedVnd: 100,
          availableVnd: MAX,
        });
        const allocation = await store.adjustAllocation(anAdjustment(pending.id, 8));

        const refused = store.closeAndRelease(rejectedVersionOf(request), 1);

        await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
        await expect(refused).rejects.toMatchObject({
          details: { field: 'availableVnd', current: MAX - 2, delta: 10, maxDelta: 2 },
        });
        await expectUntouched(store, allocation, request);
      });
    });

    describe('postings', () => {
      it('posts atomically: request disbursed, reserved to disbursed, head moved and the entry appended', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 400_000_000);
        const { disbursed, entry } = await postingOf(store, request);

        const posted = await store.postDisbursement(disbursed, 1, entry);

        expect(posted).toBe(true);
        expect(await store.getAllocation(J, allocation.id)).toEqual({
          ...allocation,
          reservedVnd: 0,
          disbursedVnd: 400_000_000,
          availableVnd: 600_000_000,
          headSeq: 1,
          headHash: entry.hash,
        });
        expect(await store.listEntries(J, allocation.id)).toEqual([entry]);
        expect(await store.getRequest(J, request.id)).toEqual(disbursed);
        expect(await store.listEntries(J, uid())).toEqual([]);
      });

      it('chains the postings of one allocation and lists its entries in seq order', async () => {
        const store = await makeStore();
        const { allocation, request: first } = await givenPending(store, 1_000_000);
        const entries: LedgerEntry[] = [];
        for (const request of [
          first,
          aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 2_000_000 }),
          aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 3_000_000 }),
        ]) {
          if (request !== first) await store.submitRequest(request, aRecord());
          const { disbursed, entry } = await postingOf(store, request, at(entries.length));
          expect(await store.postDisbursement(disbursed, request.version, entry)).toBe(true);
          entries.push(entry);
        }

        const listed = await store.listEntries(J, allocation.id);

        expect(listed).toEqual(entries);
        expect(listed.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(listed[1]?.prevHash).toBe(listed[0]?.hash);
        expect(await store.getAllocation(J, allocation.id)).toMatchObject({
          disbursedVnd: 6_000_000,
          headSeq: 3,
          headHash: listed[2]?.hash,
        });
      });

      it.each<[string, { version?: number; headSeq?: number; prevHash?: string; amountVnd?: number }]>([
        ['a stale request version', { version: 9 }],
        ['a stale chain head', { headSeq: 5 }],
        ['a prevHash that is not the head', { prevHash: 'e'.repeat(64) }],
        ['more than is reserved', { amountVnd: 400_000_001 }],
      ])('refuses a posting with %s and writes nothing', async (_, change) => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 400_000_000);
        const disbursed = disbursedVersionOf({
          ...request,
          amountVnd: change.amountVnd ?? request.amountVnd,
        });
        const built = buildDisbursementEntry(
          { ...allocation, headSeq: change.headSeq ?? allocation.headSeq },
          disbursed,
          T0,
        );
        const entry = { ...built, prevHash: change.prevHash ?? built.prevHash };

        const posted = await store.postDisbursement(disbursed, change.version ?? 1, entry);

        expect(posted).toBe(false);
        await expectUntouched(store, allocation, request);
      });

      it('posts a request once: the same posting again, or a racing one on the same head, is refused', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 100);
        const other = await givenRequest(store, allocation.id, { amountVnd: 200 });
        const postings = [await postingOf(store, request), await postingOf(store, other)];

        const raced = await Promise.all(
          postings.map(({ disbursed, entry }) =>
            retryingTransient(() => store.postDisbursement(disbursed, 1, entry)),
          ),
        );
        const winner = postings[raced.indexOf(true)];
        const again = winner && (await store.postDisbursement(winner.disbursed, 1, winner.entry));

        expect(raced.filter(Boolean)).toHaveLength(1);
        expect(again).toBe(false);
        expect(await store.listEntries(J, allocation.id)).toEqual([winner?.entry]);
        expect(await store.getAllocation(J, allocation.id)).toMatchObject({
          reservedVnd: 300 - (winner?.entry.amountVnd ?? 0),
          disbursedVnd: winner?.entry.amountVnd,
          headSeq: 1,
        });
      });

      it('refuses a posting that would take disbursedVnd past 10^15 with amount_out_of_range', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 10, {
          disbursedVnd: MAX - 5,
          availableVnd: 100,
        });
        const { disbursed, entry } = await postingOf(store, request);

        const refused = store.postDisbursement(disbursed, 1, entry);

        await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
        await expect(refused).rejects.toMatchObject({ details: { field: 'disbursedVnd', current: MAX - 5 } });
        await expectUntouched(store, allocation, request);
      });

      it('refuses a posting whose output count would pass 10^15: nothing posted, nothing counted', async () => {
        const store = await makeStore();
        const { allocation, request: first } = await givenPending(
          store,
          10,
          {},
          { outputs: { houses: MAX - 1 } },
        );
        const firstPosting = await postingOf(store, first);
        await store.postDisbursement(firstPosting.disbursed, 1, firstPosting.entry);
        // The counts are the store's own bookkeeping: the allocation read back is the domain's, no more.
        expect(await store.getAllocation(J, allocation.id)).toEqual({
          ...allocation,
          reservedVnd: 0,
          disbursedVnd: 10,
          availableVnd: allocation.availableVnd,
          headSeq: 1,
          headHash: firstPosting.entry.hash,
        });
        const second = await givenRequest(store, allocation.id, { amountVnd: 20, outputs: { houses: 2 } });
        const before = await snapshot(store, allocation.id, second.id);
        const { disbursed, entry } = await postingOf(store, second);

        const refused = store.postDisbursement(disbursed, 1, entry);

        await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
        await expect(refused).rejects.toMatchObject({
          details: { field: 'outputs.houses', current: MAX - 1, delta: 2 },
        });
        expect(await snapshot(store, allocation.id, second.id)).toEqual(before);
        // Nothing was counted: one more house still fits exactly.
        const third = await givenRequest(store, allocation.id, { amountVnd: 30, outputs: { houses: 1 } });
        const thirdPosting = await postingOf(store, third);
        expect(await store.postDisbursement(thirdPosting.disbursed, 1, thirdPosting.entry)).toBe(true);
      });
    });

    describe('support claims (a payee receives a rule’s support once)', () => {
      const claiming = (payeeId: string) => ({ payeeId, supportClaims: ['housing-once'] });

      it('refuses a second request claiming the same rule for the same payee, naming the first, writing nothing', async () => {
        const store = await makeStore();
        const payeeId = uid();
        const { allocation, request: first } = await givenPending(store, 40_000_000, {}, claiming(payeeId));
        const second = aRequest({
          id: uid(),
          allocationId: allocation.id,
          amountVnd: 1,
          ...claiming(payeeId),
        });

        const refusal = await store.submitRequest(second, aRecord()).catch((e: unknown) => e);

        expect(refusal).toBeInstanceOf(AlreadySupportedError);
        expect((refusal as AlreadySupportedError).details).toEqual({
          rule: 'housing-once',
          payeeId,
          requestId: first.id,
        });
        expect(await snapshot(store, allocation.id, second.id)).toEqual({
          allocation,
          request: undefined,
          entries: [],
        });
      });

      it('lets other payees, and requests claiming nothing, through', async () => {
        const store = await makeStore();
        const payeeId = uid();
        const { allocation } = await givenPending(store, 40_000_000, {}, claiming(payeeId));
        await givenRequest(store, allocation.id, { amountVnd: 1, ...claiming(uid()) });
        await givenRequest(store, allocation.id, { amountVnd: 1, payeeId });
        expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(40_000_002);
      });

      it('releases the claim when the request is rejected, so the payee may be supported by another', async () => {
        const store = await makeStore();
        const payeeId = uid();
        const { allocation, request } = await givenPending(store, 40_000_000, {}, claiming(payeeId));

        expect(await store.closeAndRelease(rejectedVersionOf(request), request.version)).toBe(true);

        const again = await givenRequest(store, allocation.id, { amountVnd: 1, ...claiming(payeeId) });
        expect((await store.getRequest(J, again.id))?.supportClaims).toEqual(['housing-once']);
      });

      it('keeps the claim when the release loses a race (the request changed meanwhile)', async () => {
        const store = await makeStore();
        const payeeId = uid();
        const { allocation, request } = await givenPending(store, 40_000_000, {}, claiming(payeeId));

        expect(await store.closeAndRelease(rejectedVersionOf(request), request.version + 1)).toBe(false);

        const second = aRequest({
          id: uid(),
          allocationId: allocation.id,
          amountVnd: 1,
          ...claiming(payeeId),
        });
        await expect(store.submitRequest(second, aRecord())).rejects.toBeInstanceOf(AlreadySupportedError);
      });

      it('closes a request whose claim was never written (stored before the rule) without trouble', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 40_000_000);
        const withClaim = { ...rejectedVersionOf(request), ...claiming(uid()) };
        expect(await store.closeAndRelease(withClaim, request.version)).toBe(true);
        expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(0);
      });
    });

    describe('Treasury voucher numbers (issue 15)', () => {
      const aClaim = (fiscalYear: number, number: string, requestId: string) => ({
        jurisdiction: J,
        fiscalYear,
        number,
        requestId,
        eventId: uid(),
        at: T0,
      });
      /**
       * Claims a voucher number as the Treasury's decision does, with its record (a fresh one): true
       * when claimed, false when another request holds the number (duplicate_voucher).
       */
      const claimVoucher = (store: LedgerStore, claim: ReturnType<typeof aClaim>) =>
        store
          .putIdempotency(
            aRecord({
              result: { eventId: uid() },
              event: anEvent(aRequest(), 'treasury', anActor('treas-1', ['treasury'])),
            }),
            claim,
          )
          .then(
            () => true,
            (error: { code?: string }) => {
              if (error.code === 'duplicate_voucher') return false;
              throw error;
            },
          );
      /** A request approved at the Treasury with `voucher`, as the posting sees it. */
      const withVoucher = (request: DisbursementRequest, number: string): DisbursementRequest => ({
        ...request,
        approvals: [
          {
            level: 'treasury',
            decision: 'approve',
            by: 'treas-1',
            at: T0,
            eventId: uid(),
            treasuryVoucher: { number, valueDate: '2024-03-01' },
          },
        ],
      });

      it('claims a number for one request per jurisdiction and year: again for the same request, never for another', async () => {
        const store = await makeStore();
        const year = aFreshYear();
        expect(await claimVoucher(store, aClaim(year, 'UNC-1', 'r-a'))).toBe(true);
        expect(await claimVoucher(store, aClaim(year, 'UNC-1', 'r-a'))).toBe(true);
        expect(await claimVoucher(store, aClaim(year, 'UNC-1', 'r-b'))).toBe(false);
        expect(await claimVoucher(store, aClaim(year + 1, 'UNC-1', 'r-b'))).toBe(true);
        expect(await claimVoucher(store, { ...aClaim(year, 'UNC-1', 'r-b'), jurisdiction: 'da-nang' })).toBe(
          true,
        );
      });

      it("stores a decision's record with its voucher's claim in one write: neither when another request holds the number", async () => {
        const store = await makeStore();
        const year = aFreshYear();
        const number = `V-${uid().slice(0, 8).toUpperCase()}`;
        const record = () =>
          aRecord({
            result: { eventId: uid() },
            event: anEvent(aRequest(), 'treasury', anActor('treas-1', ['treasury'])),
          });
        const first = record();
        expect(await store.putIdempotency(first, aClaim(year, number, 'r-a'))).toBe(true);
        expect(await store.getIdempotency(J, first.scope)).toEqual(first);
        // The number is held: another request's claim of it fails, its own again succeeds.
        expect(await claimVoucher(store, aClaim(year, number, 'r-b'))).toBe(false);
        expect(await claimVoucher(store, aClaim(year, number, 'r-a'))).toBe(true);
        // The same record again: false, whatever the voucher.
        expect(await store.putIdempotency(first, aClaim(year, number, 'r-a'))).toBe(false);

        const other = record();
        await expect(store.putIdempotency(other, aClaim(year, number, 'r-b'))).rejects.toMatchObject({
          code: 'duplicate_voucher',
          status: 409,
        });
        expect(await store.getIdempotency(J, other.scope)).toBeUndefined();
      });

      it('posts a voucher its request holds, and refuses one another request holds with duplicate_voucher: nothing posted', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 1_000_000);
        const number = `V-${uid().slice(0, 8).toUpperCase()}`;
        expect(await claimVoucher(store, aClaim(request.fiscalYear, number, request.id))).toBe(true);
        const first = await postingOf(store, withVoucher(request, number));
        expect(await store.postDisbursement(first.disbursed, 1, first.entry)).toBe(true);
        expect(first.entry.treasuryVoucher?.number).toBe(number);

        const second = await givenRequest(store, allocation.id, { amountVnd: 1_000 });
        const before = await snapshot(store, allocation.id, second.id);
        const posting = await postingOf(store, withVoucher(second, number));
        await expect(store.postDisbursement(posting.disbursed, 1, posting.entry)).rejects.toMatchObject({
          code: 'duplicate_voucher',
          status: 409,
        });
        expect(await snapshot(store, allocation.id, second.id)).toEqual(before);
      });
    });

    describe('an advancing approval written without reading the request', () => {
      const T1 = '2024-03-02T08:00:00.000Z';
      const ON = { today: '2025-01-31', defaultDeadline: '2025-01-31' };
      const AFTER = { today: '2025-02-01', defaultDeadline: '2025-01-31' };
      const approval = (by: string) => ({
        level: 'district',
        decision: 'approve' as const,
        by,
        at: T0,
        eventId: uid(),
      });
      const seen = (request: DisbursementRequest, version = request.version) => ({
        version,
        nextLevel: 'province',
        fiscalYear: request.fiscalYear,
        capitalType: request.capitalType,
      });
      const target = (request: DisbursementRequest) => ({
        jurisdiction: J,
        requestId: request.id,
        allocationId: request.allocationId,
      });

      it('appends the approval and moves the request on at the version seen; at any other, writes nothing', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 1_000);
        const first = approval('dist-1');

        expect(await store.advanceApproval(target(request), seen(request), first, T1, ON)).toBe(true);
        const advanced = await store.getRequest(J, request.id);
        expect(advanced).toEqual({
          ...request,
          approvals: [first],
          nextLevel: 'province',
          updatedAt: T1,
          pendingSince: T1,
          version: request.version + 1,
        });

        const before = await snapshot(store, allocation.id, request.id);
        expect(await store.advanceApproval(target(request), seen(request), approval('dist-2'), T1, ON)).toBe(
          false,
        );
        expect(await snapshot(store, allocation.id, request.id)).toEqual(before);
      });

      it("writes nothing after the allocation's deadline", async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 1_000, { deadline: '2025-01-31' });

        expect(
          await store.advanceApproval(target(request), seen(request), approval('dist-1'), T1, AFTER),
        ).toBe(false);
        await expectUntouched(store, allocation, request);
      });
    });

    describe('deadlines', () => {
      /** The day after the 2024 investment deadline, and the day itself. */
      const AFTER = { today: '2025-02-01', defaultDeadline: '2025-01-31' };
      const ON = { today: '2025-01-31', defaultDeadline: '2025-01-31' };

      it('reserves on the deadline day and refuses the day after with disbursement_period_closed, writing nothing', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store, { deadline: '2025-01-31' });
        const onTime = aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 1_000 });
        await store.submitRequest(onTime, aRecord(), undefined, ON);
        const before = await snapshot(store, allocation.id);
        const late = aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 1_000 });

        const refused = store.submitRequest(late, aRecord(), undefined, AFTER);

        await expect(refused).rejects.toMatchObject({
          code: 'disbursement_period_closed',
          details: { deadline: '2025-01-31' },
        });
        expect(await snapshot(store, allocation.id)).toEqual(before);
        expect(await store.getRequest(J, late.id)).toBeUndefined();
      });

      it('holds an allocation stored without a deadline to the default one', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store);
        const request = aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 1_000 });

        await expect(store.submitRequest(request, aRecord(), undefined, AFTER)).rejects.toMatchObject({
          code: 'disbursement_period_closed',
        });
        await store.submitRequest(request, aRecord(), undefined, ON);
        expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(1_000);
      });

      it('refuses a posting after the deadline with disbursement_period_closed, never posting it', async () => {
        const store = await makeStore();
        const { allocation, request } = await givenPending(store, 1_000, { deadline: '2025-01-31' });
        const posting = await postingOf(store, request);

        await expect(
          store.postDisbursement(posting.disbursed, 1, posting.entry, AFTER),
        ).rejects.toMatchObject({
          code: 'disbursement_period_closed',
        });
        await expectUntouched(store, allocation, request);
        expect(await store.postDisbursement(posting.disbursed, 1, posting.entry, ON)).toBe(true);
      });

      it('moves the deadline and records the extension only from the deadline it was checked on', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store, { deadline: '2025-01-31' });
        const applied = anExtension(allocation.id);
        const { jurisdiction: _, allocationId: __, storedDeadline: ___, ...extension } = applied;

        const extended = await store.extendDeadline(applied);
        const stale = store.extendDeadline({ ...applied, deadline: '2025-12-31' });

        expect(extended).toMatchObject({ deadline: '2025-06-30', extensions: [extension] });
        await expect(stale).rejects.toMatchObject({ status: 503 });
        expect(await store.getAllocation(J, allocation.id)).toEqual(extended);
        const next = {
          ...applied,
          previousDeadline: '2025-06-30',
          deadline: '2025-12-31',
          storedDeadline: '2025-06-30',
        };
        expect((await store.extendDeadline(next)).extensions).toHaveLength(2);
      });
    });

    describe('reallocations (issue 17)', () => {
      const PERIOD = { today: '2024-03-01', defaultDeadline: () => '2025-01-31' };
      const aReallocation = (
        fiscalYear: number,
        moves: ReallocationMove[],
        fields: Partial<Reallocation> = {},
      ): Reallocation => ({
        id: uid(),
        jurisdiction: J,
        fiscalYear,
        decisionNumber: '12/QĐ-UBND',
        decidedOn: '2024-03-01',
        reason: 'Dự án chậm giải ngân',
        moves,
        totalVnd: moves.reduce((s, m) => s + m.amountVnd, 0),
        communes: ['A Tiêng'],
        status: 'applied',
        requestedBy: 'planner-1',
        requestedAt: T0,
        appliedAt: T0,
        version: 1,
        ...fields,
      });
      /** The reallocation's steps on the allocations as stored now. */
      const stepsOf = async (store: LedgerStore, r: Reallocation) => {
        const ids = [...new Set(r.moves.flatMap((m) => [m.fromAllocationId, m.toAllocationId]))];
        const read = await Promise.all(ids.map((id) => store.getAllocation(J, id)));
        return reallocationSteps(r, new Map(read.map((a) => [a?.id ?? '', a as Allocation])), T0);
      };
      /** Two allocations of a fresh year, 1,000,000,000 VND each. */
      const givenPair = async (store: LedgerStore) => {
        const fiscalYear = aFreshYear();
        const source = await givenAllocation(store, { fiscalYear });
        const target = await givenAllocation(store, { fiscalYear });
        return { fiscalYear, source, target };
      };

      it('applies every move in one write: totals, heads, entries on both chains and the record', async () => {
        const store = await makeStore();
        const { fiscalYear, source, target } = await givenPair(store);
        const other = await givenAllocation(store, { fiscalYear });
        const r = aReallocation(fiscalYear, [
          { fromAllocationId: source.id, toAllocationId: target.id, amountVnd: 300_000_000 },
          { fromAllocationId: source.id, toAllocationId: other.id, amountVnd: 100_000_000 },
        ]);
        const record = aRecord();
        expect(await store.applyReallocation(r, await stepsOf(store, r), PERIOD, undefined, record)).toBe(
          true,
        );
        expect(await store.getAllocation(J, source.id)).toMatchObject({
          assignedVnd: 600_000_000,
          availableVnd: 600_000_000,
          reallocatedVnd: -400_000_000,
          headSeq: 2,
        });
        expect(await store.getAllocation(J, target.id)).toMatchObject({
          assignedVnd: 1_300_000_000,
          reallocatedVnd: 300_000_000,
          headSeq: 1,
        });
        expect((await store.listEntries(J, source.id)).map((e) => e.kind)).toEqual([
          'reallocation-out',
          'reallocation-out',
        ]);
        expect((await store.listEntries(J, other.id))[0]?.reallocation).toMatchObject({
          reallocationId: r.id,
          counterpartAllocationId: source.id,
          move: 1,
        });
        expect(await store.getReallocation(J, r.id)).toEqual(r);
        expect((await store.listReallocations(J, fiscalYear)).map((x) => x.id)).toEqual([r.id]);
        expect(await store.getIdempotency(J, record.scope)).toMatchObject({ result: record.result });
      });

      it('refuses a move larger than the source has available with insufficient_funds, writing nothing', async () => {
        const store = await makeStore();
        const { fiscalYear, source, target } = await givenPair(store);
        const r = aReallocation(fiscalYear, [
          { fromAllocationId: source.id, toAllocationId: target.id, amountVnd: 1_000_000_001 },
        ]);
        await expect(store.applyReallocation(r, await stepsOf(store, r), PERIOD)).rejects.toMatchObject({
          code: 'insufficient_funds',
          status: 422,
        });
        expect(await store.getAllocation(J, source.id)).toEqual(source);
        expect(await store.getAllocation(J, target.id)).toEqual(target);
        expect(await store.listEntries(J, target.id)).toEqual([]);
        expect(await store.getReallocation(J, r.id)).toBeUndefined();
      });

      it('lets one of two racing moves from one source win; the loser, each fitting alone, writes nothing', async () => {
        const store = await makeStore();
        const { fiscalYear, source, target } = await givenPair(store);
        const third = await givenAllocation(store, { fiscalYear });
        const first = aReallocation(fiscalYear, [
          { fromAllocationId: source.id, toAllocationId: target.id, amountVnd: 700_000_000 },
        ]);
        const second = aReallocation(fiscalYear, [
          { fromAllocationId: source.id, toAllocationId: third.id, amountVnd: 700_000_000 },
        ]);
        // Both built on the same read of the source: each fits alone, not both.
        const [firstSteps, secondSteps] = [await stepsOf(store, first), await stepsOf(store, second)];
        expect(await store.applyReallocation(first, firstSteps, PERIOD)).toBe(true);
        await expect(store.applyReallocation(second, secondSteps, PERIOD)).rejects.toMatchObject({
          code: 'insufficient_funds',
        });
        expect(await store.getAllocation(J, third.id)).toEqual(third);
        expect(await store.listEntries(J, third.id)).toEqual([]);
        expect(await store.getReallocation(J, second.id)).toBeUndefined();
        expect((await store.getAllocation(J, source.id))?.availableVnd).toBe(300_000_000);
      });

      it('answers false, writing nothing, when a posting moved a head since the steps were built', async () => {
        const store = await makeStore();
        const { allocation: source, request } = await givenPending(store, 100_000_000, {
          fiscalYear: aFreshYear(),
        });
        const target = await givenAllocation(store, { fiscalYear: source.fiscalYear });
        const r = aReallocation(source.fiscalYear, [
          { fromAllocationId: source.id, toAllocationId: target.id, amountVnd: 100_000_000 },
        ]);
        const steps = await stepsOf(store, r);
        const { disbursed, entry } = await postingOf(store, request);
        expect(await store.postDisbursement(disbursed, request.version, entry)).toBe(true);
        const posted = await store.getAllocation(J, source.id);
        expect(await store.applyReallocation(r, steps, PERIOD)).toBe(false);
        expect(await store.getAllocation(J, source.id)).toEqual(posted);
        expect(await store.getAllocation(J, target.id)).toEqual(target);
        expect(await store.getReallocation(J, r.id)).toBeUndefined();
      });

      it('applies or rejects a pending reallocation only over the version it was read at', async () => {
        const store = await makeStore();
        const { fiscalYear, source, target } = await givenPair(store);
        const moves = [{ fromAllocationId: source.id, toAllocationId: target.id, amountVnd: 1 }];
        const pending = aReallocation(fiscalYear, moves, { status: 'pending_approval', version: 1 });
        await store.recordReallocation(pending);
        const applied = { ...pending, status: 'applied' as const, version: 2 };
        const steps = await stepsOf(store, applied);
        expect(await store.rejectReallocation({ ...pending, status: 'rejected', version: 2 }, 7)).toBe(false);
        expect(await store.applyReallocation(applied, steps, PERIOD, 1)).toBe(true);
        expect(await store.applyReallocation(applied, await stepsOf(store, applied), PERIOD, 1)).toBe(false);
        expect(await store.rejectReallocation({ ...pending, status: 'rejected', version: 2 }, 1)).toBe(false);
        expect(await store.getReallocation(J, pending.id)).toEqual(applied);
        expect((await store.getAllocation(J, target.id))?.assignedVnd).toBe(1_000_000_001);
      });
    });

    describe('year-end close', () => {
      const DECISION = { decisionNumber: '45/QĐ-UBND', decidedOn: '2025-02-10', closedBy: 'planner-1' };

      /** One allocation's step of a close as the use case builds it: carrying `carriedVnd` (0: returns it all). */
      const closeStepOf = (origin: Allocation, carriedVnd = 0, targetId: string = uid()): AllocationClose => {
        const close = { ...DECISION, fiscalYear: origin.fiscalYear };
        const closing = closingFiguresOf(origin, close, { amountVnd: carriedVnd, targetId }, at(60));
        return {
          origin,
          closing,
          ...(carriedVnd > 0 ? { carry: carryOver(origin, targetId, carriedVnd, close, at(60)) } : {}),
        };
      };

      /** A year's close plan, status `closing`. */
      const aClosePlan = (fiscalYear: number, jurisdiction = J): FiscalYearClose => ({
        jurisdiction,
        fiscalYear,
        ...DECISION,
        carryOver: [],
        status: 'closing',
        startedAt: at(59),
      });

      /** An allocation of a year of its own with one payment of 100,000,000 VND posted: a chain of one. */
      const givenPaid = async (store: LedgerStore) => {
        const { request } = await givenPending(store, 100_000_000, { fiscalYear: aFreshYear() });
        const posting = await postingOf(store, request);
        await store.postDisbursement(posting.disbursed, 1, posting.entry);
        return (await store.getAllocation(J, request.allocationId)) as Allocation;
      };

      it('writes the closing figures once: the same step again, or another one, is refused and changes nothing', async () => {
        const store = await makeStore();
        const origin = await givenPaid(store);
        const step = closeStepOf(origin, 300_000_000);

        const first = await store.closeAllocation(step);
        const after = await snapshot(store, origin.id);
        const again = await store.closeAllocation(step);
        const other = await store.closeAllocation(closeStepOf(origin));

        expect([first, again, other]).toEqual([true, false, false]);
        expect(after.allocation?.closing).toEqual(step.closing);
        expect(step.closing).toMatchObject({
          assignedVnd: 1_000_000_000,
          disbursedVnd: 100_000_000,
          carriedOverVnd: 300_000_000,
          returnedVnd: 600_000_000,
        });
        expect(await snapshot(store, origin.id)).toEqual(after);
      });

      it('chains the carry-out after the origin’s head, and opens the next-year allocation (carriedFrom) with its carry-in', async () => {
        const store = await makeStore();
        const origin = await givenPaid(store);
        const step = closeStepOf(origin, 900_000_000);
        const carry = step.carry;
        if (!carry) throw new Error('arrange failed: no carry');

        expect(await store.closeAllocation(step)).toBe(true);

        const [payment, outgoing, ...more] = await store.listEntries(J, origin.id);
        expect(more).toEqual([]);
        expect(outgoing).toEqual(carry.outgoing);
        expect(outgoing).toMatchObject({ kind: 'carry-out', seq: 2, prevHash: payment?.hash });
        expect(await store.getAllocation(J, origin.id)).toMatchObject({
          headSeq: 2,
          headHash: carry.outgoing.hash,
          // Carrying moves no total: the figures say where the balance went.
          availableVnd: 900_000_000,
          disbursedVnd: 100_000_000,
          closing: { carriedOverVnd: 900_000_000, carriedTo: carry.target.id },
        });
        const target = await store.getAllocation(J, carry.target.id);
        expect(target).toEqual(carry.target);
        expect(target).toMatchObject({
          carriedFrom: origin.id,
          fiscalYear: origin.fiscalYear + 1,
          assignedVnd: 900_000_000,
          availableVnd: 900_000_000,
          headSeq: 1,
          headHash: carry.incoming.hash,
        });
        expect(await store.listEntries(J, carry.target.id)).toEqual([
          { ...carry.incoming, kind: 'carry-in', seq: 1, prevHash: GENESIS_HASH },
        ]);
        const nextYear = await store.listAllocations({ jurisdiction: J, fiscalYear: origin.fiscalYear + 1 });
        expect(nextYear.map((a) => a.id)).toEqual([carry.target.id]);
      });

      it('refuses every write on a closed allocation with fiscal_year_closed, writing nothing', async () => {
        const store = await makeStore();
        const allocation = await givenAllocation(store, { fiscalYear: aFreshYear(), deadline: '2025-01-31' });
        // A request rejected before the close, to try a decision on.
        const request = await givenRequest(store, allocation.id, { amountVnd: 1_000 });
        await store.closeAndRelease(rejectedVersionOf(request), 1);
        const origin = (await store.getAllocation(J, allocation.id)) as Allocation;
        expect(await store.closeAllocation(closeStepOf(origin))).toBe(true);
        const before = await snapshot(store, allocation.id, request.id);
        const closed = { code: 'fiscal_year_closed', status: 409 };

        await expect(
          store.submitRequest(aRequest({ id: uid(), allocationId: allocation.id, amountVnd: 1 }), aRecord()),
        ).rejects.toMatchObject(closed);
        await expect(store.adjustAllocation(anAdjustment(allocation.id, 1))).rejects.toMatchObject(closed);
        await expect(store.extendDeadline(anExtension(allocation.id))).rejects.toMatchObject(closed);
        await expect(
          store.saveApproval({ ...rejectedVersionOf(request), version: 3 }, 2),
        ).rejects.toMatchObject(closed);

        expect(await snapshot(store, allocation.id, request.id)).toEqual(before);
      });

      it('closes only over the totals and head it read: a change in between makes it fail, writing nothing', async () => {
        const store = await makeStore();
        const adjusted = await givenPaid(store);
        const reserved = await givenPaid(store);
        const adjustedStep = closeStepOf(adjusted, 500_000_000);
        const reservedStep = closeStepOf(reserved, 500_000_000);
        // What races each close: an adjustment, a submission.
        await store.adjustAllocation(anAdjustment(adjusted.id, 1));
        await givenRequest(store, reserved.id, { amountVnd: 1_000 });
        const before = [await snapshot(store, adjusted.id), await snapshot(store, reserved.id)];

        const closed = [await store.closeAllocation(adjustedStep), await store.closeAllocation(reservedStep)];

        expect(closed).toEqual([false, false]);
        expect([await snapshot(store, adjusted.id), await snapshot(store, reserved.id)]).toEqual(before);
        for (const step of [adjustedStep, reservedStep]) {
          expect(await store.getAllocation(J, step.carry?.target.id ?? '')).toBeUndefined();
          expect(await store.listEntries(J, step.carry?.target.id ?? '')).toEqual([]);
        }
        // Read again, it closes.
        const fresh = (await store.getAllocation(J, adjusted.id)) as Allocation;
        expect(await store.closeAllocation(closeStepOf(fresh, 500_000_000))).toBe(true);
      });

      it('never overwrites a next-year allocation that exists: the carry is refused, writing nothing', async () => {
        const store = await makeStore();
        const origin = await givenPaid(store);
        const taken = await givenAllocation(store, { fiscalYear: origin.fiscalYear + 1 });

        const closed = await store.closeAllocation(closeStepOf(origin, 1_000, taken.id));

        expect(closed).toBe(false);
        expect(await store.getAllocation(J, origin.id)).toEqual(origin);
        expect(await store.getAllocation(J, taken.id)).toEqual(taken);
        expect(await store.listEntries(J, origin.id)).toHaveLength(1);
      });

      it('stores a year’s close plan once, and marks it closed once', async () => {
        const store = await makeStore();
        const year = aFreshYear();
        const plan = aClosePlan(year);
        const closedPlan: FiscalYearClose = { ...plan, status: 'closed', closedAt: at(61), allocations: [] };

        const started = [
          await store.startFiscalYearClose(plan),
          await store.startFiscalYearClose({ ...plan, decisionNumber: 'other' }),
        ];
        const whileClosing = await store.getFiscalYearClose(J, year);
        await store.finishFiscalYearClose(closedPlan);
        const again = store.finishFiscalYearClose({ ...closedPlan, closedAt: at(62) });

        expect(started).toEqual([true, false]);
        expect(whileClosing).toEqual(plan);
        await expect(again).rejects.toMatchObject({ status: 503 });
        expect(await store.getFiscalYearClose(J, year)).toEqual(closedPlan);
        expect(await store.getFiscalYearClose('da-nang', year)).toBeUndefined();
      });

      it('refuses a new allocation in a year being closed or closed with fiscal_year_closed, writing nothing', async () => {
        const store = await makeStore();
        const year = aFreshYear();
        const plan = aClosePlan(year);
        await store.startFiscalYearClose(plan);
        const closing = anAllocation({ id: uid(), fiscalYear: year });
        const record = aRecord();

        const whileClosing = store.createAllocation(closing, record);

        await expect(whileClosing).rejects.toMatchObject({
          code: 'fiscal_year_closed',
          status: 409,
          details: { fiscalYear: year, decisionNumber: plan.decisionNumber },
        });
        expect(await store.getAllocation(J, closing.id)).toBeUndefined();
        expect(await store.getIdempotency(J, record.scope)).toBeUndefined();
        await store.finishFiscalYearClose({ ...plan, status: 'closed', closedAt: at(61), allocations: [] });
        const closed = anAllocation({ id: uid(), fiscalYear: year });
        await expect(store.createAllocation(closed)).rejects.toMatchObject({ code: 'fiscal_year_closed' });
        expect(await store.getAllocation(J, closed.id)).toBeUndefined();
        // The next year, and the same year in another jurisdiction, are open.
        await givenAllocation(store, { fiscalYear: year + 1 });
        const elsewhere = anAllocation({ id: uid(), fiscalYear: year, jurisdiction: 'da-nang' });
        await store.createAllocation(elsewhere);
        expect(await store.getAllocation('da-nang', elsewhere.id)).toEqual(elsewhere);
      });
    });

    it('keeps what it stored apart from the objects it was given and the ones it hands out', async () => {
      const store = await makeStore();
      const allocation = await givenAllocation(store);
      const request = aRequest({ id: uid(), allocationId: allocation.id });
      const stored = structuredClone(request);
      await store.submitRequest(request, aRecord());

      request.payee.name = 'Changed after the write';
      const read = await store.getRequest(J, request.id);
      if (!read) throw new Error('arrange failed');
      read.status = 'disbursed';
      read.approvals.push({ level: 'district', decision: 'approve', by: 'x', at: T0, eventId: 'e' });

      expect(await store.getRequest(J, request.id)).toEqual(stored);
    });
  });
};
