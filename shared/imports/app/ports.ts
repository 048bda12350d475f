import type { Actor } from '../../platform/access.ts';
import type { CellErrorCode } from '../../platform/error-catalogue.ts';
import type { ImportKind } from '../domain/import-kind.ts';
import type { ImportRow } from './read-import.ts';

/** Where an import stands: waiting for the worker, being applied row by row, done, or stopped on a row. */
export type ImportStatus = 'queued' | 'applying' | 'applied' | 'failed';

/**
 * How the import was answered the first time: `sync` applied in the call (201), `job` queued for the
 * worker (202); the same file again gets the same status code.
 */
export type ImportMode = 'sync' | 'job';

/** Rows of the file, and how many of them the import wrote (`created`) or found written already (`replayed`). */
export interface ImportCounts {
  rows: number;
  created: number;
  replayed: number;
}

/** The row an import stopped on and why (a refusal of createAllocation or submitRequest at apply time). */
export interface ImportFailure {
  sheet: string;
  row: number;
  code: CellErrorCode;
  message: string;
}

/**
 * The record of one imported file ("nhập từ tệp"). Its id is a hash of jurisdiction, kind and the
 * file's SHA-256 ({@link importIdOf}), so the same file is the same record; the rows are applied as
 * `actor` (who first sent the file), whoever resumes them, so every row's Idempotency-Key is the same.
 */
export interface ImportRecord {
  id: string;
  jurisdiction: string;
  kind: ImportKind;
  fileName?: string;
  sha256: string;
  sizeBytes: number;
  mode: ImportMode;
  status: ImportStatus;
  counts: ImportCounts;
  progress: { done: number; total: number };
  failure?: ImportFailure;
  /** The rows' object in the documents bucket (a queued import's): `imports/<jurisdiction>/<id>.json`. */
  rowsObjectKey?: string;
  actor: Pick<Actor, 'sub' | 'groups'> & { commune?: string; email?: string; jurisdiction: string };
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Progress written while applying: rows done and the counts so far. */
export interface ImportProgress {
  done: number;
  created: number;
  replayed: number;
}

/** Storage of import records (DynamoDB: adapters/import-repository.ts). */
export interface ImportStore {
  /** Writes a new record; false when one with its id exists already (nothing is written then). */
  createImport(record: ImportRecord): Promise<boolean>;
  getImport(jurisdiction: string, id: string): Promise<ImportRecord | undefined>;
  /**
   * Records progress: moves `applying` (or `queued`) forward to `progress.done`, never back; false
   * when the stored record is already further on, or is no longer being applied.
   */
  recordProgress(record: ImportRecord, progress: ImportProgress, at: string): Promise<boolean>;
  /** Marks the import applied (every row done) or failed on a row; an applied import never changes again. */
  finishImport(
    record: ImportRecord,
    outcome: { status: 'applied'; progress: ImportProgress } | { status: 'failed'; failure: ImportFailure },
    at: string,
  ): Promise<ImportRecord | undefined>;
  /** Hands a sync import the call could not finish to the worker: its mode becomes `job` (202 from then on). */
  handOver(record: ImportRecord, at: string): Promise<void>;
  /** Sets a failed import back to `applying`, to try its remaining rows again; false when it was not failed. */
  retryImport(record: ImportRecord, at: string): Promise<boolean>;
}

/** The validated rows of a queued import, kept for the worker (the documents bucket, under `imports/`). */
export interface ImportRowStorage {
  putRows(objectKey: string, rows: readonly ImportRow[]): Promise<void>;
  getRows(objectKey: string): Promise<ImportRow[]>;
}

/** The message that asks the worker to apply (or go on applying) an import. */
export interface ImportJob {
  jurisdiction: string;
  importId: string;
}

/** The imports queue. */
export interface ImportQueue {
  enqueue(job: ImportJob): Promise<void>;
}
