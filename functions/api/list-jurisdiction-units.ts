import { unitsOfJurisdiction } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog as catalog } from '../../shared/jurisdictions/config/index.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { routeById } from '../../shared/routes.ts';

/** GET /jurisdictions/{id}/units?on=YYYY-MM-DD (every role, own jurisdiction): units existing that day. */
export const handler = apiHandler(routeById('list-jurisdiction-units'), async ({ actor, id, query }) => ({
  statusCode: 200,
  body: unitsOfJurisdiction(catalog, actor, id ?? '', query.on ?? vnDateOf(systemEnv.now())),
}));
