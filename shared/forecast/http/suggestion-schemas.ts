import * as z from 'zod';
import { fiscalYear, queryInt } from '../../platform/http/schemas.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';

/** `GET /reallocations/suggestions?fiscalYear=&asOf=`. */
export const SuggestionsQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100),
  asOf: z
    .string()
    .refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD, in Vietnam time')
    .meta({
      description: 'The day the forecast is made (today by default, never later)',
      example: '2024-10-01',
    })
    .optional(),
});

const move = {
  fromAllocationId: z.string(),
  toAllocationId: z.string(),
  amountVnd: z.number().meta({ description: 'Whole đồng, a multiple of settings.unitVnd' }),
};

export const SuggestionsView = z
  .object({
    fiscalYear,
    asOf: z.string(),
    settings: z.object({
      unitVnd: z.number(),
      sourcePercentile: z.enum(['p50', 'p90']),
      sameFundingLine: z.boolean(),
      sameCapitalType: z.boolean(),
      maxMoves: z.number(),
    }),
    moves: z.array(z.object({ ...move, reason: z.string().meta({ description: 'Why, in Vietnamese' }) })),
    reallocations: z.array(z.object({ reason: z.string(), moves: z.array(z.object(move)) })).meta({
      description:
        'The moves as bodies of POST /reallocations: add decisionNumber and decidedOn (one funding line and capital type each when the policy asks, at most maxMoves moves)',
    }),
    allocations: z.array(
      z.object({
        allocationId: z.string(),
        title: z.string(),
        commune: z.string(),
        fundingLine: z.string(),
        capitalType: z.string(),
        assignedVnd: z.number(),
        committedVnd: z.number().meta({ description: 'Reserved plus disbursed: never moved' }),
        availableVnd: z.number(),
        deadline: z.string(),
        p10Percent: z.number(),
        p50Percent: z.number(),
        p90Percent: z.number(),
        pace: z.number(),
        demandVnd: z.number(),
        surplusVnd: z.number().meta({ description: 'Forecast unspent beyond what is committed' }),
        shortageVnd: z.number().meta({ description: 'Forecast demand beyond what is assigned' }),
      }),
    ),
  })
  .meta({ id: 'ReallocationSuggestions' });
