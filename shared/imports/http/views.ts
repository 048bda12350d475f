import type { ApiResult } from '../../platform/http/api-result.ts';
import type { ImportRecord } from '../app/ports.ts';
import type { StartedImport } from '../app/start-import.ts';

/** An import as the API shows it: without whom it acts as, nor where its rows are kept. */
export const importView = (r: ImportRecord) => ({
  id: r.id,
  kind: r.kind,
  ...(r.fileName !== undefined ? { fileName: r.fileName } : {}),
  sha256: r.sha256,
  sizeBytes: r.sizeBytes,
  status: r.status,
  counts: r.counts,
  progress: r.progress,
  ...(r.failure ? { failure: r.failure } : {}),
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** Where an import is read: GET /imports/{id}. */
export const importLocation = (id: string): string => `/imports/${id}`;

/**
 * The answer to POST /imports: 200 for a dry run; 201 for an import applied in the call, 202 with its
 * Location for one queued for the worker; the same file again gets the status it got the first time.
 */
export const startedImportAnswer = (started: StartedImport): ApiResult => {
  if (started.dryRun) {
    const { dryRun, kind, fileName, sha256, counts } = started;
    return { statusCode: 200, body: { dryRun, kind, ...(fileName ? { fileName } : {}), sha256, counts } };
  }
  const { record, replayed } = started;
  const body = { import: importView(record) };
  return record.mode === 'sync'
    ? { statusCode: 201, body, replayed }
    : { statusCode: 202, body, replayed, headers: { location: importLocation(record.id) } };
};
