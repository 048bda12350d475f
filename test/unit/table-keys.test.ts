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
  INDEXES,
  idempotencyKeys,
  indicatorKeys,
  measurementKeys,
  PRIMARY_KEY,
  partitionOf,
  requestKeys,
  STORAGE_ATTRIBUTES,
  subscriptionKeys,
  TABLE_INDEXES,
} from '../../shared/platform/table/keys.ts';

// These are the formats of data already stored: a change here must come with a migration (the next
// one will put a jurisdiction in every key, and this file is where that change shows).

describe('the table', () => {
  it('is keyed on pk/sk with three indexes gsi1..gsi3, keyed on gsiNpk/gsiNsk', () => {
    expect(PRIMARY_KEY).toEqual({ partitionKey: 'pk', sortKey: 'sk' });
    expect(TABLE_INDEXES).toEqual([
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    ]);
    expect(STORAGE_ATTRIBUTES).toEqual([
      'pk',
      'sk',
      'gsi1pk',
      'gsi1sk',
      'gsi2pk',
      'gsi2sk',
      'gsi3pk',
      'gsi3sk',
      'expiresAt',
      'type',
    ]);
  });
});

describe('the item formats', () => {
  it('keeps an allocation at ALLOC#<id> / A, listed on gsi3 ALLOC by year, line, commune, component', () => {
    expect(
      allocationKeys.item({
        id: 'a1',
        fiscalYear: 2024,
        fundingLine: 'central',
        commune: 'Dang',
        component: 'DA5',
      }),
    ).toEqual({
      pk: 'ALLOC#a1',
      sk: 'A',
      type: 'allocation',
      gsi3pk: 'ALLOC',
      gsi3sk: '2024#central#Dang#DA5#a1',
    });
  });

  it('keeps adjustments, entries and digests in their allocation’s partition', () => {
    expect(adjustmentKeys.item({ allocationId: 'a1', at: '2024-03-01T00:00:00.000Z', id: 'j1' })).toEqual({
      pk: 'ALLOC#a1',
      sk: 'ADJ#2024-03-01T00:00:00.000Z#j1',
      type: 'adjustment',
    });
    expect(
      entryKeys.item({ allocationId: 'a1', seq: 12, fiscalYear: 2024, postedAt: '2024-03-02T01:02:03.000Z' }),
    ).toEqual({
      pk: 'ALLOC#a1',
      sk: 'E#0000000012',
      type: 'entry',
      gsi1pk: 'ENTRY#FY#2024',
      gsi1sk: '2024-03-02T01:02:03.000Z#a1#0000000012',
    });
    expect(digestKeys.item({ allocationId: 'a1', date: '2024-03-02' })).toEqual({
      pk: 'ALLOC#a1',
      sk: 'DIG#2024-03-02',
      type: 'digest',
      gsi2pk: 'DIGEST#2024-03-02',
      gsi2sk: 'a1',
    });
  });

  it('keeps a request at REQ#<id> / R, listed by allocation, by status and in all, by creation', () => {
    expect(
      requestKeys.item({
        id: 'r1',
        allocationId: 'a1',
        status: 'pending_approval',
        createdAt: '2024-03-01T00:00:00Z',
      }),
    ).toEqual({
      pk: 'REQ#r1',
      sk: 'R',
      type: 'request',
      gsi1pk: 'REQ#ALLOC#a1',
      gsi1sk: '2024-03-01T00:00:00Z#r1',
      gsi2pk: 'REQ#STATUS#pending_approval',
      gsi2sk: '2024-03-01T00:00:00Z#r1',
      gsi3pk: 'REQ',
      gsi3sk: '2024-03-01T00:00:00Z#r1',
    });
  });

  it('keeps an idempotency record at IDEM#<scope> / I with its expiry, and a pending decision in the outbox', () => {
    expect(idempotencyKeys.item('decide-request#abc', 1_700_000_000)).toEqual({
      pk: 'IDEM#decide-request#abc',
      sk: 'I',
      type: 'idempotency',
      expiresAt: 1_700_000_000,
    });
    expect(approvalOutboxKeys.mark('2024-03-01T00:00:00Z', 'ev1')).toEqual({
      gsi2pk: 'OUTBOX#APPROVAL#PENDING',
      gsi2sk: '2024-03-01T00:00:00Z#ev1',
    });
    expect(approvalOutboxKeys.givenUp).toBe('OUTBOX#APPROVAL#GIVEN_UP');
    expect(approvalOutboxKeys.index).toBe(INDEXES.gsi2);
    expect(approvalOutboxKeys.publishedAtOf('2024-03-01T00:00:00Z#ev1', 'ev1')).toBe('2024-03-01T00:00:00Z');
  });

  it('keeps alerts, their deliveries and subscriptions (owner URI-encoded in the listing)', () => {
    expect(alertKeys.item({ id: 'al1', fiscalYear: 2024, day: '2024-09-30' })).toEqual({
      pk: 'ALERT#al1',
      sk: 'A',
      type: 'alert',
      gsi3pk: 'ALERT',
      gsi3sk: '2024#2024-09-30#al1',
    });
    expect(deliveryKeys.item('al1', 'an@x.vn')).toEqual({
      pk: 'ALERT#al1',
      sk: 'DELIVERY#an@x.vn',
      type: 'delivery',
    });
    expect(subscriptionKeys.item({ id: 's1', owner: 'an#x' })).toEqual({
      pk: 'SUB#s1',
      sk: 'S',
      type: 'subscription',
      gsi3pk: 'SUB',
      gsi3sk: 'an%23x#s1',
    });
    expect(subscriptionKeys.index).toBe(INDEXES.gsi3);
  });

  it('keeps plan indicators and their measurements under TARGET#<id>', () => {
    expect(indicatorKeys.item({ id: '2024.houses', fiscalYear: 2024, code: 'houses' })).toEqual({
      pk: 'TARGET#2024.houses',
      sk: 'T',
      type: 'indicator',
      gsi3pk: 'TARGET',
      gsi3sk: '2024#houses',
    });
    expect(
      measurementKeys.item({
        indicatorId: '2024.houses',
        date: '2024-06-30',
        recordedAt: '2024-07-01T00:00:00Z',
        id: 'm1',
      }),
    ).toEqual({ pk: 'TARGET#2024.houses', sk: 'M#2024-06-30#2024-07-01T00:00:00Z#m1', type: 'measurement' });
  });

  it('keeps the upgrade default’s target keys as they were and adds the jurisdiction for any other', () => {
    const houses = { id: '2026.houses', fiscalYear: 2026, code: 'houses' };
    expect(indicatorKeys.item({ ...houses, jurisdiction: 'tay-giang' })).toEqual(indicatorKeys.item(houses));
    expect(indicatorKeys.item({ ...houses, jurisdiction: 'da-nang' })).toEqual({
      pk: 'TARGET#da-nang#2026.houses',
      sk: 'T',
      type: 'indicator',
      gsi3pk: 'TARGET#da-nang',
      gsi3sk: '2026#houses',
    });
    expect(indicatorKeys.ofYear(2026, 'da-nang').ExpressionAttributeValues).toEqual({
      ':pk': 'TARGET#da-nang',
      ':sk': '2026#',
    });
    expect(indicatorKeys.ofYear(2026, 'tay-giang').ExpressionAttributeValues[':pk']).toBe('TARGET');
    expect(
      measurementKeys.item({
        indicatorId: '2026.poor',
        jurisdiction: 'da-nang',
        date: '2026-06-30',
        recordedAt: '2026-07-01T00:00:00Z',
        id: 'm1',
      }).pk,
    ).toBe('TARGET#da-nang#2026.poor');
    expect(measurementKeys.ofIndicator('2026.poor', 'da-nang').ExpressionAttributeValues[':pk']).toBe(
      'TARGET#da-nang#2026.poor',
    );
  });

  it('keeps the audit log in the AUDITLOG partition, filed under its commune on gsi2 when it has one', () => {
    expect(auditLogKeys.item({ at: '2024-03-01T00:00:00Z', id: 'q1' })).toEqual({
      pk: 'AUDITLOG',
      sk: '2024-03-01T00:00:00Z#q1',
      type: 'audit',
    });
    expect(auditLogKeys.item({ at: '2024-03-01T00:00:00Z', id: 'q1', commune: 'Dang' })).toEqual({
      pk: 'AUDITLOG',
      sk: '2024-03-01T00:00:00Z#q1',
      type: 'audit',
      gsi2pk: 'AUDITLOG#Dang',
      gsi2sk: '2024-03-01T00:00:00Z#q1',
    });
  });
});

describe('the key conditions', () => {
  it('reads one partition of the table or of an index, narrowed on the sort key', () => {
    expect(allocationKeys.listing([2024, 'central'])).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'ALLOC', ':sk': '2024#central#' },
    });
    expect(allocationKeys.listing()).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': 'ALLOC' },
    });
    expect(entryKeys.ofAllocation('a1')).toEqual({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'ALLOC#a1', ':sk': 'E#' },
    });
    expect(entryKeys.ofYear(2024, { between: ['2024-01-01', '2024-02-01'] })).toEqual({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :skFrom AND :skTo',
      ExpressionAttributeValues: { ':pk': 'ENTRY#FY#2024', ':skFrom': '2024-01-01', ':skTo': '2024-02-01' },
    });
    expect(entryKeys.ofYear(2024, { atLeast: '2024-01-01' }).KeyConditionExpression).toBe(
      'gsi1pk = :pk AND gsi1sk >= :skFrom',
    );
    expect(approvalOutboxKeys.due('2024-03-01')).toEqual({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :skTo',
      ExpressionAttributeValues: { ':pk': 'OUTBOX#APPROVAL#PENDING', ':skTo': '2024-03-01' },
    });
    expect(requestKeys.ofAllocation('a1').ExpressionAttributeValues[':pk']).toBe('REQ#ALLOC#a1');
    expect(requestKeys.withStatus('approved').ExpressionAttributeValues[':pk']).toBe('REQ#STATUS#approved');
    expect(subscriptionKeys.listing('an#x').ExpressionAttributeValues).toEqual({
      ':pk': 'SUB',
      ':sk': 'an%23x#',
    });
    expect(measurementKeys.ofIndicator('2024.houses').ExpressionAttributeValues).toEqual({
      ':pk': 'TARGET#2024.houses',
      ':sk': 'M#',
    });
    expect(digestKeys.ofDate('2024-03-02').ExpressionAttributeValues[':pk']).toBe('DIGEST#2024-03-02');
    expect(auditLogKeys.listing('Dang')).toMatchObject({ IndexName: 'gsi2' });
  });

  it('names the partition a query reads, where a page cursor must lie', () => {
    expect(partitionOf(alertKeys.listing(2024))).toEqual({ attribute: 'gsi3pk', value: 'ALERT' });
    expect(partitionOf(auditLogKeys.listing())).toEqual({ attribute: 'pk', value: 'AUDITLOG' });
    expect(partitionOf(auditLogKeys.listing('Dang'))).toEqual({
      attribute: 'gsi2pk',
      value: 'AUDITLOG#Dang',
    });
  });

  it('gives the IAM leading-key patterns of the functions held to some items', () => {
    expect(idempotencyKeys.ofOperationPattern('decide-request')).toBe('IDEM#decide-request#*');
    expect(subscriptionKeys.pattern).toBe('SUB#*');
    expect(auditLogKeys.partition).toBe('AUDITLOG');
  });

  it('tells an item’s kind and id back from its key', () => {
    expect(allocationKeys.idOf(allocationKeys.key('a#1'))).toBe('a#1');
    expect(allocationKeys.idOf(entryKeys.key('a1', 1))).toBeUndefined();
    expect(entryKeys.allocationIdOf(entryKeys.key('a1', 3))).toBe('a1');
    expect(entryKeys.allocationIdOf(requestKeys.key('r1'))).toBeUndefined();
    expect(requestKeys.idOf(requestKeys.key('r1'))).toBe('r1');
    expect(requestKeys.idOf(idempotencyKeys.key('x'))).toBeUndefined();
    expect(idempotencyKeys.scopeOf(idempotencyKeys.key('submit-request#h'))).toBe('submit-request#h');
  });
});
