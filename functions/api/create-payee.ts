import { payeeStoreFromEnv } from '../../shared/payees/adapters/from-env.ts';
import { createPayee } from '../../shared/payees/app/payees.ts';
import { PAYEE_ROUTES } from '../../shared/payees/http/routes.ts';
import { payeeView } from '../../shared/payees/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const payees = payeeStoreFromEnv();

/** POST /payees (finance): register a payee, once per Idempotency-Key; a known identifier is 409 duplicate_payee. */
export const handler = apiHandler(
  routeIn(PAYEE_ROUTES, 'create-payee'),
  async ({ actor, body, idempotencyKey }) =>
    replayableAnswer(
      await createPayee({ payees, ...systemEnv }, actor, body, idempotencyKey ?? ''),
      payeeView,
    ),
);
