import { documentDepsFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { verifyDocument } from '../../shared/documents/app/documents.ts';
import { documentView } from '../../shared/documents/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = documentDepsFromEnv();

/** POST /requests/{id}/documents/{docId}/verify (finance): the upload checked, the document verified. */
export const handler = apiHandler(routeById('verify-document'), async ({ actor, params }) => ({
  body: documentView(await verifyDocument(deps, actor, params.id ?? '', params.docId ?? '')),
}));
