/**
 * The storage format of the system's one DynamoDB table (`TABLE` in ../topology.ts): its key
 * attributes, its three indexes and what each is for, and every item type's partition and sort key,
 * the index keys it carries and the key conditions that read it. Repositories, the least-privilege IAM
 * conditions (infra/table-access.ts), the invariant checker, the upgrade (./upgrade.ts) and the tests
 * build keys here and nowhere else; test/unit/table-keys.test.ts pins every format byte for byte, so a
 * change of format shows there and must come with an upgrade of stored data.
 *
 * **Every key starts with its jurisdiction** (`J#<jurisdiction>#…`): the table's own key of every item
 * and the partition key of every listing, so a read of one jurisdiction cannot reach another's items
 * (they are in other partitions, not filtered out), and an IAM `dynamodb:LeadingKeys` condition on
 * `J#<id>#*` would confine a role to one jurisdiction. The one partition shared by all is the approval
 * outbox's (a sparse index the deployment's one relay reads); its items are decisions' records whose
 * own keys carry their jurisdiction. Jurisdiction ids are config names without `#`
 * (jurisdictions/config), and ids after the jurisdiction are the system's own (UUIDs, hashes,
 * `<year>.<code>`), so a key reads back unambiguously. Keys written before jurisdictions lacked the
 * `J#` segment; ./upgrade.ts moves such items into the upgrade default.
 *
 * Plain strings in, plain keys out: no imports, so every layer can use it without a cycle.
 */

/** A table or index key attribute pair. */
export interface KeyAttributes {
  readonly partitionKey: string;
  readonly sortKey: string;
}

/**
 * What an index copies of each item besides the keys: everything (`ALL`), or only the attributes a
 * listing's filter reads (`INCLUDE`); a listing of an `INCLUDE` index reads its items by key afterwards.
 */
export type IndexProjection =
  | { readonly type: 'ALL' }
  | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };

/** A global secondary index: its name, key attributes and projection. */
export interface TableIndex extends KeyAttributes {
  readonly name: string;
  readonly projection: IndexProjection;
}

/** The table's own key. */
export const PRIMARY_KEY: KeyAttributes = { partitionKey: 'pk', sortKey: 'sk' };

/** Seconds since the epoch after which DynamoDB deletes the item (idempotency records and pending sets only). */
export const TIME_TO_LIVE_ATTRIBUTE = 'expiresAt';

/** The item-type attribute every item carries (`allocation`, `entry`, `request`, …). */
export const TYPE_ATTRIBUTE = 'type';

const gsi = (n: 1 | 2 | 3 | 4 | 5 | 6, projection: IndexProjection = { type: 'ALL' }): TableIndex => ({
  name: `gsi${n}`,
  partitionKey: `gsi${n}pk`,
  sortKey: `gsi${n}sk`,
  projection,
});

/**
 * The requests' listings copy only what their filters read (status, commune): a request is rewritten at
 * every decision, and a full copy in each listing made every rewrite cost its size once per index.
 */
const REQUEST_LISTING: IndexProjection = { type: 'INCLUDE', attributes: ['status', 'commune'] };

/** The table's global secondary indexes, each queried by key only (no scan on any path). */
export const INDEXES = {
  /**
   * A parent's children in time order: the ledger entries of one fiscal year (`ENTRY#FY#<year>`, by
   * posting time, so an audit period is a key range), the payees of a commune, the contracts of an
   * allocation.
   */
  gsi1: gsi(1),
  /**
   * Sparse partitions by state or date: the approval outbox (`OUTBOX#APPROVAL#…`, carried only by
   * decisions' records whose event is not applied yet), the digests of a date (`DIGEST#<date>`), the
   * audit-log entries about a commune (`AUDITLOG#<commune>`).
   */
  gsi2: gsi(2),
  /**
   * Every item of a type: allocations (`ALLOC`, by year, line, commune, component), alerts (`ALERT`,
   * by year and day), subscriptions (`SUB`, by owner), plan indicators (`TARGET`, by year), payees,
   * contracts, reallocations.
   */
  gsi3: gsi(3),
  /** The requests of one allocation (`REQ#ALLOC#<id>`), by creation; status and commune projected. */
  gsi4: gsi(4, REQUEST_LISTING),
  /** Requests by status (`REQ#STATUS#<status>`), by creation; status and commune projected. */
  gsi5: gsi(5, REQUEST_LISTING),
  /** Every request of a jurisdiction (`REQ`), by creation; status and commune projected. */
  gsi6: gsi(6, REQUEST_LISTING),
} as const satisfies Record<string, TableIndex>;

/** The indexes in the order the table declares them. */
export const TABLE_INDEXES: readonly TableIndex[] = [
  INDEXES.gsi1,
  INDEXES.gsi2,
  INDEXES.gsi3,
  INDEXES.gsi4,
  INDEXES.gsi5,
  INDEXES.gsi6,
];

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

const JURISDICTION_PREFIX = 'J#';

/** `J#<jurisdiction>#<rest>`: the one way a key names its jurisdiction. */
const within = (jurisdiction: string, rest: string) => `${JURISDICTION_PREFIX}${jurisdiction}#${rest}`;

/** A key split into its jurisdiction and the rest, or undefined for a key without one (an old format's). */
export const splitJurisdiction = (value: string): { jurisdiction: string; rest: string } | undefined => {
  const tail = after(JURISDICTION_PREFIX, value);
  const cut = tail?.indexOf('#') ?? -1;
  if (tail === undefined || cut <= 0) return undefined;
  return { jurisdiction: tail.slice(0, cut), rest: tail.slice(cut + 1) };
};

/** Whether a partition key has the jurisdiction segment every key has since jurisdictions (./upgrade.ts). */
export const isJurisdictionKey = (pk: string): boolean => splitJurisdiction(pk) !== undefined;

/** The part of a key after its jurisdiction and `prefix`, or undefined when it has another shape. */
const afterWithin = (prefix: string, value: string): string | undefined => {
  const split = splitJurisdiction(value);
  return split ? after(prefix, split.rest) : undefined;
};

// ---- The allocation's partition: the allocation, its adjustments, ledger entries and digests ----

const ALLOCATION_PREFIX = 'ALLOC#';
const allocationPartition = (jurisdiction: string, allocationId: string) =>
  within(jurisdiction, `${ALLOCATION_PREFIX}${allocationId}`);
const allocationsOf = (jurisdiction: string) => within(jurisdiction, 'ALLOC');

/** Plan capital of one year × line × commune × component: `J#<j>#ALLOC#<id>` / `A`. */
export const allocationKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({
    pk: allocationPartition(jurisdiction, id),
    sk: 'A',
  }),
  /** Key, type and gsi3 `J#<j>#ALLOC` / `<fiscalYear>#<line>#<commune>#<component>#<id>`. */
  item: (
    jurisdiction: string,
    a: { id: string; fiscalYear: number; fundingLine: string; commune: string; component: string },
  ) => ({
    ...allocationKeys.key(jurisdiction, a.id),
    type: 'allocation',
    gsi3pk: allocationsOf(jurisdiction),
    gsi3sk: `${a.fiscalYear}#${a.fundingLine}#${a.commune}#${a.component}#${a.id}`,
  }),
  /** Allocations (gsi3) whose listing starts with these parts, in order: fiscal year, line, commune, component. */
  listing: (jurisdiction: string, leading: readonly (string | number)[] = []): KeyQuery =>
    keyQuery(
      INDEXES.gsi3,
      allocationsOf(jurisdiction),
      leading.length ? { beginsWith: `${leading.join('#')}#` } : undefined,
    ),
  /** Every allocation of a fiscal year (monitoring and targets read the year's running totals). */
  ofYear: (jurisdiction: string, fiscalYear: number): KeyQuery =>
    allocationKeys.listing(jurisdiction, [fiscalYear]),
  /** Everything in the allocation's partition: itself, its adjustments, entries and digests. */
  partition: (jurisdiction: string, id: string): KeyQuery =>
    keyQuery(undefined, allocationPartition(jurisdiction, id)),
  /** The allocation's id when the key is an allocation's, else undefined. */
  idOf: (key: ItemKey): string | undefined =>
    key.sk === 'A' ? afterWithin(ALLOCATION_PREFIX, key.pk) : undefined,
};

/** A change of an allocation's assigned capital: `J#<j>#ALLOC#<id>` / `ADJ#<at>#<adjustmentId>`. */
export const adjustmentKeys = {
  item: (jurisdiction: string, a: { allocationId: string; at: string; id: string }) => ({
    pk: allocationPartition(jurisdiction, a.allocationId),
    sk: `ADJ#${a.at}#${a.id}`,
    type: 'adjustment',
  }),
};

const ENTRY_PREFIX = 'E#';
const entriesOfYear = (jurisdiction: string, fiscalYear: number) =>
  within(jurisdiction, `ENTRY#FY#${fiscalYear}`);

/** A ledger entry: `J#<j>#ALLOC#<allocationId>` / `E#<seq, 10 digits>`, so the partition reads in chain order. */
export const entryKeys = {
  key: (jurisdiction: string, allocationId: string, seq: number): ItemKey => ({
    pk: allocationPartition(jurisdiction, allocationId),
    sk: `${ENTRY_PREFIX}${seqKey(seq)}`,
  }),
  /** Key, type and gsi1 `J#<j>#ENTRY#FY#<fiscalYear>` / `<postedAt>#<allocationId>#<seq, 10 digits>`. */
  item: (
    jurisdiction: string,
    e: { allocationId: string; seq: number; fiscalYear: number; postedAt: string },
  ) => ({
    ...entryKeys.key(jurisdiction, e.allocationId, e.seq),
    type: 'entry',
    gsi1pk: entriesOfYear(jurisdiction, e.fiscalYear),
    gsi1sk: `${e.postedAt}#${e.allocationId}#${seqKey(e.seq)}`,
  }),
  /** One allocation's entries, in seq order. */
  ofAllocation: (jurisdiction: string, allocationId: string): KeyQuery =>
    keyQuery(undefined, allocationPartition(jurisdiction, allocationId), { beginsWith: ENTRY_PREFIX }),
  /** One allocation's entries from seq `from` to seq `to`, both included (read backwards: its chain's tail). */
  ofAllocationBetween: (jurisdiction: string, allocationId: string, from: number, to: number): KeyQuery =>
    keyQuery(undefined, allocationPartition(jurisdiction, allocationId), {
      between: [`${ENTRY_PREFIX}${seqKey(from)}`, `${ENTRY_PREFIX}${seqKey(to)}`],
    }),
  /** A fiscal year's entries (gsi1) by posting time; `period` bounds the time (ISO strings). */
  ofYear: (jurisdiction: string, fiscalYear: number, period?: SortCondition): KeyQuery =>
    keyQuery(INDEXES.gsi1, entriesOfYear(jurisdiction, fiscalYear), period),
  /** The allocation's id when the key is a ledger entry's, else undefined. */
  allocationIdOf: (key: ItemKey): string | undefined =>
    key.sk.startsWith(ENTRY_PREFIX) ? afterWithin(ALLOCATION_PREFIX, key.pk) : undefined,
};

const digestsOfDate = (jurisdiction: string, date: string) => within(jurisdiction, `DIGEST#${date}`);

/** A daily digest of an allocation's chain head: `J#<j>#ALLOC#<allocationId>` / `DIG#<date>`. */
export const digestKeys = {
  /** Key, type and gsi2 `J#<j>#DIGEST#<date>` / `<allocationId>` (a day's digests in one partition). */
  item: (jurisdiction: string, d: { allocationId: string; date: string }) => ({
    pk: allocationPartition(jurisdiction, d.allocationId),
    sk: `DIG#${d.date}`,
    type: 'digest',
    gsi2pk: digestsOfDate(jurisdiction, d.date),
    gsi2sk: d.allocationId,
  }),
  ofDate: (jurisdiction: string, date: string): KeyQuery =>
    keyQuery(INDEXES.gsi2, digestsOfDate(jurisdiction, date)),
  ofAllocation: (jurisdiction: string, allocationId: string): KeyQuery =>
    keyQuery(undefined, allocationPartition(jurisdiction, allocationId), { beginsWith: 'DIG#' }),
};

// ---- Requests, idempotency records and the approval outbox ----

const REQUEST_PREFIX = 'REQ#';
const requestsOf = (jurisdiction: string) => within(jurisdiction, 'REQ');
const requestsOfAllocation = (jurisdiction: string, allocationId: string) =>
  within(jurisdiction, `${REQUEST_PREFIX}ALLOC#${allocationId}`);
const requestsWithStatus = (jurisdiction: string, status: string) =>
  within(jurisdiction, `${REQUEST_PREFIX}STATUS#${status}`);

/** A disbursement request: `J#<j>#REQ#<id>` / `R`. */
export const requestKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({
    pk: within(jurisdiction, `${REQUEST_PREFIX}${id}`),
    sk: 'R',
  }),
  /**
   * Key, type and three listings, each sorted by `<createdAt>#<id>`: gsi4 `J#<j>#REQ#ALLOC#<allocationId>`,
   * gsi5 `J#<j>#REQ#STATUS#<status>`, gsi6 `J#<j>#REQ`. They project only status and commune: a listing
   * reads its page's keys there and the requests themselves by key.
   */
  item: (
    jurisdiction: string,
    r: { id: string; allocationId: string; status: string; createdAt: string },
  ) => {
    const sortKey = `${r.createdAt}#${r.id}`;
    return {
      ...requestKeys.key(jurisdiction, r.id),
      type: 'request',
      gsi4pk: requestsOfAllocation(jurisdiction, r.allocationId),
      gsi4sk: sortKey,
      gsi5pk: requestsWithStatus(jurisdiction, r.status),
      gsi5sk: sortKey,
      gsi6pk: requestsOf(jurisdiction),
      gsi6sk: sortKey,
    };
  },
  ofAllocation: (jurisdiction: string, allocationId: string): KeyQuery =>
    keyQuery(INDEXES.gsi4, requestsOfAllocation(jurisdiction, allocationId)),
  withStatus: (jurisdiction: string, status: string): KeyQuery =>
    keyQuery(INDEXES.gsi5, requestsWithStatus(jurisdiction, status)),
  all: (jurisdiction: string): KeyQuery => keyQuery(INDEXES.gsi6, requestsOf(jurisdiction)),
  /** The jurisdiction's requests created from `from` (inclusive) to `to` (exclusive), ISO instants; either open. */
  createdBetween: (jurisdiction: string, from?: string, to?: string): KeyQuery =>
    keyQuery(
      INDEXES.gsi6,
      requestsOf(jurisdiction),
      from !== undefined && to !== undefined
        ? { between: [from, to] }
        : from !== undefined
          ? { atLeast: from }
          : to !== undefined
            ? { below: to }
            : undefined,
    ),
  /** The index keys a request carried before its listings had indexes of their own (./upgrade.ts). */
  formerListingKeys: ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const,
  /** The request's id when the key is a request's, else undefined. */
  idOf: (key: ItemKey): string | undefined =>
    key.sk === 'R' ? afterWithin(REQUEST_PREFIX, key.pk) : undefined,
};

const IDEMPOTENCY_PREFIX = 'IDEM#';

/**
 * The stored answer to an Idempotency-Key: `J#<j>#IDEM#<scope>` / `I`, where the scope starts with its
 * operation (`decide-request#<sha256>`, see platform/idempotency.ts) and the jurisdiction is the
 * caller's; it expires by TTL.
 */
export const idempotencyKeys = {
  key: (jurisdiction: string, scope: string): ItemKey => ({
    pk: within(jurisdiction, `${IDEMPOTENCY_PREFIX}${scope}`),
    sk: 'I',
  }),
  item: (jurisdiction: string, scope: string, expiresAt: number) => ({
    ...idempotencyKeys.key(jurisdiction, scope),
    type: 'idempotency',
    [TIME_TO_LIVE_ATTRIBUTE]: expiresAt,
  }),
  /** The partition keys of one operation's records in every jurisdiction, as an IAM `StringLike` pattern. */
  ofOperationPattern: (operation: string) => `${JURISDICTION_PREFIX}*#${IDEMPOTENCY_PREFIX}${operation}#*`,
  /** The jurisdiction and scope when the key is an idempotency record's, else undefined. */
  scopeOf: (key: ItemKey): { jurisdiction: string; scope: string } | undefined => {
    const split = key.sk === 'I' ? splitJurisdiction(key.pk) : undefined;
    const scope = split && after(IDEMPOTENCY_PREFIX, split.rest);
    return split && scope !== undefined ? { jurisdiction: split.jurisdiction, scope } : undefined;
  },
};

const OUTBOX_PENDING = 'OUTBOX#APPROVAL#PENDING';
const outboxSortKey = (at: string, eventId: string) => `${at}#${eventId}`;

/**
 * The approval-event outbox lives on the decisions' idempotency records themselves, as sparse gsi2
 * keys (gsi2 otherwise lists requests by status): only records whose event is still pending carry
 * them, so the relay reads the pending events and nothing else, whatever the size of the ledger. Its
 * partition is the deployment's, not a jurisdiction's: one relay serves them all, and each record's own
 * key ({@link idempotencyKeys}) names its jurisdiction.
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

const alertPartition = (jurisdiction: string, id: string) => within(jurisdiction, `ALERT#${id}`);
const alertsOf = (jurisdiction: string) => within(jurisdiction, 'ALERT');

/** A finding of the monitor: `J#<j>#ALERT#<id>` / `A`. */
export const alertKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({ pk: alertPartition(jurisdiction, id), sk: 'A' }),
  /** Key, type and gsi3 `J#<j>#ALERT` / `<fiscalYear>#<day>#<id>` (listed newest first). */
  item: (jurisdiction: string, a: { id: string; fiscalYear: number; day: string }) => ({
    ...alertKeys.key(jurisdiction, a.id),
    type: 'alert',
    gsi3pk: alertsOf(jurisdiction),
    gsi3sk: `${a.fiscalYear}#${a.day}#${a.id}`,
  }),
  /** The partitions of every alert (and its deliveries), as an IAM `StringLike` pattern. */
  pattern: `${JURISDICTION_PREFIX}*#ALERT#*`,
  /** Every alert of the jurisdiction, or those of one fiscal year. */
  listing: (jurisdiction: string, fiscalYear?: number): KeyQuery =>
    keyQuery(
      INDEXES.gsi3,
      alertsOf(jurisdiction),
      fiscalYear === undefined ? undefined : { beginsWith: `${fiscalYear}#` },
    ),
};

/** The delivery of an alert to one address (one per recipient): `J#<j>#ALERT#<id>` / `DELIVERY#<email>`. */
export const deliveryKeys = {
  key: (jurisdiction: string, alertId: string, email: string): ItemKey => ({
    pk: alertPartition(jurisdiction, alertId),
    sk: `DELIVERY#${email}`,
  }),
  item: (jurisdiction: string, alertId: string, email: string) => ({
    ...deliveryKeys.key(jurisdiction, alertId, email),
    type: 'delivery',
  }),
  /** Every delivery of one alert (a query of the alert's partition). */
  ofAlert: (jurisdiction: string, alertId: string) => ({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :delivery)',
    ExpressionAttributeValues: { ':pk': alertPartition(jurisdiction, alertId), ':delivery': 'DELIVERY#' },
  }),
};

const SUBSCRIPTION_PREFIX = 'SUB#';
const subscriptionsOf = (jurisdiction: string) => within(jurisdiction, 'SUB');
// encodeURIComponent escapes '#', so an owner named "an#x" can never read the prefix of owner "an".
const ownerPrefix = (owner: string) => `${encodeURIComponent(owner)}#`;

/** An inspector's subscription to alerts: `J#<j>#SUB#<id>` / `S` (the owner's jurisdiction). */
export const subscriptionKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({
    pk: within(jurisdiction, `${SUBSCRIPTION_PREFIX}${id}`),
    sk: 'S',
  }),
  /** The index whose keys a deleted subscription loses (it leaves the listing, keeps its item). */
  index: INDEXES.gsi3,
  /** Key, type and gsi3 `J#<j>#SUB` / `<owner, URI-encoded>#<id>`. */
  item: (jurisdiction: string, s: { id: string; owner: string }) => ({
    ...subscriptionKeys.key(jurisdiction, s.id),
    type: 'subscription',
    gsi3pk: subscriptionsOf(jurisdiction),
    gsi3sk: `${ownerPrefix(s.owner)}${s.id}`,
  }),
  /** Every live subscription of the jurisdiction, or one owner's. */
  listing: (jurisdiction: string, owner?: string): KeyQuery =>
    keyQuery(
      INDEXES.gsi3,
      subscriptionsOf(jurisdiction),
      owner === undefined ? undefined : { beginsWith: ownerPrefix(owner) },
    ),
  /** The partition keys of every subscription, as an IAM `StringLike` pattern. */
  pattern: `${JURISDICTION_PREFIX}*#${SUBSCRIPTION_PREFIX}*`,
};

// ---- Plan targets ----

/**
 * Indicator ids (`<fiscalYear>.<code>`) are the planner's own words and every jurisdiction has a
 * `2026.houses`: the jurisdiction in the key keeps one's definition from ever overwriting another's.
 */
const targetPartition = (jurisdiction: string, indicatorId: string) =>
  within(jurisdiction, `TARGET#${indicatorId}`);
const indicatorsOf = (jurisdiction: string) => within(jurisdiction, 'TARGET');

/** A plan indicator: `J#<j>#TARGET#<fiscalYear>.<code>` / `T`. */
export const indicatorKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({ pk: targetPartition(jurisdiction, id), sk: 'T' }),
  /** Key, type and gsi3 `J#<j>#TARGET` / `<fiscalYear>#<code>`. */
  item: (jurisdiction: string, i: { id: string; fiscalYear: number; code: string }) => ({
    ...indicatorKeys.key(jurisdiction, i.id),
    type: 'indicator',
    gsi3pk: indicatorsOf(jurisdiction),
    gsi3sk: `${i.fiscalYear}#${i.code}`,
  }),
  /** One jurisdiction's indicators of a year. */
  ofYear: (jurisdiction: string, fiscalYear: number): KeyQuery =>
    keyQuery(INDEXES.gsi3, indicatorsOf(jurisdiction), { beginsWith: `${fiscalYear}#` }),
};

/**
 * A measurement of an indicator, in its indicator's partition: `J#<j>#TARGET#<indicatorId>` /
 * `M#<date>#<recordedAt>#<id>`, so the latest by date is the first item of a descending query.
 */
export const measurementKeys = {
  item: (jurisdiction: string, m: { indicatorId: string; date: string; recordedAt: string; id: string }) => ({
    pk: targetPartition(jurisdiction, m.indicatorId),
    sk: `M#${m.date}#${m.recordedAt}#${m.id}`,
    type: 'measurement',
  }),
  ofIndicator: (jurisdiction: string, indicatorId: string): KeyQuery =>
    keyQuery(undefined, targetPartition(jurisdiction, indicatorId), { beginsWith: 'M#' }),
};

// ---- The audit log ----

const AUDIT_LOG = 'AUDITLOG';
const auditLogOf = (jurisdiction: string) => within(jurisdiction, AUDIT_LOG);
const auditLogOfCommune = (jurisdiction: string, commune: string) =>
  within(jurisdiction, `${AUDIT_LOG}#${commune}`);

/**
 * An entry of the audit log of auditors' reads: `J#<j>#AUDITLOG` / `<at>#<id>`. Read-only functions may
 * write to those partitions and nowhere else (an IAM condition on their keys: {@link auditLogKeys.pattern}).
 */
export const auditLogKeys = {
  partition: auditLogOf,
  /** The audit-log partitions of every jurisdiction, as an IAM `StringLike` pattern. */
  pattern: `${JURISDICTION_PREFIX}*#${AUDIT_LOG}`,
  /** Key, type and, when the read is about a commune, gsi2 `J#<j>#AUDITLOG#<commune>` / `<at>#<id>`. */
  item: (jurisdiction: string, r: { at: string; id: string; commune?: string }) => {
    const sk = `${r.at}#${r.id}`;
    return {
      pk: auditLogOf(jurisdiction),
      sk,
      type: 'audit',
      ...(r.commune !== undefined ? { gsi2pk: auditLogOfCommune(jurisdiction, r.commune), gsi2sk: sk } : {}),
    };
  },
  /** The jurisdiction's whole log, or the entries about one commune. */
  listing: (jurisdiction: string, commune?: string): KeyQuery =>
    commune === undefined
      ? keyQuery(undefined, auditLogOf(jurisdiction))
      : keyQuery(INDEXES.gsi2, auditLogOfCommune(jurisdiction, commune)),
};

// ---- The payee register (issue 15) ----

const PAYEE_PREFIX = 'PAYEE#';
const payeesOf = (jurisdiction: string) => within(jurisdiction, 'PAYEE');
const payeesOfCommune = (jurisdiction: string, commune: string) =>
  within(jurisdiction, `${PAYEE_PREFIX}COMMUNE#${commune}`);
/** A payee's place in a name listing: its accent-folded name, then its id (names repeat; ids do not). */
const payeeSortKey = (p: { searchName: string; id: string }) => `${p.searchName}#${p.id}`;

/**
 * A payee of the register: `J#<j>#PAYEE#<id>` / `P`. Two listings sorted by accent-folded name, so a
 * name prefix is a key range: gsi3 `J#<j>#PAYEE` (the whole jurisdiction's) and gsi1
 * `J#<j>#PAYEE#COMMUNE#<commune>` (one commune's, for commune-scoped accounts).
 */
export const payeeKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({
    pk: within(jurisdiction, `${PAYEE_PREFIX}${id}`),
    sk: 'P',
  }),
  item: (jurisdiction: string, p: { id: string; commune: string; searchName: string }) => ({
    ...payeeKeys.key(jurisdiction, p.id),
    type: 'payee',
    gsi1pk: payeesOfCommune(jurisdiction, p.commune),
    gsi1sk: payeeSortKey(p),
    gsi3pk: payeesOf(jurisdiction),
    gsi3sk: payeeSortKey(p),
  }),
  /** The jurisdiction's payees (or one commune's) by folded name, those starting with `prefix` when given. */
  byName: (jurisdiction: string, commune?: string, prefix?: string): KeyQuery =>
    commune === undefined
      ? keyQuery(INDEXES.gsi3, payeesOf(jurisdiction), prefix ? { beginsWith: prefix } : undefined)
      : keyQuery(
          INDEXES.gsi1,
          payeesOfCommune(jurisdiction, commune),
          prefix ? { beginsWith: prefix } : undefined,
        ),
  /** The payee's id when the key is a payee's, else undefined. */
  idOf: (key: ItemKey): string | undefined =>
    key.sk === 'P' ? afterWithin(PAYEE_PREFIX, key.pk) : undefined,
};

/**
 * The one payee a tax code or citizen ID names in a jurisdiction: `J#<j>#PAYEEID#<type>#<identifier>` /
 * `U`, holding the payee's id. Written with the payee in one transaction, conditional on its absence,
 * so the same code twice is refused whatever the interleaving.
 */
export const payeeIdentifierKeys = {
  key: (jurisdiction: string, type: string, identifier: string): ItemKey => ({
    pk: within(jurisdiction, `PAYEEID#${type}#${identifier}`),
    sk: 'U',
  }),
  item: (jurisdiction: string, u: { type: string; identifier: string }) => ({
    ...payeeIdentifierKeys.key(jurisdiction, u.type, u.identifier),
    type: 'payee-identifier',
  }),
};

/**
 * A support rule's claim on a payee (e.g. housing support, once per household across years):
 * `J#<j>#SUPPORT#<rule>#<payeeId>` / `C`, holding the claiming request's id. Written conditionally in
 * the submission's transaction, deleted when that request is rejected or cancelled.
 */
export const supportClaimKeys = {
  key: (jurisdiction: string, rule: string, payeeId: string): ItemKey => ({
    pk: within(jurisdiction, `SUPPORT#${rule}#${payeeId}`),
    sk: 'C',
  }),
  item: (jurisdiction: string, c: { rule: string; payeeId: string }) => ({
    ...supportClaimKeys.key(jurisdiction, c.rule, c.payeeId),
    type: 'support-claim',
  }),
};

// ---- Contracts (issue 15): a contract and its amendments, in the contract's partition ----

const contractPartition = (jurisdiction: string, contractId: string) =>
  within(jurisdiction, `CONTRACT#${contractId}`);

/**
 * A contract on an allocation: `J#<j>#CONTRACT#<id>` / `C`, its running totals updated in the same
 * transactions as the requests that reserve, post or release against it.
 */
export const contractKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({ pk: contractPartition(jurisdiction, id), sk: 'C' }),
  item: (jurisdiction: string, c: { id: string }) => ({
    ...contractKeys.key(jurisdiction, c.id),
    type: 'contract',
  }),
  /** Everything in the contract's partition: itself and its amendments. */
  partition: (jurisdiction: string, id: string): KeyQuery =>
    keyQuery(undefined, contractPartition(jurisdiction, id)),
  /** The contract's id when the key is a contract's, else undefined. */
  idOf: (key: ItemKey): string | undefined => (key.sk === 'C' ? afterWithin('CONTRACT#', key.pk) : undefined),
};

/** An amendment of a contract's value: `J#<j>#CONTRACT#<contractId>` / `AMD#<at>#<amendmentId>`. */
export const contractAmendmentKeys = {
  item: (jurisdiction: string, a: { contractId: string; at: string; id: string }) => ({
    pk: contractPartition(jurisdiction, a.contractId),
    sk: `AMD#${a.at}#${a.id}`,
    type: 'contract-amendment',
  }),
  ofContract: (jurisdiction: string, contractId: string): KeyQuery =>
    keyQuery(undefined, contractPartition(jurisdiction, contractId), { beginsWith: 'AMD#' }),
};

// ---- Dossier documents ----

const DOCUMENT_PREFIX = 'DOC#';

/**
 * A document of a request's dossier, in the request's own partition: `J#<j>#REQ#<requestId>` /
 * `DOC#<docId>`, so the request's documents are one Query of its partition (the request itself is `R`).
 */
export const documentKeys = {
  key: (jurisdiction: string, requestId: string, id: string): ItemKey => ({
    pk: within(jurisdiction, `${REQUEST_PREFIX}${requestId}`),
    sk: `${DOCUMENT_PREFIX}${id}`,
  }),
  item: (jurisdiction: string, d: { requestId: string; id: string }) => ({
    ...documentKeys.key(jurisdiction, d.requestId, d.id),
    type: 'document',
  }),
  /** The request's id when the key is a document's, else undefined. */
  requestIdOf: (key: ItemKey): string | undefined =>
    key.sk.startsWith(DOCUMENT_PREFIX) ? afterWithin(REQUEST_PREFIX, key.pk) : undefined,
  /** Every document of one request. */
  ofRequest: (jurisdiction: string, requestId: string): KeyQuery =>
    keyQuery(undefined, within(jurisdiction, `${REQUEST_PREFIX}${requestId}`), {
      beginsWith: DOCUMENT_PREFIX,
    }),
};

// ---- Treasury vouchers (issue 15) ----

const VOUCHER = 'VOUCHER#';

/**
 * The uniqueness item of a Treasury voucher number: `J#<j>#VOUCHER#<fiscalYear>#<number>` / `V`. Its
 * conditional write (absent, or held by the same request) makes a number unique per jurisdiction and
 * fiscal year: claimed when the Treasury's approval is accepted, written again by the posting.
 * Numbers hold no `#` (ledger/domain/treasury-voucher.ts), so the key reads back unambiguously.
 */
export const voucherKeys = {
  key: (jurisdiction: string, fiscalYear: number, number: string): ItemKey => ({
    pk: within(jurisdiction, `${VOUCHER}${fiscalYear}#${number}`),
    sk: 'V',
  }),
  item: (jurisdiction: string, v: { fiscalYear: number; number: string }) => ({
    ...voucherKeys.key(jurisdiction, v.fiscalYear, v.number),
    type: 'voucher',
  }),
  /** The fiscal year and number when the key is a voucher's, else undefined. */
  voucherOf: (key: ItemKey): { fiscalYear: number; number: string } | undefined => {
    const rest = key.sk === 'V' ? afterWithin(VOUCHER, key.pk) : undefined;
    const cut = rest?.indexOf('#') ?? -1;
    if (rest === undefined || cut <= 0) return undefined;
    return { fiscalYear: Number(rest.slice(0, cut)), number: rest.slice(cut + 1) };
  },
};

// ---- Contract listings (issue 15, the dashboard): an allocation's contracts, a year's and a commune's ----

const contractsOf = (jurisdiction: string) => within(jurisdiction, 'CONTRACT');
const contractsOfAllocation = (jurisdiction: string, allocationId: string) =>
  within(jurisdiction, `CONTRACT#ALLOC#${allocationId}`);

/**
 * The listing attributes a contract carries beside {@link contractKeys}, each sorted by signing date:
 * gsi1 `J#<j>#CONTRACT#ALLOC#<allocationId>` / `<signedOn>#<id>` (an allocation's contracts) and gsi3
 * `J#<j>#CONTRACT` / `<fiscalYear>#<commune>#<signedOn>#<id>` (the jurisdiction's, so a year, or a year
 * and a commune, is a key prefix). None of these fields changes after signing.
 */
export const contractListingKeys = {
  item: (
    jurisdiction: string,
    c: { id: string; allocationId: string; fiscalYear: number; commune: string; signedOn: string },
  ) => ({
    gsi1pk: contractsOfAllocation(jurisdiction, c.allocationId),
    gsi1sk: `${c.signedOn}#${c.id}`,
    gsi3pk: contractsOf(jurisdiction),
    gsi3sk: `${c.fiscalYear}#${c.commune}#${c.signedOn}#${c.id}`,
  }),
  /** One allocation's contracts (gsi1), by signing date. */
  ofAllocation: (jurisdiction: string, allocationId: string): KeyQuery =>
    keyQuery(INDEXES.gsi1, contractsOfAllocation(jurisdiction, allocationId)),
  /** The jurisdiction's contracts (gsi3) whose listing starts with these parts, in order: fiscal year, commune. */
  listing: (jurisdiction: string, leading: readonly (string | number)[] = []): KeyQuery =>
    keyQuery(
      INDEXES.gsi3,
      contractsOf(jurisdiction),
      leading.length ? { beginsWith: `${leading.join('#')}#` } : undefined,
    ),
};

// ---- Year-end close (issue 16): one item per jurisdiction and fiscal year ----

const FISCAL_YEAR_CLOSE = 'FYCLOSE#';

/**
 * The close of a jurisdiction's fiscal year: `J#<j>#FYCLOSE#<fiscalYear>` / `C`. Written conditionally
 * once (its plan, status `closing`), then marked `closed` when every allocation of the year is; a
 * repeated close reads it and resumes or answers it.
 */
export const fiscalYearCloseKeys = {
  key: (jurisdiction: string, fiscalYear: number): ItemKey => ({
    pk: within(jurisdiction, `${FISCAL_YEAR_CLOSE}${fiscalYear}`),
    sk: 'C',
  }),
  item: (jurisdiction: string, fiscalYear: number) => ({
    ...fiscalYearCloseKeys.key(jurisdiction, fiscalYear),
    type: 'fiscal-year-close',
  }),
};

// ---- Forecasts (issue 17): a range of the requests' gsi6 listing, no new item ----

/**
 * The requests of a jurisdiction submitted in `[from, to)` (UTC ISO instants), from the gsi6 listing
 * sorted by `<createdAt>#<id>`: what the forecast reconstructs a past day's pipeline from.
 */
export const forecastKeys = {
  requestsSubmittedBetween: (jurisdiction: string, from: string, to: string): KeyQuery =>
    // A sort key `<createdAt>#<id>` sorts after `to` itself when createdAt is `to`: BETWEEN keeps it out.
    keyQuery(INDEXES.gsi6, requestsOf(jurisdiction), { between: [from, to] }),
};

// ---- Reallocations (issue 17): one item per reallocation, listed by fiscal year ----

const REALLOCATION_PREFIX = 'REALLOC#';
const reallocationsOf = (jurisdiction: string) => within(jurisdiction, 'REALLOC');

/**
 * A reallocation of plan capital between allocations ("điều chỉnh kế hoạch vốn"):
 * `J#<j>#REALLOC#<id>` / `R`, with gsi3 `J#<j>#REALLOC` / `<fiscalYear>#<requestedAt>#<id>`, so a
 * year's reallocations are one key prefix, oldest first. Written pending or applied; an approval or a
 * rejection rewrites it over its version.
 */
export const reallocationKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({
    pk: within(jurisdiction, `${REALLOCATION_PREFIX}${id}`),
    sk: 'R',
  }),
  item: (jurisdiction: string, r: { id: string; fiscalYear: number; requestedAt: string }) => ({
    ...reallocationKeys.key(jurisdiction, r.id),
    type: 'reallocation',
    gsi3pk: reallocationsOf(jurisdiction),
    gsi3sk: `${r.fiscalYear}#${r.requestedAt}#${r.id}`,
  }),
  /** A jurisdiction's reallocations of a fiscal year (gsi3), oldest first. */
  ofYear: (jurisdiction: string, fiscalYear: number): KeyQuery =>
    keyQuery(INDEXES.gsi3, reallocationsOf(jurisdiction), { beginsWith: `${fiscalYear}#` }),
  /** The reallocation's id when the key is a reallocation's, else undefined. */
  idOf: (key: ItemKey): string | undefined =>
    key.sk === 'R' ? afterWithin(REALLOCATION_PREFIX, key.pk) : undefined,
};

// ---- Imports (issue 18): one record per imported file ----

const IMPORT_PREFIX = 'IMPORT#';

/**
 * The record of an import (`POST /imports`): `J#<j>#IMPORT#<id>` / `I`, the id a hash of the
 * jurisdiction, kind and file's SHA-256, so the same file is the same record. Written once,
 * conditionally; its status and progress are then updated over conditions on what they were.
 */
export const importKeys = {
  key: (jurisdiction: string, id: string): ItemKey => ({
    pk: within(jurisdiction, `${IMPORT_PREFIX}${id}`),
    sk: 'I',
  }),
  item: (jurisdiction: string, i: { id: string }) => ({
    ...importKeys.key(jurisdiction, i.id),
    type: 'import',
  }),
  /** The import's id when the key is an import record's, else undefined. */
  idOf: (key: ItemKey): string | undefined =>
    key.sk === 'I' ? afterWithin(IMPORT_PREFIX, key.pk) : undefined,
};

// ---- Ledger archives (issue 21): the record of a restore from an archive ----

/**
 * The restore of a jurisdiction's fiscal year from a signed archive (`npm run ledger -- import`):
 * `J#<j>#RESTORE#<fiscalYear>` / `R`. Written `restoring` before any restored item, conditionally once,
 * and marked `restored` after the last, so a half-restored year is recognised and resumed.
 */
export const archiveRestoreKeys = {
  key: (jurisdiction: string, fiscalYear: number): ItemKey => ({
    pk: within(jurisdiction, `RESTORE#${fiscalYear}`),
    sk: 'R',
  }),
  item: (jurisdiction: string, fiscalYear: number) => ({
    ...archiveRestoreKeys.key(jurisdiction, fiscalYear),
    type: 'archive-restore',
  }),
};

// ---- Day summaries (issue 20): what each closed day disbursed, for the disbursement series ----

const daySummariesOf = (jurisdiction: string, fiscalYear: number) =>
  within(jurisdiction, `DAYSUM#${fiscalYear}`);

/**
 * The summary of one closed Vietnam day of a jurisdiction's fiscal year: `J#<j>#DAYSUM#<fiscalYear>` /
 * `<date>`, so a year's summaries are one partition in date order and the last summarised day is the
 * first item of a descending query. Written by the daily job (monitoring/app/day-summaries.ts), never
 * by a posting.
 */
export const daySummaryKeys = {
  key: (jurisdiction: string, fiscalYear: number, date: string): ItemKey => ({
    pk: daySummariesOf(jurisdiction, fiscalYear),
    sk: date,
  }),
  item: (jurisdiction: string, s: { fiscalYear: number; date: string }) => ({
    ...daySummaryKeys.key(jurisdiction, s.fiscalYear, s.date),
    type: 'day-summary',
  }),
  /** A year's summaries, in date order. */
  ofYear: (jurisdiction: string, fiscalYear: number): KeyQuery =>
    keyQuery(undefined, daySummariesOf(jurisdiction, fiscalYear)),
  /** The jurisdiction, fiscal year and day when the key is a day summary's, else undefined. */
  dayOf: (key: ItemKey): { jurisdiction: string; fiscalYear: number; date: string } | undefined => {
    const split = splitJurisdiction(key.pk);
    const year = split && after('DAYSUM#', split.rest);
    return split && year !== undefined && /^\d{4}$/.test(year)
      ? { jurisdiction: split.jurisdiction, fiscalYear: Number(year), date: key.sk }
      : undefined;
  },
};

// ---- Day snapshots (issue 20): each allocation's cumulative at the end of each closed day ----

const daySnapshotsOf = (jurisdiction: string, fiscalYear: number) =>
  within(jurisdiction, `DAYCUM#${fiscalYear}`);

/**
 * Each allocation's cumulative disbursement at the end of one closed Vietnam day of a jurisdiction's
 * fiscal year: `J#<j>#DAYCUM#<fiscalYear>` / `<date>`, beside the day summaries, so the forecast reads
 * the few days it needs by key and the last snapshotted day is the first item of a descending query.
 * Written by the daily job (monitoring/app/day-summaries.ts), never by a posting.
 */
export const daySnapshotKeys = {
  key: (jurisdiction: string, fiscalYear: number, date: string): ItemKey => ({
    pk: daySnapshotsOf(jurisdiction, fiscalYear),
    sk: date,
  }),
  item: (jurisdiction: string, s: { fiscalYear: number; date: string }) => ({
    ...daySnapshotKeys.key(jurisdiction, s.fiscalYear, s.date),
    type: 'day-snapshot',
  }),
  /** A year's snapshots, in date order. */
  ofYear: (jurisdiction: string, fiscalYear: number): KeyQuery =>
    keyQuery(undefined, daySnapshotsOf(jurisdiction, fiscalYear)),
  /** The jurisdiction, fiscal year and day when the key is a day snapshot's, else undefined. */
  dayOf: (key: ItemKey): { jurisdiction: string; fiscalYear: number; date: string } | undefined => {
    const split = splitJurisdiction(key.pk);
    const year = split && after('DAYCUM#', split.rest);
    return split && year !== undefined && /^\d{4}$/.test(year)
      ? { jurisdiction: split.jurisdiction, fiscalYear: Number(year), date: key.sk }
      : undefined;
  },
};

// ---- Pending sets (issue 20): the ids of the requests pending at the end of each summarised day ----

const pendingSetsOf = (jurisdiction: string, fiscalYear: number) =>
  within(jurisdiction, `PIPE#${fiscalYear}`);

/**
 * One chunk of the ids of a fiscal year's requests pending at the end of one summarised Vietnam day:
 * `J#<j>#PIPE#<fiscalYear>` / `<date>#<chunk, 4 digits>` (a few thousand ids a chunk, so a province's
 * pending requests never meet DynamoDB's 400 KB item). Written by the daily job
 * (monitoring/app/day-summaries.ts) before the day's snapshot, which records how many chunks the day
 * has and is the commit marker: a set is read only through its day's snapshot, only whole. They carry
 * the table's time to live: the job and the forecast read the last day's only.
 */
export const pendingSetKeys = {
  key: (jurisdiction: string, fiscalYear: number, date: string, chunk: number): ItemKey => ({
    pk: pendingSetsOf(jurisdiction, fiscalYear),
    sk: `${date}#${chunk.toString().padStart(4, '0')}`,
  }),
  item: (
    jurisdiction: string,
    s: { fiscalYear: number; date: string; chunk: number },
    expiresAt: number,
  ) => ({
    ...pendingSetKeys.key(jurisdiction, s.fiscalYear, s.date, s.chunk),
    type: 'pending-set',
    [TIME_TO_LIVE_ATTRIBUTE]: expiresAt,
  }),
  /** The jurisdiction, fiscal year, day and chunk when the key is a pending set's, else undefined. */
  chunkOf: (
    key: ItemKey,
  ): { jurisdiction: string; fiscalYear: number; date: string; chunk: number } | undefined => {
    const split = splitJurisdiction(key.pk);
    const year = split && after('PIPE#', split.rest);
    const [date, chunk] = key.sk.split('#');
    return split && year !== undefined && /^\d{4}$/.test(year) && date && chunk && /^\d{4}$/.test(chunk)
      ? { jurisdiction: split.jurisdiction, fiscalYear: Number(year), date, chunk: Number(chunk) }
      : undefined;
  },
};

// ---- The integrity digest (issue 20): what the integrity rules need, kept by the daily job ----

const integrityDigestOf = (jurisdiction: string, fiscalYear: number) =>
  within(jurisdiction, `INTEG#${fiscalYear}`);
const GROUP_PREFIX = 'G#';
const CANDIDATE_PREFIX = 'C#';
const DIGEST_DAY = 'DAY';

/** A chunk number in a sort key: 4 digits (more past 9,999), so a group's chunks sort in order. */
const chunkKey = (chunk: number) => String(chunk).padStart(4, '0');
const CHUNK_KEY = /^(\d+)#(.+)$/;

/**
 * A group's name as its sort keys carry it. A group name starts with its kind (`pair:`, `payee:`,
 * `support:`), never with a digit, so a sealed chunk's key (`G#<n>#<group>`) is never a head's
 * (`G#<group>`) and a group named like another plus a suffix never reads as the other's chunk.
 */
const groupName = (group: string): string => {
  if (!/^[a-z]/.test(group)) throw new Error(`integrity digest group ${group}: must start with its kind`);
  return group;
};

/**
 * The integrity digest of a jurisdiction's fiscal year, one partition `J#<j>#INTEG#<fiscalYear>`: per
 * group of requests the rules judge together (a payee on an allocation, a payee, a household under a
 * support rule; monitoring/domain/integrity/integrity-digest.ts) the ids of its requests, a copy for
 * each group that can make a case (the candidates the monitor lists), and the last day digested (`DAY`).
 * A group is its head `G#<group>` (the open chunk, and how many chunks are sealed) and its sealed chunks
 * `G#<n>#<group>` (n from 1); a candidate the same under `C#`, so one key range holds every candidate's
 * items. Written by the daily job (monitoring/app/day-summaries.ts) only.
 */
export const integrityDigestKeys = {
  group: (jurisdiction: string, fiscalYear: number, group: string): ItemKey => ({
    pk: integrityDigestOf(jurisdiction, fiscalYear),
    sk: `${GROUP_PREFIX}${groupName(group)}`,
  }),
  /** A group's sealed chunk `chunk` (1, 2, …). */
  groupChunk: (jurisdiction: string, fiscalYear: number, group: string, chunk: number): ItemKey => ({
    pk: integrityDigestOf(jurisdiction, fiscalYear),
    sk: `${GROUP_PREFIX}${chunkKey(chunk)}#${groupName(group)}`,
  }),
  candidate: (jurisdiction: string, fiscalYear: number, group: string): ItemKey => ({
    pk: integrityDigestOf(jurisdiction, fiscalYear),
    sk: `${CANDIDATE_PREFIX}${groupName(group)}`,
  }),
  /** A candidate's sealed chunk `chunk` (1, 2, …). */
  candidateChunk: (jurisdiction: string, fiscalYear: number, group: string, chunk: number): ItemKey => ({
    pk: integrityDigestOf(jurisdiction, fiscalYear),
    sk: `${CANDIDATE_PREFIX}${chunkKey(chunk)}#${groupName(group)}`,
  }),
  day: (jurisdiction: string, fiscalYear: number): ItemKey => ({
    pk: integrityDigestOf(jurisdiction, fiscalYear),
    sk: DIGEST_DAY,
  }),
  /** Every item of the year's candidates, heads and sealed chunks: one key range of its partition. */
  candidates: (jurisdiction: string, fiscalYear: number): KeyQuery =>
    keyQuery(undefined, integrityDigestOf(jurisdiction, fiscalYear), { beginsWith: CANDIDATE_PREFIX }),
  /**
   * What a key of the digest is: its jurisdiction, fiscal year, kind and group, and for a sealed chunk
   * its number (a head has none); else undefined.
   */
  partOf: (
    key: ItemKey,
  ):
    | {
        jurisdiction: string;
        fiscalYear: number;
        kind: 'group' | 'candidate' | 'day';
        group?: string;
        chunk?: number;
      }
    | undefined => {
    const split = splitJurisdiction(key.pk);
    const year = split && after('INTEG#', split.rest);
    if (!split || year === undefined || !/^\d{4}$/.test(year)) return undefined;
    const at = { jurisdiction: split.jurisdiction, fiscalYear: Number(year) };
    if (key.sk === DIGEST_DAY) return { ...at, kind: 'day' };
    const group = after(GROUP_PREFIX, key.sk);
    const candidate = after(CANDIDATE_PREFIX, key.sk);
    const kind = group !== undefined ? 'group' : 'candidate';
    const rest = group ?? candidate;
    if (rest === undefined) return undefined;
    const chunk = CHUNK_KEY.exec(rest);
    return chunk ? { ...at, kind, group: chunk[2], chunk: Number(chunk[1]) } : { ...at, kind, group: rest };
  },
};
