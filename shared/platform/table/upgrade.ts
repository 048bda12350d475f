/**
 * The upgrade of items stored before keys carried the jurisdiction (./keys.ts's header): how one item
 * of the old format becomes the same item in the new one. Pure: the runner that scans the table and
 * moves each item (local/table-upgrade.ts) decides nothing of it.
 *
 * An upgraded item keeps EXACTLY its attributes but its keys: ledger entries, digests and allocations'
 * heads are covered by the hash chains, so not one byte of them changes, and no `jurisdiction` is
 * added to an item that had none (readers take such an item as the upgrade default's, which is where
 * it is moved unless something says otherwise). Its new keys are computed by keys.ts's own `item(...)`
 * functions from its attributes, as a write of the same item would. Kept as they are: an idempotency
 * record's approval-outbox keys (a partition of the deployment, not of a jurisdiction) and its expiry;
 * a deleted subscription stays out of the listing (no gsi3 keys).
 *
 * Which jurisdiction: the item's own (`jurisdiction`; a subscription's `ownerJurisdiction`; an alert's
 * scope's), else its parent's (an allocation's for its entries, adjustments and digests; an alert's for
 * its deliveries; an indicator's for its measurements), else for an idempotency record the jurisdiction
 * of the entity its result holds or names, else the upgrade default.
 */
import { UPGRADE_DEFAULT_JURISDICTION } from '../tenancy.ts';
import {
  adjustmentKeys,
  alertKeys,
  allocationKeys,
  approvalOutboxKeys,
  auditLogKeys,
  deliveryKeys,
  digestKeys,
  entryKeys,
  type ItemKey,
  idempotencyKeys,
  indicatorKeys,
  isJurisdictionKey,
  measurementKeys,
  requestKeys,
  STORAGE_ATTRIBUTES,
  splitJurisdiction,
  subscriptionKeys,
  TIME_TO_LIVE_ATTRIBUTE,
  TYPE_ATTRIBUTE,
} from './keys.ts';

/** An item as stored: its keys and attributes (numbers as numbers, as the document client reads them). */
export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

/**
 * The item saying the table is in the jurisdiction format, so a start-up costs one GetItem instead of a
 * scan. Outside every jurisdiction on purpose: it is the table's, and no key function ever builds it.
 */
export const FORMAT_MARKER_KEY: ItemKey = { pk: 'META', sk: 'FORMAT' };

/** The name of the format every key has since jurisdictions. */
export const JURISDICTION_KEYS_FORMAT = 'jurisdiction-keys';

/** The marker item, recorded at `at` (ISO) by `by` (`provision` for a fresh table, `upgrade` after one). */
export const formatMarkerItem = (at: string, by: 'provision' | 'upgrade') => ({
  ...FORMAT_MARKER_KEY,
  [TYPE_ATTRIBUTE]: 'format',
  format: JURISDICTION_KEYS_FORMAT,
  since: at,
  by,
});

/** Whether an item's keys are of the format before jurisdictions (the marker is of no format). */
export const isOldFormat = (item: Pick<StoredItem, 'pk'>): boolean =>
  item.pk !== FORMAT_MARKER_KEY.pk && !isJurisdictionKey(item.pk);

/** The item types the upgrade knows: every type keys.ts stores. */
export const UPGRADED_TYPES = [
  'allocation',
  'adjustment',
  'entry',
  'digest',
  'request',
  'idempotency',
  'alert',
  'delivery',
  'subscription',
  'indicator',
  'measurement',
  'audit',
] as const;
export type UpgradedType = (typeof UPGRADED_TYPES)[number];

/** The types whose partition holds children, and the sort key each has there. */
const PARENT_SORT_KEYS: Record<string, string> = { allocation: 'A', alert: 'A', indicator: 'T' };

/** A stored entity named by type and id (an allocation, alert, indicator or request), whatever its keys. */
export interface ItemReference {
  type: string;
  id: string;
}

/** `type:id`, to look an entity up in a map. */
export const referenceKey = (ref: ItemReference): string => `${ref.type}:${ref.id}`;

/**
 * The entity an item is, when other items follow its jurisdiction: an allocation, alert or indicator
 * (their partitions' children), a request (decisions' idempotency records name it) or a measurement
 * (named by indicator and time of recording in the answer its idempotency record keeps).
 */
export const referenceOf = (item: StoredItem): ItemReference | undefined => {
  if (item.type === 'measurement') return measurementReference(item.indicatorId, item.recordedAt);
  return ['allocation', 'alert', 'indicator', 'request'].includes(String(item.type)) &&
    typeof item.id === 'string'
    ? { type: String(item.type), id: item.id }
    : undefined;
};

const measurementReference = (indicatorId: unknown, recordedAt: unknown): ItemReference | undefined =>
  typeof indicatorId === 'string' && typeof recordedAt === 'string'
    ? { type: 'measurement', id: `${indicatorId}@${recordedAt}` }
    : undefined;

/**
 * An item's parent, the item of its partition whose jurisdiction it follows (an entry's, adjustment's
 * or digest's allocation, a delivery's alert, a measurement's indicator), or undefined when it has none.
 */
export const parentOf = (item: StoredItem): ItemReference | undefined => {
  const [type, idAttribute] =
    {
      adjustment: ['allocation', 'allocationId'],
      entry: ['allocation', 'allocationId'],
      digest: ['allocation', 'allocationId'],
      delivery: ['alert', 'alertId'],
      measurement: ['indicator', 'indicatorId'],
    }[String(item.type)] ?? [];
  const id = idAttribute === undefined ? undefined : item[idAttribute];
  return type && typeof id === 'string' ? { type, id } : undefined;
};

/** Whether other items of its partition follow this one's jurisdiction (so it moves after them). */
export const isParent = (item: StoredItem): boolean => PARENT_SORT_KEYS[String(item.type)] === item.sk;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** The jurisdiction an item names itself, or undefined when it names none. */
export const ownJurisdiction = (item: StoredItem): string | undefined => {
  if (item.type === 'subscription') return text(item.ownerJurisdiction) ?? text(item.jurisdiction);
  if (item.type === 'alert') return text(record(item.scope)?.jurisdiction) ?? text(item.jurisdiction);
  return text(item.jurisdiction);
};

/** What the upgrade knows around an item: its parent's jurisdiction, and requests' (for decisions' records). */
export interface UpgradeContext {
  /** The jurisdiction of the item's parent ({@link parentOf}), as it is or will be upgraded. */
  parentJurisdiction?: string;
  /**
   * The jurisdiction of an entity the table holds (old or moved), for idempotency records whose answer
   * names it without its jurisdiction: a decision's request, a recorded measurement.
   */
  entityJurisdiction?: (ref: ItemReference) => string | undefined;
}

/**
 * The jurisdiction of an idempotency record's entity: the one its result (or, for a former record, its
 * answer's body) holds (an allocation, request, adjustment's allocation), else the one it names (a
 * decision's request; a measured indicator's last measurement, by indicator and time of recording).
 */
const idempotencyJurisdiction = (item: StoredItem, context: UpgradeContext): string | undefined => {
  const answer = record(item.result) ?? record(item.body);
  const requestId = text(answer?.requestId) ?? text(record(item.event)?.requestId);
  const named =
    requestId !== undefined
      ? { type: 'request', id: requestId }
      : measurementReference(answer?.id, record(answer?.lastMeasurement)?.recordedAt);
  return (
    text(answer?.jurisdiction) ??
    text(record(answer?.allocation)?.jurisdiction) ??
    text(record(item.event)?.jurisdiction) ??
    (named !== undefined ? context.entityJurisdiction?.(named) : undefined)
  );
};

/** The jurisdiction an old-format item is moved into (see the module's header). */
export const jurisdictionFor = (item: StoredItem, context: UpgradeContext = {}): string =>
  ownJurisdiction(item) ??
  context.parentJurisdiction ??
  (item.type === 'idempotency' ? idempotencyJurisdiction(item, context) : undefined) ??
  UPGRADE_DEFAULT_JURISDICTION;

/** An item of a type the upgrade does not know: it is left where it is, and the upgrade says so. */
export class UnknownItemError extends Error {
  constructor(item: StoredItem) {
    super(
      `item ${item.pk} / ${item.sk} has type ${JSON.stringify(item.type)}, which the upgrade does not know`,
    );
  }
}

// Attributes read from an item to build its keys, as the write that stored it had them.
const str = (item: StoredItem, name: string): string => String(item[name]);
// Numbers may be read wrapped (exact decimals, the runner's way): their text is the number.
const num = (item: StoredItem, name: string): number => Number(String(item[name]));

/** The new key attributes of an item of a known type, in jurisdiction `j`. */
const newKeysOf = (item: StoredItem, j: string): Record<string, unknown> => {
  switch (item.type as UpgradedType) {
    case 'allocation':
      return allocationKeys.item(j, {
        id: str(item, 'id'),
        fiscalYear: num(item, 'fiscalYear'),
        fundingLine: str(item, 'fundingLine'),
        commune: str(item, 'commune'),
        component: str(item, 'component'),
      });
    case 'adjustment':
      return adjustmentKeys.item(j, {
        allocationId: str(item, 'allocationId'),
        at: str(item, 'at'),
        id: str(item, 'id'),
      });
    case 'entry':
      return entryKeys.item(j, {
        allocationId: str(item, 'allocationId'),
        seq: num(item, 'seq'),
        fiscalYear: num(item, 'fiscalYear'),
        postedAt: str(item, 'postedAt'),
      });
    case 'digest':
      return digestKeys.item(j, { allocationId: str(item, 'allocationId'), date: str(item, 'date') });
    case 'request':
      return requestKeys.item(j, {
        id: str(item, 'id'),
        allocationId: str(item, 'allocationId'),
        status: str(item, 'status'),
        createdAt: str(item, 'createdAt'),
      });
    case 'idempotency': {
      // In the approval outbox (pending or given up): the same index keys, in the deployment's partition.
      const { partitionKey, sortKey } = approvalOutboxKeys.index;
      const outbox = [approvalOutboxKeys.pending, approvalOutboxKeys.givenUp].includes(
        String(item[partitionKey]),
      )
        ? { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] }
        : {};
      const keys =
        item[TIME_TO_LIVE_ATTRIBUTE] !== undefined
          ? idempotencyKeys.item(j, str(item, 'scope'), num(item, TIME_TO_LIVE_ATTRIBUTE))
          : { ...idempotencyKeys.key(j, str(item, 'scope')), type: 'idempotency' };
      return { ...keys, ...outbox };
    }
    case 'alert':
      return alertKeys.item(j, {
        id: str(item, 'id'),
        fiscalYear: num(item, 'fiscalYear'),
        day: str(item, 'day'),
      });
    case 'delivery':
      return deliveryKeys.item(j, str(item, 'alertId'), str(item, 'email'));
    case 'subscription': {
      // A deleted subscription has lost its listing keys: it stays out of the listing.
      const { partitionKey, sortKey } = subscriptionKeys.index;
      const keys: Record<string, unknown> = subscriptionKeys.item(j, {
        id: str(item, 'id'),
        owner: str(item, 'owner'),
      });
      if (item[partitionKey] === undefined) {
        delete keys[partitionKey];
        delete keys[sortKey];
      }
      return keys;
    }
    case 'indicator':
      return indicatorKeys.item(j, {
        id: str(item, 'id'),
        fiscalYear: num(item, 'fiscalYear'),
        code: str(item, 'code'),
      });
    case 'measurement':
      return measurementKeys.item(j, {
        indicatorId: str(item, 'indicatorId'),
        date: str(item, 'date'),
        recordedAt: str(item, 'recordedAt'),
        id: str(item, 'id'),
      });
    case 'audit':
      return auditLogKeys.item(j, {
        at: str(item, 'at'),
        id: str(item, 'id'),
        ...(typeof item.commune === 'string' ? { commune: item.commune } : {}),
      });
    default:
      throw new UnknownItemError(item);
  }
};

/** An item's attributes that are not storage attributes (keys, index keys, expiry, type). */
export const domainAttributes = (item: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.includes(name)));

/**
 * The upgraded item of an old-format one: the same attributes but its keys, which are recomputed in
 * its jurisdiction. Throws {@link UnknownItemError} for a type the upgrade does not know.
 */
export const upgradedItem = (item: StoredItem, context: UpgradeContext = {}): StoredItem => {
  const keys = newKeysOf(item, jurisdictionFor(item, context));
  const upgraded = { ...domainAttributes(item), ...keys } as StoredItem;
  // The type written by the key function is the one the item had: check rather than trust it.
  if (upgraded.type !== item.type) throw new UnknownItemError(item);
  return upgraded;
};

// ---- The requests' own listings (gsi4–gsi6) ----

/**
 * The item saying every request of the table carries its listings' keys in gsi4–gsi6 (where the
 * listings project only status and commune), none in gsi1–gsi3 any more (which copy whole items).
 */
export const REQUEST_LISTINGS_MARKER_KEY: ItemKey = { pk: 'META', sk: 'REQUEST-LISTINGS' };

/** The marker item, recorded at `at` (ISO) by `by`. */
export const requestListingsMarkerItem = (at: string, by: 'provision' | 'upgrade') => ({
  ...REQUEST_LISTINGS_MARKER_KEY,
  [TYPE_ATTRIBUTE]: 'format',
  format: 'request-listings',
  since: at,
  by,
});

/** Whether a stored request still carries a listing key of before gsi4–gsi6. */
export const hasFormerListingKeys = (item: Record<string, unknown>): boolean =>
  item.type === 'request' && requestKeys.formerListingKeys.some((name) => item[name] !== undefined);

/**
 * The listing keys (gsi4–gsi6) a request in the jurisdiction format gets in place of its former ones,
 * computed by keys.ts as a write of the same request would; undefined for an item of the old format
 * (the jurisdiction upgrade gives it all its new keys at once).
 */
export const requestListingKeys = (item: StoredItem): Record<string, string> | undefined => {
  const jurisdiction = splitJurisdiction(item.pk)?.jurisdiction;
  if (jurisdiction === undefined || item.type !== 'request') return undefined;
  const {
    pk: _pk,
    sk: _sk,
    type: _type,
    ...listings
  } = requestKeys.item(jurisdiction, {
    id: str(item, 'id'),
    allocationId: str(item, 'allocationId'),
    status: str(item, 'status'),
    createdAt: str(item, 'createdAt'),
  });
  return listings;
};
