import { approvalPublisherFromEnv, ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { logger } from '../../shared/adapters/logger.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { decideRequest } from '../../shared/app/requests.ts';
import { approvalPolicy } from '../../shared/config/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  publisher: approvalPublisherFromEnv(),
  policy: approvalPolicy,
  ...systemEnv,
  log: logger,
};

/** POST /requests/{id}/decisions: checks role and four eyes, queues the approval event, answers 202. */
export const handler = apiHandler(routeById('decide-request'), ({ actor, id, body, idempotencyKey }) =>
  decideRequest(deps, actor, id ?? '', body, idempotencyKey ?? ''),
);
