import * as z from 'zod';
import type {} from 'zod-openapi';
import { XLSX_MEDIA_TYPE } from '../../platform/format/media-types.ts';
import { IMPORT_KINDS } from '../domain/import-kind.ts';

/**
 * XLSX as Excel saves it, and CSV (UTF-8, `,` or `;`), which browsers on Windows label
 * `application/vnd.ms-excel` (the reader tells a real, unsupported .xls by its bytes).
 */
export const IMPORT_MEDIA_TYPES = [XLSX_MEDIA_TYPE, 'text/csv', 'application/vnd.ms-excel'] as const;

/** The template files, one per kind. */
export const TEMPLATE_FILES = IMPORT_KINDS.map((kind) => `${kind}.xlsx` as const);

const kind = z
  .enum(IMPORT_KINDS, { error: `must be one of ${IMPORT_KINDS.join(', ')}` })
  .meta({ description: 'What the file holds: a plan (allocations) or a payment batch (requests)' });

/** `?kind=allocations|requests&dryRun=true|false`. */
export const ImportQuery = z.strictObject({
  kind,
  dryRun: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true')
    .meta({ description: 'true: validate only, write nothing (200 with the counts)' }),
});

/** `/imports/templates/{file}`. */
export const TemplatePath = z.strictObject({
  file: z.enum(TEMPLATE_FILES, { error: `must be one of ${TEMPLATE_FILES.join(', ')}` }),
});

const counts = z.object({
  rows: z.int().min(0).meta({ description: 'Data rows of the file' }),
  created: z.int().min(0).meta({ description: 'Rows written by this import' }),
  replayed: z.int().min(0).meta({ description: 'Rows found written already when the import was resumed' }),
});

/** An import as GET /imports/{id} shows it. */
export const ImportView = z
  .object({
    id: z.string(),
    kind,
    fileName: z.string().optional(),
    sha256: z.string(),
    sizeBytes: z.int().min(0),
    status: z.enum(['queued', 'applying', 'applied', 'failed']),
    counts,
    progress: z.object({ done: z.int().min(0), total: z.int().min(0) }),
    failure: z
      .object({ sheet: z.string(), row: z.int(), code: z.string(), message: z.string() })
      .optional()
      .meta({
        description: 'The row the ledger refused when it was applied; send the same file again to go on',
      }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Import' });

/** The answer of POST /imports: the import as it stands. */
export const ImportAnswer = z.object({ import: ImportView }).meta({ id: 'ImportAnswer' });

/** The answer of a dry run: what the file would import; nothing written. */
export const DryRunAnswer = z
  .object({
    dryRun: z.literal(true),
    kind,
    fileName: z.string().optional(),
    sha256: z.string(),
    counts,
  })
  .meta({ id: 'ImportDryRun' });
