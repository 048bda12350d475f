import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { submitRequest } from '../../shared/app/requests.ts';
import { approvalPolicy } from '../../shared/config/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /requests (finance): submit and reserve, once per Idempotency-Key. */
export const handler = apiHandler(routeById('submit-request'), ({ actor, body, idempotencyKey }) =>
  submitRequest({ store, policy: approvalPolicy, ...systemEnv }, actor, body, idempotencyKey ?? ''),
);
