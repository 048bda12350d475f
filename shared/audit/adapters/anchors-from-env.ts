import { S3Client } from '@aws-sdk/client-s3';
import { sdkRequestHandler } from '../../platform/aws/sdk-http.ts';
import { traced } from '../../platform/aws/tracer.ts';
import { requireEnv } from '../../platform/config/runtime-config.ts';
import type { AnchorDeps } from '../app/anchor-digest.ts';
import type { DigestAnchorStore } from '../app/ports.ts';
import {
  DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS,
  DIGEST_ANCHOR_RETENTION_YEARS_ENV,
  DIGEST_ANCHORS_BUCKET_ENV,
} from '../topology.ts';
import { S3DigestAnchorStore } from './s3-digest-anchor-store.ts';

/**
 * The digest-anchors bucket, from DIGEST_ANCHORS_BUCKET. Locally AWS_ENDPOINT_URL_S3 names the
 * S3-compatible server (addressed by path), which has no Object Lock: the lock headers go to AWS only.
 */
export const digestAnchorStoreFromEnv = (env: NodeJS.ProcessEnv = process.env): DigestAnchorStore => {
  const local = env.AWS_ENDPOINT_URL_S3 !== undefined;
  return new S3DigestAnchorStore(
    traced(new S3Client({ forcePathStyle: local, requestHandler: sdkRequestHandler() })),
    requireEnv(DIGEST_ANCHORS_BUCKET_ENV, env),
    !local,
  );
};

/** Years each document stays locked: DIGEST_ANCHOR_RETENTION_YEARS, else the default (10). */
export const digestAnchorRetentionYears = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env[DIGEST_ANCHOR_RETENTION_YEARS_ENV];
  if (raw === undefined || raw === '') return DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS;
  const years = Number(raw);
  if (!Number.isInteger(years) || years < 1 || years > 100)
    throw new Error(
      `${DIGEST_ANCHOR_RETENTION_YEARS_ENV} must be a whole number of years from 1 to 100; got "${raw}".`,
    );
  return years;
};

/** What the digest job needs to anchor each day (read once, at init). */
export const anchorDepsFromEnv = (notify?: AnchorDeps['notify']): AnchorDeps => ({
  anchors: digestAnchorStoreFromEnv(),
  retentionYears: digestAnchorRetentionYears(),
  ...(notify ? { notify } : {}),
});
