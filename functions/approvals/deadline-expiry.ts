import middy from '@middy/core';
import { JURISDICTIONS } from '../../shared/jurisdictions/config/index.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { expireOverdueRequests } from '../../shared/ledger/app/deadline-expiry.ts';
import { logger } from '../../shared/platform/aws/logger.ts';
import { observability } from '../../shared/platform/aws/observability.ts';
import { systemEnv } from '../../shared/platform/clock.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  now: systemEnv.now,
  jurisdictions: JURISDICTIONS.map((j) => j.id),
};

/**
 * Scheduled expiry: every request still pending after its allocation's deadline expires, its
 * reservation released (decisions and postings expire such a request lazily too).
 */
export const handler = middy()
  .use(observability())
  .handler(async () => {
    const report = await expireOverdueRequests(deps);
    if (report.expired > 0) logger.info('pending requests expired at their deadline', { ...report });
    return report;
  });
