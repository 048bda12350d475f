import { importStoreFromEnv } from '../../shared/imports/adapters/from-env.ts';
import { getImport } from '../../shared/imports/app/get-import.ts';
import { IMPORT_ROUTES } from '../../shared/imports/http/routes.ts';
import { importView } from '../../shared/imports/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const imports = importStoreFromEnv();

/** GET /imports/{id}: an import of the caller's jurisdiction, its status and progress. */
export const handler = auditedApiHandler(routeIn(IMPORT_ROUTES, 'get-import'), async ({ actor, id }) => ({
  body: { import: importView(await getImport({ imports }, actor, id ?? '')) },
}));
