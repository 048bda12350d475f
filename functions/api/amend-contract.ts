import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { amendContract } from '../../shared/ledger/app/contracts.ts';
import { CONTRACT_ROUTES } from '../../shared/ledger/http/contract-routes.ts';
import { amendmentView } from '../../shared/ledger/http/contract-views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /contracts/{id}/amendments (finance). */
export const handler = apiHandler(
  routeIn(CONTRACT_ROUTES, 'amend-contract'),
  async ({ actor, id, body, idempotencyKey }) =>
    replayableAnswer(
      await amendContract({ store, ...systemEnv }, actor, id ?? '', body, idempotencyKey),
      amendmentView,
    ),
);
