import { S3Client } from '@aws-sdk/client-s3';
import { DOCUMENTS_BUCKET_ENV } from '../../documents/topology.ts';
import { ledgerStoreFromEnv } from '../../ledger/adapters/from-env.ts';
import { payeeStoreFromEnv } from '../../payees/adapters/from-env.ts';
import { sharedSqsClient } from '../../platform/aws/aws-clients.ts';
import { sdkRequestHandler } from '../../platform/aws/sdk-http.ts';
import { traced } from '../../platform/aws/tracer.ts';
import { systemEnv } from '../../platform/clock.ts';
import { approvalPolicies } from '../../platform/config/approval-policies/index.ts';
import { requireEnv } from '../../platform/config/runtime-config.ts';
import { supportRules } from '../../platform/config/support-rules/index.ts';
import { targetStoreFromEnv } from '../../targets/adapters/from-env.ts';
import type { ImportJobDeps } from '../app/apply-import.ts';
import type { StartImportDeps } from '../app/start-import.ts';
import { IMPORTS_QUEUE_URL_ENV } from '../topology.ts';
import { importStoreFromEnv } from './from-env.ts';
import { ImportQueuePublisher } from './import-queue-publisher.ts';
import { importRowsObjectKey, S3ImportRows } from './s3-import-rows.ts';

/** The documents bucket's `imports/` rows, from DOCUMENTS_BUCKET (locally the S3-compatible server, by path). */
const importRowsFromEnv = () =>
  new S3ImportRows(
    traced(
      new S3Client({
        forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
        requestHandler: sdkRequestHandler(),
      }),
    ),
    requireEnv(DOCUMENTS_BUCKET_ENV),
  );

/**
 * What applying an import needs, wired as POST /allocations and POST /requests wire theirs (the ledger
 * store, the plan's output catalogue, the payee register and its support rules, the approval policies),
 * with the import records, the queued rows and the imports queue.
 */
export const importJobDepsFromEnv = (): ImportJobDeps & StartImportDeps => ({
  store: ledgerStoreFromEnv(),
  catalogue: targetStoreFromEnv(),
  register: { payees: payeeStoreFromEnv(), supportRules },
  policies: approvalPolicies,
  imports: importStoreFromEnv(),
  rowStorage: importRowsFromEnv(),
  queue: new ImportQueuePublisher(sharedSqsClient(), requireEnv(IMPORTS_QUEUE_URL_ENV)),
  rowsObjectKey: importRowsObjectKey,
  ...systemEnv,
});
