import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchGetByKey, keyId } from '../../shared/platform/aws/dynamo-items.ts';
import { ServiceUnavailableError } from '../../shared/platform/errors.ts';
import { freshTable } from '../support/local-aws.ts';

/**
 * DynamoDB answers a throttled BatchGetItem with some keys unprocessed; DynamoDB Local never does. The
 * throttling is modelled on the real server's answers: a middleware (on the client's stack, so in the
 * wire format) takes items out of `Responses` and hands their keys back as `UnprocessedKeys`.
 */
const throttleBatchGets = (
  client: Awaited<ReturnType<typeof freshTable>>['db'],
  tableName: string,
  leaveUnprocessed: (call: number) => number,
) => {
  const calls: number[] = [];
  client.middlewareStack.add(
    ((
      next: (args: unknown) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
      async (args: unknown) => {
        const result = await next(args);
        if (!context.commandName?.startsWith('BatchGet')) return result;
        calls.push(calls.length + 1);
        const output = result.output as {
          Responses?: Record<string, Record<string, unknown>[]>;
          UnprocessedKeys?: Record<string, { Keys: Record<string, unknown>[] }>;
        };
        const items = output.Responses?.[tableName] ?? [];
        const held = items.slice(0, leaveUnprocessed(calls.length));
        if (held.length > 0) {
          output.Responses = { [tableName]: items.slice(held.length) };
          output.UnprocessedKeys = {
            [tableName]: { Keys: held.map((i) => ({ pk: i.pk, sk: i.sk })) },
          };
        }
        return result;
      }) as never,
    { step: 'initialize', name: 'throttle-batch-gets', override: true },
  );
  return calls;
};

describe('batchGetByKey: the keys DynamoDB leaves unprocessed', () => {
  const keys = ['a', 'b', 'c', 'd'].map((id) => ({ pk: `BATCH#${id}`, sk: 'R' }));
  let table: Awaited<ReturnType<typeof freshTable>>;

  beforeAll(async () => {
    table = await freshTable('batch-get');
    for (const [n, k] of keys.entries()) {
      await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...k, n } }));
    }
  });

  it('are asked for again until every item is read', async () => {
    const { db } = await freshTable('batch-get-again', table.tableName);
    // Three held back, then one, then none.
    const calls = throttleBatchGets(db, table.tableName, (call) => [3, 1][call - 1] ?? 0);
    const found = await batchGetByKey(db, table.tableName, keys, { consistentRead: true });
    expect(calls).toHaveLength(3);
    expect(keys.map((k) => found.get(keyId({ ...k }))?.n)).toEqual([0, 1, 2, 3]);
  });

  it('answer "briefly busy" (503) after 8 tries instead of holding the call without end', async () => {
    const { db } = await freshTable('batch-get-busy', table.tableName);
    const calls = throttleBatchGets(db, table.tableName, () => 1);
    const read = batchGetByKey(db, table.tableName, keys);
    await expect(read).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(read).rejects.toThrow(/left 1 of 4 keys unprocessed after 8 tries/);
    expect(calls).toHaveLength(8);
  });
});
