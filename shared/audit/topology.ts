import { ALERT_EMAIL_DOMAINS_ENV } from '../monitoring/topology.ts';
import type { FunctionSpec } from '../platform/topology.ts';

/** Environment variable through which functions receive the digest-anchors bucket's name. */
export const DIGEST_ANCHORS_BUCKET_ENV = 'DIGEST_ANCHORS_BUCKET';
/** Environment variable holding how many years each anchored digest stays locked (the digest job's). */
export const DIGEST_ANCHOR_RETENTION_YEARS_ENV = 'DIGEST_ANCHOR_RETENTION_YEARS';
/**
 * Default retention of the anchored digests: 10 years, the minimum the Law on Accounting (Luật Kế toán
 * 88/2015/QH13, Art. 41.5) and Decree 174/2016/NĐ-CP (Art. 13) set for accounting books and the records
 * posted to them (docs/integrity.md "Proof outside the table", with its sources).
 */
export const DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS = 10;

/** Non-HTTP functions of the audit side. */
export const AUDIT_FUNCTIONS: FunctionSpec[] = [
  {
    id: 'ledger-digest',
    entry: 'functions/audit/ledger-digest.ts',
    // 23:50 Asia/Ho_Chi_Minh: the day's last heads, under that day's date.
    trigger: { kind: 'schedule', expression: 'cron(50 23 * * ? *)', localIntervalSeconds: 3600 },
    timeoutSeconds: 60,
    environment: {},
    table: 'read-write',
    sendsTo: [],
    // Writes each day's document once to the Object Lock bucket, and e-mails subscribed auditors.
    anchors: 'write',
    sendsEmail: true,
    settings: [ALERT_EMAIL_DOMAINS_ENV],
  },
];
