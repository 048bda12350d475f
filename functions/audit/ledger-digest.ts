import middy from '@middy/core';
import { auditStoreFromEnv, ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { recordDailyDigest } from '../../shared/app/ledger-audit.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** Daily job: records every allocation's chain head, so a later rewrite of a whole chain is caught. */
export const handler = middy().handler(async () => {
  const result = await recordDailyDigest(deps);
  console.log(JSON.stringify({ level: 'info', msg: 'ledger digest recorded', ...result }));
  return result;
});
