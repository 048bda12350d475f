import type { CellError } from '../../shared/imports/domain/cell-error.ts';
import { IMPORT_KINDS, type ImportKind } from '../../shared/imports/domain/import-kind.ts';
import { IMPORT_LIMITS } from '../../shared/imports/domain/import-limits.ts';
import { ApiError } from './api.ts';

export type { CellError, ImportKind };

/**
 * The import screen's logic without the DOM (unit-tested): what a role may import, the API's paths,
 * its answers read into one outcome, and the polling of an import run as a job (docs/imports.md).
 */

/**
 * Who imports what, as POST /imports checks it (start-import.ts, which the bundle does not take in):
 * planners a plan, finance a batch of requests.
 */
export const IMPORT_ROLES: Record<ImportKind, readonly string[]> = {
  allocations: ['planner'],
  requests: ['finance'],
};

/** The largest file POST /imports takes: a bigger one is refused before sending. */
export const MAX_IMPORT_BYTES = IMPORT_LIMITS.maxBytes;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The kinds a signed-in user's groups may import, in the order of {@link IMPORT_KINDS}. */
export const importKindsFor = (groups: readonly string[]): ImportKind[] =>
  IMPORT_KINDS.filter((kind) => IMPORT_ROLES[kind].some((role) => groups.includes(role)));

/** POST /imports for a kind: a check only (`dryRun`, nothing written) or the import itself. */
export const importPath = (kind: ImportKind, dryRun: boolean): string =>
  `/imports?kind=${kind}&dryRun=${dryRun}`;

/** GET /imports/templates/{kind}.xlsx: the template with Vietnamese headers and example rows. */
export const templatePath = (kind: ImportKind): string => `/imports/templates/${kind}.xlsx`;

/**
 * The media type to send a chosen file as, by its name: browsers give a CSV file as `text/csv`,
 * `application/vnd.ms-excel` or nothing, depending on the system; anything not `.csv` goes as XLSX.
 */
export const mediaTypeOf = (fileName: string): string =>
  /\.csv$/i.test(fileName.trim()) ? 'text/csv' : XLSX_TYPE;

const isCellError = (value: unknown): value is CellError => {
  const e = value as Partial<CellError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.sheet === 'string' &&
    typeof e.row === 'number' &&
    typeof e.column === 'string' &&
    typeof e.code === 'string' &&
    typeof e.message === 'string'
  );
};

/**
 * The bad cells of a file the API refused (422 `import_invalid`, `details.errors`), in sheet, row and
 * column order; undefined for any other error (the message says what to fix then).
 */
export const cellErrorsOf = (error: unknown): CellError[] | undefined => {
  if (!(error instanceof ApiError) || error.code !== 'import_invalid') return undefined;
  const errors = (error.details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return undefined;
  return errors.filter(isCellError).sort(
    (a, b) =>
      a.sheet.localeCompare(b.sheet) ||
      a.row - b.row ||
      a.column.length - b.column.length || // Z before AA
      a.column.localeCompare(b.column),
  );
};

/** Rows of the file, and how many the import wrote (`created`) or found written before (`replayed`). */
export interface ImportCounts {
  rows: number;
  created: number;
  replayed: number;
}

/**
 * Where an import stands, read from any of the API's answers: `checked` (a dry run: valid, nothing
 * written), `applied`, or still `queued`/`applying` (a job: poll it), or `failed` on a row.
 */
export interface ImportOutcome {
  state: 'checked' | 'queued' | 'applying' | 'applied' | 'failed';
  id?: string;
  counts: ImportCounts;
  progress?: { done: number; total: number };
  failure?: { sheet?: string; row?: number; code?: string; message: string };
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

const STATES = ['queued', 'applying', 'applied', 'failed'] as const;

/**
 * An answer of POST /imports (200 dry run, 201 applied, 202 queued) or GET /imports/{id} as an
 * outcome. The record may come bare or under `import`.
 */
export const outcomeOf = (status: number, body: unknown): ImportOutcome => {
  const outer = (body ?? {}) as Record<string, unknown>;
  const record = (outer.import && typeof outer.import === 'object' ? outer.import : outer) as Record<
    string,
    unknown
  >;
  const c = (record.counts ?? {}) as Record<string, unknown>;
  const counts = { rows: count(c.rows), created: count(c.created), replayed: count(c.replayed) };
  const p = record.progress as Record<string, unknown> | undefined;
  const progress = p ? { done: count(p.done), total: count(p.total) } : undefined;
  const f = record.failure as Record<string, unknown> | undefined;
  const recorded = STATES.find((s) => s === record.status);
  const state: ImportOutcome['state'] =
    outer.dryRun === true || record.dryRun === true
      ? 'checked'
      : (recorded ?? (status === 202 ? 'queued' : 'applied'));
  return {
    state,
    ...(typeof record.id === 'string' ? { id: record.id } : {}),
    counts,
    ...(progress ? { progress } : {}),
    ...(f && typeof f.message === 'string'
      ? {
          failure: {
            message: f.message,
            ...(typeof f.code === 'string' ? { code: f.code } : {}),
            ...(typeof f.sheet === 'string' ? { sheet: f.sheet } : {}),
            ...(typeof f.row === 'number' ? { row: f.row } : {}),
          },
        }
      : {}),
  };
};

/** True once an import will not move any more on its own: applied, failed, or only checked. */
export const isSettled = (outcome: ImportOutcome): boolean =>
  outcome.state === 'applied' || outcome.state === 'failed' || outcome.state === 'checked';

/** How a job is polled: every `intervalMs`, at most `maxPolls` times; `sleep` is injectable for tests. */
export interface PollOptions {
  intervalMs?: number;
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls GET /imports/{id} (through `read`) until the import is applied or failed, reporting each
 * answer to `onProgress`; gives the last outcome, settled or not (after `maxPolls`).
 */
export const pollImport = async (
  read: (id: string) => Promise<unknown>,
  id: string,
  onProgress: (outcome: ImportOutcome) => void,
  {
    intervalMs = 1000,
    maxPolls = 600,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  }: PollOptions = {},
): Promise<ImportOutcome> => {
  let last: ImportOutcome | undefined;
  for (let i = 0; i < maxPolls; i++) {
    await sleep(intervalMs);
    last = outcomeOf(200, await read(id));
    onProgress(last);
    if (isSettled(last)) return last;
  }
  return last ?? { state: 'queued', id, counts: { rows: 0, created: 0, replayed: 0 } };
};
