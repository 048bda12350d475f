import {
  type DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../errors.ts';
import { type KeyQuery, partitionOf, STORAGE_ATTRIBUTES } from '../table/keys.ts';

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
  const items: T[] = [];
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
    for (const item of out.Items ?? []) items.push(stripKeys<T>(item));
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
