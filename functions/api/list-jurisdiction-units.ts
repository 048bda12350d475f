import { unitsOfJurisdiction } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog as catalog } from '../../shared/jurisdictions/config/index.ts';
import { JURISDICTION_ROUTES } from '../../shared/jurisdictions/http/routes.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';

/** GET /jurisdictions/{id}/units?on=YYYY-MM-DD (every role, own jurisdiction): units existing that day. */
export const handler = apiHandler(
  routeIn(JURISDICTION_ROUTES, 'list-jurisdiction-units'),
  async ({ actor, id, query }) => ({
    statusCode: 200,
    body: unitsOfJurisdiction(catalog, actor, id ?? '', query.on ?? vnDateOf(systemEnv.now())),
  }),
);
