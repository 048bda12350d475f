import { importStoreFromEnv } from '../../shared/imports/adapters/from-env.ts';
import { getImport } from '../../shared/imports/app/get-import.ts';
import { importView } from '../../shared/imports/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const imports = importStoreFromEnv();

/** GET /imports/{id}: an import of the caller's jurisdiction, its status and progress. */
export const handler = apiHandler(routeById('get-import'), async ({ actor, id }) => ({
  body: { import: importView(await getImport({ imports }, actor, id ?? '')) },
}));
