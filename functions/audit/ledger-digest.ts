import middy from '@middy/core';
import { anchorDepsFromEnv } from '../../shared/audit/adapters/anchors-from-env.ts';
import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { digestJurisdictions, recordDailyDigest } from '../../shared/audit/app/ledger-audit.ts';
import { notifyAuditors } from '../../shared/audit/app/notify-auditors.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { DynamoDaySnapshotRepository } from '../../shared/monitoring/adapters/day-snapshot-repository.ts';
import { DynamoDaySummaryRepository } from '../../shared/monitoring/adapters/day-summary-repository.ts';
import {
  alertEmailDomainsFromEnv,
  deliveryClaimTimeoutMs,
  emailContextFromConfig,
  integrityDigestStoreFromEnv,
  mailerFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { summariseClosedDays } from '../../shared/monitoring/app/day-summaries.ts';
import { candidateSettingsFrom } from '../../shared/monitoring/app/integrity-digest.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import { sharedDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { logger } from '../../shared/platform/aws/logger.ts';
import { observability } from '../../shared/platform/aws/observability.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { tableName } from '../../shared/platform/config/runtime-config.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';

// Auditors subscribed to the digest are e-mailed each day's; a deployment with no sender sends nothing.
const monitoring = monitoringRepositoryFromEnv();
const mail = process.env.SENDER_EMAIL
  ? {
      subscriptions: monitoring,
      deliveries: monitoring,
      ...mailerFromEnv(),
      allowList: alertEmailDomainsFromEnv(),
      contextOf: emailContextFromConfig(),
      now: systemEnv.now,
      claimTimeoutMs: deliveryClaimTimeoutMs(),
    }
  : undefined;

const deps = {
  store: ledgerStoreFromEnv(),
  audit: auditStoreFromEnv(),
  // Each day's document also goes outside the table (the Object Lock bucket), once.
  anchor: anchorDepsFromEnv(mail && ((notice) => notifyAuditors(mail, notice).then(() => undefined))),
  ...systemEnv,
};
const summaryDeps = {
  ...deps,
  entries: deps.audit,
  summaries: new DynamoDaySummaryRepository(sharedDocumentClient(), tableName()),
  snapshots: new DynamoDaySnapshotRepository(sharedDocumentClient(), tableName()),
  // The integrity digest the monitor judges the integrity rules with (monitoring/app/integrity-digest.ts).
  integrity: {
    source: monitoring,
    digest: integrityDigestStoreFromEnv(),
    supportRules,
    settingsOf: candidateSettingsFrom(integrityConfig, approvalPolicies),
  },
  // Each snapshot keeps the day's pipeline: a past day's forecast reads it (docs/performance.md).
  requests: monitoring,
};

/**
 * Daily job: records every allocation's chain head, in every jurisdiction the deployment serves (each
 * digest in its allocation's jurisdiction), so a later rewrite of a whole chain is caught; anchors
 * each jurisdiction's day where the table's writers cannot rewrite it, e-mailing its hash to the
 * subscribed auditors; then writes the day summaries of the days closed since its last run.
 */
export const handler = middy()
  .use(observability())
  .handler(async () => {
    const result = await recordDailyDigest(deps);
    logger.info('ledger digest recorded', { ...result });
    // The disbursement series' day summaries of the closed days (monitoring/app/day-summaries.ts).
    // A first run over a year takes long: at debug level each day written says how far it got.
    const summarised = await summariseClosedDays(summaryDeps, digestJurisdictions(), {
      onDay: (day) => logger.debug('day written', { ...day }),
    });
    logger.info('day summaries recorded', { ...summarised });
    return { ...result, summarised };
  });
