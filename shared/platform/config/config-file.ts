import type * as z from 'zod';

/**
 * Parses a configuration document with its schema, or throws one error naming the file, each field
 * and what to fix ("(the document)" for the whole), so a broken file stops the deployment at load.
 */
export const parseConfigFile = <S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> => {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(the document)'}: ${i.message}`)
    .join('; ');
  throw new Error(`${what}: ${problems}`);
};
