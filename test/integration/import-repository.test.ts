import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from '../../local/aws-local.ts';
import { ensureBucket } from '../../local/provision.ts';
import { type RunningServer, startS3Server } from '../../local/servers.ts';
import { DynamoImportRepository } from '../../shared/imports/adapters/import-repository.ts';
import { importRowsObjectKey, S3ImportRows } from '../../shared/imports/adapters/s3-import-rows.ts';
import { applyImport, PROGRESS_EVERY } from '../../shared/imports/app/apply-import.ts';
import { importIdOf, rowIdempotencyKey } from '../../shared/imports/app/import-id.ts';
import type { ImportRecord } from '../../shared/imports/app/ports.ts';
import type { ImportRow } from '../../shared/imports/app/read-import.ts';
import { createAllocation } from '../../shared/ledger/app/allocations.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { idempotencyScope } from '../../shared/platform/idempotency.ts';
import { planner, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

const J = 'tay-giang';
let imports: DynamoImportRepository;
let store: LedgerStore;

beforeAll(async () => {
  const table = await freshTable('imports');
  imports = new DynamoImportRepository(table.db, table.tableName);
  store = table.store;
});

let next = 0;
/** A fresh record of `rows` rows, as startImport writes it for a sync import. */
const aRecord = (rows: number, overrides: Partial<ImportRecord> = {}): ImportRecord => {
  const sha256 = `${String(next++).padStart(4, '0')}${'a'.repeat(60)}`;
  const at = '2024-10-01T02:00:00.000Z';
  return {
    id: importIdOf(J, 'allocations', sha256),
    jurisdiction: J,
    kind: 'allocations',
    fileName: 'kế hoạch 2024.xlsx',
    sha256,
    sizeBytes: 1234,
    mode: 'sync',
    status: 'applying',
    counts: { rows, created: 0, replayed: 0 },
    progress: { done: 0, total: rows },
    actor: { sub: planner.sub, groups: planner.groups, jurisdiction: J },
    createdBy: planner.sub,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
};

describe('the import records in DynamoDB Local', () => {
  it('writes a record once: the same id again is refused and the first stays', async () => {
    const record = aRecord(3);
    expect(await imports.createImport(record)).toBe(true);
    expect(await imports.createImport({ ...record, fileName: 'other.xlsx' })).toBe(false);
    expect(await imports.getImport(J, record.id)).toEqual(record);
  });

  it('finds a record in its own jurisdiction only', async () => {
    const record = aRecord(1);
    await imports.createImport(record);
    expect(await imports.getImport('da-nang', record.id)).toBeUndefined();
  });

  it('moves progress forward only: an applier behind another writes nothing', async () => {
    const record = aRecord(100, { status: 'queued', mode: 'job' });
    await imports.createImport(record);
    expect(await imports.recordProgress(record, { done: 50, created: 50, replayed: 0 }, 'T1')).toBe(true);
    expect(await imports.recordProgress(record, { done: 25, created: 25, replayed: 0 }, 'T2')).toBe(false);
    const stored = await imports.getImport(J, record.id);
    expect(stored).toMatchObject({
      status: 'applying',
      progress: { done: 50, total: 100 },
      counts: { rows: 100, created: 50, replayed: 0 },
      updatedAt: 'T1',
    });
  });

  it('never reopens an applied import, and retries a failed one only', async () => {
    const record = aRecord(2);
    await imports.createImport(record);
    const failure = {
      sheet: 'Kế hoạch',
      row: 3,
      code: 'insufficient_funds' as const,
      message: 'Không đủ vốn.',
    };
    expect((await imports.finishImport(record, { status: 'failed', failure }, 'T1'))?.failure).toEqual(
      failure,
    );
    expect(await imports.retryImport(record, 'T2')).toBe(true);
    expect(await imports.retryImport(record, 'T3')).toBe(false);
    const applied = await imports.finishImport(
      record,
      { status: 'applied', progress: { done: 2, created: 1, replayed: 1 } },
      'T4',
    );
    expect(applied).toMatchObject({ status: 'applied', progress: { done: 2 }, counts: { created: 1 } });
    expect(applied?.failure).toBeUndefined();
    expect(await imports.recordProgress(record, { done: 3, created: 3, replayed: 0 }, 'T5')).toBe(false);
    expect(await imports.finishImport(record, { status: 'failed', failure }, 'T6')).toBeUndefined();
    expect(await imports.retryImport(record, 'T7')).toBe(false);
    expect((await imports.getImport(J, record.id))?.status).toBe('applied');
  });
});

/** Allocation rows of a fiscal year of the test's own, on distinct components. */
const allocationRows = (prefix: string, count: number): ImportRow[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: 'allocations' as const,
    sheet: 'Kế hoạch vốn',
    row: i + 2,
    input: {
      fiscalYear: 2024,
      fundingLine: 'central' as const,
      capitalType: 'investment' as const,
      component: `${prefix}.${i}`,
      commune: 'A Tiêng',
      title: `Công trình ${i + 1}`,
      amountVnd: 1_000_000 * (i + 1),
    },
  }));

describe('applying an import against the ledger in DynamoDB Local', () => {
  const deps = () => ({
    store,
    imports,
    policies: approvalPolicies,
    ...testEnv,
  });

  it('writes every row once and counts them, even when resumed after a crash that left no progress', async () => {
    const rows = allocationRows('R1', PROGRESS_EVERY + 5);
    const record = aRecord(rows.length);
    await imports.createImport(record);
    // A first applier wrote 10 rows under their keys and crashed before recording any progress.
    for (const [index, row] of rows.slice(0, 10).entries()) {
      if (row.kind === 'allocations')
        await createAllocation(deps(), planner, row.input, rowIdempotencyKey(record.id, index));
    }
    const { record: done } = await applyImport(deps(), record, rows);
    expect(done).toMatchObject({
      status: 'applied',
      progress: { done: rows.length, total: rows.length },
      counts: { rows: rows.length, created: rows.length - 10, replayed: 10 },
    });
    const listed = (await store.listAllocations({ jurisdiction: J, fiscalYear: 2024 })).filter((a) =>
      a.component.startsWith('R1.'),
    );
    expect(listed).toHaveLength(rows.length);
    const key = idempotencyScope('create-allocation', planner, rowIdempotencyKey(record.id, 0));
    expect(await store.getIdempotency(key.jurisdiction, key.scope)).toBeDefined();
  });

  it('stops on a row the ledger refuses, records where, and goes on from there when retried', async () => {
    const rows = allocationRows('R2', 4);
    const bad = rows[2] as Extract<ImportRow, { kind: 'allocations' }>;
    bad.input = { ...bad.input, commune: 'Không có xã này' };
    const record = aRecord(rows.length);
    await imports.createImport(record);
    const { record: failed } = await applyImport(deps(), record, rows);
    expect(failed.status).toBe('failed');
    expect(failed.failure).toMatchObject({ sheet: 'Kế hoạch vốn', row: 4 });
    expect(failed.progress.done).toBe(2);
    bad.input = { ...bad.input, commune: 'A Nông' };
    await imports.retryImport(failed, 'T');
    const { record: applied } = await applyImport(deps(), { ...failed, status: 'applying' }, rows);
    expect(applied).toMatchObject({ status: 'applied', counts: { rows: 4, created: 4, replayed: 0 } });
  });

  it('pauses between rows when told to, with its progress recorded', async () => {
    const rows = allocationRows('R3', 3);
    const record = aRecord(rows.length, { status: 'queued', mode: 'job' });
    await imports.createImport(record);
    let calls = 0;
    const outcome = await applyImport(deps(), record, rows, () => ++calls > 1);
    expect(outcome.paused).toBe(true);
    expect((await imports.getImport(J, record.id))?.progress.done).toBe(2);
  });
});

describe('the queued rows in the local S3-compatible server', () => {
  let directory: string;
  let server: RunningServer;
  let s3: S3Client;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'giai-ngan-imports-'));
    server = await startS3Server({ directory });
    s3 = localS3Client(server.endpoint);
    await ensureBucket(s3, 'documents-imports');
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the validated rows under imports/ and reads them back unchanged', async () => {
    const storage = new S3ImportRows(s3, 'documents-imports');
    const rows = allocationRows('R4', 3);
    const key = importRowsObjectKey(J, 'abc');
    expect(key).toBe('imports/tay-giang/abc.json');
    await storage.putRows(key, rows);
    expect(await storage.getRows(key)).toEqual(rows);
  });
});
