import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { putAll } from '../shared/platform/aws/dynamo-items.ts';
import type { StoredItem } from '../shared/platform/table/upgrade.ts';
import { exactDocumentClient, scanAll } from './table-upgrade.ts';

/**
 * The seeded demo copied instead of seeded again, for test runs only (`SEED_CACHE_DIR`, set by the test
 * run's global setup; `npm start` never sets it). Five test files start a seeded runtime, and seeding
 * takes about 45 s each through the use cases, on the two cores every file shares. The first runtime to
 * claim a cache entry seeds as usual, then copies its table's items into a template table of their own
 * (on the run's shared DynamoDB Local, before its functions load: nothing has changed them yet) and its
 * documents into files here, with its log lines; a later one with the same settings copies the
 * template's items and the documents, prints the same lines and sets its clock to where the seeding
 * left the first one's: the same state, as if it had seeded. One that finds the entry claimed but not
 * ready waits for it, and seeds on its own only if it never comes.
 */
export interface SeedSource {
  db: DynamoDBClient;
  s3: S3Client;
  tableName: string;
  documentsBucket: string;
}

interface CachedSeed {
  /** The template table: the seeded items, as the seeding left them. */
  tableName: string;
  /** What the seeding returned: the allocations of the first demo plan. */
  seeded: number;
  logs: string[];
  /** The system clock when the seeding ended (ISO). */
  clockAfter: string;
}

/** The entry for these seed settings (the clock at start, the provincial ratio). */
const entryDir = (cacheDir: string, settings: unknown) =>
  join(cacheDir, createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16));

/** Takes the entry (true) unless another runtime has; atomic: `mkdir` fails on an existing folder. */
export const claimSeedCache = (cacheDir: string, settings: unknown): boolean => {
  mkdirSync(cacheDir, { recursive: true });
  try {
    mkdirSync(entryDir(cacheDir, settings));
    return true;
  } catch {
    return false;
  }
};

/** Records a finished seeding: the documents as files, then the entry's description (its commit marker). */
export const saveSeed = async (
  cacheDir: string,
  settings: unknown,
  from: SeedSource & { createTable: (name: string) => Promise<unknown> },
  seeded: { seeded: number; logs: string[]; clockAfter: Date },
): Promise<void> => {
  const dir = entryDir(cacheDir, settings);
  const template = `${from.tableName}-seed-template`;
  await from.createTable(template);
  await copyItems(from.db, from.tableName, template);
  const objects = join(dir, 'documents');
  mkdirSync(objects, { recursive: true });
  let token: string | undefined;
  let n = 0;
  do {
    const page = await from.s3.send(
      new ListObjectsV2Command({ Bucket: from.documentsBucket, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      const object = await from.s3.send(new GetObjectCommand({ Bucket: from.documentsBucket, Key: o.Key }));
      const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      const file = join(objects, String(n++));
      writeFileSync(file, body);
      writeFileSync(`${file}.json`, JSON.stringify({ key: o.Key, contentType: object.ContentType }));
    }
    token = page.NextContinuationToken;
  } while (token);
  const entry: CachedSeed = {
    tableName: template,
    seeded: seeded.seeded,
    logs: seeded.logs,
    clockAfter: seeded.clockAfter.toISOString(),
  };
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(entry));
};

/**
 * Waits until the runtime that claimed the entry has recorded its seeding (true), at most `timeoutMs`
 * (false: it may have stopped half-way; the caller then seeds on its own). Waiting costs less than
 * seeding beside it: both would share the same two cores. Two minutes: seeding takes 45 s alone and
 * 60–90 s beside another test file, and a waiter that then seeds on its own must still start within
 * the 240 s the tests give a seeded runtime (test/e2e/support/local-runtime.ts).
 */
export const awaitSeed = async (
  cacheDir: string,
  settings: unknown,
  timeoutMs = 120_000,
): Promise<boolean> => {
  const ready = join(entryDir(cacheDir, settings), 'seed.json');
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (existsSync(ready)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return existsSync(ready);
};

/**
 * Copies a recorded seeding into `to` (a table and bucket just created, empty): every item of the
 * recorded table, every document. Undefined when no seeding is recorded for these settings.
 */
export const restoreSeed = async (
  cacheDir: string,
  settings: unknown,
  to: SeedSource,
): Promise<{ seeded: number; logs: string[]; clockAfter: Date; items: number } | undefined> => {
  const dir = entryDir(cacheDir, settings);
  if (!existsSync(join(dir, 'seed.json'))) return undefined;
  const entry = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as CachedSeed;
  const items = await copyItems(to.db, entry.tableName, to.tableName);
  const objects = join(dir, 'documents');
  for (const name of readdirSync(objects).filter((f) => !f.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(join(objects, `${name}.json`), 'utf8')) as {
      key: string;
      contentType?: string;
    };
    await to.s3.send(
      new PutObjectCommand({
        Bucket: to.documentsBucket,
        Key: meta.key,
        Body: readFileSync(join(objects, name)),
        ...(meta.contentType ? { ContentType: meta.contentType } : {}),
      }),
    );
  }
  return { seeded: entry.seeded, logs: entry.logs, clockAfter: new Date(entry.clockAfter), items };
};

/**
 * Every item of table `from` put in table `to`, as stored (numbers read as exact decimals, sets as sets:
 * the table upgrade's client); returns how many.
 */
const copyItems = async (raw: DynamoDBClient, from: string, to: string): Promise<number> => {
  const db = exactDocumentClient(raw);
  const items: StoredItem[] = [];
  await scanAll(db, from, (page) => items.push(...page));
  return putAll(db, to, items, `seed cache: items not written to ${to}`);
};
