import * as z from 'zod';
import type {} from 'zod-openapi';
import { API_ERROR_MESSAGES_VI, type ApiErrorCode } from '../error-catalogue.ts';
import { MAX_AMOUNT_VND } from '../money.ts';
import { normalizeText, type TextRules, textProblem } from '../text-hygiene.ts';

/** Schemas every feature's routes share: text and id rules, paging, the error body, problems. */

/**
 * Every free-text field of a request: NFC first (one spelling per name), then trimmed, then checked
 * (no controls, bidi overrides or isolates, lone surrogates or zero-width-only text: see
 * shared/platform/text-hygiene.ts). Single-line unless `multiline` (a comment, a reason), which keeps `\n`.
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
export const fiscalYear = z
  .int('must be a whole year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');
export const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an id as returned by the API');
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,6}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const IdPath = z.strictObject({ id });

export const IdempotencyKey = z
  .string({ error: 'the Idempotency-Key header is required on this route' })
  .regex(
    /^[A-Za-z0-9_.:-]{1,128}$/,
    'must be 1 to 128 characters, each a letter (A-Z, a-z), a digit or one of - _ . : (e.g. a UUID)',
  );

export const ErrorBody = z
  .object({
    error: z.object({
      code: z
        .enum(Object.keys(API_ERROR_MESSAGES_VI) as [ApiErrorCode, ...ApiErrorCode[]])
        .meta({ description: 'Stable: the same whatever the language of the message' }),
      message: z.string().meta({
        description: 'What to fix: in English, or in Vietnamese when the call sends Accept-Language: vi',
      }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** A running total as the API shows it: exact, within 0 to 10^15. */
export const totalVnd = z
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

export const Health = z.object({ status: z.literal('ok') });
export const OpenApiDocumentView = z
  .looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ description: 'An OpenAPI 3.1 document' });
export const ListOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const PageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

/** A route's error answer in its spec: what it means, with the error body. */
export const err = (description: string) => ({ description, schema: ErrorBody });

/** The 422 of a route where a running total would leave 0 to 10^15, or is stored outside it. */
export const outOfRangeResponse = (what: string) => ({
  422: { description: `amount_out_of_range: ${what}`, schema: ErrorBody },
});
