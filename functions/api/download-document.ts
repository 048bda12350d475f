import { documentDepsFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { documentDownload } from '../../shared/documents/app/documents.ts';
import { DOCUMENT_ROUTES } from '../../shared/documents/http/routes.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = documentDepsFromEnv();

/** GET /requests/{id}/documents/{docId}/download: a short-lived presigned URL, scoped like the request. */
export const handler = auditedApiHandler(
  routeIn(DOCUMENT_ROUTES, 'download-document'),
  async ({ actor, params }) => ({
    body: await documentDownload(deps, actor, params.id ?? '', params.docId ?? ''),
  }),
);
