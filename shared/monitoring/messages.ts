import * as z from 'zod';
import { REQUEST_STATUSES } from '../ledger/domain/disbursement-request.ts';
import { CAPITAL_TYPES, PAYEE_KINDS } from '../ledger/domain/funding-line.ts';
import { fundingLine } from '../ledger/messages.ts';
import { INTEGRITY_RULES } from './domain/integrity/integrity-case.ts';
import { SCOPE_LEVELS } from './domain/progress.ts';

/** Schemas of what monitoring puts on its queue; the HTTP views extend them (./http/schemas.ts). */

export const severity = z.enum(['warning', 'critical']);

export const Scope = z.object({
  // Kept through the queue, so the mailer sends an alert to its own jurisdiction's subscribers only.
  jurisdiction: z.string().optional().meta({ description: 'The jurisdiction the scope rolls up' }),
  level: z.enum(SCOPE_LEVELS),
  capitalType: z.enum(CAPITAL_TYPES),
  fundingLine: fundingLine.optional(),
  commune: z.string().optional(),
  component: z.string().optional(),
  allocationId: z.string().optional(),
  carriedOver: z
    .literal(true)
    .optional()
    .meta({ description: 'Capital carried over from an earlier year, judged and reported apart' }),
});

export const Keys = {
  allocationId: z.string(),
  capitalType: z.enum(CAPITAL_TYPES),
  fundingLine,
  commune: z.string(),
  component: z.string(),
  carriedOver: z.literal(true).optional(),
};

const StalledRequest = z.object({
  requestId: z.string(),
  ...Keys,
  amountVnd: z.number(),
  payeeName: z.string(),
  purpose: z.string(),
  level: z.string(),
  pendingSince: z.string(),
  waitingDays: z.number(),
  severity,
});

const LaggingAllocation = z.object({
  ...Keys,
  title: z.string(),
  assignedVnd: z.number(),
  disbursedVnd: z.number(),
  ratePercent: z.number().nullable(),
  lagPoints: z.number(),
});

const bankAccount = z.object({ bankCode: z.string(), number: z.string() });

/** An integrity case's rule, explanation and facts (kind `integrity` only). */
const Integrity = z
  .object({
    rule: z.enum(INTEGRITY_RULES),
    subject: z
      .string()
      .meta({ description: 'What makes the case one case from day to day (hashed into the id)' }),
    explanation: z.string().meta({ description: 'Why the rule fired, in Vietnamese, with the figures' }),
    requests: z.array(
      z.object({
        requestId: z.string(),
        allocationId: z.string(),
        commune: z.string(),
        component: z.string(),
        capitalType: z.enum(CAPITAL_TYPES),
        payeeId: z.string().optional(),
        payeeName: z.string(),
        amountVnd: z.number(),
        status: z.enum(REQUEST_STATUSES),
        submittedOn: z.string(),
        paidOn: z.string().optional(),
      }),
    ),
    payees: z.array(
      z.object({
        payeeId: z.string(),
        name: z.string(),
        kind: z.enum(PAYEE_KINDS),
        commune: z.string(),
        bankAccount,
      }),
    ),
    totalVnd: z.number(),
    thresholdVnd: z.number().optional(),
    addedLevel: z.string().optional(),
    windowDays: z.number().optional(),
    bankAccount: bankAccount.optional(),
    supportRule: z.string().optional(),
    supportRuleLabel: z.string().optional(),
    deadline: z.string().optional(),
    windowFrom: z.string().optional(),
    windowVnd: z.number().optional(),
    sharePercent: z.number().optional(),
  })
  .meta({ id: 'IntegrityDetails' });

/** A forecast finding's figures: percentages with two decimals, the band at the scope's deadline. */
const ForecastFigures = z
  .object({
    assignedVnd: z.number(),
    disbursedVnd: z.number(),
    pipelineVnd: z.number().meta({ description: 'Pending requests (reserved), counted on in part' }),
    ratePercent: z.number(),
    deadline: z.string().meta({ description: "The scope's disbursement deadline (YYYY-MM-DD)" }),
    p10Percent: z.number(),
    p50Percent: z.number(),
    p90Percent: z.number(),
    targetPercent: z.number().meta({ description: 'What the curve expects by the deadline' }),
    marginPoints: z.number(),
    percentile: z.enum(['p10', 'p50', 'p90']).meta({ description: 'The point of the band judged' }),
    shortfallPoints: z.number().meta({ description: 'Target minus the judged point, above the margin' }),
  })
  .meta({ id: 'ForecastFigures' });

/** The kinds of alert: lag, stalled approvals, forecast misses, integrity cases (docs/integrity.md). */
export const ALERT_KINDS = ['lag', 'stalled', 'forecast', 'integrity'] as const;

export const alertFields = {
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity,
  fiscalYear: z.number(),
  day: z.string(),
  scope: Scope,
  title: z.string().optional(),
  progress: z
    .object({
      assignedVnd: z.number(),
      reservedVnd: z.number(),
      disbursedVnd: z.number(),
      ratePercent: z.number().nullable(),
      expectedPercent: z.number(),
      lagPoints: z.number(),
    })
    .optional(),
  laggingAllocations: z.array(LaggingAllocation),
  stalledRequests: z.array(StalledRequest),
  stalledTotal: z.number(),
  integrity: Integrity.optional(),
  forecast: ForecastFigures.optional().meta({
    description: 'Forecast alerts: the forecast band at the deadline and the rule it failed',
  }),
  createdAt: z.string(),
};

/** An alert as carried on the alerts queue (validated by the mailer before it sends anything). */
export const AlertMessage = z.object(alertFields);
