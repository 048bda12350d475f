import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from '../../local/aws-local.ts';
import { ensureBucket, ensureTable } from '../../local/provision.ts';
import { awaitSeed, claimSeedCache, restoreSeed, saveSeed } from '../../local/seed-cache.ts';
import { type RunningServer, startS3Server } from '../../local/servers.ts';
import { freshTable } from '../support/local-aws.ts';

let server: RunningServer;
let s3: S3Client;
const dirs: string[] = [];
const tempDir = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), label));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  server = await startS3Server({ directory: tempDir('seed-cache-s3-') });
  s3 = localS3Client(server.endpoint);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A table and a bucket, as a runtime's namespace has them. */
const namespace = async (label: string) => {
  const table = await freshTable(label);
  const documentsBucket = `${table.tableName}-documents`.toLowerCase();
  await ensureBucket(s3, documentsBucket);
  return { ...table, source: { db: table.raw, s3, tableName: table.tableName, documentsBucket } };
};

const itemsOf = async (t: Awaited<ReturnType<typeof namespace>>) =>
  ((await t.raw.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true }))).Items ?? []).sort(
    (a, b) => `${a.pk?.S}${a.sk?.S}`.localeCompare(`${b.pk?.S}${b.sk?.S}`),
  );
const objectsOf = async (bucket: string) => {
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map(
    (o) => o.Key,
  );
  return Promise.all(
    keys.sort().map(async (Key) => {
      const o = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      return {
        key: Key,
        type: o.ContentType,
        body: Buffer.from((await o.Body?.transformToByteArray()) ?? []),
      };
    }),
  );
};

describe('the test run’s seed cache (local/seed-cache.ts)', () => {
  it('copies the seeded items and documents whole into a later namespace, as they stood when recorded', async () => {
    const cacheDir = tempDir('seed-cache-');
    const settings = { clock: '2024-11-20T02:00:00.000Z', ratio: 0.11 };
    const first = await namespace('seed-first');
    // Items of every kind of attribute the seeding writes: strings, numbers past 2^53, sets, lists, maps.
    for (let i = 0; i < 60; i++) {
      await first.db.send(
        new PutCommand({
          TableName: first.tableName,
          Item: {
            pk: `J#x#REQ#${i}`,
            sk: 'R',
            amountVnd: 1_000_000_000_000_000 + i,
            members: new Set([`m${i}`, `n${i}`]),
            approvals: [{ level: 'commune', at: '2024-09-01T00:00:00Z' }],
            codes: { chapter: '805', item: i },
            ...(i % 2 === 0 ? { gsi6pk: 'J#x#REQ', gsi6sk: `2024-09-01#${i}` } : {}),
          },
        }),
      );
    }
    const pdf = Buffer.from('%PDF-1.7 tờ trình\n');
    await s3.send(
      new PutObjectCommand({
        Bucket: first.source.documentsBucket,
        Key: 'x/r1/to-trinh.pdf',
        Body: pdf,
        ContentType: 'application/pdf',
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: first.source.documentsBucket, Key: 'x/r2/a b.png', Body: 'png' }),
    );

    expect(claimSeedCache(cacheDir, settings)).toBe(true);
    // A second runtime finds the entry claimed, not ready: it waits (here, not for long).
    expect(claimSeedCache(cacheDir, settings)).toBe(false);
    expect(await awaitSeed(cacheDir, settings, 200)).toBe(false);
    expect(await restoreSeed(cacheDir, settings, first.source)).toBeUndefined();
    const clockAfter = new Date('2024-11-20T02:00:41.000Z');
    await saveSeed(
      cacheDir,
      settings,
      { ...first.source, createTable: (name) => ensureTable(first.raw, name) },
      { seeded: 74, logs: ['seeded the demo plan: 74 allocations'], clockAfter },
    );
    const recorded = await itemsOf(first);
    // What the first runtime's tests do afterwards does not reach the copies.
    await first.db.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'J#x#LATER', sk: 'A' } }));

    expect(await awaitSeed(cacheDir, settings, 200)).toBe(true);
    const later = await namespace('seed-later');
    const restored = await restoreSeed(cacheDir, settings, later.source);
    expect(restored).toEqual({
      seeded: 74,
      logs: ['seeded the demo plan: 74 allocations'],
      clockAfter,
      items: recorded.length,
    });
    expect(recorded.length).toBeGreaterThanOrEqual(60);
    expect(await itemsOf(later)).toEqual(recorded);
    expect(await objectsOf(later.source.documentsBucket)).toEqual([
      { key: 'x/r1/to-trinh.pdf', type: 'application/pdf', body: pdf },
      { key: 'x/r2/a b.png', type: expect.any(String), body: Buffer.from('png') },
    ]);
    // Other settings (another clock) have no entry.
    expect(await restoreSeed(cacheDir, { ...settings, clock: null }, later.source)).toBeUndefined();
  }, 60_000);
});
