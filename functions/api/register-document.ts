import { documentDepsFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { registerDocument } from '../../shared/documents/app/documents.ts';
import { DOCUMENT_ROUTES } from '../../shared/documents/http/routes.ts';
import { documentView } from '../../shared/documents/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = documentDepsFromEnv();

/** POST /requests/{id}/documents (finance): a pending document and the presigned URL to upload its file. */
export const handler = apiHandler(
  routeIn(DOCUMENT_ROUTES, 'register-document'),
  async ({ actor, id, body }) => {
    const { document, upload } = await registerDocument(deps, actor, id ?? '', body);
    return { body: { document: documentView(document), upload } };
  },
);
