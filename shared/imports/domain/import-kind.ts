/** What a file imports: a year's plan (allocations, as POST /allocations) or a batch of payment requests (as POST /requests). */
export const IMPORT_KINDS = ['allocations', 'requests'] as const;

/** One of {@link IMPORT_KINDS}. */
export type ImportKind = (typeof IMPORT_KINDS)[number];
