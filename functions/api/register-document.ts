import { documentStoreFromEnv, objectStorageFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { registerDocument } from '../../shared/documents/app/documents.ts';
import { documentView } from '../../shared/documents/http/views.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { documentRequirements } from '../../shared/platform/config/dossier-documents/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  documents: documentStoreFromEnv(),
  objects: objectStorageFromEnv(),
  requirements: documentRequirements,
  ...systemEnv,
};

/** POST /requests/{id}/documents (finance): a pending document and the presigned URL to upload its file. */
export const handler = apiHandler(routeById('register-document'), async ({ actor, id, body }) => {
  const { document, upload } = await registerDocument(deps, actor, id ?? '', body);
  return { body: { document: documentView(document), upload } };
});
