import { documentStoreFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { approvalPublisherFromEnv, ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { decideRequest } from '../../shared/ledger/app/requests.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { decisionView } from '../../shared/ledger/http/views.ts';
import { logger } from '../../shared/platform/aws/logger.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { documentRequirements } from '../../shared/platform/config/dossier-documents/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  publisher: approvalPublisherFromEnv(),
  policies: approvalPolicies,
  ...systemEnv,
  log: logger,
  dossier: { documents: documentStoreFromEnv(), requirements: documentRequirements },
};

/** POST /requests/{id}/decisions: checks role and four eyes, queues the approval event, answers 202. */
export const handler = apiHandler(
  routeIn(LEDGER_ROUTES, 'decide-request'),
  async ({ actor, id, body, idempotencyKey }) =>
    replayableAnswer(await decideRequest(deps, actor, id ?? '', body, idempotencyKey ?? ''), decisionView),
);
