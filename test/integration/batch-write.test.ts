import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { putAll } from '../../shared/platform/aws/dynamo-items.ts';
import { freshTable } from '../support/local-aws.ts';

/**
 * DynamoDB answers a throttled BatchWriteItem with some puts unprocessed; DynamoDB Local never does. A
 * middleware on the client's stack holds back the first puts of a call (they are not sent) and hands them
 * back as `UnprocessedItems`, as the real server would.
 */
const throttleBatchWrites = (
  client: Awaited<ReturnType<typeof freshTable>>['db'],
  tableName: string,
  holdBack: (call: number) => number,
) => {
  const sizes: number[] = [];
  client.middlewareStack.add(
    ((
      next: (args: unknown) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
      async (args: { input: { RequestItems: Record<string, unknown[]> } }) => {
        if (!context.commandName?.startsWith('BatchWrite')) return next(args);
        const puts = args.input.RequestItems[tableName] ?? [];
        sizes.push(puts.length);
        const held = puts.slice(0, holdBack(sizes.length));
        args.input.RequestItems[tableName] = puts.slice(held.length);
        const result = await next(args);
        if (held.length > 0) result.output.UnprocessedItems = { [tableName]: held };
        return result;
      }) as never,
    { step: 'initialize', name: 'throttle-batch-writes', override: true },
  );
  return sizes;
};

describe('putAll: batches of 25, and what DynamoDB leaves unprocessed', () => {
  it('sends the unprocessed puts again until every item is written', async () => {
    const { db, tableName } = await freshTable('batch-write');
    const sizes = throttleBatchWrites(db, tableName, (call) => [5, 2][call - 1] ?? 0);
    const items = Array.from({ length: 60 }, (_, n) => ({ pk: 'PUTALL', sk: String(n).padStart(2, '0'), n }));

    expect(await putAll(db, tableName, items)).toBe(60);

    // The first batch of 25 lost 5, then 2 of those; then the batches of 25 and 10.
    expect(sizes).toEqual([25, 5, 2, 25, 10]);
    const stored = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'PUTALL' },
      }),
    );
    expect(stored.Items?.map((i) => i.n)).toEqual(items.map((i) => i.n));
  });
});
