import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { approveReallocation } from '../../shared/ledger/app/reallocations.ts';
import { REALLOCATION_ROUTES } from '../../shared/ledger/http/reallocation-routes.ts';
import { reallocationView } from '../../shared/ledger/http/reallocation-views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /reallocations/{id}/approve (approver-province, not the maker). */
export const handler = apiHandler(
  routeIn(REALLOCATION_ROUTES, 'approve-reallocation'),
  async ({ actor, id, body, idempotencyKey }) =>
    replayableAnswer(
      await approveReallocation({ store, ...systemEnv }, actor, id ?? '', body, idempotencyKey),
      reallocationView,
    ),
);
