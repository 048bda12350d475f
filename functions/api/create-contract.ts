import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { createContract } from '../../shared/ledger/app/contracts.ts';
import { CONTRACT_ROUTES } from '../../shared/ledger/http/contract-routes.ts';
import { contractView } from '../../shared/ledger/http/contract-views.ts';
import { payeeStoreFromEnv } from '../../shared/payees/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { contractPolicy } from '../../shared/platform/config/contract-policy/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();
const payees = payeeStoreFromEnv();

/** POST /contracts (finance). */
export const handler = apiHandler(
  routeIn(CONTRACT_ROUTES, 'create-contract'),
  async ({ actor, body, idempotencyKey }) =>
    replayableAnswer(
      await createContract(
        { store, payees, policy: contractPolicy, ...systemEnv },
        actor,
        body,
        idempotencyKey,
      ),
      contractView,
    ),
);
