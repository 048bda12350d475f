import { createAllocation } from '../../ledger/app/allocations.ts';
import { type RequestDeps, submitRequest } from '../../ledger/app/requests.ts';
import type { PayeeRegister } from '../../payees/app/request-payee.ts';
import type { Actor } from '../../platform/access.ts';
import { AppError, ServiceUnavailableError } from '../../platform/errors.ts';
import { isTransient } from '../../platform/transient-failure.ts';
import type { OutputCatalogue } from '../../targets/app/ports.ts';
import { rowIdempotencyKey } from './import-id.ts';
import type {
  ImportJob,
  ImportProgress,
  ImportQueue,
  ImportRecord,
  ImportRowStorage,
  ImportStore,
} from './ports.ts';
import type { ImportRow } from './read-import.ts';

/** Rows applied between two progress writes. */
export const PROGRESS_EVERY = 25;

/** What applying needs: what POST /allocations and POST /requests build, and the import records. */
export interface ApplyImportDeps extends RequestDeps {
  catalogue: OutputCatalogue;
  register?: PayeeRegister;
  imports: ImportStore;
}

/** How far one call went: the import as it now stands, and whether it stopped early to go on later. */
export interface ApplyOutcome {
  record: ImportRecord;
  paused: boolean;
}

/** The importer, as the rows are written: whoever resumes an import writes as its first sender. */
const actorOf = (record: ImportRecord): Actor => ({
  sub: record.actor.sub,
  groups: [...record.actor.groups],
  jurisdiction: record.actor.jurisdiction,
  ...(record.actor.commune !== undefined ? { commune: record.actor.commune } : {}),
  ...(record.actor.email !== undefined ? { email: record.actor.email } : {}),
});

/** One row through the use case its kind names, under the row's own Idempotency-Key. */
const applyRow = async (deps: ApplyImportDeps, actor: Actor, row: ImportRow, key: string) =>
  row.kind === 'allocations'
    ? createAllocation(deps, actor, row.input, key)
    : submitRequest(deps, actor, row.input, key);

/** A refusal of the row itself (409, 422, 403…), as opposed to a hiccup that a retry gets past. */
const isRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && !(error instanceof ServiceUnavailableError);

/**
 * Applies an import's rows in order from where its progress stands, each through createAllocation or
 * submitRequest under a key made of the import and the row, so a crash, a redelivery or a second
 * applier replays the rows already written instead of writing them twice. Progress is written every
 * {@link PROGRESS_EVERY} rows; `pause` lets a worker stop between rows and go on in a later message.
 * A row the ledger refuses stops the import there (`failed`, with the row and the reason); a transient
 * failure is thrown, progress recorded first, for the caller's retry.
 */
export const applyImport = async (
  deps: ApplyImportDeps,
  record: ImportRecord,
  rows: readonly ImportRow[],
  pause: () => boolean = () => false,
): Promise<ApplyOutcome> => {
  if (record.status === 'applied') return { record, paused: false };
  const actor = actorOf(record);
  const start = record.progress.done;
  const progress: ImportProgress = {
    done: start,
    created: record.counts.created,
    replayed: record.counts.replayed,
  };
  const save = () =>
    progress.done > start
      ? deps.imports.recordProgress(record, progress, deps.now().toISOString())
      : Promise.resolve(false);
  for (let index = start; index < rows.length; index++) {
    if (index > start && pause()) {
      await save();
      return { record: { ...record, progress: { ...record.progress, done: progress.done } }, paused: true };
    }
    const row = rows[index] as ImportRow;
    let replayed: boolean;
    try {
      ({ replayed } = await applyRow(deps, actor, row, rowIdempotencyKey(record.id, index)));
    } catch (error) {
      await save();
      if (!isRefusal(error)) throw error;
      const failure = { sheet: row.sheet, row: row.row, code: error.code, message: error.message };
      const failed = await deps.imports.finishImport(
        record,
        { status: 'failed', failure },
        deps.now().toISOString(),
      );
      return { record: failed ?? { ...record, status: 'failed', failure }, paused: false };
    }
    progress.done = index + 1;
    if (replayed) progress.replayed++;
    else progress.created++;
    if (progress.done % PROGRESS_EVERY === 0 && progress.done < rows.length) await save();
  }
  const finished = await deps.imports.finishImport(
    record,
    { status: 'applied', progress },
    deps.now().toISOString(),
  );
  // Another applier finished it first: the stored record is the answer.
  return {
    record: finished ?? (await deps.imports.getImport(record.jurisdiction, record.id)) ?? record,
    paused: false,
  };
};

/** What the worker needs beside applying: the queued rows and the queue, to go on in a later message. */
export interface ImportJobDeps extends ApplyImportDeps {
  rowStorage: ImportRowStorage;
  queue: ImportQueue;
}

/**
 * What one message did: nothing (gone, applied or failed before), applied, failed, or queued again
 * (paused, or stopped by a transient failure after progress).
 */
export type JobOutcome = 'missing' | 'settled' | 'applied' | 'failed' | 'continued';

/**
 * Tries of one worker invocation at a transient failure, counted afresh after progress (rows replay
 * by their keys, never twice).
 */
const WORKER_ATTEMPTS = 3;

/**
 * The worker's part (one message of the imports queue): applies a queued import's stored rows from
 * its progress until `pause` says the invocation's time is running out, then queues a continuation.
 * A redelivered or duplicate message is harmless: the rows replay, progress never moves back.
 * A transient failure is tried again in the invocation ({@link WORKER_ATTEMPTS} tries in a row with no
 * progress between them): a message's receives are not spent on a passing hiccup, and a redelivery's wait is not paid for one.
 */
export const runImportJob = async (
  deps: ImportJobDeps,
  job: ImportJob,
  pause: () => boolean,
): Promise<JobOutcome> => {
  /** The progress the import stood at when this message first read it. */
  let startedAt: number | undefined;
  let rows: readonly ImportRow[] | undefined;
  /** Failures in a row with no progress between them, and the progress they stopped at. */
  let failures = 0;
  let stuckAt = -1;
  for (;;) {
    try {
      const record = await deps.imports.getImport(job.jurisdiction, job.importId);
      if (!record) return 'missing';
      if (record.status === 'applied' || record.status === 'failed') return 'settled';
      startedAt ??= record.progress.done;
      if (!record.rowsObjectKey) throw new Error(`import ${record.id} has no stored rows`);
      rows ??= await deps.rowStorage.getRows(record.rowsObjectKey);
      const outcome = await applyImport(deps, record, rows, pause);
      if (!outcome.paused) return outcome.record.status === 'failed' ? 'failed' : 'applied';
      await deps.queue.enqueue(job);
      return 'continued';
    } catch (error) {
      const now =
        startedAt === undefined
          ? undefined
          : await deps.imports.getImport(job.jurisdiction, job.importId).catch(() => undefined);
      const done = now?.progress.done ?? -1;
      failures = done > stuckAt ? 1 : failures + 1;
      stuckAt = Math.max(stuckAt, done);
      if (isTransient(error) && failures < WORKER_ATTEMPTS && !pause()) {
        await new Promise((r) => setTimeout(r, 100 * failures));
        continue;
      }
      // Still failing after rows went in: the rest goes on in a fresh message, so an import that keeps
      // moving is never dead-lettered for failures spread over its many rows. One that moved not at
      // all is redelivered, then dead-lettered, as any other message.
      if (!now || startedAt === undefined || now.progress.done <= startedAt) throw error;
      await deps.queue.enqueue(job);
      return 'continued';
    }
  }
};
