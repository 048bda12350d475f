import type { Node } from 'constructs';
import { DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS } from '../shared/audit/topology.ts';
import { parseDomainAllowList } from '../shared/monitoring/domain/subscription.ts';

/** How strongly the user pool asks for a second factor: `required` for production, `optional` to start. */
export type MfaMode = 'optional' | 'required';

/** What varies between deployments, read from CDK context (`-c key=value` or cdk.json). */
export interface DeploymentSettings {
  /** Deployment stage (`dev`, `prod`, …); it names the stacks, never a resource, so stages share an account. */
  stage: string;
  mfa: MfaMode;
  /** Address alert e-mails are sent from; SES verifies it before the first e-mail goes out. */
  senderEmail?: string;
  /** Address subscribed to the operational alarms (it confirms the subscription once). */
  alarmEmail?: string;
  /**
   * E-mail domains whose addresses get alerts without confirming a link (`gov.vn`, which also covers
   * `quangnam.gov.vn`); empty: every subscribed address confirms first.
   */
  alertEmailDomains: string[];
  /**
   * Years each daily digest anchored outside the table stays under Object Lock (compliance mode):
   * `-c anchorRetentionYears=N`, default 10 (the Law on Accounting's minimum for ledgers).
   */
  anchorRetentionYears: number;
}

// Deliberately loose: SES and SNS validate addresses themselves; this only catches a mistyped flag.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const optionalEmail = (node: Node, key: string): string | undefined => {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !EMAIL.test(value)) {
    throw new Error(
      `Context "${key}" must be an e-mail address (e.g. -c ${key}=name@example.org); got ${String(value)}.`,
    );
  }
  return value;
};

/** Reads and checks the deployment settings, failing synthesis with a message that says which flag to fix. */
export const deploymentSettings = (node: Node): DeploymentSettings => {
  const stage: unknown = node.tryGetContext('stage') ?? 'dev';
  if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(
      `Context "stage" must be lower-case letters, digits and dashes (e.g. -c stage=dev); got ${String(stage)}.`,
    );
  }
  const mfa: unknown = node.tryGetContext('mfa') ?? 'optional';
  if (mfa !== 'optional' && mfa !== 'required') {
    throw new Error(
      `Context "mfa" must be "optional" or "required" (e.g. -c mfa=required); got ${String(mfa)}.`,
    );
  }
  const senderEmail = optionalEmail(node, 'senderEmail');
  const alarmEmail = optionalEmail(node, 'alarmEmail');
  const domains: unknown = node.tryGetContext('alertEmailDomains') ?? '';
  let alertEmailDomains: string[];
  try {
    if (typeof domains !== 'string' && !Array.isArray(domains)) throw new Error('not a list');
    alertEmailDomains = parseDomainAllowList(Array.isArray(domains) ? domains.join(',') : domains);
  } catch (error) {
    throw new Error(
      `Context "alertEmailDomains" must be domain names separated by commas (e.g. -c alertEmailDomains=gov.vn,quangnam.gov.vn); got ${JSON.stringify(domains)}: ${(error as Error).message}`,
    );
  }
  const years: unknown = node.tryGetContext('anchorRetentionYears') ?? DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS;
  const anchorRetentionYears = typeof years === 'string' && /^\d+$/.test(years) ? Number(years) : years;
  if (
    typeof anchorRetentionYears !== 'number' ||
    !Number.isInteger(anchorRetentionYears) ||
    anchorRetentionYears < DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS ||
    anchorRetentionYears > 100
  ) {
    throw new Error(
      `Context "anchorRetentionYears" must be a whole number of years from ${DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS} (the legal minimum) to 100 (e.g. -c anchorRetentionYears=20); got ${String(years)}.`,
    );
  }
  return {
    stage,
    mfa,
    alertEmailDomains,
    anchorRetentionYears,
    ...(senderEmail ? { senderEmail } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
};
