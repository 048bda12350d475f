import { S3Client } from '@aws-sdk/client-s3';
import { ledgerStoreFromEnv } from '../../ledger/adapters/from-env.ts';
import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { sdkRequestHandler } from '../../platform/aws/sdk-http.ts';
import { traced } from '../../platform/aws/tracer.ts';
import { systemEnv, wallClock } from '../../platform/clock.ts';
import { documentRequirements } from '../../platform/config/dossier-documents/index.ts';
import { requireEnv, tableName } from '../../platform/config/runtime-config.ts';
import type { DocumentDeps } from '../app/documents.ts';
import type { DocumentStore, ObjectStorage } from '../app/ports.ts';
import { DOCUMENTS_BUCKET_ENV } from '../topology.ts';
import { DynamoDocumentRepository } from './document-repository.ts';
import { S3ObjectStorage } from './s3-object-storage.ts';

/** The documents' store of a function, wired from its environment (read once, at init). */
export const documentStoreFromEnv = (): DocumentStore =>
  new DynamoDocumentRepository(sharedDocumentClient(), tableName());

/**
 * The documents bucket, from DOCUMENTS_BUCKET. Locally AWS_ENDPOINT_URL_S3 names the S3-compatible
 * server, addressed by path (its host name carries no bucket).
 */
export const objectStorageFromEnv = (): ObjectStorage =>
  signedAtWallClock(
    new S3ObjectStorage(
      traced(
        new S3Client({
          forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
          requestHandler: sdkRequestHandler(),
        }),
      ),
      requireEnv(DOCUMENTS_BUCKET_ENV),
    ),
  );

/**
 * Presigned URLs signed at the wall clock, whatever the system clock reads (a local runtime may set it
 * to a plan's year): the storage server checks their time against its own clock.
 */
const signedAtWallClock = (objects: ObjectStorage): ObjectStorage => ({
  uploadUrl: (target) => objects.uploadUrl(target, wallClock()),
  downloadUrl: (objectKey, fileName) => objects.downloadUrl(objectKey, fileName, wallClock()),
  inspect: (objectKey) => objects.inspect(objectKey),
});

/** Everything the document use cases need in a function that reaches the bucket (read once, at init). */
export const documentDepsFromEnv = (): DocumentDeps => ({
  store: ledgerStoreFromEnv(),
  documents: documentStoreFromEnv(),
  objects: objectStorageFromEnv(),
  requirements: documentRequirements,
  ...systemEnv,
});
