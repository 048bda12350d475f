import { documentStoreFromEnv, objectStorageFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { verifyDocument } from '../../shared/documents/app/documents.ts';
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

/** POST /requests/{id}/documents/{docId}/verify (finance): the upload checked, the document verified. */
export const handler = apiHandler(routeById('verify-document'), async ({ actor, params }) => ({
  body: documentView(await verifyDocument(deps, actor, params.id ?? '', params.docId ?? '')),
}));
