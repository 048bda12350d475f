import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { cancelRequest } from '../../shared/app/requests.ts';
import { approvalPolicy } from '../../shared/config/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /requests/{id}/cancel (its submitter, while pending). */
export const handler = apiHandler(routeById('cancel-request'), ({ actor, id }) =>
  cancelRequest({ store, policy: approvalPolicy, ...systemEnv }, actor, id ?? ''),
);
