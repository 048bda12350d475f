import * as z from 'zod';
import type {} from 'zod-openapi';
import { district } from '../config/index.ts';
import { REQUEST_STATUSES } from '../domain/disbursement-request.ts';
import { CAPITAL_TYPES, FUNDING_LINES, PAYEE_KINDS } from '../domain/funding-line.ts';
import { MAX_AMOUNT_VND } from '../domain/money.ts';
import { normalizeText, type TextRules, textProblem } from '../domain/text-hygiene.ts';

const amountVnd = z
  .int('must be a whole number of VND (no fractions, no strings)')
  .positive('must be greater than 0')
  .max(MAX_AMOUNT_VND, 'must be at most 10^15 VND')
  .meta({ description: 'Positive whole number of Vietnamese đồng', example: 40_000_000 });

/**
 * Every free-text field of a request: NFC first (one spelling per name), then trimmed, then checked
 * (no controls, bidi overrides or isolates, lone surrogates or zero-width-only text: see
 * shared/domain/text-hygiene.ts). Single-line unless `multiline` (a comment, a reason), which keeps `\n`.
 */
export const text = (max: number, rules: TextRules = {}) =>
  z
    .string()
    .overwrite((value) => normalizeText(value, rules))
    .trim()
    .check((ctx) => {
      const problem = textProblem(ctx.value, rules);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
export const code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
    'must be a short code of letters, digits, dot, dash or underscore',
  )
  .meta({ example: 'DA5' });
export const commune = z.enum(
  district.communes as [string, ...string[]],
  `must be one of the communes of ${district.district}`,
);
export const fiscalYear = z
  .int('must be a whole year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');
export const fundingLine = z.enum(FUNDING_LINES);
export const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an id as returned by the API');

export const CreateAllocationBody = z
  .strictObject({
    fiscalYear,
    fundingLine,
    capitalType: z.enum(CAPITAL_TYPES),
    component: code,
    commune,
    title: text(200),
    amountVnd,
  })
  .meta({ id: 'CreateAllocation' });

export const AdjustmentBody = z
  .strictObject({
    deltaVnd: z
      .int('must be a whole number of VND')
      .min(-MAX_AMOUNT_VND, 'must be at least -10^15')
      .max(MAX_AMOUNT_VND, 'must be at most 10^15')
      .refine((n) => n !== 0, 'must not be 0'),
    reason: text(500, { multiline: true }),
  })
  .meta({ id: 'Adjustment' });

export const SubmitRequestBody = z
  .strictObject({
    allocationId: id,
    amountVnd,
    payee: z.strictObject({ name: text(200), kind: z.enum(PAYEE_KINDS) }),
    purpose: text(500),
    outputs: z
      .record(
        code,
        z
          .int('must be a whole number')
          .min(0, 'must not be negative')
          .max(1_000_000, 'must be at most 1,000,000'),
      )
      .refine((o) => Object.keys(o).length <= 20, 'must have at most 20 entries')
      .optional()
      .meta({ example: { houses: 3 } }),
  })
  .meta({ id: 'SubmitRequest' });

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    comment: text(500, { multiline: true }).optional(),
  })
  .meta({ id: 'Decision' });

export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,6}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const ListAllocationsQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100).optional(),
  fundingLine: fundingLine.optional(),
  commune: commune.optional(),
  component: code.optional(),
});

export const ListRequestsQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES).optional(),
  allocationId: id.optional(),
  limit: queryInt(1, 100).optional(),
  cursor: z.string().max(2048).optional(),
});

export const IdPath = z.strictObject({ id });

export const IdempotencyKey = z
  .string({ error: 'the Idempotency-Key header is required on this route' })
  .regex(
    /^[A-Za-z0-9_.:-]{1,128}$/,
    'must be 1 to 128 characters, each a letter (A-Z, a-z), a digit or one of - _ . : (e.g. a UUID)',
  );

const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** A running total as the API shows it: exact, within 0 to 10^15. */
const totalVnd = z
  .int()
  .min(0)
  .max(MAX_AMOUNT_VND)
  .meta({ description: 'Running total in VND, a whole number from 0 to 10^15' });

/** One allocation an answer left out because a total is stored out of range (README "Errors"). */
export const TotalsProblemView = z
  .object({
    allocationId: z.string(),
    code: z.literal('amount_out_of_range'),
    message: z.string(),
    totals: z.array(
      z.object({
        field: z.string().meta({ example: 'assignedVnd' }),
        value: z.string().meta({
          description: 'The value as stored, as a decimal string (it may not fit a JSON number exactly)',
          example: '9100000000000000001',
        }),
      }),
    ),
  })
  .meta({ id: 'TotalsProblem' });

/** The `problems` field of a list or report: present only when an allocation was left out. */
export const problems = z
  .array(TotalsProblemView)
  .optional()
  .meta({ description: 'Allocations left out because a total is stored out of range; absent when none' });

export const AllocationView = z
  .object({
    id: z.string(),
    fiscalYear: z.number(),
    fundingLine,
    capitalType: z.enum(CAPITAL_TYPES),
    component: z.string(),
    commune: z.string(),
    title: z.string(),
    assignedVnd: totalVnd,
    reservedVnd: totalVnd,
    disbursedVnd: totalVnd,
    availableVnd: totalVnd,
    headSeq: z.number(),
    headHash: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Allocation' });

export const RequestView = z
  .object({
    id: z.string(),
    allocationId: z.string(),
    fiscalYear: z.number(),
    fundingLine,
    capitalType: z.enum(CAPITAL_TYPES),
    commune: z.string(),
    component: z.string(),
    amountVnd: z.number(),
    payee: z.object({ name: z.string(), kind: z.enum(PAYEE_KINDS) }),
    purpose: z.string(),
    outputs: z.record(z.string(), z.number()).optional(),
    status: z.enum(REQUEST_STATUSES),
    chain: z.array(z.string()),
    nextLevel: z
      .string()
      .optional()
      .meta({ description: 'The level whose decision is awaited; while pending' }),
    pendingSince: z.string().optional().meta({ description: 'Since when that level has been waiting' }),
    approvals: z.array(
      z.object({
        level: z.string(),
        decision: z.enum(['approve', 'reject']),
        by: z.string(),
        email: z.string().optional().meta({ description: "The approver's e-mail, when the token had one" }),
        at: z.string(),
        comment: z.string().optional(),
      }),
    ),
    submittedBy: z.string(),
    submittedByEmail: z
      .string()
      .optional()
      .meta({ description: "The submitter's e-mail, when the token had one" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DisbursementRequest' });

export const AdjustmentView = z
  .object({
    id: z.string(),
    allocationId: z.string(),
    deltaVnd: z.number(),
    reason: z.string(),
    by: z.string(),
    at: z.string(),
    allocation: AllocationView,
  })
  .meta({ id: 'AdjustmentResult' });

export const DecisionAccepted = z
  .object({ eventId: z.string(), requestId: z.string(), level: z.string() })
  .meta({ id: 'DecisionAccepted' });

export const Health = z.object({ status: z.literal('ok') });
export const OpenApiDocumentView = z
  .looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ description: 'An OpenAPI 3.1 document' });
export const ListOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const AllocationList = z
  .object({ items: z.array(AllocationView), problems })
  .meta({ id: 'AllocationList' });
export const PageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });
export { ErrorBody };

/** The 422 of a route where a running total would leave 0 to 10^15, or is stored outside it. */
export const outOfRangeResponse = (what: string) => ({
  422: { description: `amount_out_of_range: ${what}`, schema: ErrorBody },
});

/** The approval event as carried on a funding line's queue. */
export const ApprovalEventMessage = z.object({
  eventId: z.string().min(1),
  requestId: z.string().min(1),
  fundingLine,
  level: z.string().min(1),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().optional(),
  actor: z.object({
    sub: z.string().min(1),
    email: z.string().optional(),
    groups: z.array(z.string()),
    commune: z.string().optional(),
  }),
  decidedAt: z.string().min(1),
  outboxKey: z.string().min(1).optional(),
});
