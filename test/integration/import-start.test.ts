import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoImportRepository } from '../../shared/imports/adapters/import-repository.ts';
import { importRowsObjectKey } from '../../shared/imports/adapters/s3-import-rows.ts';
import { runImportJob } from '../../shared/imports/app/apply-import.ts';
import { ImportFailedError } from '../../shared/imports/app/import-errors.ts';
import { fileSha256, importIdOf, rowIdempotencyKey } from '../../shared/imports/app/import-id.ts';
import type { ImportJob, ImportRecord } from '../../shared/imports/app/ports.ts';
import type { ImportRow } from '../../shared/imports/app/read-import.ts';
import {
  STALLED_AFTER_MS,
  type StartImportDeps,
  startImport,
} from '../../shared/imports/app/start-import.ts';
import { createAllocation } from '../../shared/ledger/app/allocations.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { ForbiddenError, ServiceUnavailableError } from '../../shared/platform/errors.ts';
import { finance, planner, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

const J = 'tay-giang';
let store: LedgerStore;
let imports: DynamoImportRepository;
/** The bucket's imports/ rows, in memory (the S3 adapter has its own test in import-repository.test.ts). */
const objects = new Map<string, ImportRow[]>();
const queued: ImportJob[] = [];

beforeAll(async () => {
  const table = await freshTable('import-start');
  store = table.store;
  imports = new DynamoImportRepository(table.db, table.tableName);
});

const deps = (overrides: Partial<StartImportDeps> = {}): StartImportDeps => ({
  store,
  imports,
  policies: approvalPolicies,
  ...testEnv,
  rowStorage: {
    putRows: async (key, rows) => {
      objects.set(key, [...rows]);
    },
    getRows: async (key) => objects.get(key) ?? [],
  },
  queue: { enqueue: async (job) => void queued.push(job) },
  rowsObjectKey: importRowsObjectKey,
  ...overrides,
});

const HEADER = 'Năm kế hoạch;Nguồn vốn;Loại vốn;Dự án;Xã;Nội dung;Kế hoạch vốn giao (đồng)';
/** A plan file as CSV, one row per component code, in A Tiêng. */
const planCsv = (components: string[]) => ({
  bytes: Buffer.from(
    [
      HEADER,
      ...components.map((c) => `2024;Vốn trung ương;Vốn đầu tư;${c};A Tiêng;Đường ${c};1.000.000`),
    ].join('\n'),
  ),
  contentType: 'text/csv',
});

const allocationsOf = async (component: string) =>
  (await store.listAllocations({ jurisdiction: J, fiscalYear: 2024 })).filter(
    (a) => a.component === component,
  );

describe('starting an import', () => {
  it('refuses a plan from finance and a payment batch from a planner, reading nothing', async () => {
    const file = planCsv(['S0']);
    await expect(startImport(deps(), finance, { kind: 'allocations', dryRun: false, file })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(startImport(deps(), planner, { kind: 'requests', dryRun: true, file })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('queues a file above the sync limit with its rows kept, and applies one within it in the call', async () => {
    const file = planCsv(['S1a', 'S1b', 'S1c']);
    const job = await startImport(deps({ syncRowLimit: 2 }), planner, {
      kind: 'allocations',
      dryRun: false,
      file,
    });
    if (job.dryRun) throw new Error('not a dry run');
    expect(job.record).toMatchObject({ mode: 'job', status: 'queued', progress: { done: 0, total: 3 } });
    expect(queued.at(-1)).toEqual({ jurisdiction: J, importId: job.record.id });
    expect(objects.get(importRowsObjectKey(J, job.record.id))).toHaveLength(3);
    expect(await allocationsOf('S1a')).toEqual([]);

    const small = await startImport(deps(), planner, {
      kind: 'allocations',
      dryRun: false,
      file: planCsv(['S1d']),
    });
    if (small.dryRun) throw new Error('not a dry run');
    expect(small.record).toMatchObject({ mode: 'sync', status: 'applied', counts: { created: 1 } });
    expect(await allocationsOf('S1d')).toHaveLength(1);
  });

  it('goes on from the failed row when the same file comes again, writing no row twice', async () => {
    const file = planCsv(['S2a', 'S2b', 'S2c']);
    const first = await startImport(deps(), planner, { kind: 'allocations', dryRun: false, file });
    if (first.dryRun) throw new Error('not a dry run');
    // As if the call had stopped on its second row: the first written, the record failed there.
    const id = first.record.id;
    expect(id).toBe(importIdOf(J, 'allocations', fileSha256(file.bytes)));
    const rows = objects.get(importRowsObjectKey(J, id)) ?? [];
    const failedFile = planCsv(['S3a', 'S3b', 'S3c']);
    const failedId = importIdOf(J, 'allocations', fileSha256(failedFile.bytes));
    const failedRows = rows.map((r, i) =>
      r.kind === 'allocations' ? { ...r, input: { ...r.input, component: `S3${'abc'[i]}` } } : r,
    );
    objects.set(importRowsObjectKey(J, failedId), failedRows);
    const at = testEnv.now().toISOString();
    const record: ImportRecord = {
      ...first.record,
      id: failedId,
      sha256: fileSha256(failedFile.bytes),
      rowsObjectKey: importRowsObjectKey(J, failedId),
      status: 'applying',
      counts: { rows: 3, created: 0, replayed: 0 },
      progress: { done: 0, total: 3 },
      createdAt: at,
      updatedAt: at,
    };
    await imports.createImport(record);
    await imports.recordProgress(record, { done: 1, created: 1, replayed: 0 }, at);
    await imports.finishImport(
      record,
      { status: 'failed', failure: { sheet: 'x', row: 3, code: 'insufficient_funds', message: 'x' } },
      at,
    );
    // Its first row was written under its key before the stop; the others were not.
    const [written] = failedRows;
    if (written?.kind !== 'allocations') throw new Error('no row');
    await createAllocation(deps(), planner, written.input, rowIdempotencyKey(failedId, 0));
    const again = await startImport(deps(), planner, {
      kind: 'allocations',
      dryRun: false,
      file: failedFile,
    });
    if (again.dryRun) throw new Error('not a dry run');
    expect(again.replayed).toBe(true);
    expect(again.record).toMatchObject({ status: 'applied', progress: { done: 3 } });
    expect(again.record.failure).toBeUndefined();
    expect(await allocationsOf('S3a')).toHaveLength(1);
    expect(await allocationsOf('S3b')).toHaveLength(1);
    expect(await allocationsOf('S3c')).toHaveLength(1);
  });

  it('answers a failed sync import with 409 import_failed when its row is refused again', async () => {
    const file = planCsv(['S4a']);
    const first = await startImport(deps(), planner, { kind: 'allocations', dryRun: false, file });
    if (first.dryRun) throw new Error('not a dry run');
    const id = first.record.id;
    // A second file whose stored row names a commune of no one: refused at apply time.
    const bad = planCsv(['S4b']);
    const badId = importIdOf(J, 'allocations', fileSha256(bad.bytes));
    const [row] = objects.get(importRowsObjectKey(J, id)) ?? [];
    if (row?.kind !== 'allocations') throw new Error('no row');
    objects.set(importRowsObjectKey(J, badId), [{ ...row, input: { ...row.input, commune: 'Không có' } }]);
    const at = testEnv.now().toISOString();
    await imports.createImport({
      ...first.record,
      id: badId,
      rowsObjectKey: importRowsObjectKey(J, badId),
      status: 'failed',
      counts: { rows: 1, created: 0, replayed: 0 },
      progress: { done: 0, total: 1 },
      failure: { sheet: 'x', row: 2, code: 'invalid_request', message: 'x' },
      createdAt: at,
      updatedAt: at,
    });
    const error = await startImport(deps(), planner, { kind: 'allocations', dryRun: false, file: bad }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as ImportFailedError).details).toMatchObject({ importId: badId, failure: { row: 2 } });
    expect((await imports.getImport(J, badId))?.status).toBe('failed');
  });

  it('queues a queued import again only once it has not moved for a while', async () => {
    const file = planCsv(['S5a', 'S5b']);
    const job = await startImport(deps({ syncRowLimit: 1 }), planner, {
      kind: 'allocations',
      dryRun: false,
      file,
    });
    if (job.dryRun) throw new Error('not a dry run');
    const before = queued.length;
    await startImport(deps({ syncRowLimit: 1 }), planner, { kind: 'allocations', dryRun: false, file });
    expect(queued.length).toBe(before);
    const later = new Date(testEnv.now().getTime() + STALLED_AFTER_MS + 60_000);
    const again = await startImport(deps({ syncRowLimit: 1, now: () => later }), planner, {
      kind: 'allocations',
      dryRun: false,
      file,
    });
    expect(queued.length).toBe(before + 1);
    if (again.dryRun) throw new Error('not a dry run');
    expect(again).toMatchObject({ replayed: true, record: { status: 'queued', mode: 'job' } });
  });
});

describe('a sync import the call cannot finish in time', () => {
  it('is handed to the worker and answered as a queued one from then on', async () => {
    const file = planCsv(['H1a', 'H1b', 'H1c']);
    const before = queued.length;
    const started = await startImport(deps({ syncBudgetMs: -1 }), planner, {
      kind: 'allocations',
      dryRun: false,
      file,
    });
    if (started.dryRun) throw new Error('not a dry run');
    // Out of time before its second row: one written, the rest queued.
    expect(started.record).toMatchObject({ mode: 'job', status: 'applying', progress: { done: 1 } });
    expect(queued.slice(before)).toEqual([{ jurisdiction: J, importId: started.record.id }]);
    expect(await runImportJob(deps(), { jurisdiction: J, importId: started.record.id }, () => false)).toBe(
      'applied',
    );
    const again = await startImport(deps(), planner, { kind: 'allocations', dryRun: false, file });
    if (again.dryRun) throw new Error('not a dry run');
    expect(again.record).toMatchObject({ mode: 'job', status: 'applied', counts: { rows: 3, created: 3 } });
    for (const c of ['H1a', 'H1b', 'H1c']) expect(await allocationsOf(c)).toHaveLength(1);
  });
});

describe('the worker’s part of a queued import', () => {
  it('applies rows until told to pause, queues its continuation, and finishes in the next message', async () => {
    const file = planCsv(['W1a', 'W1b', 'W1c']);
    const job = await startImport(deps({ syncRowLimit: 1 }), planner, {
      kind: 'allocations',
      dryRun: false,
      file,
    });
    if (job.dryRun) throw new Error('not a dry run');
    const message = { jurisdiction: J, importId: job.record.id };
    const before = queued.length;
    // Asked between rows (before the second and the third): the second time, it stops with two done.
    let asked = 0;
    expect(await runImportJob(deps(), message, () => ++asked >= 2)).toBe('continued');
    expect(queued.slice(before)).toEqual([message]);
    expect((await imports.getImport(J, job.record.id))?.progress.done).toBe(2);
    expect(await runImportJob(deps(), message, () => false)).toBe('applied');
    expect(await runImportJob(deps(), message, () => false)).toBe('settled');
    expect(await runImportJob(deps(), { ...message, importId: 'f'.repeat(32) }, () => false)).toBe('missing');
    for (const c of ['W1a', 'W1b', 'W1c']) expect(await allocationsOf(c)).toHaveLength(1);
    expect(await imports.getImport(J, job.record.id)).toMatchObject({
      status: 'applied',
      counts: { rows: 3, created: 3, replayed: 0 },
    });
  });
});

describe('a queued import whose rows hit transient failures', () => {
  const queuedJob = async (titles: string[]) => {
    const job = await startImport(deps({ syncRowLimit: 1 }), planner, {
      kind: 'allocations',
      dryRun: false,
      file: planCsv(titles),
    });
    if (job.dryRun) throw new Error('not a dry run');
    return { jurisdiction: J, importId: job.record.id };
  };
  /** The ledger store, with createAllocation failing as `fails(n)` says for its n-th call. */
  const failing = (fails: (n: number) => boolean): LedgerStore => {
    let writes = 0;
    return Object.create(store, {
      createAllocation: {
        value: (...args: Parameters<LedgerStore['createAllocation']>) =>
          fails(++writes)
            ? Promise.reject(new ServiceUnavailableError('throttled'))
            : store.createAllocation(...args),
      },
    });
  };

  it('tries a passing failure again within the invocation: applied by one message, nothing queued', async () => {
    const message = await queuedJob(['T2a', 'T2b', 'T2c', 'T2d']);
    const before = queued.length;

    // Every second write fails once (a throttled table).
    expect(await runImportJob(deps({ store: failing((n) => n % 2 === 0) }), message, () => false)).toBe(
      'applied',
    );
    expect(queued.slice(before)).toEqual([]);
    for (const c of ['T2a', 'T2b', 'T2c', 'T2d']) expect(await allocationsOf(c)).toHaveLength(1);
  });

  it('queues the rest after a failure that outlasts its tries but followed progress, so it is never dead-lettered for them', async () => {
    const message = await queuedJob(['T1a', 'T1b', 'T1c', 'T1d']);
    const before = queued.length;

    // The first row goes in, then the table stays throttled for the rest of the invocation.
    expect(await runImportJob(deps({ store: failing((n) => n > 1) }), message, () => false)).toBe(
      'continued',
    );
    expect(queued.slice(before)).toEqual([message]);
    expect((await imports.getImport(J, message.importId))?.progress.done).toBe(1);
    // No progress at all: thrown, for the queue to redeliver and in the end dead-letter.
    await expect(runImportJob(deps({ store: failing(() => true) }), message, () => false)).rejects.toThrow(
      'throttled',
    );
    expect(queued.slice(before)).toHaveLength(1);
    expect(await runImportJob(deps(), message, () => false)).toBe('applied');
    for (const c of ['T1a', 'T1b', 'T1c', 'T1d']) expect(await allocationsOf(c)).toHaveLength(1);
  });
});
