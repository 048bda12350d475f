import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { cancelRequest } from '../../shared/ledger/app/requests.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /requests/{id}/cancel (its submitter, while pending). */
export const handler = apiHandler(routeIn(LEDGER_ROUTES, 'cancel-request'), async ({ actor, id }) => ({
  body: requestView(
    await cancelRequest({ store, policies: approvalPolicies, ...systemEnv }, actor, id ?? ''),
  ),
}));
