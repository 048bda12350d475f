import { documentStoreFromEnv, objectStorageFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { documentDownload } from '../../shared/documents/app/documents.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  documents: documentStoreFromEnv(),
  objects: objectStorageFromEnv(),
  ...systemEnv,
};

/** GET /requests/{id}/documents/{docId}/download: a short-lived presigned URL, scoped like the request. */
export const handler = apiHandler(routeById('download-document'), async ({ actor, params }) => ({
  body: await documentDownload(deps, actor, params.id ?? '', params.docId ?? ''),
}));
