import { describe, expect, it } from 'vitest';
import {
  adjustmentKeys,
  alertKeys,
  allocationKeys,
  approvalOutboxKeys,
  auditLogKeys,
  deliveryKeys,
  digestKeys,
  entryKeys,
  idempotencyKeys,
  indicatorKeys,
  measurementKeys,
  requestKeys,
  subscriptionKeys,
} from '../../shared/platform/table/keys.ts';
import {
  domainAttributes,
  FORMAT_MARKER_KEY,
  hasFormerListingKeys,
  isOldFormat,
  isParent,
  jurisdictionFor,
  parentOf,
  REQUEST_LISTINGS_MARKER_KEY,
  referenceKey,
  referenceOf,
  requestListingKeys,
  type StoredItem,
  UnknownItemError,
  UPGRADED_TYPES,
  upgradedItem,
} from '../../shared/platform/table/upgrade.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';

// Items as the code before jurisdictions stored them (keys of `git show 7bbb233:shared/platform/table/keys.ts`).
const allocation = {
  pk: 'ALLOC#a1',
  sk: 'A',
  type: 'allocation',
  gsi3pk: 'ALLOC',
  gsi3sk: '2024#central#A Nông#DA1#a1',
  id: 'a1',
  fiscalYear: 2024,
  fundingLine: 'central',
  commune: 'A Nông',
  component: 'DA1',
  assignedVnd: 100,
  headSeq: 1,
  headHash: 'f'.repeat(64),
  'output#houses': 3,
};
const entry = {
  pk: 'ALLOC#a1',
  sk: 'E#0000000001',
  type: 'entry',
  gsi1pk: 'ENTRY#FY#2024',
  gsi1sk: '2024-03-01T02:00:00.000Z#a1#0000000001',
  allocationId: 'a1',
  seq: 1,
  fiscalYear: 2024,
  postedAt: '2024-03-01T02:00:00.000Z',
  amountVnd: 40,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
};
const adjustment = {
  pk: 'ALLOC#a1',
  sk: 'ADJ#2024-02-01T02:00:00.000Z#d1',
  type: 'adjustment',
  id: 'd1',
  allocationId: 'a1',
  at: '2024-02-01T02:00:00.000Z',
  deltaVnd: 5,
  reason: 'bổ sung',
  by: 'an',
};
const digest = {
  pk: 'ALLOC#a1',
  sk: 'DIG#2024-03-02',
  type: 'digest',
  gsi2pk: 'DIGEST#2024-03-02',
  gsi2sk: 'a1',
  date: '2024-03-02',
  allocationId: 'a1',
  fiscalYear: 2024,
  seq: 1,
  hash: 'f'.repeat(64),
  recordedAt: '2024-03-02T01:00:00.000Z',
};
const request = {
  pk: 'REQ#r1',
  sk: 'R',
  type: 'request',
  gsi1pk: 'REQ#ALLOC#a1',
  gsi1sk: '2024-02-20T02:00:00.000Z#r1',
  gsi2pk: 'REQ#STATUS#pending_approval',
  gsi2sk: '2024-02-20T02:00:00.000Z#r1',
  gsi3pk: 'REQ',
  gsi3sk: '2024-02-20T02:00:00.000Z#r1',
  id: 'r1',
  allocationId: 'a1',
  status: 'pending_approval',
  createdAt: '2024-02-20T02:00:00.000Z',
  version: 1,
};
const decision = {
  pk: 'IDEM#decide-request#abc',
  sk: 'I',
  type: 'idempotency',
  expiresAt: 1_709_000_000,
  gsi2pk: 'OUTBOX#APPROVAL#PENDING',
  gsi2sk: '2024-02-22T02:00:00.000Z#r1-commune',
  relayCount: 0,
  scope: 'decide-request#abc',
  fingerprint: 'fp',
  result: { eventId: 'r1-commune', requestId: 'r1', level: 'commune' },
  event: { eventId: 'r1-commune', requestId: 'r1' },
  createdAt: '2024-02-22T02:00:00.000Z',
};
const alert = {
  pk: 'ALERT#al1',
  sk: 'A',
  type: 'alert',
  gsi3pk: 'ALERT',
  gsi3sk: '2026#2026-09-30#al1',
  id: 'al1',
  fiscalYear: 2026,
  day: '2026-09-30',
  scope: { level: 'district', jurisdiction: 'da-nang' },
  status: 'open',
};
const delivery = {
  pk: 'ALERT#al1',
  sk: 'DELIVERY#lan@x.vn',
  type: 'delivery',
  alertId: 'al1',
  email: 'lan@x.vn',
  status: 'sent',
};
const subscription = {
  pk: 'SUB#s1',
  sk: 'S',
  type: 'subscription',
  gsi3pk: 'SUB',
  gsi3sk: 'lan%23x#s1',
  id: 's1',
  owner: 'lan#x',
  ownerJurisdiction: 'da-nang',
  email: 'lan@x.vn',
  scope: {},
  createdAt: '2026-01-01T00:00:00.000Z',
};
const indicator = {
  pk: 'TARGET#da-nang#2026.houses',
  sk: 'T',
  type: 'indicator',
  gsi3pk: 'TARGET#da-nang',
  gsi3sk: '2026#houses',
  id: '2026.houses',
  jurisdiction: 'da-nang',
  fiscalYear: 2026,
  code: 'houses',
};
const measurement = {
  pk: 'TARGET#2024.poor',
  sk: 'M#2024-06-30#2024-07-01T00:00:00.000Z#m1',
  type: 'measurement',
  id: 'm1',
  indicatorId: '2024.poor',
  date: '2024-06-30',
  recordedAt: '2024-07-01T00:00:00.000Z',
  value: 3,
};
const audit = {
  pk: 'AUDITLOG',
  sk: '2024-10-04T02:00:00.000Z#u1',
  type: 'audit',
  gsi2pk: 'AUDITLOG#A Nông',
  gsi2sk: '2024-10-04T02:00:00.000Z#u1',
  id: 'u1',
  at: '2024-10-04T02:00:00.000Z',
  by: 'kiem',
  commune: 'A Nông',
};

const TG = UPGRADE_DEFAULT_JURISDICTION;

/** The new keys each type must get, from keys.ts's own functions. */
const cases: [string, StoredItem, Record<string, unknown>][] = [
  ['allocation', allocation, allocationKeys.item(TG, allocation)],
  ['entry', entry, entryKeys.item(TG, entry)],
  ['adjustment', adjustment, adjustmentKeys.item(TG, adjustment)],
  ['digest', digest, digestKeys.item(TG, digest)],
  ['request', request, requestKeys.item(TG, request)],
  [
    'idempotency (pending in the outbox)',
    decision,
    {
      ...idempotencyKeys.item(TG, decision.scope, decision.expiresAt),
      ...approvalOutboxKeys.mark('2024-02-22T02:00:00.000Z', 'r1-commune'),
    },
  ],
  ['alert', alert, alertKeys.item('da-nang', alert)],
  ['delivery', delivery, deliveryKeys.item(TG, 'al1', 'lan@x.vn')],
  ['subscription', subscription, subscriptionKeys.item('da-nang', subscription)],
  ['indicator', indicator, indicatorKeys.item('da-nang', indicator)],
  ['measurement', measurement, measurementKeys.item(TG, measurement)],
  ['audit', audit, auditLogKeys.item(TG, audit)],
];

describe('upgradedItem: an old-format item in the jurisdiction format', () => {
  it('covers every type the table stores', () => {
    expect(cases.map(([, item]) => item.type).sort()).toEqual([...UPGRADED_TYPES].sort());
  });

  it.each(cases)(
    '%s: keys recomputed by keys.ts, every other attribute exactly as it was',
    (_, item, keys) => {
      const upgraded = upgradedItem(item);
      expect(upgraded).toEqual({ ...domainAttributes(item), ...keys });
      expect(domainAttributes(upgraded)).toEqual(domainAttributes(item));
      expect(upgraded.type).toBe(item.type);
      expect(isOldFormat(item)).toBe(true);
      expect(isOldFormat(upgraded)).toBe(false);
      // Nothing is added: an item without a jurisdiction stays without one (chains hash their attributes).
      expect('jurisdiction' in upgraded).toBe('jurisdiction' in item);
    },
  );

  it('keeps an idempotency record without outbox keys out of the outbox, its expiry unchanged', () => {
    const { gsi2pk: _, gsi2sk: __, relayCount: ___, ...settled } = decision;
    const upgraded = upgradedItem(settled);
    expect(upgraded.gsi2pk).toBeUndefined();
    expect(upgraded.expiresAt).toBe(decision.expiresAt);
  });

  it('keeps a given-up outbox entry given up', () => {
    const upgraded = upgradedItem({ ...decision, gsi2pk: approvalOutboxKeys.givenUp });
    expect(upgraded.gsi2pk).toBe(approvalOutboxKeys.givenUp);
    expect(upgraded.gsi2sk).toBe(decision.gsi2sk);
  });

  it('keeps a deleted subscription out of the listing', () => {
    const { gsi3pk: _, gsi3sk: __, ...deleted } = { ...subscription, deletedAt: '2026-02-01T00:00:00.000Z' };
    const upgraded = upgradedItem(deleted);
    expect(upgraded).toEqual({ ...deleted, ...subscriptionKeys.key('da-nang', 's1') });
    expect(upgraded.gsi3pk).toBeUndefined();
  });

  it('files an audit entry about no commune in the whole log only', () => {
    const { gsi2pk: _, gsi2sk: __, commune: ___, ...wide } = audit;
    expect(upgradedItem(wide).gsi2pk).toBeUndefined();
  });

  it('refuses an item of a type it does not know, naming it', () => {
    expect(() => upgradedItem({ pk: 'THING#1', sk: 'X', type: 'thing' })).toThrow(UnknownItemError);
    expect(() => upgradedItem({ pk: 'THING#1', sk: 'X', type: 'thing' })).toThrow(
      /THING#1 \/ X has type "thing"/,
    );
  });
});

describe('jurisdictionFor: where an old item goes', () => {
  it("an item's own jurisdiction first, even over its parent's", () => {
    expect(jurisdictionFor({ ...allocation, jurisdiction: 'da-nang' })).toBe('da-nang');
    expect(jurisdictionFor({ ...entry, jurisdiction: 'da-nang' }, { parentJurisdiction: TG })).toBe(
      'da-nang',
    );
    expect(jurisdictionFor({ ...subscription, ownerJurisdiction: 'x' })).toBe('x');
    expect(jurisdictionFor(alert)).toBe('da-nang');
  });

  it("else its parent's: entries, adjustments and digests their allocation's, deliveries their alert's, measurements their indicator's", () => {
    for (const child of [entry, adjustment, digest, delivery, measurement]) {
      expect(jurisdictionFor(child, { parentJurisdiction: 'da-nang' })).toBe('da-nang');
      expect(upgradedItem(child, { parentJurisdiction: 'da-nang' }).pk).toMatch(/^J#da-nang#/);
    }
  });

  it('else, for an idempotency record, the jurisdiction of the entity its result holds or names', () => {
    const base = { ...decision, result: {}, event: undefined };
    expect(jurisdictionFor({ ...base, result: { id: 'a2', jurisdiction: 'da-nang' } })).toBe('da-nang');
    expect(jurisdictionFor({ ...base, result: { id: 'd', allocation: { jurisdiction: 'da-nang' } } })).toBe(
      'da-nang',
    );
    expect(jurisdictionFor({ ...base, result: undefined, body: { jurisdiction: 'da-nang' } })).toBe(
      'da-nang',
    );
    const entities = ({ type, id }: { type: string; id: string }) =>
      (type === 'request' && id === 'r1') ||
      (type === 'measurement' && id === `2024.poor@${measurement.recordedAt}`)
        ? 'da-nang'
        : undefined;
    expect(jurisdictionFor(decision, { entityJurisdiction: entities })).toBe('da-nang');
    expect(jurisdictionFor({ ...decision, result: {} }, { entityJurisdiction: entities })).toBe('da-nang');
    const gone = { ...base, result: { requestId: 'gone' } };
    expect(jurisdictionFor(gone, { entityJurisdiction: entities })).toBe(TG);
    // A measured indicator's answer names its last measurement (ids like 2026.poor are every jurisdiction's).
    const measured = {
      ...base,
      result: { id: '2024.poor', lastMeasurement: { recordedAt: measurement.recordedAt } },
    };
    expect(jurisdictionFor(measured, { entityJurisdiction: entities })).toBe('da-nang');
    expect(referenceOf(measurement)).toEqual({
      type: 'measurement',
      id: `2024.poor@${measurement.recordedAt}`,
    });
  });

  it('else the upgrade default', () => {
    for (const [, item] of cases.filter(
      ([, i]) => i.type !== 'alert' && !('jurisdiction' in i) && i.type !== 'subscription',
    )) {
      expect(jurisdictionFor(item)).toBe(TG);
    }
    expect(jurisdictionFor({ ...alert, scope: { level: 'district' } })).toBe(TG);
    expect(jurisdictionFor({ ...subscription, ownerJurisdiction: undefined })).toBe(TG);
  });
});

describe('the order of a move and the format marker', () => {
  it("names each child's parent, which is in its partition, and the parents", () => {
    expect(parentOf(entry)).toEqual({ type: 'allocation', id: 'a1' });
    expect(parentOf(digest)).toEqual({ type: 'allocation', id: 'a1' });
    expect(parentOf(adjustment)).toEqual({ type: 'allocation', id: 'a1' });
    expect(parentOf(delivery)).toEqual({ type: 'alert', id: 'al1' });
    expect(parentOf(measurement)).toEqual({ type: 'indicator', id: '2024.poor' });
    for (const item of [allocation, request, decision, alert, subscription, indicator, audit]) {
      expect(parentOf(item)).toBeUndefined();
    }
    expect(cases.filter(([, i]) => isParent(i)).map(([, i]) => i.type)).toEqual([
      'allocation',
      'alert',
      'indicator',
    ]);
    expect(referenceKey(referenceOf(allocation) ?? { type: '', id: '' })).toBe(
      referenceKey(parentOf(entry) ?? { type: '', id: '' }),
    );
    expect(referenceOf(request)).toEqual({ type: 'request', id: 'r1' });
  });

  it('reads numbers given as exact decimals (how the runner reads them)', () => {
    const wrapped = {
      ...entry,
      seq: { value: '1', toString: () => '1' },
      fiscalYear: { toString: () => '2024' },
    };
    expect(upgradedItem(wrapped as unknown as StoredItem).sk).toBe(entryKeys.key(TG, 'a1', 1).sk);
    expect(upgradedItem(wrapped as unknown as StoredItem).gsi1pk).toBe(entryKeys.item(TG, entry).gsi1pk);
  });

  it('is of neither format, so it is never moved', () => {
    expect(isOldFormat(FORMAT_MARKER_KEY)).toBe(false);
  });
});

describe('the move of requests’ listings to their own indexes (gsi4–gsi6)', () => {
  // A request in the jurisdiction format as stored before its listings had indexes of their own.
  const listedOnSharedIndexes = {
    ...request,
    pk: 'J#da-nang#REQ#r1',
    gsi1pk: 'J#da-nang#REQ#ALLOC#a1',
    gsi2pk: 'J#da-nang#REQ#STATUS#disbursed',
    gsi3pk: 'J#da-nang#REQ',
    status: 'disbursed',
  };

  it('gives a request its listing keys in gsi4–gsi6 from its jurisdiction, allocation, current status and creation', () => {
    expect(requestListingKeys(listedOnSharedIndexes)).toEqual({
      gsi4pk: 'J#da-nang#REQ#ALLOC#a1',
      gsi4sk: '2024-02-20T02:00:00.000Z#r1',
      gsi5pk: 'J#da-nang#REQ#STATUS#disbursed',
      gsi5sk: '2024-02-20T02:00:00.000Z#r1',
      gsi6pk: 'J#da-nang#REQ',
      gsi6sk: '2024-02-20T02:00:00.000Z#r1',
    });
  });

  it('leaves an item of the old format to the jurisdiction upgrade, and other types alone', () => {
    expect(requestListingKeys(request)).toBeUndefined();
    expect(requestListingKeys({ ...allocation, pk: 'J#da-nang#ALLOC#a1' })).toBeUndefined();
  });

  it('tells a request still listed on gsi1–gsi3 from one already moved, and never another type', () => {
    expect(hasFormerListingKeys(listedOnSharedIndexes)).toBe(true);
    const moved = upgradedItem(request);
    expect(moved).not.toHaveProperty('gsi1pk');
    expect(moved).toMatchObject({ gsi4pk: `J#${UPGRADE_DEFAULT_JURISDICTION}#REQ#ALLOC#a1` });
    expect(hasFormerListingKeys(moved)).toBe(false);
    expect(hasFormerListingKeys(allocation)).toBe(false);
  });

  it('keeps its marker apart from the format marker, of neither format', () => {
    expect(REQUEST_LISTINGS_MARKER_KEY).not.toEqual(FORMAT_MARKER_KEY);
    expect(isOldFormat(REQUEST_LISTINGS_MARKER_KEY)).toBe(false);
  });
});
