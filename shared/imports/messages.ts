import * as z from 'zod';

/** An import job as carried on the imports queue: which import to apply, in which jurisdiction. */
export const ImportJobMessage = z.object({
  jurisdiction: z.string().min(1),
  importId: z.string().regex(/^[0-9a-f]{32}$/),
});
