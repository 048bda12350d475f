import * as z from 'zod';
import { CAPITAL_TYPES } from '../ledger/domain/funding-line.ts';
import { fundingLine } from '../ledger/messages.ts';
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

export const alertFields = {
  id: z.string(),
  kind: z.enum(['lag', 'stalled']),
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
  createdAt: z.string(),
};

/** An alert as carried on the alerts queue (validated by the mailer before it sends anything). */
export const AlertMessage = z.object(alertFields);
