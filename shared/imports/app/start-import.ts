import type { ApprovalPolicies } from '../../ledger/domain/approval-policy.ts';
import { type Actor, assertAnyRole, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
import type { Role } from '../../platform/roles.ts';
import type { ImportKind } from '../domain/import-kind.ts';
import { type ApplyImportDeps, applyImport } from './apply-import.ts';
import { ImportFailedError, ImportInvalidError } from './import-errors.ts';
import { fileSha256, importIdOf } from './import-id.ts';
import type { ImportCounts, ImportQueue, ImportRecord, ImportRowStorage } from './ports.ts';
import { type ImportFile, type ImportReadDeps, type ImportRow, readImport } from './read-import.ts';

/** Files of at most this many rows are applied within the call (201); larger ones by the worker (202). */
export const SYNC_ROW_LIMIT = 200;

/**
 * How long a call applies rows before it hands the rest to the worker (202): API Gateway waits 29 s,
 * and a slow moment of the table must not turn a 200-row file into a timeout.
 */
export const SYNC_BUDGET_MS = 20_000;

/** A queued import whose record has not moved for this long is queued again when its file is sent again. */
export const STALLED_AFTER_MS = 15 * 60 * 1000;

/** Who imports what: a plan as planners record allocations, a payment batch as finance submits requests. */
export const IMPORT_ROLES: Record<ImportKind, readonly Role[]> = {
  allocations: ['planner'],
  requests: ['finance'],
};

/** Everything starting an import needs: reading, applying, keeping a queued import's rows, the queue. */
export interface StartImportDeps extends ApplyImportDeps, ImportReadDeps {
  /** Applying needs them (each request's chain); reading checks each row has one. */
  policies: ApprovalPolicies;
  rowStorage: ImportRowStorage;
  queue: ImportQueue;
  /** Where a queued import's rows are kept (the documents bucket's `imports/` prefix). */
  rowsObjectKey: (jurisdiction: string, importId: string) => string;
  syncRowLimit?: number;
  syncBudgetMs?: number;
}

/** What was asked of an import. */
export interface ImportRequest {
  kind: ImportKind;
  dryRun: boolean;
  file: ImportFile;
}

/** The answer: a dry run's counts, or the import's record (`replayed` when the same file came before). */
export type StartedImport =
  | { dryRun: true; kind: ImportKind; counts: ImportCounts; fileName?: string; sha256: string }
  | { dryRun: false; record: ImportRecord; replayed: boolean };

const refuseOtherKinds = (actor: Actor, kind: ImportKind): void =>
  assertAnyRole(scopeOf(actor), IMPORT_ROLES[kind], `Importing ${kind}`);

/**
 * Starts an import (POST /imports): checks the caller may import this kind, then, unless this very
 * file was imported before (its record answers again, resumed if it stopped), reads and validates
 * every row against the store (422 `import_invalid` with every bad cell; nothing written). A dry run
 * ends there. A small file is applied in the call; a larger one is kept and queued for the worker.
 */
export const startImport = async (
  deps: StartImportDeps,
  actor: Actor,
  request: ImportRequest,
): Promise<StartedImport> => {
  const { kind, file } = request;
  refuseOtherKinds(actor, kind);
  const jurisdiction = jurisdictionOfScope(scopeOf(actor));
  const sha256 = fileSha256(file.bytes);
  const id = importIdOf(jurisdiction, kind, sha256);
  if (!request.dryRun) {
    const existing = await deps.imports.getImport(jurisdiction, id);
    if (existing) return { dryRun: false, record: await resume(deps, existing), replayed: true };
  }
  const reading = await readImport(deps, actor, kind, file);
  if (!reading.ok) throw new ImportInvalidError(reading.errors);
  const { rows } = reading;
  if (request.dryRun) {
    return {
      dryRun: true,
      kind,
      counts: { rows: rows.length, created: 0, replayed: 0 },
      sha256,
      ...(file.fileName !== undefined ? { fileName: file.fileName } : {}),
    };
  }
  const now = deps.now().toISOString();
  const mode = rows.length <= (deps.syncRowLimit ?? SYNC_ROW_LIMIT) ? 'sync' : 'job';
  const rowsObjectKey = deps.rowsObjectKey(jurisdiction, id);
  const record: ImportRecord = {
    id,
    jurisdiction,
    kind,
    ...(file.fileName !== undefined ? { fileName: file.fileName } : {}),
    sha256,
    sizeBytes: file.bytes.length,
    mode,
    status: mode === 'sync' ? 'applying' : 'queued',
    counts: { rows: rows.length, created: 0, replayed: 0 },
    progress: { done: 0, total: rows.length },
    rowsObjectKey,
    actor: {
      sub: actor.sub,
      groups: [...actor.groups],
      jurisdiction,
      ...(actor.commune !== undefined ? { commune: actor.commune } : {}),
      ...(actor.email !== undefined ? { email: actor.email } : {}),
    },
    createdBy: actor.sub,
    createdAt: now,
    updatedAt: now,
  };
  // The rows first: a record always finds them, whoever resumes it (a retry never validates again,
  // as half-applied rows would then count twice against what is left).
  await deps.rowStorage.putRows(rowsObjectKey, rows);
  if (!(await deps.imports.createImport(record))) {
    // The same file sent twice at once: the other call's record answers.
    const winner = await deps.imports.getImport(jurisdiction, id);
    if (!winner) throw new Error(`import ${id} was neither written nor found`);
    return { dryRun: false, record: await resume(deps, winner, rows), replayed: true };
  }
  if (mode === 'job') {
    await deps.queue.enqueue({ jurisdiction, importId: id });
    return { dryRun: false, record, replayed: false };
  }
  return { dryRun: false, record: await applyInCall(deps, record, rows), replayed: false };
};

/**
 * Applies a sync import's rows within the call: applied, or stopped on a row (409 `import_failed`);
 * when the call's time runs out first, the rest is handed to the worker and the import answers as a
 * queued one from then on (202).
 */
const applyInCall = async (
  deps: StartImportDeps,
  record: ImportRecord,
  rows: readonly ImportRow[],
): Promise<ImportRecord> => {
  const deadline = deps.now().getTime() + (deps.syncBudgetMs ?? SYNC_BUDGET_MS);
  const outcome = await applyImport(deps, record, rows, () => deps.now().getTime() > deadline);
  if (outcome.paused) {
    await deps.imports.handOver(outcome.record, deps.now().toISOString());
    await deps.queue.enqueue({ jurisdiction: record.jurisdiction, importId: record.id });
    return { ...outcome.record, mode: 'job', status: 'applying' };
  }
  const done = outcome.record;
  if (done.status === 'failed' && done.failure) throw new ImportFailedError(done.id, done.failure);
  return done;
};

/**
 * The same file again: an applied import answers as it stands; one that stopped (a failed row, a
 * crashed call) goes on from its progress, in the call when it was a sync import, by the worker
 * otherwise; a queued import that has not moved for {@link STALLED_AFTER_MS} is queued again.
 */
const resume = async (
  deps: StartImportDeps,
  record: ImportRecord,
  rows?: readonly ImportRow[],
): Promise<ImportRecord> => {
  if (record.status === 'applied') return record;
  const now = deps.now();
  let current = record;
  if (record.status === 'failed') {
    await deps.imports.retryImport(record, now.toISOString());
    current = { ...record, status: 'applying' };
    delete current.failure;
  }
  if (current.mode === 'job') {
    const stalled = now.getTime() - Date.parse(record.updatedAt) > STALLED_AFTER_MS;
    if (record.status === 'failed' || stalled) {
      await deps.queue.enqueue({ jurisdiction: record.jurisdiction, importId: record.id });
    }
    return current;
  }
  const stored =
    rows ?? (current.rowsObjectKey ? await deps.rowStorage.getRows(current.rowsObjectKey) : undefined);
  if (!stored) throw new Error(`import ${record.id} has no stored rows to resume from`);
  return applyInCall(deps, current, stored);
};
