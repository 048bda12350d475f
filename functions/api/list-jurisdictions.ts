import { ownJurisdictions } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog as catalog } from '../../shared/jurisdictions/config/index.ts';
import { JURISDICTION_ROUTES } from '../../shared/jurisdictions/http/routes.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

/** GET /jurisdictions (every role): the caller's own jurisdiction. */
export const handler = apiHandler(routeIn(JURISDICTION_ROUTES, 'list-jurisdictions'), async ({ actor }) => ({
  statusCode: 200,
  body: { items: ownJurisdictions(catalog, actor) },
}));
