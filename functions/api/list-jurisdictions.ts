import { ownJurisdictions } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog as catalog } from '../../shared/jurisdictions/config/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

/** GET /jurisdictions (every role): the caller's own jurisdiction. */
export const handler = apiHandler(routeById('list-jurisdictions'), async ({ actor }) => ({
  statusCode: 200,
  body: { items: ownJurisdictions(catalog, actor) },
}));
