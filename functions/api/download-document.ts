import { documentDepsFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { documentDownload } from '../../shared/documents/app/documents.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = documentDepsFromEnv();

/** GET /requests/{id}/documents/{docId}/download: a short-lived presigned URL, scoped like the request. */
export const handler = apiHandler(routeById('download-document'), async ({ actor, params }) => ({
  body: await documentDownload(deps, actor, params.id ?? '', params.docId ?? ''),
}));
