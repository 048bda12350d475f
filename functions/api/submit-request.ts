import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { payeeStoreFromEnv } from '../../shared/payees/adapters/from-env.ts';
import { countMetric } from '../../shared/platform/aws/metrics.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { targetStoreFromEnv } from '../../shared/targets/adapters/from-env.ts';

const store = ledgerStoreFromEnv();
/** The plan's indicators, whose output keys are the only ones a request may declare. */
const catalogue = targetStoreFromEnv();
/** The payee register requests name their payees from, and the support rules (config) they are held to. */
const register = { payees: payeeStoreFromEnv(), supportRules };

/** POST /requests (finance): submit and reserve, once per Idempotency-Key. */
export const handler = apiHandler(
  routeIn(LEDGER_ROUTES, 'submit-request'),
  async ({ actor, body, idempotencyKey }) => {
    const submitted = await submitRequest(
      { store, catalogue, register, policies: approvalPolicies, ...systemEnv },
      actor,
      body,
      idempotencyKey ?? '',
    );
    // A replay is counted once, by the edge, as an idempotent replay.
    if (!submitted.replayed) countMetric('Submissions', { fundingLine: submitted.result.fundingLine });
    return replayableAnswer(submitted, requestView);
  },
);
