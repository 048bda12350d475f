import * as z from 'zod';
import type {} from 'zod-openapi';
import { CAPITAL_TYPES } from '../../ledger/domain/funding-line.ts';
import { commune, fundingLine } from '../../ledger/http/schemas.ts';
import { fiscalYear, PageOf, problems, queryInt } from '../../platform/http/schemas.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';
import { ALERT_STATUSES } from '../domain/alert.ts';
import { INTEGRITY_RULES } from '../domain/integrity/integrity-case.ts';
import { SCOPE_LEVELS } from '../domain/progress.ts';
import { SUBSCRIPTION_KINDS } from '../domain/subscription.ts';
import { ALERT_KINDS, alertFields, Scope, severity } from '../messages.ts';

const component = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
    'must be a short code of letters, digits, dot, dash or underscore',
  )
  .meta({ example: 'DA1' });
const asOf = z
  .string()
  .refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD, in Vietnam time')
  .refine((d) => d >= '2000-01-01' && d <= '2101-12-31', 'must be between 2000-01-01 and 2101-12-31')
  .meta({ example: '2024-09-30' });
const allSeverities = z.enum(['none', 'warning', 'critical']);

/** `POST /monitor/runs`: both optional; `{}` runs for today in Vietnam. */
export const MonitorRunBody = z
  .strictObject({ asOf: asOf.optional(), fiscalYear: fiscalYear.optional() })
  .meta({ id: 'MonitorRun' });

const SubscriptionScope = z.strictObject({
  fundingLine: fundingLine.optional(),
  commune: commune.optional(),
  component: component.optional(),
});

export const SubscriptionBody = z
  .strictObject({
    email: z.email('must be an e-mail address').max(254, 'must be at most 254 characters'),
    scope: SubscriptionScope.meta({
      description:
        'What to watch; leave a field out to watch every value of it (no field: the whole jurisdiction)',
    }),
    kind: z.enum(SUBSCRIPTION_KINDS).optional().meta({
      description:
        'alerts (default; inspectors): the alerts of the scope. ledger-digest (auditors of the whole jurisdiction; scope {}): the daily ledger digest anchored outside the table',
    }),
  })
  .meta({ id: 'NewSubscription' });

export const ListAlertsQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100).optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  severity: severity.optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  limit: queryInt(1, 100).optional(),
  cursor: z.string().max(2048).optional(),
});

export const ProgressReportQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100).optional(),
  asOf: asOf.optional(),
  groupBy: z.enum(SCOPE_LEVELS).optional(),
});

export const AlertView = z
  .object({
    ...alertFields,
    status: z.enum(ALERT_STATUSES),
    queuedAt: z.string().optional(),
    acknowledgedBy: z.string().optional(),
    acknowledgedAt: z.string().optional(),
  })
  .meta({ id: 'Alert' });

/** A page of GET /alerts, in the order to act on them, with how many alerts the filters match. */
export const AlertPageView = PageOf(AlertView).extend({
  total: z.int().nonnegative().meta({ description: 'Alerts matching the filters, on every page' }),
});

export const SubscriptionView = z
  .object({
    id: z.string(),
    kind: z
      .enum(SUBSCRIPTION_KINDS)
      .meta({ description: 'What the address receives: alerts, or the daily ledger digest' }),
    email: z.string(),
    scope: z.object({
      fundingLine: fundingLine.optional(),
      commune: z.string().optional(),
      component: z.string().optional(),
    }),
    owner: z.string(),
    createdAt: z.string(),
    status: z.enum(['confirmed', 'allow-listed', 'pending']).meta({
      description:
        'Whether alerts go to the address: confirmed through its link, its domain allow-listed, or pending (none goes)',
    }),
    confirmedAt: z.string().optional(),
  })
  .meta({ id: 'Subscription' });

/** The acknowledge link of an alert e-mail: its signed token (the same rules as a confirmation link's). */
export const AcknowledgeAlertQuery = z.strictObject({
  token: z
    .string()
    .min(1, 'give the token of the link as e-mailed')
    .max(2048, 'must be at most 2048 characters'),
});

export const ConfirmSubscriptionQuery = z.strictObject({
  token: z
    .string()
    .min(1, 'give the token of the link as e-mailed')
    .max(2048, 'must be at most 2048 characters'),
});

const ReportRow = z.object({
  key: z.string().meta({ description: 'The funding line, commune, component or allocation id' }),
  capitalType: z.enum(CAPITAL_TYPES),
  carriedOver: z.boolean().meta({
    description:
      'Capital carried over from an earlier year (vốn năm trước chuyển sang), reported apart from the year’s own and judged against the carried-over curve',
  }),
  title: z.string().optional(),
  allocations: z.number(),
  assignedVnd: z.number(),
  reservedVnd: z.number(),
  disbursedVnd: z.number(),
  advancedVnd: z.number().meta({ description: 'Of disbursedVnd: advances paid on contracts (tạm ứng)' }),
  advanceOutstandingVnd: z
    .number()
    .meta({ description: 'Advances paid and not yet recovered by payments (dư nợ tạm ứng)' }),
  rate: z
    .number()
    .nullable()
    .meta({ description: 'disbursed / assigned, 0 to 1; null when nothing is assigned' }),
  expectedRate: z.number().nullable().meta({
    description:
      'From the expected curve of the row’s jurisdiction, year and kind (investment, recurrent or carried over)',
  }),
  lagPoints: z.number().nullable().meta({ description: 'Expected minus actual, in percentage points' }),
  severity: allSeverities,
});

export const ProgressReportView = z
  .object({
    fiscalYear: z.number(),
    asOf: z.string(),
    groupBy: z.enum(SCOPE_LEVELS),
    rows: z.array(ReportRow),
    problems,
  })
  .meta({ id: 'ProgressReport' });

export const MonitorRunView = z
  .object({
    asOf: z.string(),
    fiscalYears: z.array(z.number()),
    findings: z.number(),
    queued: z.number().meta({ description: 'Alerts put on the alerts queue by this run' }),
    alreadyQueued: z.number().meta({ description: 'Findings an earlier run of the same day had queued' }),
    alerts: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(ALERT_KINDS),
        severity,
        scope: Scope,
        queued: z.boolean(),
        rule: z.enum(INTEGRITY_RULES).optional().meta({ description: 'The rule of an integrity alert' }),
        stalledRequests: z.number().optional(),
        longestWaitDays: z.number().optional(),
      }),
    ),
    rows: z.array(ReportRow.extend({ fiscalYear: z.number(), scope: Scope })),
    problems,
  })
  .meta({ id: 'MonitorRunResult' });

const curve = z.array(z.object({ date: z.string(), percent: z.number() }));

export const SeriesQuery = z.strictObject({ fiscalYear: queryInt(2000, 2100).optional() });

export const SeriesView = z
  .object({
    fiscalYear: z.number(),
    asOf: z.string().meta({ description: "Today in Vietnam: the last point's day at the latest" }),
    judgedCapitalTypes: z
      .array(z.enum(CAPITAL_TYPES))
      .meta({ description: 'Every capital type (each is judged against its own curve)' }),
    expected: curve.meta({ description: 'The public-investment curve (see expectedCurves for each kind)' }),
    expectedCurves: z.object({ investment: curve, recurrent: curve, carriedOver: curve }).meta({
      description: 'The expected curve of each kind for the caller’s jurisdiction and the year',
    }),
    series: z.array(
      z.object({
        capitalType: z.enum(CAPITAL_TYPES),
        carriedOver: z
          .literal(true)
          .optional()
          .meta({ description: 'Capital carried over from an earlier year, a series apart' }),
        assignedVnd: z.number(),
        disbursedVnd: z.number(),
        points: z.array(z.object({ date: z.string(), cumulativeVnd: z.number() })),
      }),
    ),
    problems,
  })
  .meta({ id: 'DisbursementSeries' });
