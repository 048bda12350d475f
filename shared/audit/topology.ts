import type { FunctionSpec } from '../platform/topology.ts';

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
  },
];
