import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { closeFiscalYear } from '../../shared/ledger/app/year-end-close.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { fiscalYearCloseView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /fiscal-years/{year}/close (planner). */
export const handler = apiHandler(
  routeIn(LEDGER_ROUTES, 'close-fiscal-year'),
  async ({ actor, params, body, idempotencyKey }) =>
    replayableAnswer(
      await closeFiscalYear({ store, ...systemEnv }, actor, Number(params.year), body, idempotencyKey),
      fiscalYearCloseView,
    ),
);
