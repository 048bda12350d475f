import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../../shared/ledger/app/ports.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import { buildDisbursementEntry } from '../../../shared/ledger/domain/ledger-entry.ts';
import type {
  AlertStore,
  DeliveryLog,
  ProgressSource,
  SubscriptionStore,
} from '../../../shared/monitoring/app/ports.ts';
import type { Alert, StoredAlert } from '../../../shared/monitoring/domain/alert.ts';
import type { Subscription } from '../../../shared/monitoring/domain/subscription.ts';
import { InvalidCursorError } from '../../../shared/platform/errors.ts';
import { jurisdictionOf } from '../../../shared/platform/tenancy.ts';
import { anAllocation, aRequest, T0 } from '../../unit/support/domain-fixtures.ts';

/**
 * The observable behaviour of the monitoring ports, one suite per port, run against every
 * implementation: the in-memory fake of the unit tests and the DynamoDB adapter on DynamoDB Local.
 * A use case tested on the fake is only as good as the fake, so where the two differ one has a bug.
 *
 * Every test works on ids, owners and fiscal years of its own, so an implementation may share one
 * store (one table) between the tests.
 */

type Make<T> = () => T | Promise<T>;

const uid = () => randomUUID();
/** A fiscal year no other test (or run) uses: listing a year then lists this test's items only. */
const aFreshYear = () => 10_000 + Math.floor(Math.random() * 80_000);
const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();
const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
/** The upgrade default, where items without a jurisdiction are kept, and a second jurisdiction. */
const TG = 'tay-giang';
const DN = 'da-nang';

/** What the monitor reads, and the ledger store whose writes it reads them from. */
export interface ProgressStores {
  progress: ProgressSource;
  ledger: LedgerStore;
}

export const describeProgressSourceContract = (name: string, makeStores: Make<ProgressStores>) =>
  describe(`${name} keeps the ProgressSource contract`, () => {
    /** A pending request of its own, submitted on the allocation. */
    const submitted = async (
      ledger: LedgerStore,
      allocationId: string,
      fields: Partial<DisbursementRequest>,
    ) => {
      const request = aRequest({ id: uid(), allocationId, amountVnd: 10_000_000, ...fields });
      await ledger.submitRequest(request, {
        jurisdiction: jurisdictionOf(request),
        scope: `contract#${uid()}`,
        fingerprint: 'f',
        result: {},
        createdAt: T0,
      });
      return request;
    };

    /** Posts a pending request (version 1) at its allocation's head. */
    const posted = async (ledger: LedgerStore, request: DisbursementRequest) => {
      const allocation = await ledger.getAllocation(jurisdictionOf(request), request.allocationId);
      if (!allocation) throw new Error('arrange failed: no allocation');
      const { nextLevel: _, pendingSince: __, ...rest } = request;
      const disbursed: DisbursementRequest = { ...rest, status: 'disbursed', version: 2 };
      const done = await ledger.postDisbursement(
        disbursed,
        1,
        buildDisbursementEntry(allocation, disbursed, at(5)),
      );
      if (!done) throw new Error('arrange failed: the posting was refused');
    };

    it("lists the year's allocations as the ledger holds them: running totals, no output counters, no other year", async () => {
      const { progress, ledger } = await makeStores();
      const year = aFreshYear();
      const counted = anAllocation({ id: uid(), fiscalYear: year, commune: 'Dang' });
      const untouched = anAllocation({ id: uid(), fiscalYear: year });
      const nextYear = anAllocation({ id: uid(), fiscalYear: year + 1 });
      for (const a of [counted, untouched, nextYear]) await ledger.createAllocation(a);
      const request = await submitted(ledger, counted.id, { fiscalYear: year, outputs: { houses: 3 } });
      await posted(ledger, request);
      await submitted(ledger, counted.id, { fiscalYear: year, amountVnd: 2_000_000 });

      const listed = await progress.listAllocationsOfYear(TG, year);

      expect(listed.map((a) => a.id).sort()).toEqual([counted.id, untouched.id].sort());
      expect(listed.find((a) => a.id === untouched.id)).toEqual(untouched);
      expect(listed.find((a) => a.id === counted.id)).toEqual(await ledger.getAllocation(TG, counted.id));
      expect(listed.find((a) => a.id === counted.id)).toMatchObject({
        disbursedVnd: 10_000_000,
        reservedVnd: 2_000_000,
        availableVnd: counted.assignedVnd - 12_000_000,
        headSeq: 1,
      });
      expect(await progress.listAllocationsOfYear(TG, aFreshYear())).toEqual([]);
    });

    it('lists the requests pending a decision, of every year, and none that was decided', async () => {
      const { progress, ledger } = await makeStores();
      const year = aFreshYear();
      const allocation = anAllocation({
        id: uid(),
        fiscalYear: year,
        assignedVnd: 1_000_000_000,
        availableVnd: 1_000_000_000,
      });
      const later = anAllocation({
        id: uid(),
        fiscalYear: year + 1,
        assignedVnd: 1_000_000_000,
        availableVnd: 1_000_000_000,
      });
      await ledger.createAllocation(allocation);
      await ledger.createAllocation(later);
      const waiting = await submitted(ledger, allocation.id, { fiscalYear: year });
      const waitingNextYear = await submitted(ledger, later.id, { fiscalYear: year + 1 });
      const rejected = await submitted(ledger, allocation.id, { fiscalYear: year });
      const { nextLevel: _, pendingSince: __, ...closed } = rejected;
      await ledger.closeAndRelease({ ...closed, status: 'rejected', version: 2 }, 1);
      await posted(ledger, await submitted(ledger, allocation.id, { fiscalYear: year }));
      const ours = new Set([waiting.id, waitingNextYear.id, rejected.id]);

      const pending = (await progress.listPendingRequests(TG)).filter((r) => ours.has(r.id));

      expect(byId(pending)).toEqual(byId([waiting, waitingNextYear]));
    });

    it("reads one jurisdiction's allocations and pending requests, never another's", async () => {
      const { progress, ledger } = await makeStores();
      const year = aFreshYear();
      const funds = { assignedVnd: 1_000_000_000, availableVnd: 1_000_000_000 };
      const old = anAllocation({ id: uid(), fiscalYear: year, ...funds });
      const daNang = anAllocation({ id: uid(), fiscalYear: year, jurisdiction: DN, ...funds });
      for (const a of [old, daNang]) await ledger.createAllocation(a);
      const waitingOld = await submitted(ledger, old.id, { fiscalYear: year });
      const waitingDaNang = await submitted(ledger, daNang.id, { fiscalYear: year, jurisdiction: DN });
      const ids = (items: { id: string }[]) =>
        items
          .map((i) => i.id)
          .filter((id) => [old, daNang, waitingOld, waitingDaNang].some((x) => x.id === id));

      expect(ids(await progress.listAllocationsOfYear(TG, year))).toEqual([old.id]);
      expect(ids(await progress.listAllocationsOfYear(DN, year))).toEqual([daNang.id]);
      expect(ids(await progress.listPendingRequests(TG))).toEqual([waitingOld.id]);
      expect(ids(await progress.listPendingRequests(DN))).toEqual([waitingDaNang.id]);
      expect(await progress.listAllocationsOfYear('ha-noi', year)).toEqual([]);
    });
  });

/** An alert of its own, open and unqueued. */
const anAlert = (overrides: Partial<Alert> = {}): Alert => {
  const day = overrides.day ?? '2024-09-30';
  return {
    id: `${day}-lag-warning-${uid()}`,
    kind: 'lag',
    severity: 'warning',
    fiscalYear: 2024,
    day,
    scope: { level: 'district', capitalType: 'investment' },
    laggingAllocations: [],
    stalledRequests: [],
    stalledTotal: 0,
    createdAt: at(0),
    ...overrides,
  };
};

export const describeAlertStoreContract = (name: string, makeStore: Make<AlertStore>) =>
  describe(`${name} keeps the AlertStore contract`, () => {
    it('records an alert open, reads it back as given, and knows no other', async () => {
      const store = await makeStore();
      const alert = anAlert({ scope: { level: 'commune', capitalType: 'investment', commune: 'Dang' } });

      const recorded = await store.recordAlert(alert);

      expect(recorded).toBe(true);
      expect(await store.getAlert(TG, alert.id)).toEqual({ ...alert, status: 'open' });
      expect(await store.getAlert(TG, uid())).toBeUndefined();
    });

    it('asks for an alert to be queued again until it is marked queued, then never', async () => {
      const store = await makeStore();
      const alert = anAlert();

      const first = await store.recordAlert(alert);
      const unqueued = await store.recordAlert({ ...alert, createdAt: at(1) });
      await store.markAlertQueued(TG, alert.id, at(2));
      const queued = await store.recordAlert({ ...alert, createdAt: at(3) });

      expect([first, unqueued, queued]).toEqual([true, true, false]);
      expect(await store.getAlert(TG, alert.id)).toEqual({
        ...alert,
        createdAt: at(1),
        status: 'open',
        queuedAt: at(2),
      });
    });

    it('never asks again for an alert acknowledged before it was queued', async () => {
      const store = await makeStore();
      const alert = anAlert();
      await store.recordAlert(alert);
      await store.acknowledgeAlert(TG, alert.id, 'insp-1', at(1));

      const again = await store.recordAlert(alert);

      expect(again).toBe(false);
      expect(await store.getAlert(TG, alert.id)).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: 'insp-1',
      });
    });

    it('keeps the first acknowledgement, and acknowledges no alert it does not hold', async () => {
      const store = await makeStore();
      const alert = anAlert();
      await store.recordAlert(alert);
      await store.markAlertQueued(TG, alert.id, at(1));

      const first = await store.acknowledgeAlert(TG, alert.id, 'insp-1', at(2));
      const second = await store.acknowledgeAlert(TG, alert.id, 'insp-2', at(3));
      const unknown = await store.acknowledgeAlert(TG, uid(), 'insp-1', at(4));

      const acknowledged: StoredAlert = {
        ...alert,
        status: 'acknowledged',
        queuedAt: at(1),
        acknowledgedBy: 'insp-1',
        acknowledgedAt: at(2),
      };
      expect([first, second, unknown]).toEqual([acknowledged, acknowledged, undefined]);
      expect(await store.getAlert(TG, alert.id)).toEqual(acknowledged);
    });

    it("lists a year's alerts newest first (by day, then id), filtered, a page at a time", async () => {
      const store = await makeStore();
      const fiscalYear = aFreshYear();
      const given = (day: string, overrides: Partial<Alert> = {}) =>
        anAlert({ fiscalYear, day, ...overrides });
      const oldest = given('2024-09-28', { severity: 'critical' });
      const dang = given('2024-09-29', {
        severity: 'critical',
        scope: { level: 'commune', capitalType: 'investment', commune: 'Dang' },
      });
      const warning = given('2024-09-30');
      const newest = given('2024-10-01', { severity: 'critical' });
      const acknowledged = given('2024-09-29', {
        severity: 'critical',
        id: `2024-09-29-${'z'.repeat(8)}-${uid()}`,
      });
      const otherYear = anAlert({ fiscalYear: fiscalYear + 1, severity: 'critical' });
      for (const a of [warning, oldest, newest, dang, acknowledged, otherYear]) await store.recordAlert(a);
      await store.acknowledgeAlert(TG, acknowledged.id, 'insp-1', at(1));
      const open = (a: Alert): StoredAlert => ({ ...a, status: 'open' });

      const critical = { jurisdiction: TG, fiscalYear, severity: 'critical' as const };
      const pageOne = await store.listAlerts(critical, 2);
      const rest = [];
      for (let cursor = pageOne.nextCursor; cursor !== undefined; ) {
        const page = await store.listAlerts(critical, 2, cursor);
        rest.push(...page.items);
        cursor = page.nextCursor;
      }

      expect(pageOne.items).toEqual([
        open(newest),
        { ...acknowledged, status: 'acknowledged', acknowledgedBy: 'insp-1', acknowledgedAt: at(1) },
      ]);
      expect(pageOne.nextCursor).toBeDefined();
      expect(rest).toEqual([open(dang), open(oldest)]);
      expect((await store.listAlerts({ jurisdiction: TG, fiscalYear }, 10)).items.map((a) => a.id)).toEqual(
        [newest, warning, acknowledged, dang, oldest].map((a) => a.id),
      );
      expect(
        (await store.listAlerts({ jurisdiction: TG, fiscalYear, status: 'open', commune: 'Dang' }, 10)).items,
      ).toEqual([open(dang)]);
      expect(
        (await store.listAlerts({ jurisdiction: TG, fiscalYear, status: 'acknowledged' }, 10)).items.map(
          (a) => a.id,
        ),
      ).toEqual([acknowledged.id]);
    });

    it('lists one jurisdiction’s alerts, those whose scope names none counting as the upgrade default’s', async () => {
      const store = await makeStore();
      const fiscalYear = aFreshYear();
      const scope = { level: 'district' as const, capitalType: 'investment' as const };
      const old = anAlert({ fiscalYear, day: '2024-09-28' });
      const tayGiang = anAlert({
        fiscalYear,
        day: '2024-09-29',
        scope: { ...scope, jurisdiction: 'tay-giang' },
      });
      const daNang = anAlert({ fiscalYear, day: '2024-09-30', scope: { ...scope, jurisdiction: 'da-nang' } });
      for (const a of [old, tayGiang, daNang]) await store.recordAlert(a);
      const ids = async (jurisdiction: string) =>
        (await store.listAlerts({ fiscalYear, jurisdiction }, 10)).items.map((a) => a.id);

      expect(await ids('tay-giang')).toEqual([tayGiang.id, old.id]);
      expect(await ids('da-nang')).toEqual([daNang.id]);
      expect(await ids('ha-noi')).toEqual([]);
    });

    it("keeps each jurisdiction's alerts in its own partition: the same id is another alert, read, listed and acknowledged apart", async () => {
      const store = await makeStore();
      const fiscalYear = aFreshYear();
      const scope = { level: 'district' as const, capitalType: 'investment' as const };
      const old = anAlert({ fiscalYear, day: '2024-09-29' });
      const daNang = { ...old, scope: { ...scope, jurisdiction: DN } };

      const recorded = [await store.recordAlert(old), await store.recordAlert(daNang)];
      await store.markAlertQueued(DN, old.id, at(1));
      const acknowledged = await store.acknowledgeAlert(DN, old.id, 'insp-dn', at(2));

      expect(recorded).toEqual([true, true]);
      expect(acknowledged).toMatchObject({
        scope: { jurisdiction: DN },
        status: 'acknowledged',
        queuedAt: at(1),
      });
      expect(await store.getAlert(TG, old.id)).toEqual({ ...old, status: 'open' });
      expect(await store.getAlert('ha-noi', old.id)).toBeUndefined();
      expect(await store.acknowledgeAlert('ha-noi', old.id, 'insp-hn', at(3))).toBeUndefined();
      const listed = async (jurisdiction: string) =>
        (await store.listAlerts({ jurisdiction, fiscalYear }, 10)).items.map((a) => [a.id, a.status]);
      expect(await listed(TG)).toEqual([[old.id, 'open']]);
      expect(await listed(DN)).toEqual([[old.id, 'acknowledged']]);
    });

    it('refuses a cursor it did not hand out', async () => {
      const store = await makeStore();

      await expect(store.listAlerts({ jurisdiction: TG }, 10, 'not-a-cursor')).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });
  });

const aSubscription = (owner: string, overrides: Partial<Subscription> = {}): Subscription => ({
  id: `sub-${uid()}`,
  owner,
  email: `${uid()}@taygiang.gov.vn`,
  scope: {},
  createdAt: at(0),
  ...overrides,
});

export const describeSubscriptionStoreContract = (name: string, makeStore: Make<SubscriptionStore>) =>
  describe(`${name} keeps the SubscriptionStore contract`, () => {
    it('stores a subscription once under its id and reads it back as given', async () => {
      const store = await makeStore();
      const subscription = aSubscription(uid(), {
        ownerCommune: 'Dang',
        scope: { commune: 'Dang', fundingLine: 'central' },
      });

      const stored = await store.putSubscription(subscription);
      const again = await store.putSubscription({ ...subscription, email: 'other@b.vn' });

      expect([stored, again]).toEqual([true, false]);
      expect(await store.getSubscription(TG, subscription.id)).toEqual(subscription);
      expect(await store.getSubscription(TG, `sub-${uid()}`)).toBeUndefined();
    });

    it("lists one owner's subscriptions by id, apart from an owner whose name extends theirs", async () => {
      const store = await makeStore();
      const owner = uid();
      const mine = [
        aSubscription(owner, { id: `sub-${owner}-b` }),
        aSubscription(owner, { id: `sub-${owner}-a` }),
      ];
      const extended = aSubscription(`${owner}#x`);
      for (const s of [...mine, extended]) await store.putSubscription(s);

      const own = await store.listSubscriptions(TG, owner);
      const everyone = (await store.listSubscriptions(TG)).filter((s) => s.owner.startsWith(owner));

      expect(own).toEqual(byId(mine));
      expect(byId(everyone)).toEqual(byId([...mine, extended]));
      expect(await store.listSubscriptions(TG, uid())).toEqual([]);
    });

    it('deletes a subscription for its owner only, out of every listing, and lets the same one be taken out again', async () => {
      const store = await makeStore();
      const owner = uid();
      const subscription = aSubscription(owner);
      await store.putSubscription(subscription);

      const byOther = await store.deleteSubscription(TG, subscription.id, `${owner}#x`, at(1));
      const deleted = await store.deleteSubscription(TG, subscription.id, owner, at(2));
      const deletedTwice = await store.deleteSubscription(TG, subscription.id, owner, at(3));
      const unknown = await store.deleteSubscription(TG, `sub-${uid()}`, owner, at(3));
      const afterDelete = [
        await store.getSubscription(TG, subscription.id),
        await store.listSubscriptions(TG, owner),
        (await store.listSubscriptions(TG)).filter((s) => s.id === subscription.id),
        await store.confirmSubscription(TG, subscription.id, at(4)),
      ];
      const again = await store.putSubscription({ ...subscription, createdAt: at(5) });

      expect([byOther, deleted, deletedTwice, unknown]).toEqual([false, true, false, false]);
      expect(afterDelete).toEqual([undefined, [], [], undefined]);
      expect(again).toBe(true);
      expect(await store.listSubscriptions(TG, owner)).toEqual([{ ...subscription, createdAt: at(5) }]);
    });

    it("keeps each owner's jurisdiction's subscriptions in its own partition: none is read, listed, confirmed or deleted from another", async () => {
      const store = await makeStore();
      const owner = uid();
      const old = aSubscription(owner);
      const daNang = { ...old, ownerJurisdiction: DN, email: `${uid()}@danang.gov.vn` };

      const stored = [await store.putSubscription(old), await store.putSubscription(daNang)];
      const confirmedElsewhere = await store.confirmSubscription('ha-noi', old.id, at(1));
      const deletedElsewhere = await store.deleteSubscription('ha-noi', old.id, owner, at(1));
      const confirmed = await store.confirmSubscription(DN, old.id, at(2));
      const deleted = await store.deleteSubscription(TG, old.id, owner, at(3));

      expect(stored).toEqual([true, true]);
      expect([confirmedElsewhere, deletedElsewhere]).toEqual([undefined, false]);
      expect(confirmed).toEqual({ ...daNang, confirmedAt: at(2) });
      expect(deleted).toBe(true);
      expect(await store.getSubscription(TG, old.id)).toBeUndefined();
      expect(await store.getSubscription(DN, old.id)).toEqual({ ...daNang, confirmedAt: at(2) });
      expect(await store.getSubscription('ha-noi', old.id)).toBeUndefined();
      expect(await store.listSubscriptions(DN, owner)).toEqual([{ ...daNang, confirmedAt: at(2) }]);
      expect(await store.listSubscriptions(TG, owner)).toEqual([]);
      expect((await store.listSubscriptions('ha-noi')).filter((s) => s.owner === owner)).toEqual([]);
    });

    it('keeps the first confirmation, and confirms no subscription it does not hold', async () => {
      const store = await makeStore();
      const subscription = aSubscription(uid());
      await store.putSubscription(subscription);

      const first = await store.confirmSubscription(TG, subscription.id, at(1));
      const second = await store.confirmSubscription(TG, subscription.id, at(2));
      const unknown = await store.confirmSubscription(TG, `sub-${uid()}`, at(3));

      const confirmed = { ...subscription, confirmedAt: at(1) };
      expect([first, second, unknown]).toEqual([confirmed, confirmed, undefined]);
      expect(await store.getSubscription(TG, subscription.id)).toEqual(confirmed);
    });
  });

export const describeDeliveryLogContract = (name: string, makeLog: Make<DeliveryLog>) =>
  describe(`${name} keeps the DeliveryLog contract`, () => {
    const LONG_AGO = '2000-01-01T00:00:00Z';

    /** A claim of one attempt (`claimant`, a new one unless named) on an alert's e-mail to an address. */
    const claimOf =
      (log: DeliveryLog, jurisdiction: string, alertId: string) =>
      (claimedAt: string, staleBefore = LONG_AGO, claimant: string = uid(), email = 'a@b.vn') =>
        log.claimDelivery(jurisdiction, alertId, email, { at: claimedAt, staleBefore, claimant });

    it('claims a delivery once, gives a failed one back, and lets a stale claim be taken over, never a sent one', async () => {
      const log = await makeLog();
      const alertId = uid();
      const claim = claimOf(log, TG, alertId);

      const first = await claim(at(0));
      const whileSending = await claim(at(1));
      await log.releaseDelivery(TG, alertId, 'a@b.vn', 'smtp down');
      const afterFailure = await claim(at(5));
      const notYetStale = await claim(at(60), at(4));
      const stale = await claim(at(60), at(30));
      await log.completeDelivery(TG, alertId, 'a@b.vn', at(61), 'm-1');
      const afterSent = await claim(at(600), at(599));

      expect([first, whileSending, afterFailure, notYetStale, stale, afterSent]).toEqual([
        'claimed',
        'busy',
        'claimed',
        'busy',
        'claimed',
        'sent',
      ]);
    });

    it('lets an attempt claim again what it claimed (an SDK retry whose answer was lost), and no other attempt', async () => {
      const log = await makeLog();
      const claim = claimOf(log, TG, uid());

      const first = await claim(at(0), LONG_AGO, 'attempt-1');
      const retried = await claim(at(0), LONG_AGO, 'attempt-1');
      const other = await claim(at(1), LONG_AGO, 'attempt-2');

      expect([first, retried, other]).toEqual(['claimed', 'claimed', 'busy']);
    });

    it('keeps a sent delivery sent when a late release comes, and each address and alert apart', async () => {
      const log = await makeLog();
      const alertId = uid();
      const claim = claimOf(log, TG, alertId);
      await claim(at(0));
      await log.completeDelivery(TG, alertId, 'a@b.vn', at(1), 'm-1');

      await log.releaseDelivery(TG, alertId, 'a@b.vn', 'late failure');
      const afterRelease = await claim(at(2));
      const otherAddress = await claim(at(2), LONG_AGO, uid(), 'b@b.vn');
      const otherAlert = await claimOf(log, TG, uid())(at(2));

      expect([afterRelease, otherAddress, otherAlert]).toEqual(['sent', 'claimed', 'claimed']);
      // Sent ones only: the claim of b@b.vn is still sending; the other alert's is not this one's.
      expect(await log.sentCount(TG, alertId)).toBe(1);
      await log.completeDelivery(TG, alertId, 'b@b.vn', at(3), 'm-2');
      expect(await log.sentCount(TG, alertId)).toBe(2);
      expect(await log.sentCount(TG, uid())).toBe(0);
    });

    it("keeps each jurisdiction's deliveries beside its alerts: a sent one there claims nothing here", async () => {
      const log = await makeLog();
      const alertId = uid();
      await claimOf(log, DN, alertId)(at(0));
      await log.completeDelivery(DN, alertId, 'a@b.vn', at(1), 'm-1');

      const here = await claimOf(log, TG, alertId)(at(2));
      const there = await claimOf(log, DN, alertId)(at(2));

      expect([here, there]).toEqual(['claimed', 'sent']);
    });
  });

/** Every monitoring port of one implementation, with the ledger store whose writes it reads. */
export const describeMonitoringContracts = (
  name: string,
  makeStores: Make<ProgressStores & { monitoring: AlertStore & SubscriptionStore & DeliveryLog }>,
) => {
  describeProgressSourceContract(name, makeStores);
  describeAlertStoreContract(name, async () => (await makeStores()).monitoring);
  describeSubscriptionStoreContract(name, async () => (await makeStores()).monitoring);
  describeDeliveryLogContract(name, async () => (await makeStores()).monitoring);
};
