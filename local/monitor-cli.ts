import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type * as z from 'zod';
import { placeNamesIn } from '../shared/jurisdictions/app/jurisdictions.ts';
import { JURISDICTIONS, jurisdictionCatalog } from '../shared/jurisdictions/config/index.ts';
import { DynamoMonitoringRepository } from '../shared/monitoring/adapters/monitoring-repository.ts';
import type { Scope } from '../shared/monitoring/domain/progress.ts';
import type { MonitorRunView } from '../shared/monitoring/http/schemas.ts';
import { ALERTS_QUEUE_ID } from '../shared/monitoring/topology.ts';
import { createDocumentClient } from '../shared/platform/aws/aws-clients.ts';
import { formatVnd } from '../shared/platform/format/vnd-format.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../shared/platform/tenancy.ts';
import { localDynamoClient, localSqsClient } from './aws-local.ts';
import { loadLocalKeys } from './local-jwt.ts';
import { emailSummary } from './monitor-summary.ts';
import { queueDepth } from './queue-depth.ts';
import { readRuntimeInfo } from './runtime.ts';

/**
 * `npm run -s monitor -- [--jurisdiction ID] [--as-of YYYY-MM-DD] [--fiscal-year YYYY] [--all] [--no-wait]`:
 * one monitoring pass against the running local system (through `POST /monitor/runs`, as a planner of
 * the jurisdiction, by default the upgrade default's, tay-giang),
 * printed as a table; then waits until the alert mailer has drained the alerts queue and says how
 * many e-mails it wrote.
 */
const usage =
  'usage: npm run -s monitor -- [--jurisdiction ID] [--as-of YYYY-MM-DD] [--fiscal-year YYYY] [--all] [--no-wait]';
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

let args: {
  jurisdiction?: string;
  'as-of'?: string;
  'fiscal-year'?: string;
  all?: boolean;
  'no-wait'?: boolean;
} = {};
try {
  ({ values: args } = parseArgs({
    options: {
      jurisdiction: { type: 'string' },
      'as-of': { type: 'string' },
      'fiscal-year': { type: 'string' },
      all: { type: 'boolean' },
      'no-wait': { type: 'boolean' },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
const fiscalYear = args['fiscal-year'];
if (fiscalYear !== undefined && !/^\d{4}$/.test(fiscalYear)) fail(`--fiscal-year must be a year\n${usage}`);
const jurisdiction = args.jurisdiction;
if (jurisdiction !== undefined && !JURISDICTIONS.some((j) => j.id === jurisdiction)) {
  fail(
    `unknown jurisdiction "${jurisdiction}"; use one of: ${JURISDICTIONS.map((j) => j.id).join(', ')}\n${usage}`,
  );
}

const dataDir = resolve(process.env.DATA_DIR ?? 'var');
const runningSystem = (): ReturnType<typeof readRuntimeInfo> => {
  try {
    return readRuntimeInfo(dataDir);
  } catch (error) {
    return fail((error as Error).message);
  }
};
const info = runningSystem();
const mailDir = info.mailDir ?? join(dataDir, 'mail');
const emlFiles = () => (existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : []);
const before = new Set(emlFiles());

const keys = await loadLocalKeys(join(dataDir, 'keys', 'jwt-signing-key.json'));
const token = await keys.sign(
  { sub: 'monitor-cli', groups: ['planner'], ...(jurisdiction ? { jurisdiction } : {}) },
  300,
);
const response = await fetch(`${info.url}/monitor/runs`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    ...(args['as-of'] ? { asOf: args['as-of'] } : {}),
    ...(fiscalYear ? { fiscalYear: Number(fiscalYear) } : {}),
  }),
}).catch((error: unknown) => fail(`The local system at ${info.url} did not answer (${String(error)}).`));
const body = (await response.json()) as z.infer<typeof MonitorRunView> & { error?: { message: string } };
if (response.status !== 202) fail(`The monitor run was refused (${response.status}): ${body.error?.message}`);

// The whole jurisdiction's row (scope level `district`, the API's name for it) by its own name.
const whole = placeNamesIn(jurisdictionCatalog, jurisdiction).whole.en;
const label = (s: Scope): string => `${where(s)}${s.carriedOver ? ' (carried over)' : ''}`;
const where = (s: Scope): string => {
  switch (s.level) {
    case 'district':
      return whole;
    case 'fundingLine':
      return `line ${s.fundingLine}`;
    case 'commune':
      return `commune ${s.commune}`;
    case 'component':
      return `component ${s.component}`;
    case 'allocation':
      return `${s.commune} · ${s.fundingLine} · ${s.component}`;
  }
};
const pct = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(2)}%`);
const rows = body.rows.filter(
  (r) => args.all || (r.expectedRate !== null && (r.scope.level !== 'allocation' || r.severity !== 'none')),
);
const table = [
  ['Year', 'Type', 'Scope', 'Assigned', 'Disbursed', 'Rate', 'Expected', 'Lag (pts)', 'Severity'],
  ...rows.map((r) => [
    String(r.fiscalYear),
    r.capitalType,
    label(r.scope),
    formatVnd(r.assignedVnd),
    formatVnd(r.disbursedVnd),
    pct(r.rate),
    pct(r.expectedRate),
    r.lagPoints === null ? '-' : r.lagPoints.toFixed(2),
    r.severity === 'none' ? '-' : r.severity === 'critical' ? 'CRITICAL' : 'warning',
  ]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
const right = new Set([3, 4, 5, 6, 7]);
const line = (row: string[]) =>
  row
    .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
    .join('  ');

console.log(
  `Monitor run as of ${body.asOf} (Asia/Ho_Chi_Minh), fiscal year(s) ${body.fiscalYears.join(', ') || 'none open'}`,
);
console.log(
  args.all
    ? ''
    : '(roll-ups judged against the curve, and the allocations that lag; --all shows every row)\n',
);
if (table[0]) console.log(line(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));

const stalled = body.alerts.filter((a) => a.kind === 'stalled');
if (stalled.length > 0) {
  console.log('\nStalled approvals:');
  for (const a of stalled) {
    console.log(
      `  ${label(a.scope)} (${a.scope.capitalType}): ${a.stalledRequests} request(s), the longest waiting ${a.longestWaitDays} working days — ${a.severity === 'critical' ? 'CRITICAL' : 'warning'}`,
    );
  }
}
const integrity = body.alerts.filter((a) => a.kind === 'integrity');
if (integrity.length > 0) {
  console.log('\nIntegrity cases (docs/integrity.md), each one alert, e-mailed once:');
  for (const a of integrity) {
    console.log(
      `  ${a.rule}: ${label(a.scope)} — ${a.severity === 'critical' ? 'CRITICAL' : 'warning'}${a.queued ? '' : ' (already alerted)'}`,
    );
  }
}
const count = (severity: string) => body.alerts.filter((a) => a.severity === severity).length;
console.log(
  `\nFindings: ${body.findings} (${count('critical')} critical, ${count('warning')} warning). Alerts queued: ${body.queued}` +
    (body.alreadyQueued > 0 ? ` (${body.alreadyQueued} already queued earlier today, not sent again)` : ''),
);

if (body.queued > 0 && !args['no-wait']) {
  // The runtime's alert mailer consumes the queue; wait until it is empty to report the e-mails.
  const queue = info.queues.find((q) => q.id === ALERTS_QUEUE_ID);
  const sqs = localSqsClient(info.sqsEndpoint);
  const deadline = Date.now() + 30_000;
  let left = Number.POSITIVE_INFINITY;
  while (queue && Date.now() < deadline) {
    left = await queueDepth(sqs, queue.url);
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  sqs.destroy();
  const written = emlFiles().filter((f) => !before.has(f));
  const inside = relative(process.cwd(), mailDir);
  const where = inside && !inside.startsWith('..') ? inside : mailDir;
  // The delivery log counts what was sent whatever the transport (an SMTP run writes no .eml file).
  const dynamo = localDynamoClient(info.dynamoEndpoint);
  const deliveries = new DynamoMonitoringRepository(createDocumentClient(dynamo), info.tableName);
  const alertsJurisdiction = jurisdiction ?? UPGRADE_DEFAULT_JURISDICTION;
  let sent = 0;
  for (const a of body.alerts.filter((x) => x.queued))
    sent += await deliveries.sentCount(alertsJurisdiction, a.id);
  dynamo.destroy();
  console.log(
    emailSummary({ sent, written: written.length, transport: info.mailTransport ?? 'eml', where, left }),
  );
}
