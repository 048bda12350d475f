import { XLSX_MEDIA_TYPE } from '../../platform/format/media-types.ts';
import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import { IMPORT_LIMITS } from '../domain/import-limits.ts';
import * as s from './schemas.ts';

/** Routes of spreadsheet imports (issue 18): import a file, follow an import, download a template. */
export const IMPORT_ROUTES = [
  {
    method: 'POST',
    path: '/imports',
    functionId: 'start-import',
    table: 'read-write',
    documents: 'imports',
    sendsTo: ['imports'],
    // Up to the sync row limit applied in the call; API Gateway waits 29 s at most.
    timeoutSeconds: 28,
    summary:
      'Import a plan (kind=allocations, planner) or a payment batch (kind=requests, finance) from an XLSX or CSV file sent as the body: all rows valid or nothing written',
    roles: ['planner', 'finance'],
    rawBody: { mediaTypes: s.IMPORT_MEDIA_TYPES, maxBytes: IMPORT_LIMITS.maxBytes },
    query: s.ImportQuery,
    responses: {
      200: {
        description: 'dryRun=true: the file is valid; what it would import (nothing written)',
        schema: s.DryRunAnswer,
      },
      201: {
        description:
          'Applied in the call (a file of at most 200 rows); the same file again gives this answer again',
        schema: s.ImportAnswer,
      },
      202: {
        description: 'Queued (a larger file): follow it at GET /imports/{id} (the Location header)',
        schema: s.ImportAnswer,
      },
      409: err(
        'import_failed: a row was refused when applied (details.failure); the rows before it are written',
      ),
      422: err(
        'import_invalid: bad cells, each in details.errors as {sheet,row,column,code,message}, nothing written; or a file-level problem (unreadable_file, missing_columns, no_rows, too_many_rows)',
      ),
    },
  },
  {
    method: 'GET',
    path: '/imports/{id}',
    functionId: 'get-import',
    table: 'read',
    summary: 'An import of the caller’s jurisdiction: its status, progress and counts',
    roles: ['planner', 'finance', 'auditor'],
    responses: {
      200: { description: 'The import', schema: s.ImportAnswer },
      404: err('No import with this id in the caller’s jurisdiction'),
    },
  },
  {
    method: 'GET',
    path: '/imports/templates/{file}',
    functionId: 'import-template',
    table: 'none',
    summary:
      'The XLSX template of an import (allocations.xlsx or requests.xlsx): Vietnamese headers and example rows',
    roles: ['planner', 'finance'],
    pathId: s.TemplatePath,
    responses: {
      200: { description: 'The template', binary: [XLSX_MEDIA_TYPE] },
      400: err('invalid_request: the file is allocations.xlsx or requests.xlsx'),
    },
  },
] as const satisfies readonly RouteSpec[];
