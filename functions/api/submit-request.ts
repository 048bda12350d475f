import { ledgerStoreFromEnv, targetStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { countMetric } from '../../shared/adapters/metrics.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { submitRequest } from '../../shared/app/requests.ts';
import { approvalPolicy } from '../../shared/config/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();
/** The plan's indicators, whose output keys are the only ones a request may declare. */
const catalogue = targetStoreFromEnv();

/** POST /requests (finance): submit and reserve, once per Idempotency-Key. */
export const handler = apiHandler(routeById('submit-request'), async ({ actor, body, idempotencyKey }) => {
  const result = await submitRequest(
    { store, catalogue, policy: approvalPolicy, ...systemEnv },
    actor,
    body,
    idempotencyKey ?? '',
  );
  // A replay is counted once, by the edge, as an idempotent replay.
  if (result.statusCode === 201 && !result.headers?.['idempotent-replay'])
    countMetric('Submissions', { fundingLine: (result.body as { fundingLine: string }).fundingLine });
  return result;
});
