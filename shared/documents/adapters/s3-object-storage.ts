import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStorage, PresignedRequest, UploadTarget } from '../app/ports.ts';
import { MAX_DOCUMENT_BYTES, type StoredObject } from '../domain/dossier-document.ts';

/** How long a presigned upload or download URL is valid: five minutes. */
export const PRESIGNED_URL_SECONDS = 300;

const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const base64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

const isNotFound = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

/** `attachment` with the file name, ASCII fallback and RFC 5987 UTF-8 form (Vietnamese names). */
const attachment = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/**
 * S3 adapter of the {@link ObjectStorage} port (the same code against the local S3-compatible server).
 * A presigned upload signs the content type and length and carries the SHA-256 as
 * `x-amz-checksum-sha256`, so S3 refuses any other file; verification still reads the stored object
 * back (S3's own SHA-256 checksum when it has one, else the bytes), because the local server checks
 * neither signature nor checksum.
 */
export class S3ObjectStorage implements ObjectStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async uploadUrl(target: UploadTarget, now: Date): Promise<PresignedRequest> {
    const checksum = hexToBase64(target.sha256);
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: target.objectKey,
        ContentType: target.contentType,
        ContentLength: target.sizeBytes,
        ChecksumSHA256: checksum,
      }),
      {
        expiresIn: PRESIGNED_URL_SECONDS,
        signingDate: now,
        // Signed headers, not query parameters: the upload must send exactly these.
        signableHeaders: new Set(['content-type', 'content-length']),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      },
    );
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': target.contentType, 'x-amz-checksum-sha256': checksum },
      expiresAt: new Date(now.getTime() + PRESIGNED_URL_SECONDS * 1000).toISOString(),
    };
  }

  async downloadUrl(objectKey: string, fileName: string, now: Date): Promise<PresignedRequest> {
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        ResponseContentDisposition: attachment(fileName),
      }),
      { expiresIn: PRESIGNED_URL_SECONDS, signingDate: now },
    );
    return {
      url,
      method: 'GET',
      headers: {},
      expiresAt: new Date(now.getTime() + PRESIGNED_URL_SECONDS * 1000).toISOString(),
    };
  }

  async inspect(objectKey: string): Promise<StoredObject | undefined> {
    let head: { ContentLength?: number | undefined; ChecksumSHA256?: string | undefined };
    try {
      head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey, ChecksumMode: 'ENABLED' }),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const sizeBytes = head.ContentLength ?? 0;
    // S3's full-object SHA-256 (a multipart upload's composite checksum ends in -<parts>: not comparable).
    if (head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-'))
      return { sizeBytes, sha256: base64ToHex(head.ChecksumSHA256) };
    // Larger than any declaration: its size already says it is not the declared file; no need to read it.
    if (sizeBytes > MAX_DOCUMENT_BYTES) return { sizeBytes, sha256: '' };
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    const hash = createHash('sha256');
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
    return { sizeBytes, sha256: hash.digest('hex') };
  }
}
