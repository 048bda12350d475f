import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { DigestAnchorStore } from '../app/ports.ts';
import type { StoredDigestCopy } from '../domain/anchored-digest.ts';

const status = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const name = (error: unknown) => (error as { name?: string })?.name;

const isNotFound = (error: unknown): boolean =>
  name(error) === 'NotFound' || name(error) === 'NoSuchKey' || status(error) === 404;

/** S3's answers to a conditional write that found an object there (412), or raced another (409). */
const isAlreadyThere = (error: unknown): boolean =>
  name(error) === 'PreconditionFailed' || status(error) === 412 || status(error) === 409;

/** The metadata key the document's SHA-256 (hex) is stored under (`x-amz-meta-sha256`). */
const SHA256_METADATA = 'sha256';

/**
 * S3 adapter of the {@link DigestAnchorStore}. In AWS the bucket has Object Lock in compliance mode
 * (infra/digest-anchor-bucket.ts): each document is written with its retention and S3's own SHA-256
 * check of the bytes, `If-None-Match: *` so an existing key is never replaced (the bucket policy refuses
 * a put without it). The local S3-compatible server enforces neither Object Lock nor `If-None-Match`,
 * so the adapter looks first (HEAD) and writes only where nothing is: never an overwrite by this code.
 */
export class S3DigestAnchorStore implements DigestAnchorStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Whether to write Object Lock headers (the AWS bucket; the local server has no Object Lock). */
    private readonly objectLock: boolean,
  ) {}

  async putIfAbsent(
    key: string,
    body: string,
    sha256: string,
    retainUntil: Date,
  ): Promise<'created' | 'existed'> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return 'existed';
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json; charset=utf-8',
          // S3 refuses the put unless the bytes it receives have this SHA-256.
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
          Metadata: { [SHA256_METADATA]: sha256 },
          IfNoneMatch: '*',
          ...(this.objectLock
            ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: retainUntil }
            : {}),
        }),
      );
      return 'created';
    } catch (error) {
      if (isAlreadyThere(error)) return 'existed';
      throw error;
    }
  }

  async get(key: string): Promise<StoredDigestCopy | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = (await out.Body?.transformToString('utf-8')) ?? '';
      const sha256 = out.Metadata?.[SHA256_METADATA];
      return { key, body, ...(sha256 !== undefined ? { sha256 } : {}) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async firstKey(prefix: string): Promise<string | undefined> {
    return (await this.keysUnder(prefix)).reduce<string | undefined>(
      (least, key) => (least === undefined || key < least ? key : least),
      undefined,
    );
  }

  async lastKey(prefix: string): Promise<string | undefined> {
    return (await this.keysUnder(prefix)).reduce<string | undefined>(
      (greatest, key) => (greatest === undefined || key > greatest ? key : greatest),
      undefined,
    );
  }

  /** Every key under `prefix` (one per anchored day: a few thousand at most), page by page. */
  private async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
