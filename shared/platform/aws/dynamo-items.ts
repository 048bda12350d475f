import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError, ServiceUnavailableError } from '../errors.ts';
import { type KeyQuery, PRIMARY_KEY, partitionOf, STORAGE_ATTRIBUTES } from '../table/keys.ts';

/** An item without its storage keys: the domain object it holds. */
export const stripKeys = <T>(item: Record<string, unknown>): T => {
  const copy = { ...item };
  for (const k of STORAGE_ATTRIBUTES) delete copy[k];
  return copy as T;
};

export const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Every item of a query, page after page, without their storage keys. */
export const queryAll = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<T[]> => {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) items.push(stripKeys<T>(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};

/** A conditional put: true when written, false when its condition did not hold. */
export const conditionalPut = async (
  db: DynamoDBDocumentClient,
  input: PutCommandInput,
): Promise<boolean> => {
  try {
    await db.send(new PutCommand(input));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/** BatchWriteItem's limit: items per request. */
export const BATCH_WRITE_LIMIT = 25;

/**
 * Puts `items` (whole items, keys included) in batches of {@link BATCH_WRITE_LIMIT}, each batch sent again
 * with what DynamoDB left unprocessed (throttling), after a pause that doubles from 100 ms; after 8 such
 * retries of one batch it throws `gaveUp`. Unconditional puts: for items whose writes may be repeated.
 */
export const putAll = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  gaveUp = 'a batch write kept being throttled',
): Promise<number> => {
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT) {
    let pending = items.slice(i, i + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error(gaveUp);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
  return items.length;
};

/** An opaque cursor over a DynamoDB position (unsigned: the position is re-checked on the way back). */
export const encodeKeyCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/**
 * Decodes a cursor of {@link encodeKeyCursor}: only string values of storage keys pass, and `accept`
 * may check the partition; anything else is 400 invalid_cursor, never a malformed query.
 */
export const decodeKeyCursor = (
  cursor: string,
  accept: (key: Record<string, string>) => boolean = () => true,
): Record<string, unknown> => {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.entries(value).every(([k, v]) => STORAGE_ATTRIBUTES.includes(k) && typeof v === 'string') &&
      accept(value as Record<string, string>)
    ) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not base64url JSON: refused below
  }
  throw new InvalidCursorError('The cursor is not one this API returned; start again without it.');
};

/**
 * One page of a query. A filter may thin out what DynamoDB returns, so it keeps reading until the
 * page is full or the key range ends; `lastKey` is where the next page starts.
 */
export const queryPage = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: T[]; lastKey?: Record<string, unknown> }> => {
  const page = await queryRawPage(db, tableName, input, limit, startKey);
  return { ...page, items: page.items.map((item) => stripKeys<T>(item)) };
};

/**
 * {@link queryPage} of an index projecting only some attributes: the page's entries from the index,
 * then their items by key ({@link itemsOfListing}).
 */
export const queryItemsPage = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: T[]; lastKey?: Record<string, unknown> }> => {
  const page = await queryRawPage(db, tableName, input, limit, startKey);
  return { ...page, items: await itemsOfListing<T>(db, tableName, page.items) };
};

/** {@link queryPage}'s items as stored, keys included. */
const queryRawPage = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: Record<string, unknown>[]; lastKey?: Record<string, unknown> }> => {
  const items: Record<string, unknown>[] = [];
  let start = startKey;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        ...input,
        Limit: limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < limit);
  return { items, ...(start ? { lastKey: start } : {}) };
};

/**
 * A page of one partition's key range as the API hands it out: reads until the page is full or the
 * range ends; the cursor is the bare position, which must lie in the query's own partition (the HTTP
 * edge signs it for clients). `rest` adds the filter (its values include the key's) and the order.
 */
export const queryKeyPage = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: KeyQuery,
  rest: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'IndexName' | 'KeyConditionExpression'>,
  limit: number,
  cursor?: string,
): Promise<{ items: T[]; nextCursor?: string }> => {
  const partition = partitionOf(key);
  const { items, lastKey } = await queryPage<T>(
    db,
    tableName,
    { ...key, ...rest },
    limit,
    cursor ? decodeKeyCursor(cursor, (k) => k[partition.attribute] === partition.value) : undefined,
  );
  return { items, ...(lastKey ? { nextCursor: encodeKeyCursor(lastKey) } : {}) };
};

/**
 * The filter of a query, clause by clause (`#status = :status AND #scope.#commune = :scope_commune`),
 * with the names and values it needs. `values` starts with those of the key condition, so one
 * {@link QueryFilter.expression} gives the query all three parts.
 */
export class QueryFilter {
  readonly values: Record<string, unknown>;
  private readonly names: Record<string, string> = {};
  private readonly clauses: string[] = [];

  constructor(keyValues: Record<string, unknown> = {}) {
    this.values = { ...keyValues };
  }

  /** Adds `path op value`; each part of a dotted path (`scope.commune`) is named. */
  where(path: string, op: '=' | '>=' | '<', value: unknown, placeholder = `:${path.replaceAll('.', '_')}`) {
    const parts = path.split('.');
    for (const part of parts) this.names[`#${part}`] = part;
    this.values[placeholder] = value;
    this.clauses.push(`${parts.map((p) => `#${p}`).join('.')} ${op} ${placeholder}`);
    return this;
  }

  /** The query's filter, names and values: filter and names only when there is a clause. */
  expression() {
    return {
      ...(this.clauses.length
        ? { FilterExpression: this.clauses.join(' AND '), ExpressionAttributeNames: this.names }
        : {}),
      ExpressionAttributeValues: this.values,
    };
  }
}

/** BatchGetItem takes at most this many keys a request. */
const BATCH_GET_LIMIT = 100;

const primaryKeyOf = (item: Record<string, unknown>) => ({
  [PRIMARY_KEY.partitionKey]: item[PRIMARY_KEY.partitionKey],
  [PRIMARY_KEY.sortKey]: item[PRIMARY_KEY.sortKey],
});
/** A key's id in {@link batchGetByKey}'s answer: `pk`, NUL, `sk`. */
export const keyId = (item: Record<string, unknown>) =>
  `${String(item[PRIMARY_KEY.partitionKey])}\u0000${String(item[PRIMARY_KEY.sortKey])}`;

/** How many times keys DynamoDB leaves unprocessed (throttling) are asked for, in all, before giving up. */
const BATCH_GET_ATTEMPTS = 8;

/**
 * The items of at most 100 keys with BatchGetItem, by key id (`pk`, NUL, `sk`); the keys DynamoDB leaves
 * unprocessed asked again after a growing pause (10 ms doubling, at most 1 s), 8 tries in all: a table
 * still throttled after that answers "briefly busy" (503, or a redelivery) instead of holding the call.
 */
export const batchGetByKey = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly object[],
  options: { consistentRead?: boolean } = {},
): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  let pending = keys.map((k) => primaryKeyOf(k as Record<string, unknown>));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= BATCH_GET_ATTEMPTS) {
      throw new ServiceUnavailableError(
        `DynamoDB left ${pending.length} of ${keys.length} keys unprocessed after ${BATCH_GET_ATTEMPTS} tries (throttled)`,
      );
    }
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** attempt)));
    const out = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: { Keys: pending, ...(options.consistentRead ? { ConsistentRead: true } : {}) },
        },
      }),
    );
    for (const item of out.Responses?.[tableName] ?? []) found.set(keyId(item), item);
    pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as typeof pending;
  }
  return found;
};

/**
 * The items of a listing read from an index that projects only some attributes: the items themselves,
 * by their primary keys (which every index entry carries), in the listing's order, without their
 * storage keys. BatchGetItem by 100 keys ({@link batchGetByKey}); eventually consistent, as the index
 * the keys come from is. An item gone meanwhile is left out.
 */
export const itemsOfListing = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  listed: readonly Record<string, unknown>[],
): Promise<T[]> => {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < listed.length; i += BATCH_GET_LIMIT) {
    const batch = await batchGetByKey(db, tableName, listed.slice(i, i + BATCH_GET_LIMIT));
    for (const [id, item] of batch) found.set(id, item);
  }
  return listed.flatMap((entry) => {
    const item = found.get(keyId(entry));
    return item ? [stripKeys<T>(item)] : [];
  });
};

/** Every entry of a query of an index projecting only some attributes, then the items by key. */
export const queryAllItems = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<T[]> => {
  const listed: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey: start }));
    listed.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return itemsOfListing<T>(db, tableName, listed);
};
