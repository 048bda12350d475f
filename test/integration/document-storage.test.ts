import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from '../../local/aws-local.ts';
import { ensureBucket } from '../../local/provision.ts';
import { type RunningServer, startS3Server } from '../../local/servers.ts';
import { DynamoDocumentRepository } from '../../shared/documents/adapters/document-repository.ts';
import { S3ObjectStorage } from '../../shared/documents/adapters/s3-object-storage.ts';
import type { DossierDocument } from '../../shared/documents/domain/dossier-document.ts';
import { freshTable } from '../support/local-aws.ts';

const BUCKET = 'documents-test';
let directory: string;
let server: RunningServer;
let s3: S3Client;
let storage: S3ObjectStorage;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'giai-ngan-s3-'));
  server = await startS3Server({ directory });
  s3 = localS3Client(server.endpoint);
  await ensureBucket(s3, BUCKET);
  storage = new S3ObjectStorage(s3, BUCKET);
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  rmSync(directory, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const NOW = new Date('2026-03-01T08:00:00.000Z');
/** A presigned upload of these bytes under a key. */
const presign = (objectKey: string, bytes: Buffer, contentType = 'application/pdf', now = new Date()) =>
  storage.uploadUrl({ objectKey, contentType, sizeBytes: bytes.length, sha256: sha256(bytes) }, now);
/** Uploads the bytes as a client would: PUT to the presigned URL with its headers. */
const put = async (objectKey: string, bytes: Buffer, contentType?: string) => {
  const upload = await presign(objectKey, bytes, contentType);
  return fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
};

describe('the S3 object storage against the local S3-compatible server', () => {
  it('presigns an upload that signs the content type, length and SHA-256 checksum, valid five minutes', async () => {
    const bytes = Buffer.from('Bảng xác định giá trị khối lượng');
    const upload = await presign('tay-giang/r1/d1', bytes, 'application/pdf', NOW);
    const url = new URL(upload.url);
    expect(url.pathname).toBe(`/${BUCKET}/tay-giang/r1/d1`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host', 'x-amz-checksum-sha256']),
    );
    expect(upload).toMatchObject({
      method: 'PUT',
      headers: {
        'content-type': 'application/pdf',
        'x-amz-checksum-sha256': Buffer.from(sha256(bytes), 'hex').toString('base64'),
      },
      expiresAt: '2026-03-01T08:05:00.000Z',
    });
  });

  it('finds an uploaded object’s size and SHA-256 by reading it back, and nothing where nothing was uploaded', async () => {
    const bytes = Buffer.from('%PDF-1.7 giấy đề nghị thanh toán');
    expect((await put('tay-giang/r1/d2', bytes)).status).toBe(200);

    expect(await storage.inspect('tay-giang/r1/d2')).toEqual({
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    });
    expect(await storage.inspect('tay-giang/r1/none')).toBeUndefined();
  });

  it('keeps its objects as files: a server started again on the same folder still has them', async () => {
    const bytes = Buffer.from('kept across restarts');
    await put('da-nang/r2/d1', bytes, 'image/png');
    await server.stop();
    server = await startS3Server({ directory });
    s3.destroy();
    s3 = localS3Client(server.endpoint);
    storage = new S3ObjectStorage(s3, BUCKET);

    expect(await storage.inspect('da-nang/r2/d1')).toEqual({
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    });
    const download = await storage.downloadUrl('da-nang/r2/d1', 'Hồ sơ "A".png', new Date());
    const res = await fetch(download.url);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="H_ s_ _A_.png"; filename*=UTF-8''${encodeURIComponent('Hồ sơ "A".png')}`,
    );
  });
});

describe('the DynamoDB documents repository', () => {
  const aDocument = (id: string, requestId = 'r1'): DossierDocument => ({
    id,
    jurisdiction: 'tay-giang',
    requestId,
    commune: 'A Tiêng',
    type: 'payment-request',
    fileName: 'a.pdf',
    contentType: 'application/pdf',
    sizeBytes: 10,
    sha256: 'a'.repeat(64),
    objectKey: `tay-giang/${requestId}/${id}`,
    status: 'pending',
    uploadedBy: 'finance-1',
    createdAt: '2026-03-01T08:00:00.000Z',
  });

  it('stores a request’s documents in its partition, lists them, and reads another jurisdiction’s as absent', async () => {
    const table = await freshTable('documents');
    const repo = new DynamoDocumentRepository(table.db, table.tableName);
    await repo.putDocument(aDocument('d1'));
    await repo.putDocument(aDocument('d2'));
    await repo.putDocument(aDocument('d3', 'r2'));

    expect((await repo.listDocuments('tay-giang', 'r1')).map((d) => d.id).sort()).toEqual(['d1', 'd2']);
    expect(await repo.getDocument('tay-giang', 'r1', 'd1')).toEqual(aDocument('d1'));
    expect(await repo.getDocument('da-nang', 'r1', 'd1')).toBeUndefined();
    await expect(repo.putDocument(aDocument('d1'))).rejects.toThrow(/exists already/);
  });

  it('marks a document verified once, only while it declares the hash that was checked', async () => {
    const table = await freshTable('documents-verify');
    const repo = new DynamoDocumentRepository(table.db, table.tableName);
    await repo.putDocument(aDocument('d1'));
    const done = { ...aDocument('d1'), status: 'verified' as const, verifiedAt: '2026-03-01T09:00:00.000Z' };

    expect(await repo.markVerified({ ...done, sha256: 'b'.repeat(64) })).toBe(false);
    expect(await repo.markVerified(done)).toBe(true);
    expect(await repo.markVerified(done)).toBe(false);
    expect(await repo.getDocument('tay-giang', 'r1', 'd1')).toEqual(done);
  });
});
