import * as z from 'zod';
import type {} from 'zod-openapi';
import { code, problems, queryInt, text } from '../../platform/http/schemas.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';
import { INDICATOR_SOURCES, INDICATOR_STATUSES } from '../domain/plan-target.ts';

const LARGEST = 1_000_000_000_000;
const figure = z
  .number('must be a number')
  .min(-LARGEST, 'must be at least -10^12')
  .max(LARGEST, 'must be at most 10^12');

/** `<fiscalYear>.<code>` in a path, e.g. `2024.houses`. */
export const IndicatorIdPath = z.strictObject({
  id: z
    .string()
    .regex(
      /^(20\d\d|2100)\.[A-Za-z][A-Za-z0-9_-]{0,31}$/,
      'must be an indicator id <fiscalYear>.<code>, e.g. 2024.houses',
    ),
});

const localized = (max: number) =>
  z.strictObject({ vi: text(max), en: text(max) }).meta({ description: 'Vietnamese and English' });

const Target = z
  .strictObject({
    min: z.number('must be a number').min(0, 'must not be negative').max(LARGEST, 'must be at most 10^12'),
    max: z
      .number('must be a number')
      .min(0, 'must not be negative')
      .max(LARGEST, 'must be at most 10^12')
      .optional(),
  })
  .meta({
    id: 'TargetRange',
    description:
      'min === max for a single figure; min only for "at least"; both for a range. Met once actual ≥ min.',
    example: { min: 270, max: 330 },
  });

/**
 * An output key becomes a key of the year's catalogue and of every request's outputs map: never the
 * name of a property every JavaScript object already has (`constructor`, `toString`, …).
 */
const outputKey = code.refine(
  (key) => !Object.hasOwn(Object.prototype, key),
  'must not be the name of a built-in object property (constructor, toString, valueOf, …); choose another code',
);

const outputKeys = z
  .array(outputKey)
  .min(1, 'must name at least one output key')
  .max(20, 'must have at most 20 keys')
  .meta({ example: ['houses'] });

export const IndicatorBody = z
  .strictObject({
    name: localized(200),
    unit: localized(40),
    target: Target,
    source: z.enum(INDICATOR_SOURCES),
    order: z
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(99, 'must be at most 99')
      .optional()
      .meta({ description: "Position in the plan's list; GET /targets sorts by it" }),
    outputKeys: outputKeys.optional(),
    breakdown: z
      .array(
        z.strictObject({
          code,
          name: localized(200),
          outputKeys,
          target: Target.optional(),
        }),
      )
      .max(20, 'must have at most 20 parts')
      .optional(),
  })
  .meta({ id: 'IndicatorDefinition' });

export const MeasurementBody = z
  .strictObject({
    value: figure.meta({ example: 287 }),
    date: z
      .string()
      .refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD')
      .meta({ example: '2024-12-31' }),
    source: text(300).meta({ example: 'Kết quả rà soát hộ nghèo năm 2024' }),
  })
  .meta({ id: 'NewMeasurement' });

export const ListTargetsQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100)
    .optional()
    .meta({ description: 'Defaults to the current year in Vietnam' }),
});

const LocalizedView = z.object({ vi: z.string(), en: z.string() });
const TargetView = z.object({ min: z.number(), max: z.number().optional() });
const status = z.enum(INDICATOR_STATUSES);

export const IndicatorView = z
  .object({
    id: z.string(),
    fiscalYear: z.number(),
    code: z.string(),
    name: LocalizedView,
    unit: LocalizedView,
    target: TargetView,
    source: z.enum(INDICATOR_SOURCES),
    order: z.number().optional(),
    outputKeys: z.array(z.string()).optional(),
    actual: z.number().nullable(),
    progress: z.number().nullable().meta({ description: 'actual / target.min; 1 = met' }),
    status,
    breakdown: z
      .array(
        z.object({
          code: z.string(),
          name: LocalizedView,
          actual: z.number(),
          target: TargetView.optional(),
          progress: z.number().nullable().optional(),
          status: status.optional(),
        }),
      )
      .optional(),
    lastMeasurement: z
      .object({
        value: z.number(),
        date: z.string(),
        source: z.string(),
        recordedBy: z.string(),
        recordedAt: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'PlanIndicator' });

export const TargetsView = z
  .object({ fiscalYear: z.number(), items: z.array(IndicatorView), problems })
  .meta({ id: 'PlanTargets' });
