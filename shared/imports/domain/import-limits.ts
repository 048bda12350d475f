/** How much one import takes: the file's bytes and its data rows (examples and blank rows not counted). */
export const IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 5000 } as const;
