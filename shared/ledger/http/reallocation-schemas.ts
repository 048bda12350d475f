import * as z from 'zod';
import { id, queryInt, text, totalVnd } from '../../platform/http/schemas.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';
import { REALLOCATION_STATUSES } from '../domain/reallocation.ts';

const amountVnd = z
  .int('must be a whole number of VND (no fractions, no strings)')
  .positive('must be greater than 0')
  .max(MAX_AMOUNT_VND, 'must be at most 10^15 VND')
  .meta({ description: 'Positive whole number of Vietnamese đồng', example: 150_000_000 });

export const ReallocationMove = z
  .strictObject({
    fromAllocationId: id.meta({
      description: 'The allocation capital is taken from (its available balance)',
    }),
    toAllocationId: id.meta({ description: 'The allocation that receives it' }),
    amountVnd,
  })
  .meta({ id: 'ReallocationMove' });

/** A reallocation by a numbered decision ("quyết định điều chỉnh kế hoạch vốn"). */
export const CreateReallocationBody = z
  .strictObject({
    decisionNumber: text(100),
    decidedOn: z
      .string()
      .refine(isIsoDate, 'must be a real calendar day written YYYY-MM-DD')
      .meta({ description: 'The day the decision was signed (Asia/Ho_Chi_Minh)', example: '2024-10-15' }),
    reason: text(1000, { multiline: true }),
    moves: z
      .array(ReallocationMove)
      .min(1, 'must list at least one move')
      // The policy's cap (too_many_moves, 422) is lower; this bound only keeps bodies small.
      .max(1000, 'must list at most 1000 moves')
      .meta({
        description:
          "All apply or none: at most the jurisdiction's policy's maxMoves (too_many_moves), each allocation only giving or only receiving",
      }),
  })
  .meta({ id: 'CreateReallocation' });

export const ReallocationDecisionBody = z
  .strictObject({ comment: text(500, { multiline: true }).optional() })
  .meta({ id: 'ReallocationDecision' });

export const ListReallocationsQuery = z.strictObject({ fiscalYear: queryInt(2000, 2100) });

export const ReallocationView = z
  .object({
    id: z.string(),
    jurisdiction: z.string(),
    fiscalYear: z.number(),
    decisionNumber: z.string(),
    decidedOn: z.string(),
    reason: z.string(),
    moves: z.array(
      z.object({ fromAllocationId: z.string(), toAllocationId: z.string(), amountVnd: z.number() }),
    ),
    totalVnd: totalVnd.meta({ description: 'The capital moved: taken out and given in alike (conserved)' }),
    communes: z.array(z.string()),
    status: z.enum(REALLOCATION_STATUSES).meta({
      description:
        'applied: its moves are on both allocations’ chains; pending_approval: waits for a province approver other than its maker; rejected: nothing moved',
    }),
    requestedBy: z.string(),
    requestedByEmail: z.string().optional(),
    requestedAt: z.string(),
    decision: z
      .object({
        decision: z.enum(['approve', 'reject']),
        by: z.string(),
        email: z.string().optional(),
        at: z.string(),
        comment: z.string().optional(),
      })
      .optional()
      .meta({ description: "The province approver's decision, where the policy asks for one" }),
    appliedAt: z.string().optional(),
    version: z.number(),
  })
  .meta({ id: 'Reallocation' });

export const ReallocationList = z
  .object({ items: z.array(ReallocationView) })
  .meta({ id: 'ReallocationList' });
