import { SESv2Client } from '@aws-sdk/client-sesv2';
import { auditStoreFromEnv } from '../../audit/adapters/from-env.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import { sharedDocumentClient, sharedSqsClient } from '../../platform/aws/aws-clients.ts';
import { sdkRequestHandler } from '../../platform/aws/sdk-http.ts';
import { readSecret } from '../../platform/aws/secrets.ts';
import { traced } from '../../platform/aws/tracer.ts';
import { systemEnv } from '../../platform/clock.ts';
import { approvalPolicies } from '../../platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { workingCalendar } from '../../platform/config/holidays/index.ts';
import { requireEnv, tableName } from '../../platform/config/runtime-config.ts';
import { supportRules } from '../../platform/config/support-rules/index.ts';
import { EmlFileMailer } from '../../platform/mail/eml-file-mailer.ts';
import { SesMailer } from '../../platform/mail/ses-mailer.ts';
import { API_URL_ENV, DASHBOARD_URL_ENV } from '../../platform/topology.ts';
import type { PublicUrls } from '../app/deliver-alert.ts';
import { type EmailContextOf, emailContextOf } from '../app/email-context.ts';
import type { Mailer } from '../app/ports.ts';
import type { MonitorDeps } from '../app/run-monitor.ts';
import { integrityConfig } from '../config/integrity.ts';
import { monitoringConfig } from '../config/monitoring.ts';
import { parseDomainAllowList } from '../domain/subscription.ts';
import {
  ALERT_CLAIM_TIMEOUT_ENV,
  ALERT_EMAIL_DOMAINS_ENV,
  ALERT_MAILER_TIMEOUT_SECONDS,
  ALERTS_QUEUE_URL_ENV,
  SUBSCRIPTION_CONFIRM_SECRET_ENV,
} from '../topology.ts';
import { AlertQueuePublisher } from './alert-queue-publisher.ts';
import { createAcknowledgementLinks, createConfirmationLinks } from './confirmation-links.ts';
import { DynamoDaySnapshotRepository } from './day-snapshot-repository.ts';
import { DynamoDaySummaryRepository } from './day-summary-repository.ts';
import { DynamoIntegrityDigestRepository } from './integrity-digest-repository.ts';
import { DynamoMonitoringRepository } from './monitoring-repository.ts';

/** The monitoring store of a function, wired from its environment (read once, at init). */
export const monitoringRepositoryFromEnv = (): DynamoMonitoringRepository =>
  new DynamoMonitoringRepository(sharedDocumentClient(), tableName());

export const alertPublisherFromEnv = (): AlertQueuePublisher =>
  new AlertQueuePublisher(sharedSqsClient(), requireEnv(ALERTS_QUEUE_URL_ENV));

/** What a monitoring pass needs, wired from the environment (the scheduled run and the API's on-demand run). */
export const monitorDepsFromEnv = (): MonitorDeps => {
  const store = monitoringRepositoryFromEnv();
  return {
    progress: store,
    entries: auditStoreFromEnv(),
    snapshots: daySnapshotStoreFromEnv(),
    alerts: store,
    publisher: alertPublisherFromEnv(),
    config: monitoringConfig,
    calendar: workingCalendar,
    now: systemEnv.now,
    jurisdictions: jurisdictionCatalog.jurisdictions.map((j) => j.id),
    integrity: {
      source: store,
      config: integrityConfig,
      approvalPolicies,
      supportRules,
      deadlineRules,
      digest: integrityDigestStoreFromEnv(),
    },
  };
};

/** The integrity digest of a function (the daily job writes it, the monitor reads it). */
export const integrityDigestStoreFromEnv = (): DynamoIntegrityDigestRepository =>
  new DynamoIntegrityDigestRepository(sharedDocumentClient(), tableName());

/** How e-mails name places and approval levels: from the jurisdiction files and approval policies. */
export const emailContextFromConfig = (): EmailContextOf =>
  emailContextOf(jurisdictionCatalog, approvalPolicies);

/**
 * An SMTP mailer that loads nodemailer's transport with its first e-mail. SMTP is a local choice (the
 * local runtime and the tests set SMTP_URL; the CDK app never does), so the Lambda bundles leave it out
 * altogether: they define `process.env.GIAI_NGAN_SMTP` as "absent" (infra/bundle-aliases.ts,
 * BUNDLE_DEFINE), esbuild drops the branch and with it nodemailer's transports, and a Lambda given an
 * SMTP_URL fails at init saying so rather than sending through SES unawares.
 */
const smtpMailer = (url: string): Mailer => {
  if (process.env.GIAI_NGAN_SMTP === 'absent') {
    throw new Error(
      'SMTP_URL is set, but this bundle has no SMTP transport (the Lambda bundles send through SES); unset SMTP_URL.',
    );
  } else {
    let mailer: Promise<Mailer> | undefined;
    return {
      send: async (mail) => {
        mailer ??= import('../../platform/mail/smtp-mailer.ts').then(({ SmtpMailer }) => new SmtpMailer(url));
        return (await mailer).send(mail);
      },
    };
  }
};

/**
 * Where alert e-mails go: an SMTP server when SMTP_URL is set; else `.eml` files in MAIL_DIR (the
 * local runtime sets it); else Amazon SES, the AWS default. SENDER_EMAIL is the From address of all three.
 */
export const mailerFromEnv = (
  env: NodeJS.ProcessEnv = process.env,
): { mailer: Mailer; sender: string; transport: 'smtp' | 'eml' | 'ses' } => {
  const sender = requireEnv('SENDER_EMAIL', env);
  if (env.SMTP_URL) return { mailer: smtpMailer(env.SMTP_URL), sender, transport: 'smtp' };
  if (env.MAIL_DIR) return { mailer: new EmlFileMailer(env.MAIL_DIR), sender, transport: 'eml' };
  return {
    mailer: new SesMailer(traced(new SESv2Client({ requestHandler: sdkRequestHandler() }))),
    sender,
    transport: 'ses',
  };
};

/**
 * How old an unfinished delivery claim must be before a redelivered alert takes it over: the mailer's
 * own timeout, after which Lambda has stopped the invocation that claimed it (the queue redelivers
 * only after 6× that). The local runtime, whose queues redeliver sooner, sets ALERT_CLAIM_TIMEOUT_SECONDS.
 */
export const deliveryClaimTimeoutMs = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env[ALERT_CLAIM_TIMEOUT_ENV];
  const seconds = raw === undefined ? ALERT_MAILER_TIMEOUT_SECONDS : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`${ALERT_CLAIM_TIMEOUT_ENV} must be a positive number of seconds; got "${raw}".`);
  return seconds * 1000;
};

/**
 * The deployment's allow-list of e-mail domains, read once at init. The deployment always sets the
 * variable (empty: no domain is trusted, every address confirms), so a missing one is a wiring fault.
 */
export const alertEmailDomainsFromEnv = (env: NodeJS.ProcessEnv = process.env): string[] => {
  const raw = env[ALERT_EMAIL_DOMAINS_ENV];
  if (raw === undefined) {
    throw new Error(
      `Missing environment variable ${ALERT_EMAIL_DOMAINS_ENV}: the function's deployment must set it (empty for none).`,
    );
  }
  return parseDomainAllowList(raw);
};

/**
 * Confirmation links signed with SUBSCRIPTION_CONFIRM_SECRET (a managed secret of the route, read at
 * run time like every secret: see readSecret).
 */
export const confirmationLinksFromEnv = async () =>
  createConfirmationLinks(await readSecret(SUBSCRIPTION_CONFIRM_SECRET_ENV));

/** What the subscription routes share, wired from the environment (read once, at init). */
export const subscriptionDepsFromEnv = () => ({
  subscriptions: monitoringRepositoryFromEnv(),
  now: systemEnv.now,
  allowList: alertEmailDomainsFromEnv(),
});

/** Acknowledge links signed with the key of the links the system e-mails (SUBSCRIPTION_CONFIRM_SECRET). */
export const acknowledgementLinksFromEnv = async () =>
  createAcknowledgementLinks(await readSecret(SUBSCRIPTION_CONFIRM_SECRET_ENV));

/**
 * The deployment's public URLs, read on first use and kept (the local runtime sets them once its
 * gateway listens, after the functions load); a missing one is a wiring fault, named.
 */
export const publicUrlsFromEnv = (env: NodeJS.ProcessEnv = process.env): (() => PublicUrls) => {
  let urls: PublicUrls | undefined;
  return () => {
    urls ??= { dashboardUrl: requireEnv(DASHBOARD_URL_ENV, env), apiUrl: requireEnv(API_URL_ENV, env) };
    return urls;
  };
};

/** The day summaries of the disbursement series, wired from the environment (read once, at init). */
export const daySummaryStoreFromEnv = (): DynamoDaySummaryRepository =>
  new DynamoDaySummaryRepository(sharedDocumentClient(), tableName());

/** The day snapshots of the forecast and the monitor, wired from the environment (read once, at init). */
export const daySnapshotStoreFromEnv = (): DynamoDaySnapshotRepository =>
  new DynamoDaySnapshotRepository(sharedDocumentClient(), tableName());
