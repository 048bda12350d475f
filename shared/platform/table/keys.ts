/**
 * The storage format of the system's one DynamoDB table (`TABLE` in ../topology.ts): its key
 * attributes, its three indexes and what each is for, and every item type's partition and sort key,
 * the index keys it carries and the key conditions that read it. Repositories, the least-privilege IAM
 * conditions (infra/table-access.ts), the invariant checker and the tests build keys here and nowhere
 * else, so a change of format (the next one: a jurisdiction in every key) is made in this file alone;
 * test/unit/table-keys.test.ts pins every format byte for byte, so stored data keeps reading the same.
 *
 * Plain strings in, plain keys out: its one import (the upgrade default, from a file that imports
 * nothing) keeps it usable by every layer without a cycle.
 */

import { UPGRADE_DEFAULT_JURISDICTION } from '../tenancy.ts';

/** A table or index key attribute pair. */
export interface KeyAttributes {
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** A global secondary index: its name and key attributes (all attributes projected). */
export interface TableIndex extends KeyAttributes {
  readonly name: string;
}

/** The table's own key. */
export const PRIMARY_KEY: KeyAttributes = { partitionKey: 'pk', sortKey: 'sk' };

/** Seconds since the epoch after which DynamoDB deletes the item (idempotency records only). */
export const TIME_TO_LIVE_ATTRIBUTE = 'expiresAt';

/** The item-type attribute every item carries (`allocation`, `entry`, `request`, …). */
export const TYPE_ATTRIBUTE = 'type';

const gsi = (n: 1 | 2 | 3): TableIndex => ({
  name: `gsi${n}`,
  partitionKey: `gsi${n}pk`,
  sortKey: `gsi${n}sk`,
});

/** The table's global secondary indexes, each queried by key only (no scan on any path). */
export const INDEXES = {
  /**
   * A parent's children in time order: the requests of one allocation (`REQ#ALLOC#<id>`, by
   * creation) and the ledger entries of one fiscal year (`ENTRY#FY#<year>`, by posting time, so an
   * audit period is a key range).
   */
  gsi1: gsi(1),
  /**
   * Sparse partitions by state or date: requests by status (`REQ#STATUS#<status>`), the approval
   * outbox (`OUTBOX#APPROVAL#…`, carried only by decisions' records whose event is not applied yet),
   * the digests of a date (`DIGEST#<date>`), the audit-log entries about a commune (`AUDITLOG#<commune>`).
   */
  gsi2: gsi(2),
  /**
   * Every item of a type: allocations (`ALLOC`, by year, line, commune, component), requests (`REQ`,
   * by creation), alerts (`ALERT`, by year and day), subscriptions (`SUB`, by owner) and plan
   * indicators (`TARGET`, by year).
   */
  gsi3: gsi(3),
} as const satisfies Record<string, TableIndex>;

/** The indexes in the order the table declares them. */
export const TABLE_INDEXES: readonly TableIndex[] = [INDEXES.gsi1, INDEXES.gsi2, INDEXES.gsi3];

/** Attributes that exist for the table's keys, indexes and expiry, not for the domain. */
export const STORAGE_ATTRIBUTES: readonly string[] = [
  PRIMARY_KEY.partitionKey,
  PRIMARY_KEY.sortKey,
  ...TABLE_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
  TIME_TO_LIVE_ATTRIBUTE,
  TYPE_ATTRIBUTE,
];

/** An item's primary key. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** How a query narrows its partition on the sort key. */
export type SortCondition =
  | { beginsWith: string }
  | { between: readonly [string, string] }
  | { atLeast: string }
  | { below: string };

/** The key part of a Query input: index, key condition and its values (`:pk`, then `:sk…`). */
export interface KeyQuery {
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeValues: Record<string, string>;
}

const sortClause = (attribute: string, sort: SortCondition): [string, Record<string, string>] => {
  if ('beginsWith' in sort) return [`begins_with(${attribute}, :sk)`, { ':sk': sort.beginsWith }];
  if ('between' in sort) {
    return [
      `${attribute} BETWEEN :skFrom AND :skTo`,
      { ':skFrom': sort.between[0], ':skTo': sort.between[1] },
    ];
  }
  if ('atLeast' in sort) return [`${attribute} >= :skFrom`, { ':skFrom': sort.atLeast }];
  return [`${attribute} < :skTo`, { ':skTo': sort.below }];
};

const keyQuery = (index: TableIndex | undefined, partition: string, sort?: SortCondition): KeyQuery => {
  const { partitionKey, sortKey } = index ?? PRIMARY_KEY;
  const [clause, values] = sort ? sortClause(sortKey, sort) : ['', {}];
  return {
    ...(index ? { IndexName: index.name } : {}),
    KeyConditionExpression: `${partitionKey} = :pk${clause ? ` AND ${clause}` : ''}`,
    ExpressionAttributeValues: { ':pk': partition, ...values },
  };
};

/** The partition a query reads (attribute and value): a page cursor must lie in it. */
export const partitionOf = (query: KeyQuery): { attribute: string; value: string } => ({
  attribute: (TABLE_INDEXES.find((i) => i.name === query.IndexName) ?? PRIMARY_KEY).partitionKey,
  value: query.ExpressionAttributeValues[':pk'] ?? '',
});

/** The part of a key after `prefix`, or undefined when the key has another shape. */
const after = (prefix: string, value: string): string | undefined =>
  value.startsWith(prefix) ? value.slice(prefix.length) : undefined;

/** Sequence numbers padded to 10 digits, so the sort key's order is the numbers' order. */
const seqKey = (seq: number) => seq.toString().padStart(10, '0');

// ---- The allocation's partition: the allocation, its adjustments, ledger entries and digests ----

const ALLOCATION_PREFIX = 'ALLOC#';
const allocationPartition = (allocationId: string) => `${ALLOCATION_PREFIX}${allocationId}`;
const ALLOCATIONS = 'ALLOC';

/** Plan capital of one year × line × commune × component: `ALLOC#<id>` / `A`. */
export const allocationKeys = {
  key: (id: string): ItemKey => ({ pk: allocationPartition(id), sk: 'A' }),
  /** Key, type and gsi3 `ALLOC` / `<fiscalYear>#<line>#<commune>#<component>#<id>`. */
  item: (a: { id: string; fiscalYear: number; fundingLine: string; commune: string; component: string }) => ({
    ...allocationKeys.key(a.id),
    type: 'allocation',
    gsi3pk: ALLOCATIONS,
    gsi3sk: `${a.fiscalYear}#${a.fundingLine}#${a.commune}#${a.component}#${a.id}`,
  }),
  /** Allocations (gsi3) whose listing starts with these parts, in order: fiscal year, line, commune, component. */
  listing: (leading: readonly (string | number)[] = []): KeyQuery =>
    keyQuery(INDEXES.gsi3, ALLOCATIONS, leading.length ? { beginsWith: `${leading.join('#')}#` } : undefined),
  /** Every allocation of a fiscal year (monitoring and targets read the year's running totals). */
  ofYear: (fiscalYear: number): KeyQuery => allocationKeys.listing([fiscalYear]),
  /** Everything in the allocation's partition: itself, its adjustments, entries and digests. */
  partition: (id: string): KeyQuery => keyQuery(undefined, allocationPartition(id)),
  /** The allocation's id when the key is an allocation's, else undefined. */
  idOf: (key: ItemKey): string | undefined => (key.sk === 'A' ? after(ALLOCATION_PREFIX, key.pk) : undefined),
};

/** A change of an allocation's assigned capital: `ALLOC#<id>` / `ADJ#<at>#<adjustmentId>`. */
export const adjustmentKeys = {
  item: (a: { allocationId: string; at: string; id: string }) => ({
    pk: allocationPartition(a.allocationId),
    sk: `ADJ#${a.at}#${a.id}`,
    type: 'adjustment',
  }),
};

const ENTRY_PREFIX = 'E#';
const entriesOfYear = (fiscalYear: number) => `ENTRY#FY#${fiscalYear}`;

/** A ledger entry: `ALLOC#<allocationId>` / `E#<seq, 10 digits>`, so the partition reads in chain order. */
export const entryKeys = {
  key: (allocationId: string, seq: number): ItemKey => ({
    pk: allocationPartition(allocationId),
    sk: `${ENTRY_PREFIX}${seqKey(seq)}`,
  }),
  /** Key, type and gsi1 `ENTRY#FY#<fiscalYear>` / `<postedAt>#<allocationId>#<seq, 10 digits>`. */
  item: (e: { allocationId: string; seq: number; fiscalYear: number; postedAt: string }) => ({
    ...entryKeys.key(e.allocationId, e.seq),
    type: 'entry',
    gsi1pk: entriesOfYear(e.fiscalYear),
    gsi1sk: `${e.postedAt}#${e.allocationId}#${seqKey(e.seq)}`,
  }),
  /** One allocation's entries, in seq order. */
  ofAllocation: (allocationId: string): KeyQuery =>
    keyQuery(undefined, allocationPartition(allocationId), { beginsWith: ENTRY_PREFIX }),
  /** A fiscal year's entries (gsi1) by posting time; `period` bounds the time (ISO strings). */
  ofYear: (fiscalYear: number, period?: SortCondition): KeyQuery =>
    keyQuery(INDEXES.gsi1, entriesOfYear(fiscalYear), period),
  /** The allocation's id when the key is a ledger entry's, else undefined. */
  allocationIdOf: (key: ItemKey): string | undefined =>
    key.sk.startsWith(ENTRY_PREFIX) ? after(ALLOCATION_PREFIX, key.pk) : undefined,
};

/** A daily digest of an allocation's chain head: `ALLOC#<allocationId>` / `DIG#<date>`. */
export const digestKeys = {
  /** Key, type and gsi2 `DIGEST#<date>` / `<allocationId>` (a day's digests in one partition). */
  item: (d: { allocationId: string; date: string }) => ({
    pk: allocationPartition(d.allocationId),
    sk: `DIG#${d.date}`,
    type: 'digest',
    gsi2pk: `DIGEST#${d.date}`,
    gsi2sk: d.allocationId,
  }),
  ofDate: (date: string): KeyQuery => keyQuery(INDEXES.gsi2, `DIGEST#${date}`),
  ofAllocation: (allocationId: string): KeyQuery =>
    keyQuery(undefined, allocationPartition(allocationId), { beginsWith: 'DIG#' }),
};

// ---- Requests, idempotency records and the approval outbox ----

const REQUEST_PREFIX = 'REQ#';
const REQUESTS = 'REQ';
const requestsOfAllocation = (allocationId: string) => `${REQUEST_PREFIX}ALLOC#${allocationId}`;
const requestsWithStatus = (status: string) => `${REQUEST_PREFIX}STATUS#${status}`;

/** A disbursement request: `REQ#<id>` / `R`. */
export const requestKeys = {
  key: (id: string): ItemKey => ({ pk: `${REQUEST_PREFIX}${id}`, sk: 'R' }),
  /**
   * Key, type and three listings, each sorted by `<createdAt>#<id>`: gsi1 `REQ#ALLOC#<allocationId>`,
   * gsi2 `REQ#STATUS#<status>`, gsi3 `REQ`.
   */
  item: (r: { id: string; allocationId: string; status: string; createdAt: string }) => {
    const sortKey = `${r.createdAt}#${r.id}`;
    return {
      ...requestKeys.key(r.id),
      type: 'request',
      gsi1pk: requestsOfAllocation(r.allocationId),
      gsi1sk: sortKey,
      gsi2pk: requestsWithStatus(r.status),
      gsi2sk: sortKey,
      gsi3pk: REQUESTS,
      gsi3sk: sortKey,
    };
  },
  ofAllocation: (allocationId: string): KeyQuery =>
    keyQuery(INDEXES.gsi1, requestsOfAllocation(allocationId)),
  withStatus: (status: string): KeyQuery => keyQuery(INDEXES.gsi2, requestsWithStatus(status)),
  all: (): KeyQuery => keyQuery(INDEXES.gsi3, REQUESTS),
  /** The request's id when the key is a request's, else undefined. */
  idOf: (key: ItemKey): string | undefined => (key.sk === 'R' ? after(REQUEST_PREFIX, key.pk) : undefined),
};

const IDEMPOTENCY_PREFIX = 'IDEM#';

/**
 * The stored answer to an Idempotency-Key: `IDEM#<scope>` / `I`, where the scope starts with its
 * operation (`decide-request#<sha256>`, see platform/idempotency.ts); it expires by TTL.
 */
export const idempotencyKeys = {
  key: (scope: string): ItemKey => ({ pk: `${IDEMPOTENCY_PREFIX}${scope}`, sk: 'I' }),
  item: (scope: string, expiresAt: number) => ({
    ...idempotencyKeys.key(scope),
    type: 'idempotency',
    [TIME_TO_LIVE_ATTRIBUTE]: expiresAt,
  }),
  /** The partition keys of one operation's records, as an IAM `StringLike` pattern. */
  ofOperationPattern: (operation: string) => `${IDEMPOTENCY_PREFIX}${operation}#*`,
  /** The scope when the key is an idempotency record's, else undefined. */
  scopeOf: (key: ItemKey): string | undefined =>
    key.sk === 'I' ? after(IDEMPOTENCY_PREFIX, key.pk) : undefined,
};

const OUTBOX_PENDING = 'OUTBOX#APPROVAL#PENDING';
const outboxSortKey = (at: string, eventId: string) => `${at}#${eventId}`;

/**
 * The approval-event outbox lives on the decisions' idempotency records themselves, as sparse gsi2
 * keys (gsi2 otherwise lists requests by status): only records whose event is still pending carry
 * them, so the relay reads the pending events and nothing else, whatever the size of the ledger.
 */
export const approvalOutboxKeys = {
  index: INDEXES.gsi2,
  /** The partition of pending events, sorted by `<last publish>#<eventId>`. */
  pending: OUTBOX_PENDING,
  /** Entries whose re-publishes ran out: off the relay's way, still findable by an operator. */
  givenUp: 'OUTBOX#APPROVAL#GIVEN_UP',
  sortKey: outboxSortKey,
  /** The index keys that put a decision's record in the outbox, pending since `at`. */
  mark: (at: string, eventId: string) => ({ gsi2pk: OUTBOX_PENDING, gsi2sk: outboxSortKey(at, eventId) }),
  /** When an entry was last published, read back from its sort key. */
  publishedAtOf: (sortKey: string, eventId: string) => sortKey.slice(0, sortKey.length - eventId.length - 1),
  /** Pending entries last published before `before`, oldest first. */
  due: (before: string): KeyQuery => keyQuery(INDEXES.gsi2, OUTBOX_PENDING, { below: before }),
  /** Every entry of one outbox partition (`pending` or `givenUp`). */
  partition: (partition: string): KeyQuery => keyQuery(INDEXES.gsi2, partition),
};

// ---- Monitoring: alerts, their deliveries, subscriptions ----

const alertPartition = (id: string) => `ALERT#${id}`;
const ALERTS = 'ALERT';

/** A finding of the monitor: `ALERT#<id>` / `A`. */
export const alertKeys = {
  key: (id: string): ItemKey => ({ pk: alertPartition(id), sk: 'A' }),
  /** Key, type and gsi3 `ALERT` / `<fiscalYear>#<day>#<id>` (listed newest first). */
  item: (a: { id: string; fiscalYear: number; day: string }) => ({
    ...alertKeys.key(a.id),
    type: 'alert',
    gsi3pk: ALERTS,
    gsi3sk: `${a.fiscalYear}#${a.day}#${a.id}`,
  }),
  /** Every alert, or those of one fiscal year. */
  listing: (fiscalYear?: number): KeyQuery =>
    keyQuery(INDEXES.gsi3, ALERTS, fiscalYear === undefined ? undefined : { beginsWith: `${fiscalYear}#` }),
};

/** The delivery of an alert to one address (one per recipient): `ALERT#<id>` / `DELIVERY#<email>`. */
export const deliveryKeys = {
  key: (alertId: string, email: string): ItemKey => ({
    pk: alertPartition(alertId),
    sk: `DELIVERY#${email}`,
  }),
  item: (alertId: string, email: string) => ({ ...deliveryKeys.key(alertId, email), type: 'delivery' }),
};

const SUBSCRIPTION_PREFIX = 'SUB#';
const SUBSCRIPTIONS = 'SUB';
// encodeURIComponent escapes '#', so an owner named "an#x" can never read the prefix of owner "an".
const ownerPrefix = (owner: string) => `${encodeURIComponent(owner)}#`;

/** An inspector's subscription to alerts: `SUB#<id>` / `S`. */
export const subscriptionKeys = {
  key: (id: string): ItemKey => ({ pk: `${SUBSCRIPTION_PREFIX}${id}`, sk: 'S' }),
  /** The index whose keys a deleted subscription loses (it leaves the listing, keeps its item). */
  index: INDEXES.gsi3,
  /** Key, type and gsi3 `SUB` / `<owner, URI-encoded>#<id>`. */
  item: (s: { id: string; owner: string }) => ({
    ...subscriptionKeys.key(s.id),
    type: 'subscription',
    gsi3pk: SUBSCRIPTIONS,
    gsi3sk: `${ownerPrefix(s.owner)}${s.id}`,
  }),
  /** Every live subscription, or one owner's. */
  listing: (owner?: string): KeyQuery =>
    keyQuery(
      INDEXES.gsi3,
      SUBSCRIPTIONS,
      owner === undefined ? undefined : { beginsWith: ownerPrefix(owner) },
    ),
  /** The partition keys of every subscription, as an IAM `StringLike` pattern. */
  pattern: `${SUBSCRIPTION_PREFIX}*`,
};

// ---- Plan targets ----

/**
 * Indicator ids (`<fiscalYear>.<code>`) are the planner's own words and every jurisdiction has a
 * `2026.houses`, so the jurisdiction is part of the key: a filter could not stop one jurisdiction's
 * definition from overwriting another's item. The upgrade default's keys keep the format they had
 * before jurisdictions (its stored indicators read as before); any other adds a segment. Ids start with
 * a digit and jurisdiction ids with a letter, so the two formats never meet.
 */
const targetScope = (jurisdiction: string | undefined) =>
  jurisdiction === undefined || jurisdiction === UPGRADE_DEFAULT_JURISDICTION ? '' : `${jurisdiction}#`;
const targetPartition = (indicatorId: string, jurisdiction?: string) =>
  `TARGET#${targetScope(jurisdiction)}${indicatorId}`;
const indicatorsOf = (jurisdiction?: string) =>
  targetScope(jurisdiction) === '' ? 'TARGET' : `TARGET#${jurisdiction}`;

/**
 * A plan indicator: `TARGET#<fiscalYear>.<code>` / `T` for the upgrade default's, else
 * `TARGET#<jurisdiction>#<fiscalYear>.<code>` / `T`.
 */
export const indicatorKeys = {
  key: (id: string, jurisdiction?: string): ItemKey => ({ pk: targetPartition(id, jurisdiction), sk: 'T' }),
  /** Key, type and gsi3 `TARGET` (`TARGET#<jurisdiction>` for another) / `<fiscalYear>#<code>`. */
  item: (i: { id: string; fiscalYear: number; code: string; jurisdiction?: string }) => ({
    ...indicatorKeys.key(i.id, i.jurisdiction),
    type: 'indicator',
    gsi3pk: indicatorsOf(i.jurisdiction),
    gsi3sk: `${i.fiscalYear}#${i.code}`,
  }),
  /** One jurisdiction's indicators of a year. */
  ofYear: (fiscalYear: number, jurisdiction?: string): KeyQuery =>
    keyQuery(INDEXES.gsi3, indicatorsOf(jurisdiction), { beginsWith: `${fiscalYear}#` }),
};

/**
 * A measurement of an indicator, in its indicator's partition: `TARGET#[<jurisdiction>#]<indicatorId>`
 * / `M#<date>#<recordedAt>#<id>`, so the latest by date is the first item of a descending query.
 */
export const measurementKeys = {
  item: (m: {
    indicatorId: string;
    date: string;
    recordedAt: string;
    id: string;
    jurisdiction?: string;
  }) => ({
    pk: targetPartition(m.indicatorId, m.jurisdiction),
    sk: `M#${m.date}#${m.recordedAt}#${m.id}`,
    type: 'measurement',
  }),
  ofIndicator: (indicatorId: string, jurisdiction?: string): KeyQuery =>
    keyQuery(undefined, targetPartition(indicatorId, jurisdiction), { beginsWith: 'M#' }),
};

// ---- The audit log ----

const AUDIT_LOG = 'AUDITLOG';
const auditLogOfCommune = (commune: string) => `${AUDIT_LOG}#${commune}`;

/**
 * An entry of the audit log of auditors' reads: `AUDITLOG` / `<at>#<id>`. Read-only functions may
 * write to that partition and nowhere else (an IAM condition on its exact key).
 */
export const auditLogKeys = {
  partition: AUDIT_LOG,
  /** Key, type and, when the read is about a commune, gsi2 `AUDITLOG#<commune>` / `<at>#<id>`. */
  item: (r: { at: string; id: string; commune?: string }) => {
    const sk = `${r.at}#${r.id}`;
    return {
      pk: AUDIT_LOG,
      sk,
      type: 'audit',
      ...(r.commune !== undefined ? { gsi2pk: auditLogOfCommune(r.commune), gsi2sk: sk } : {}),
    };
  },
  /** The whole log, or the entries about one commune. */
  listing: (commune?: string): KeyQuery =>
    commune === undefined
      ? keyQuery(undefined, AUDIT_LOG)
      : keyQuery(INDEXES.gsi2, auditLogOfCommune(commune)),
};
