import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransientWriteError, transactOrCodes } from '../shared/ledger/adapters/ledger-repository.ts';
import { requestKeys, splitJurisdiction } from '../shared/platform/table/keys.ts';
import {
  FORMAT_MARKER_KEY,
  formatMarkerItem,
  hasFormerListingKeys,
  type ItemReference,
  isOldFormat,
  isParent,
  jurisdictionFor,
  parentOf,
  REQUEST_LISTINGS_MARKER_KEY,
  referenceKey,
  referenceOf,
  requestListingKeys,
  requestListingsMarkerItem,
  type StoredItem,
  UnknownItemError,
  upgradedItem,
} from '../shared/platform/table/upgrade.ts';

/**
 * The runner of the upgrade to jurisdiction keys (the plan of each item: shared/platform/table/upgrade.ts).
 * It reads the whole table (a Scan: an operator's command, never a deployed function's path), then moves
 * each old-format item by one transaction, the new item put where none is and the old one deleted where
 * it still is, so a move happens whole or not at all. Children move before the items whose jurisdiction
 * they follow (an allocation's entries, adjustments and digests before it; an alert's deliveries; an
 * indicator's measurements), so a run stopped anywhere finds, when run again, each remaining child's
 * parent still old (or already moved, its jurisdiction then read from its new key): a second run moves
 * what the first left and nothing else. When no item is left behind, it records the format marker.
 */

export interface UpgradeReport {
  /** Items read by the scan. */
  scanned: number;
  /** Items moved by this run, per type. */
  moved: Record<string, number>;
  /** Items another run moved between this run's scan and its move. */
  alreadyMoved: number;
  /** Items left where they are, each with why (an unknown type; a new item already at the new key). */
  left: string[];
}

export interface UpgradeOptions {
  /** Where progress and the result are told (a line each); silent without it. */
  log?: (line: string) => void;
  /** A progress line every this many items scanned or moved (default 500). */
  progressEvery?: number;
  /** Moves in flight at once (default 8). */
  concurrency?: number;
  now?: () => Date;
}

/**
 * A document client that reads numbers as exact decimals (wrapped) and writes them back as read: a
 * total stored past 2^53 (or any decimal) is moved byte for byte.
 */
export const exactDocumentClient = (raw: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: true },
  });

/** Reads the whole table page by page (consistent reads), handing each page to `onPage`. */
export const scanAll = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  onPage: (items: StoredItem[]) => void,
): Promise<void> => {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    onPage((out.Items ?? []) as StoredItem[]);
    start = out.LastEvaluatedKey;
  } while (start);
};

/** Runs `work` on every item, `concurrency` at a time; the first failure stops the rest and is thrown. */
const eachConcurrently = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
) => {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
};

type MoveOutcome = 'moved' | 'already-moved' | 'occupied';

/** One move: the new item put where none is, the old one deleted where it still is; retried when busy. */
const move = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  old: StoredItem,
  upgraded: StoredItem,
): Promise<MoveOutcome> => {
  for (let attempt = 0; ; attempt++) {
    try {
      const codes = await transactOrCodes(db, [
        {
          Put: { TableName: tableName, Item: upgraded, ConditionExpression: 'attribute_not_exists(pk)' },
        },
        {
          Delete: {
            TableName: tableName,
            Key: { pk: old.pk, sk: old.sk },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ]);
      if (!codes) return 'moved';
      if (codes[1] === 'ConditionalCheckFailed') return 'already-moved';
      if (codes[0] === 'ConditionalCheckFailed') return 'occupied';
      throw new Error(`the move of ${old.pk} / ${old.sk} failed: ${codes.join(',')}`);
    } catch (error) {
      if (!(error instanceof TransientWriteError) || attempt >= 8) throw error;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
};

/** Moves every old-format item of the table into its jurisdiction (see the module's header). */
export const upgradeTable = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  options: UpgradeOptions = {},
): Promise<UpgradeReport> => {
  const log = options.log ?? (() => undefined);
  const every = options.progressEvery ?? 500;
  const report: UpgradeReport = { scanned: 0, moved: {}, alreadyMoved: 0, left: [] };
  // The jurisdiction of every allocation, alert, indicator and request, old or already moved.
  const jurisdictions = new Map<string, string>();
  const old: StoredItem[] = [];
  await scanAll(db, tableName, (page) => {
    for (const item of page) {
      report.scanned += 1;
      if (report.scanned % every === 0) log(`scanned ${report.scanned} items…`);
      const ref = referenceOf(item);
      if (isOldFormat(item)) old.push(item);
      else if (ref) {
        const moved = splitJurisdiction(item.pk)?.jurisdiction;
        if (moved !== undefined) jurisdictions.set(referenceKey(ref), moved);
      }
    }
  });
  // Where old entities go: parents first, as their children (measurements) follow them.
  const contextOf = (item: StoredItem) => {
    const parent = parentOf(item);
    const parentJurisdiction = parent ? jurisdictions.get(referenceKey(parent)) : undefined;
    return {
      ...(parentJurisdiction !== undefined ? { parentJurisdiction } : {}),
      entityJurisdiction: (ref: ItemReference) => jurisdictions.get(referenceKey(ref)),
    };
  };
  for (const item of [...old.filter((i) => !parentOf(i)), ...old.filter((i) => parentOf(i))]) {
    const ref = referenceOf(item);
    if (ref) jurisdictions.set(referenceKey(ref), jurisdictionFor(item, contextOf(item)));
  }
  if (old.length > 0)
    log(`${old.length} of ${report.scanned} items have keys without a jurisdiction: moving them…`);

  let done = 0;
  const moveOne = async (item: StoredItem) => {
    let upgraded: StoredItem;
    try {
      upgraded = upgradedItem(item, contextOf(item));
    } catch (error) {
      if (!(error instanceof UnknownItemError)) throw error;
      report.left.push(error.message);
      return;
    }
    const outcome = await move(db, tableName, item, upgraded);
    if (outcome === 'moved') {
      const type = String(item.type);
      report.moved[type] = (report.moved[type] ?? 0) + 1;
    } else if (outcome === 'already-moved') report.alreadyMoved += 1;
    else
      report.left.push(
        `item ${item.pk} / ${item.sk}: an item is already at its new key ${upgraded.pk} / ${upgraded.sk}`,
      );
    done += 1;
    if (done % every === 0) log(`moved ${done} of ${old.length} items…`);
  };
  const concurrency = options.concurrency ?? 8;
  // Children first, then the items they follow: a run stopped between the two finds the parents still old.
  await eachConcurrently(
    old.filter((i) => !isParent(i)),
    concurrency,
    moveOne,
  );
  await eachConcurrently(old.filter(isParent), concurrency, moveOne);
  if (report.left.length === 0) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: formatMarkerItem((options.now?.() ?? new Date()).toISOString(), 'upgrade'),
      }),
    );
  }
  return report;
};

/** The report in one line: how many items of each type moved, and what was left behind. */
export const describeUpgrade = (report: UpgradeReport): string => {
  const moved = Object.entries(report.moved)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${n} ${type}`);
  const total = Object.values(report.moved).reduce((a, b) => a + b, 0);
  return [
    `moved ${total} items into their jurisdiction's keys${moved.length ? ` (${moved.join(', ')})` : ''}`,
    ...(report.alreadyMoved ? [`${report.alreadyMoved} were moved meanwhile by another run`] : []),
    ...(report.left.length
      ? [`${report.left.length} LEFT where they are, nothing else is lost:\n  ${report.left.join('\n  ')}`]
      : []),
  ].join('; ');
};

/** Whether the table says it is in the jurisdiction format (one GetItem). */
export const hasFormatMarker = async (db: DynamoDBDocumentClient, tableName: string): Promise<boolean> => {
  const out = await db.send(
    new GetCommand({ TableName: tableName, Key: FORMAT_MARKER_KEY, ConsistentRead: true }),
  );
  return out.Item !== undefined;
};

/** Records that a table just created is in the jurisdiction format (nothing to upgrade, ever). */
export const markFreshTable = async (db: DynamoDBDocumentClient, tableName: string, at = new Date()) => {
  await db.send(
    new PutCommand({ TableName: tableName, Item: formatMarkerItem(at.toISOString(), 'provision') }),
  );
  await db.send(
    new PutCommand({ TableName: tableName, Item: requestListingsMarkerItem(at.toISOString(), 'provision') }),
  );
};

/**
 * Moves every request's listing keys from gsi1–gsi3 (whole copies) to gsi4–gsi6 (status and commune
 * only), one UpdateItem each, conditional on the request still carrying a former key (a request
 * rewritten meanwhile already has the new keys only); then records the marker. Safe to run again.
 * Returns how many requests it moved.
 */
export const moveRequestListings = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  options: UpgradeOptions = {},
): Promise<number> => {
  const requests: StoredItem[] = [];
  await scanAll(db, tableName, (page) => {
    requests.push(...page.filter(hasFormerListingKeys));
  });
  let moved = 0;
  await eachConcurrently(requests, options.concurrency ?? 8, async (item) => {
    const keys = requestListingKeys(item);
    if (!keys) return;
    const names = Object.keys(keys);
    const former = requestKeys.formerListingKeys;
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')} REMOVE ${former.map((n) => `#${n}`).join(', ')}`,
          ConditionExpression: former.map((n) => `attribute_exists(#${n})`).join(' OR '),
          ExpressionAttributeNames: Object.fromEntries([...names, ...former].map((n) => [`#${n}`, n])),
          ExpressionAttributeValues: Object.fromEntries(names.map((n) => [`:${n}`, keys[n]])),
        }),
      );
      moved += 1;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  });
  if (moved > 0) options.log?.(`moved the listing keys of ${moved} requests to gsi4–gsi6`);
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: requestListingsMarkerItem((options.now?.() ?? new Date()).toISOString(), 'upgrade'),
    }),
  );
  return moved;
};

/** On start, after the jurisdiction keys: nothing when the table carries the marker, else the move. */
export const ensureRequestListings = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  options: UpgradeOptions = {},
): Promise<number | undefined> => {
  const out = await db.send(
    new GetCommand({ TableName: tableName, Key: REQUEST_LISTINGS_MARKER_KEY, ConsistentRead: true }),
  );
  if (out.Item !== undefined) return undefined;
  return moveRequestListings(db, tableName, options);
};

/**
 * On start: nothing when the table carries the marker; else the upgrade, whose report is answered.
 * Throws when items had to be left behind, so nothing is served on a table partly of the old format.
 */
export const ensureJurisdictionKeys = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  options: UpgradeOptions = {},
): Promise<UpgradeReport | undefined> => {
  if (await hasFormatMarker(db, tableName)) return undefined;
  const report = await upgradeTable(db, tableName, options);
  if (report.left.length > 0) {
    throw new Error(
      `The upgrade of table ${tableName} to jurisdiction keys is incomplete: ${describeUpgrade(report)}`,
    );
  }
  return report;
};
