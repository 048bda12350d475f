/**
 * The store's own growth (issue 20): does DynamoDB Local answer the same request more slowly as its table
 * grows? The province bench (./province.ts) finds the same reads taking 1.45× to 3.36× the time at a
 * million entries as at 100,000. This takes our code out of it: one table of the ledger's declaration,
 * filled with entry-shaped items (the entries' keys and `gsi1` listing, about 1.2 KB each) in batches,
 * and at each size the same six requests, sent straight with the SDK:
 *
 * - the year's first 100 entries on `gsi1` (the audit page's request), and 100 from the middle of the
 *   smallest size's year;
 * - one allocation's newest entries, read consistently (the statement page's request), and its oldest:
 *   as many as it has at the smallest size, at most 50;
 * - one entry by key (`GetItem`);
 * - three entries by key (`BatchGetItem`, the series' shape).
 *
 * Apart from the newest entries, the items asked for are the same at every size (written first), so
 * only the table around them grows.
 *
 * `node scripts/run.mjs bench/store-growth.ts [--dynamo-dir DIR] [sizes…]`, sizes 100000 1000000 by
 * default. `--dynamo-dir /dev/shm` keeps the table in a file on a tmpfs, as the province's million needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../local/aws-local.ts';
import { ensureTable } from '../local/provision.ts';
import { startDynamoDbLocal } from '../local/servers.ts';
import { createDocumentClient } from '../shared/platform/aws/aws-clients.ts';
import { BATCH_WRITE_LIMIT, putAll } from '../shared/platform/aws/dynamo-items.ts';
import { entryKeys, INDEXES } from '../shared/platform/table/keys.ts';

const JURISDICTION = 'growth';
const FISCAL_YEAR = 2026;
const ALLOCATIONS = 2_800;
const WORKERS = 8;
const RUNS = 31;
/** Rounds before each size's timing: DynamoDB Local's JIT warms up over the first few hundred requests. */
const WARM_UP = 500;

const args = process.argv.slice(2);
const dirAt = args.indexOf('--dynamo-dir');
const dynamoDir = dirAt >= 0 ? args[dirAt + 1] : undefined;
if (dirAt >= 0 && !dynamoDir) throw new Error('--dynamo-dir needs a directory, e.g. --dynamo-dir /dev/shm');
const sizes = args.filter((_, i) => dirAt < 0 || (i !== dirAt && i !== dirAt + 1)).map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
  throw new Error(`sizes must be whole numbers of entries, e.g. 100000 1000000; got ${sizes.join(' ')}`);
}
const targets = (sizes.length > 0 ? sizes : [100_000, 1_000_000]).sort((a, b) => a - b);

const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The n-th entry (0-based): allocations in turn, seq growing, posted through the year in order. */
const entryItem = (n: number) => {
  const allocationId = `growth-alloc-${String(n % ALLOCATIONS).padStart(4, '0')}`;
  const seq = Math.floor(n / ALLOCATIONS) + 1;
  const postedAt = new Date(Date.UTC(FISCAL_YEAR, 0, 1) + n * 1_000).toISOString();
  return {
    ...entryKeys.item(JURISDICTION, { allocationId, seq, fiscalYear: FISCAL_YEAR, postedAt }),
    allocationId,
    seq,
    fiscalYear: FISCAL_YEAR,
    postedAt,
    amountVnd: 1_000_000 + (n % 997) * 1_000,
    // The rest of a real entry (request, payee, approvals, hashes) as one attribute of the same size.
    body: 'x'.repeat(1_000),
  };
};

const dynamoFiles = dynamoDir ? mkdtempSync(join(dynamoDir, 'giai-ngan-store-growth-')) : undefined;
const dynamo = await startDynamoDbLocal(dynamoFiles ? { dataDir: dynamoFiles } : {});
const client = localDynamoClient(dynamo.endpoint);
const db = createDocumentClient(client);
const tableName = 'store-growth';
log(
  `== DynamoDB Local's own growth: one table, entry-shaped items, ${dynamoFiles ? `a file under ${dynamoDir}` : 'in memory'} ==`,
);

try {
  await ensureTable(client, tableName);
  const probe = entryItem(0);
  const statementAllocation = probe.allocationId;
  // A mid-point of the first size's year: the same 100 entries at every size.
  const smallest = targets[0] ?? 0;
  const auditFrom = entryItem(Math.floor(smallest / 2)).postedAt;
  const statementLines = Math.max(1, Math.min(50, Math.floor(smallest / ALLOCATIONS)));
  const requests: Record<string, () => Promise<unknown>> = {
    // The audit page's request: the year's first 100 entries on gsi1.
    'gsi1: the first 100 of the year (audit page)': () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEXES.gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': INDEXES.gsi1.partitionKey },
          ExpressionAttributeValues: { ':pk': probe.gsi1pk },
          Limit: 100,
        }),
      ),
    'gsi1: 100 from the middle of the smallest year': () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEXES.gsi1.name,
          KeyConditionExpression: '#pk = :pk AND #sk >= :from',
          ExpressionAttributeNames: { '#pk': INDEXES.gsi1.partitionKey, '#sk': INDEXES.gsi1.sortKey },
          ExpressionAttributeValues: { ':pk': probe.gsi1pk, ':from': auditFrom },
          Limit: 100,
        }),
      ),
    // The statement page's request: an allocation's newest lines, read consistently.
    [`an allocation's ${statementLines} newest, consistent (statement page)`]: () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          ExpressionAttributeValues: { ':pk': probe.pk, ':e': 'E#' },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: statementLines,
        }),
      ),
    [`an allocation's ${statementLines} oldest`]: () =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          ExpressionAttributeValues: { ':pk': probe.pk, ':e': 'E#' },
          Limit: statementLines,
        }),
      ),
    'GetItem of one entry': () =>
      db.send(new GetCommand({ TableName: tableName, Key: { pk: probe.pk, sk: probe.sk } })),
    'BatchGetItem of three entries': () =>
      db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: [0, 1, 2].map((n) => {
                const { pk, sk } = entryItem(n * 7);
                return { pk, sk };
              }),
            },
          },
        }),
      ),
  };
  log(`statement allocation ${statementAllocation}, audit page from ${auditFrom}`);

  const rows: { entries: number; fillSeconds: number; p50Ms: Record<string, number> }[] = [];
  let written = 0;
  for (const size of targets) {
    const fillStarted = performance.now();
    let next = written;
    let lastReport = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < size) {
          const from = next;
          next = Math.min(size, next + BATCH_WRITE_LIMIT * 4);
          await putAll(
            db,
            tableName,
            Array.from({ length: next - from }, (_, i) => entryItem(from + i)),
          );
          if (performance.now() - lastReport > 30_000) {
            lastReport = performance.now();
            const seconds = (performance.now() - fillStarted) / 1000;
            log(
              `  filled ${next.toLocaleString('en')} of ${size.toLocaleString('en')} (${round(seconds, 0)} s)`,
            );
          }
        }
      }),
    );
    const fillSeconds = round((performance.now() - fillStarted) / 1000, 1);
    log(
      `${size.toLocaleString('en')} entries (${fillSeconds} s to add ${(size - written).toLocaleString('en')})`,
    );
    written = size;
    // A pause: the fill's last writes and garbage settle before the timing.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const p50Ms: Record<string, number> = {};
    for (const [name, send] of Object.entries(requests)) {
      for (let i = 0; i < WARM_UP; i++) await send();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await send();
        times.push(performance.now() - t0);
      }
      p50Ms[name] = round(median(times));
      log(`  ${name}: p50 ${p50Ms[name]} ms`);
    }
    rows.push({ entries: size, fillSeconds, p50Ms });
  }
  const first = rows[0];
  const last = rows.at(-1);
  const ratios =
    first && last && first !== last
      ? Object.fromEntries(
          Object.keys(first.p50Ms).map((name) => [
            name,
            round((last.p50Ms[name] ?? 0) / (first.p50Ms[name] ?? 1)),
          ]),
        )
      : {};
  log(JSON.stringify({ storage: dynamoFiles ? `file under ${dynamoDir}` : 'memory', rows, ratios }, null, 2));
} finally {
  client.destroy();
  await dynamo.stop();
  if (dynamoFiles) rmSync(dynamoFiles, { recursive: true, force: true });
}
process.exit(0);
