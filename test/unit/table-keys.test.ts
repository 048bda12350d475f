import { describe, expect, it } from 'vitest';
import {
  adjustmentKeys,
  alertKeys,
  allocationKeys,
  approvalOutboxKeys,
  archiveRestoreKeys,
  auditLogKeys,
  contractAmendmentKeys,
  contractKeys,
  contractListingKeys,
  daySummaryKeys,
  deliveryKeys,
  digestKeys,
  documentKeys,
  entryKeys,
  fiscalYearCloseKeys,
  forecastKeys,
  INDEXES,
  idempotencyKeys,
  importKeys,
  indicatorKeys,
  isJurisdictionKey,
  measurementKeys,
  PRIMARY_KEY,
  partitionOf,
  payeeIdentifierKeys,
  payeeKeys,
  pendingSetKeys,
  reallocationKeys,
  requestKeys,
  STORAGE_ATTRIBUTES,
  splitJurisdiction,
  subscriptionKeys,
  supportClaimKeys,
  TABLE_INDEXES,
  voucherKeys,
} from '../../shared/platform/table/keys.ts';

// These are the formats of data stored since jurisdictions: a change here must come with an upgrade of
// stored data (shared/platform/table/upgrade.ts moves the formats from before, without the `J#` segment).
const J = 'tay-giang';

describe('the table', () => {
  it('is keyed on pk/sk with six indexes gsi1..gsi6, keyed on gsiNpk/gsiNsk; the requests’ three project status and commune only', () => {
    expect(PRIMARY_KEY).toEqual({ partitionKey: 'pk', sortKey: 'sk' });
    const all = { type: 'ALL' };
    const requestListing = { type: 'INCLUDE', attributes: ['status', 'commune'] };
    expect(TABLE_INDEXES).toEqual([
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: all },
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: all },
      { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: all },
      { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: requestListing },
      { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', projection: requestListing },
      { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', projection: requestListing },
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
      'gsi4pk',
      'gsi4sk',
      'gsi5pk',
      'gsi5sk',
      'gsi6pk',
      'gsi6sk',
      'expiresAt',
      'type',
    ]);
  });
});

describe('the item formats', () => {
  it('keeps an allocation at J#<j>#ALLOC#<id> / A, listed on gsi3 J#<j>#ALLOC by year, line, commune, component', () => {
    expect(
      allocationKeys.item(J, {
        id: 'a1',
        fiscalYear: 2024,
        fundingLine: 'central',
        commune: 'Dang',
        component: 'DA5',
      }),
    ).toEqual({
      pk: 'J#tay-giang#ALLOC#a1',
      sk: 'A',
      type: 'allocation',
      gsi3pk: 'J#tay-giang#ALLOC',
      gsi3sk: '2024#central#Dang#DA5#a1',
    });
  });

  it('keeps adjustments, entries and digests in their allocation’s partition', () => {
    expect(adjustmentKeys.item(J, { allocationId: 'a1', at: '2024-03-01T00:00:00.000Z', id: 'j1' })).toEqual({
      pk: 'J#tay-giang#ALLOC#a1',
      sk: 'ADJ#2024-03-01T00:00:00.000Z#j1',
      type: 'adjustment',
    });
    expect(
      entryKeys.item(J, {
        allocationId: 'a1',
        seq: 12,
        fiscalYear: 2024,
        postedAt: '2024-03-02T01:02:03.000Z',
      }),
    ).toEqual({
      pk: 'J#tay-giang#ALLOC#a1',
      sk: 'E#0000000012',
      type: 'entry',
      gsi1pk: 'J#tay-giang#ENTRY#FY#2024',
      gsi1sk: '2024-03-02T01:02:03.000Z#a1#0000000012',
    });
    expect(digestKeys.item(J, { allocationId: 'a1', date: '2024-03-02' })).toEqual({
      pk: 'J#tay-giang#ALLOC#a1',
      sk: 'DIG#2024-03-02',
      type: 'digest',
      gsi2pk: 'J#tay-giang#DIGEST#2024-03-02',
      gsi2sk: 'a1',
    });
  });

  it('keeps a request at J#<j>#REQ#<id> / R, listed by allocation, by status and in all, by creation', () => {
    expect(
      requestKeys.item('da-nang', {
        id: 'r1',
        allocationId: 'a1',
        status: 'pending_approval',
        createdAt: '2024-03-01T00:00:00Z',
      }),
    ).toEqual({
      pk: 'J#da-nang#REQ#r1',
      sk: 'R',
      type: 'request',
      gsi4pk: 'J#da-nang#REQ#ALLOC#a1',
      gsi4sk: '2024-03-01T00:00:00Z#r1',
      gsi5pk: 'J#da-nang#REQ#STATUS#pending_approval',
      gsi5sk: '2024-03-01T00:00:00Z#r1',
      gsi6pk: 'J#da-nang#REQ',
      gsi6sk: '2024-03-01T00:00:00Z#r1',
    });
  });

  it('keeps an idempotency record in the caller’s jurisdiction with its expiry, and a pending decision in the one outbox', () => {
    expect(idempotencyKeys.item(J, 'decide-request#abc', 1_700_000_000)).toEqual({
      pk: 'J#tay-giang#IDEM#decide-request#abc',
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
    expect(alertKeys.item(J, { id: 'al1', fiscalYear: 2024, day: '2024-09-30' })).toEqual({
      pk: 'J#tay-giang#ALERT#al1',
      sk: 'A',
      type: 'alert',
      gsi3pk: 'J#tay-giang#ALERT',
      gsi3sk: '2024#2024-09-30#al1',
    });
    expect(deliveryKeys.item(J, 'al1', 'an@x.vn')).toEqual({
      pk: 'J#tay-giang#ALERT#al1',
      sk: 'DELIVERY#an@x.vn',
      type: 'delivery',
    });
    expect(subscriptionKeys.item(J, { id: 's1', owner: 'an#x' })).toEqual({
      pk: 'J#tay-giang#SUB#s1',
      sk: 'S',
      type: 'subscription',
      gsi3pk: 'J#tay-giang#SUB',
      gsi3sk: 'an%23x#s1',
    });
    expect(subscriptionKeys.index).toBe(INDEXES.gsi3);
  });

  it('keeps plan indicators and their measurements under J#<j>#TARGET#<id>, every jurisdiction alike', () => {
    for (const j of ['tay-giang', 'da-nang']) {
      expect(indicatorKeys.item(j, { id: '2026.houses', fiscalYear: 2026, code: 'houses' })).toEqual({
        pk: `J#${j}#TARGET#2026.houses`,
        sk: 'T',
        type: 'indicator',
        gsi3pk: `J#${j}#TARGET`,
        gsi3sk: '2026#houses',
      });
    }
    expect(
      measurementKeys.item('da-nang', {
        indicatorId: '2026.poor',
        date: '2026-06-30',
        recordedAt: '2026-07-01T00:00:00Z',
        id: 'm1',
      }),
    ).toEqual({
      pk: 'J#da-nang#TARGET#2026.poor',
      sk: 'M#2026-06-30#2026-07-01T00:00:00Z#m1',
      type: 'measurement',
    });
    expect(indicatorKeys.ofYear('da-nang', 2026).ExpressionAttributeValues).toEqual({
      ':pk': 'J#da-nang#TARGET',
      ':sk': '2026#',
    });
    expect(measurementKeys.ofIndicator(J, '2024.houses').ExpressionAttributeValues).toEqual({
      ':pk': 'J#tay-giang#TARGET#2024.houses',
      ':sk': 'M#',
    });
  });

  it('keeps the audit log in its jurisdiction’s AUDITLOG partition, filed under its commune on gsi2 when it has one', () => {
    expect(auditLogKeys.item(J, { at: '2024-03-01T00:00:00Z', id: 'q1' })).toEqual({
      pk: 'J#tay-giang#AUDITLOG',
      sk: '2024-03-01T00:00:00Z#q1',
      type: 'audit',
    });
    expect(auditLogKeys.item(J, { at: '2024-03-01T00:00:00Z', id: 'q1', commune: 'Dang' })).toEqual({
      pk: 'J#tay-giang#AUDITLOG',
      sk: '2024-03-01T00:00:00Z#q1',
      type: 'audit',
      gsi2pk: 'J#tay-giang#AUDITLOG#Dang',
      gsi2sk: '2024-03-01T00:00:00Z#q1',
    });
  });
});

describe('the key conditions', () => {
  it('reads one partition of one jurisdiction, of the table or of an index, narrowed on the sort key', () => {
    expect(allocationKeys.listing(J, [2024, 'central'])).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#ALLOC', ':sk': '2024#central#' },
    });
    expect(allocationKeys.listing('da-nang')).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': 'J#da-nang#ALLOC' },
    });
    expect(entryKeys.ofAllocation(J, 'a1')).toEqual({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#ALLOC#a1', ':sk': 'E#' },
    });
    expect(entryKeys.ofYear(J, 2024, { between: ['2024-01-01', '2024-02-01'] })).toEqual({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :skFrom AND :skTo',
      ExpressionAttributeValues: {
        ':pk': 'J#tay-giang#ENTRY#FY#2024',
        ':skFrom': '2024-01-01',
        ':skTo': '2024-02-01',
      },
    });
    expect(entryKeys.ofYear(J, 2024, { atLeast: '2024-01-01' }).KeyConditionExpression).toBe(
      'gsi1pk = :pk AND gsi1sk >= :skFrom',
    );
    expect(approvalOutboxKeys.due('2024-03-01')).toEqual({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :skTo',
      ExpressionAttributeValues: { ':pk': 'OUTBOX#APPROVAL#PENDING', ':skTo': '2024-03-01' },
    });
    expect(requestKeys.ofAllocation(J, 'a1').ExpressionAttributeValues[':pk']).toBe(
      'J#tay-giang#REQ#ALLOC#a1',
    );
    expect(requestKeys.withStatus(J, 'approved').ExpressionAttributeValues[':pk']).toBe(
      'J#tay-giang#REQ#STATUS#approved',
    );
    expect(requestKeys.all('da-nang').ExpressionAttributeValues[':pk']).toBe('J#da-nang#REQ');
    expect(subscriptionKeys.listing(J, 'an#x').ExpressionAttributeValues).toEqual({
      ':pk': 'J#tay-giang#SUB',
      ':sk': 'an%23x#',
    });
    expect(digestKeys.ofDate(J, '2024-03-02').ExpressionAttributeValues[':pk']).toBe(
      'J#tay-giang#DIGEST#2024-03-02',
    );
    expect(auditLogKeys.listing(J, 'Dang')).toMatchObject({ IndexName: 'gsi2' });
  });

  it('never lets one jurisdiction’s partition be a prefix of another’s', () => {
    // `da-nang` and `da-nang-2` (or `a` and `a#b`) must not share a key prefix a begins_with could cross.
    const a = allocationKeys.partition('da', 'x').ExpressionAttributeValues[':pk'] ?? '';
    const b = allocationKeys.partition('da-nang', 'x').ExpressionAttributeValues[':pk'] ?? '';
    expect(b.startsWith(a)).toBe(false);
    expect(splitJurisdiction('J#da-nang#ALLOC#a1')).toEqual({ jurisdiction: 'da-nang', rest: 'ALLOC#a1' });
    expect(splitJurisdiction('ALLOC#a1')).toBeUndefined();
    expect(splitJurisdiction('J##ALLOC')).toBeUndefined();
    expect(isJurisdictionKey('J#tay-giang#AUDITLOG')).toBe(true);
    expect(isJurisdictionKey('AUDITLOG')).toBe(false);
  });

  it('names the partition a query reads, where a page cursor must lie', () => {
    expect(partitionOf(alertKeys.listing(J, 2024))).toEqual({
      attribute: 'gsi3pk',
      value: 'J#tay-giang#ALERT',
    });
    expect(partitionOf(auditLogKeys.listing(J))).toEqual({ attribute: 'pk', value: 'J#tay-giang#AUDITLOG' });
    expect(partitionOf(auditLogKeys.listing(J, 'Dang'))).toEqual({
      attribute: 'gsi2pk',
      value: 'J#tay-giang#AUDITLOG#Dang',
    });
  });

  it('gives the IAM leading-key patterns of the functions held to some items, in every jurisdiction', () => {
    expect(idempotencyKeys.ofOperationPattern('decide-request')).toBe('J#*#IDEM#decide-request#*');
    expect(subscriptionKeys.pattern).toBe('J#*#SUB#*');
    expect(auditLogKeys.pattern).toBe('J#*#AUDITLOG');
    expect(auditLogKeys.partition('da-nang')).toBe('J#da-nang#AUDITLOG');
  });

  it('tells an item’s kind and id back from its key', () => {
    expect(allocationKeys.idOf(allocationKeys.key(J, 'a#1'))).toBe('a#1');
    expect(allocationKeys.idOf(entryKeys.key(J, 'a1', 1))).toBeUndefined();
    expect(allocationKeys.idOf({ pk: 'ALLOC#a1', sk: 'A' })).toBeUndefined();
    expect(entryKeys.allocationIdOf(entryKeys.key(J, 'a1', 3))).toBe('a1');
    expect(entryKeys.allocationIdOf(requestKeys.key(J, 'r1'))).toBeUndefined();
    expect(requestKeys.idOf(requestKeys.key('da-nang', 'r1'))).toBe('r1');
    expect(requestKeys.idOf(idempotencyKeys.key(J, 'x'))).toBeUndefined();
    expect(idempotencyKeys.scopeOf(idempotencyKeys.key('da-nang', 'submit-request#h'))).toEqual({
      jurisdiction: 'da-nang',
      scope: 'submit-request#h',
    });
  });
});

describe('the payee register (issue 15)', () => {
  const payee = { id: 'p1', commune: 'A Tiêng', searchName: 'ho ba dinh thi anh' };

  it('keeps a payee in its jurisdiction, listed by folded name in the jurisdiction and in its commune', () => {
    expect(payeeKeys.item(J, payee)).toEqual({
      pk: 'J#tay-giang#PAYEE#p1',
      sk: 'P',
      type: 'payee',
      gsi1pk: 'J#tay-giang#PAYEE#COMMUNE#A Tiêng',
      gsi1sk: 'ho ba dinh thi anh#p1',
      gsi3pk: 'J#tay-giang#PAYEE',
      gsi3sk: 'ho ba dinh thi anh#p1',
    });
    expect(payeeKeys.byName(J, undefined, 'ho ba')).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#PAYEE', ':sk': 'ho ba' },
    });
    expect(payeeKeys.byName('da-nang', 'Hùng Sơn')).toEqual({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'J#da-nang#PAYEE#COMMUNE#Hùng Sơn' },
    });
    expect(payeeKeys.idOf(payeeKeys.key(J, 'p1'))).toBe('p1');
    expect(payeeKeys.idOf(requestKeys.key(J, 'p1'))).toBeUndefined();
  });

  it('keys one identifier per jurisdiction and one support claim per rule and payee', () => {
    expect(payeeIdentifierKeys.item(J, { type: 'TAX', identifier: '0100047516-001' })).toEqual({
      pk: 'J#tay-giang#PAYEEID#TAX#0100047516-001',
      sk: 'U',
      type: 'payee-identifier',
    });
    expect(payeeIdentifierKeys.key('da-nang', 'CCCD', '049187000123')).toEqual({
      pk: 'J#da-nang#PAYEEID#CCCD#049187000123',
      sk: 'U',
    });
    expect(supportClaimKeys.item(J, { rule: 'housing-once', payeeId: 'p1' })).toEqual({
      pk: 'J#tay-giang#SUPPORT#housing-once#p1',
      sk: 'C',
      type: 'support-claim',
    });
  });
});

describe('contract keys (issue 15)', () => {
  it('keeps a contract and its amendments in the contract’s partition, in its jurisdiction', () => {
    expect(contractKeys.item(J, { id: 'c1' })).toEqual({
      pk: 'J#tay-giang#CONTRACT#c1',
      sk: 'C',
      type: 'contract',
    });
    expect(
      contractAmendmentKeys.item('da-nang', { contractId: 'c1', at: '2024-05-01T00:00:00.000Z', id: 'm1' }),
    ).toEqual({
      pk: 'J#da-nang#CONTRACT#c1',
      sk: 'AMD#2024-05-01T00:00:00.000Z#m1',
      type: 'contract-amendment',
    });
    expect(contractAmendmentKeys.ofContract(J, 'c1')).toEqual({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#CONTRACT#c1', ':sk': 'AMD#' },
    });
    expect(contractKeys.idOf(contractKeys.key('da-nang', 'c1'))).toBe('c1');
    expect(contractKeys.idOf(requestKeys.key(J, 'c1'))).toBeUndefined();
  });
});

describe('dossier document keys', () => {
  it('keeps a request’s documents in the request’s own partition, listed by one Query', () => {
    expect(documentKeys.item('da-nang', { requestId: 'r1', id: 'd1' })).toEqual({
      pk: 'J#da-nang#REQ#r1',
      sk: 'DOC#d1',
      type: 'document',
    });
    expect(documentKeys.ofRequest('da-nang', 'r1')).toEqual({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#da-nang#REQ#r1', ':sk': 'DOC#' },
    });
    expect(requestKeys.idOf(documentKeys.key('da-nang', 'r1', 'd1'))).toBeUndefined();
    expect(documentKeys.requestIdOf(documentKeys.key('da-nang', 'r1', 'd1'))).toBe('r1');
    expect(documentKeys.requestIdOf(requestKeys.key('da-nang', 'r1'))).toBeUndefined();
  });
});

describe('the Treasury voucher keys (issue 15)', () => {
  it('keeps a voucher number’s uniqueness item in its jurisdiction, by fiscal year and number', () => {
    expect(voucherKeys.key('da-nang', 2026, 'UNC-0001')).toEqual({
      pk: 'J#da-nang#VOUCHER#2026#UNC-0001',
      sk: 'V',
    });
    expect(voucherKeys.item('tay-giang', { fiscalYear: 2024, number: '12/KB' })).toEqual({
      pk: 'J#tay-giang#VOUCHER#2024#12/KB',
      sk: 'V',
      type: 'voucher',
    });
  });

  it('tells a voucher’s year and number back from its key, and nothing from another key', () => {
    expect(voucherKeys.voucherOf(voucherKeys.key('da-nang', 2026, 'A-1'))).toEqual({
      fiscalYear: 2026,
      number: 'A-1',
    });
    expect(voucherKeys.voucherOf(requestKeys.key('da-nang', 'VOUCHER#1'))).toBeUndefined();
    expect(voucherKeys.voucherOf({ pk: 'VOUCHER#2026#A-1', sk: 'V' })).toBeUndefined();
  });
});

describe('contract listings (issue 15, the dashboard)', () => {
  const contract = {
    id: 'c1',
    allocationId: 'a1',
    fiscalYear: 2024,
    commune: 'A Xan',
    signedOn: '2024-03-15',
  };

  it('lists an allocation’s contracts on gsi1 and the jurisdiction’s by year and commune on gsi3, by signing date', () => {
    expect(contractListingKeys.item('da-nang', contract)).toEqual({
      gsi1pk: 'J#da-nang#CONTRACT#ALLOC#a1',
      gsi1sk: '2024-03-15#c1',
      gsi3pk: 'J#da-nang#CONTRACT',
      gsi3sk: '2024#A Xan#2024-03-15#c1',
    });
    expect(contractListingKeys.ofAllocation(J, 'a1')).toEqual({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#CONTRACT#ALLOC#a1' },
    });
    expect(contractListingKeys.listing(J, [2024, 'A Xan'])).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#CONTRACT', ':sk': '2024#A Xan#' },
    });
    expect(contractListingKeys.listing(J)).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#CONTRACT' },
    });
  });
});

describe('year-end close keys (issue 16)', () => {
  it('keeps one close item per jurisdiction and fiscal year', () => {
    expect(fiscalYearCloseKeys.item(J, 2024)).toEqual({
      pk: 'J#tay-giang#FYCLOSE#2024',
      sk: 'C',
      type: 'fiscal-year-close',
    });
  });
});

describe('forecast keys (issue 17)', () => {
  it('reads the requests submitted in a range from the jurisdiction’s gsi6 listing, by creation', () => {
    expect(
      forecastKeys.requestsSubmittedBetween(J, '2024-01-01T00:00:00.000Z', '2024-06-30T17:00:00.000Z'),
    ).toEqual({
      IndexName: 'gsi6',
      KeyConditionExpression: 'gsi6pk = :pk AND gsi6sk BETWEEN :skFrom AND :skTo',
      ExpressionAttributeValues: {
        ':pk': 'J#tay-giang#REQ',
        ':skFrom': '2024-01-01T00:00:00.000Z',
        ':skTo': '2024-06-30T17:00:00.000Z',
      },
    });
  });
});

describe('reallocation keys (issue 17)', () => {
  it('keeps one item per reallocation, listed by jurisdiction and fiscal year, oldest first', () => {
    expect(
      reallocationKeys.item(J, { id: 'r1', fiscalYear: 2024, requestedAt: '2024-10-01T02:00:00.000Z' }),
    ).toEqual({
      pk: 'J#tay-giang#REALLOC#r1',
      sk: 'R',
      type: 'reallocation',
      gsi3pk: 'J#tay-giang#REALLOC',
      gsi3sk: '2024#2024-10-01T02:00:00.000Z#r1',
    });
    expect(reallocationKeys.ofYear(J, 2024)).toEqual({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'J#tay-giang#REALLOC', ':sk': '2024#' },
    });
    expect(reallocationKeys.idOf({ pk: 'J#tay-giang#REALLOC#r1', sk: 'R' })).toBe('r1');
    expect(reallocationKeys.idOf({ pk: 'J#tay-giang#ALLOC#r1', sk: 'A' })).toBeUndefined();
  });
});

describe('import keys (issue 18)', () => {
  it('keeps one record per import in its jurisdiction, apart from the idempotency records', () => {
    expect(importKeys.item(J, { id: 'abc123' })).toEqual({
      pk: 'J#tay-giang#IMPORT#abc123',
      sk: 'I',
      type: 'import',
    });
    expect(importKeys.idOf({ pk: 'J#tay-giang#IMPORT#abc123', sk: 'I' })).toBe('abc123');
    expect(importKeys.idOf({ pk: 'J#tay-giang#IDEM#create-allocation#ff', sk: 'I' })).toBeUndefined();
  });
});

describe('archive restore keys (issue 21)', () => {
  it('keeps one restore record per jurisdiction and fiscal year, apart from the year close', () => {
    expect(archiveRestoreKeys.item(J, 2024)).toEqual({
      pk: 'J#tay-giang#RESTORE#2024',
      sk: 'R',
      type: 'archive-restore',
    });
    expect(archiveRestoreKeys.key(J, 2024)).not.toEqual(fiscalYearCloseKeys.key(J, 2024));
  });
});

describe('day summary keys (issue 20)', () => {
  it("keeps a fiscal year's day summaries in one partition of its jurisdiction, in date order", () => {
    expect(daySummaryKeys.item(J, { fiscalYear: 2026, date: '2026-03-02' })).toEqual({
      pk: 'J#tay-giang#DAYSUM#2026',
      sk: '2026-03-02',
      type: 'day-summary',
    });
    expect(daySummaryKeys.ofYear('da-nang', 2026)).toEqual({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'J#da-nang#DAYSUM#2026' },
    });
    expect(daySummaryKeys.dayOf({ pk: 'J#da-nang#DAYSUM#2026', sk: '2026-03-02' })).toEqual({
      jurisdiction: 'da-nang',
      fiscalYear: 2026,
      date: '2026-03-02',
    });
    expect(daySummaryKeys.dayOf({ pk: 'J#da-nang#DIGEST#2026-03-02', sk: 'a1' })).toBeUndefined();
  });
});

describe('pending set keys (issue 20)', () => {
  it("keeps a summarised day's pending set in chunks of one partition per fiscal year, with the table's time to live", () => {
    expect(pendingSetKeys.item(J, { fiscalYear: 2026, date: '2026-03-02', chunk: 3 }, 1_790_000_000)).toEqual(
      {
        pk: 'J#tay-giang#PIPE#2026',
        sk: '2026-03-02#0003',
        type: 'pending-set',
        expiresAt: 1_790_000_000,
      },
    );
    expect(pendingSetKeys.chunkOf({ pk: 'J#da-nang#PIPE#2026', sk: '2026-03-02#0012' })).toEqual({
      jurisdiction: 'da-nang',
      fiscalYear: 2026,
      date: '2026-03-02',
      chunk: 12,
    });
    expect(pendingSetKeys.chunkOf({ pk: 'J#da-nang#DAYCUM#2026', sk: '2026-03-02' })).toBeUndefined();
    expect(pendingSetKeys.key(J, 2026, '2026-03-02', 0)).not.toEqual(
      daySummaryKeys.key(J, 2026, '2026-03-02'),
    );
  });
});
