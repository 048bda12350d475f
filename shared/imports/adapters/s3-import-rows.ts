import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportRowStorage } from '../app/ports.ts';
import type { ImportRow } from '../app/read-import.ts';

/** The object a queued import's validated rows are kept in: under `imports/`, by jurisdiction and import. */
export const importRowsObjectKey = (jurisdiction: string, importId: string): string =>
  `imports/${jurisdiction}/${importId}.json`;

/**
 * The validated rows of a queued import as one JSON object in the documents bucket, so the worker
 * applies exactly what the call validated without reading the file again (S3 adapter; the same code
 * against the local S3-compatible server).
 */
export class S3ImportRows implements ImportRowStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async putRows(objectKey: string, rows: readonly ImportRow[]): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: JSON.stringify(rows),
        ContentType: 'application/json',
      }),
    );
  }

  async getRows(objectKey: string): Promise<ImportRow[]> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    const text = (await out.Body?.transformToString('utf8')) ?? '';
    const rows = JSON.parse(text) as unknown;
    if (!Array.isArray(rows)) throw new Error(`${objectKey} holds no import rows`);
    return rows as ImportRow[];
  }
}
