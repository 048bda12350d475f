import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { cancelRequest } from '../../shared/ledger/app/requests.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /requests/{id}/cancel (its submitter, while pending). */
export const handler = apiHandler(routeById('cancel-request'), async ({ actor, id }) => ({
  body: requestView(
    await cancelRequest({ store, policies: approvalPolicies, ...systemEnv }, actor, id ?? ''),
  ),
}));
