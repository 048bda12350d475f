import { documentDepsFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { verifyDocument } from '../../shared/documents/app/documents.ts';
import { DOCUMENT_ROUTES } from '../../shared/documents/http/routes.ts';
import { documentView } from '../../shared/documents/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = documentDepsFromEnv();

/** POST /requests/{id}/documents/{docId}/verify (finance): the upload checked, the document verified. */
export const handler = apiHandler(routeIn(DOCUMENT_ROUTES, 'verify-document'), async ({ actor, params }) => ({
  body: documentView(await verifyDocument(deps, actor, params.id ?? '', params.docId ?? '')),
}));
