import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from '../../local/aws-local.ts';
import { ensureBucket } from '../../local/provision.ts';
import { type RunningServer, startS3Server } from '../../local/servers.ts';
import { S3DigestAnchorStore } from '../../shared/audit/adapters/s3-digest-anchor-store.ts';
import {
  buildDigestDocument,
  digestObjectKey,
  digestObjectPrefix,
  readDigestCopy,
} from '../../shared/audit/domain/anchored-digest.ts';

const BUCKET = 'digest-anchors-test';
const RETAIN = new Date('2036-12-02T00:00:00.000Z');
let directory: string;
let server: RunningServer;
let s3: S3Client;
let store: S3DigestAnchorStore;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'giai-ngan-anchor-'));
  server = await startS3Server({ directory });
  s3 = localS3Client(server.endpoint);
  await ensureBucket(s3, BUCKET);
  store = new S3DigestAnchorStore(s3, BUCKET, false);
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  rmSync(directory, { recursive: true, force: true });
});

const head = (allocationId: string, seq: number) => ({
  allocationId,
  fiscalYear: 2026,
  seq,
  hash: String(seq % 10).repeat(64),
});

describe('the digest anchor store against the local S3-compatible server', () => {
  it('writes a day once: a second write of the same key, even with other bytes, keeps the first', async () => {
    const key = digestObjectKey('tay-giang', '2026-12-01');
    const first = buildDigestDocument('tay-giang', '2026-12-01', '2026-12-01T16:50:00.000Z', [head('a', 1)]);
    const other = buildDigestDocument('tay-giang', '2026-12-01', '2026-12-01T17:50:00.000Z', [head('a', 2)]);
    expect(await store.putIfAbsent(key, first.body, first.sha256, RETAIN)).toBe('created');
    expect(await store.putIfAbsent(key, other.body, other.sha256, RETAIN)).toBe('existed');
    const copy = await store.get(key);
    expect(copy).toEqual({ key, body: first.body, sha256: first.sha256 });
    expect(readDigestCopy(copy as NonNullable<typeof copy>, 'tay-giang', '2026-12-01')).toMatchObject({
      ok: true,
      document: { heads: [head('a', 1)] },
    });
    // The object lies under DATA_DIR's s3 folder, in the bucket's own directory.
    expect(readdirSync(directory)).toContain(BUCKET);
  });

  it('reads nothing for a day never written, and the latest day of a jurisdiction by key', async () => {
    for (const date of ['2026-11-29', '2026-11-30', '2026-12-01']) {
      const doc = buildDigestDocument('da-nang', date, `${date}T16:50:00.000Z`, [head('b', 3)]);
      await store.putIfAbsent(digestObjectKey('da-nang', date), doc.body, doc.sha256, RETAIN);
    }
    expect(await store.get(digestObjectKey('da-nang', '2026-11-28'))).toBeUndefined();
    expect(await store.lastKey(digestObjectPrefix('da-nang'))).toBe(digestObjectKey('da-nang', '2026-12-01'));
    expect(await store.lastKey(digestObjectPrefix('nowhere'))).toBeUndefined();
  });

  it('reports a copy rewritten behind its back (the local server enforces no Object Lock)', async () => {
    const key = digestObjectKey('tay-giang', '2026-11-15');
    const doc = buildDigestDocument('tay-giang', '2026-11-15', '2026-11-15T16:50:00.000Z', [head('c', 4)]);
    await store.putIfAbsent(key, doc.body, doc.sha256, RETAIN);
    const forged = buildDigestDocument('tay-giang', '2026-11-15', '2026-11-15T16:50:00.000Z', [head('c', 5)]);
    // Someone with the local server's keys puts over it directly (not through the adapter).
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: forged.body, Metadata: { sha256: doc.sha256 } }),
    );
    const copy = await store.get(key);
    expect(readDigestCopy(copy as NonNullable<typeof copy>, 'tay-giang', '2026-11-15')).toMatchObject({
      ok: false,
      problem: expect.stringContaining(`not the ${doc.sha256} recorded when it was written`),
    });
  });
});
