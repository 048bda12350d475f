import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { suggestReallocations } from '../../shared/forecast/app/suggest-reallocations.ts';
import { SUGGESTION_ROUTES } from '../../shared/forecast/http/suggestion-routes.ts';
import { suggestionsView } from '../../shared/forecast/http/suggestion-views.ts';
import { monitoringRepositoryFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { reallocationPolicy } from '../../shared/platform/config/reallocation-policy/index.ts';
import { suggestionSettings } from '../../shared/platform/config/reallocation-suggestions/index.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  entries: auditStoreFromEnv(),
  config: monitoringConfig,
  policy: reallocationPolicy,
  settings: suggestionSettings,
  now: systemEnv.now,
};

/** GET /reallocations/suggestions?fiscalYear=&asOf= (planner, province approver, inspector, auditor). */
export const handler = auditedApiHandler(
  routeIn(SUGGESTION_ROUTES, 'suggest-reallocations'),
  async ({ actor, query }) => ({
    body: suggestionsView(await suggestReallocations(deps, actor, query)),
  }),
);
