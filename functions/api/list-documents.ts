import { documentStoreFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { listDocuments } from '../../shared/documents/app/documents.ts';
import { DOCUMENT_ROUTES } from '../../shared/documents/http/routes.ts';
import { dossierView } from '../../shared/documents/http/views.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { documentRequirements } from '../../shared/platform/config/dossier-documents/index.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  documents: documentStoreFromEnv(),
  requirements: documentRequirements,
};

/** GET /requests/{id}/documents: the request's dossier, required and missing types included. */
export const handler = auditedApiHandler(
  routeIn(DOCUMENT_ROUTES, 'list-documents'),
  async ({ actor, id }) => ({
    body: dossierView(await listDocuments(deps, actor, id ?? '')),
  }),
);
