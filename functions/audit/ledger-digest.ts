import middy from '@middy/core';
import { auditStoreFromEnv, ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { logger } from '../../shared/adapters/logger.ts';
import { observability } from '../../shared/adapters/observability.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { recordDailyDigest } from '../../shared/app/ledger-audit.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** Daily job: records every allocation's chain head, so a later rewrite of a whole chain is caught. */
export const handler = middy()
  .use(observability())
  .handler(async () => {
    const result = await recordDailyDigest(deps);
    logger.info('ledger digest recorded', { ...result });
    return result;
  });
