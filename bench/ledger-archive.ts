import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localDynamoClient } from '../local/aws-local.ts';
import { ensureTable } from '../local/provision.ts';
import { startDynamoDbLocal } from '../local/servers.ts';
import { DynamoArchiveRestoreRepository } from '../shared/audit/adapters/archive-restore-repository.ts';
import { DynamoAuditRepository } from '../shared/audit/adapters/audit-repository.ts';
import { exportArchiveFile, fileLines } from '../shared/audit/archive/archive-file.ts';
import { importArchive } from '../shared/audit/archive/archive-import.ts';
import { DynamoDocumentRepository } from '../shared/documents/adapters/document-repository.ts';
import { DynamoLedgerRepository } from '../shared/ledger/adapters/ledger-repository.ts';
import type { Allocation } from '../shared/ledger/domain/allocation.ts';
import { GENESIS_HASH } from '../shared/ledger/domain/hash-chain.ts';
import { buildDisbursementEntry, type LedgerEntry } from '../shared/ledger/domain/ledger-entry.ts';
import { createDocumentClient } from '../shared/platform/aws/aws-clients.ts';

/**
 * `node scripts/run.mjs bench/ledger-archive.ts [--allocations A] [--entries N]`: export and import time
 * and archive size for a year of N entries spread over A allocations, on DynamoDB Local (in memory). The
 * year is written straight into the table (chained entries built by the posting rule), not through the
 * use cases: what is measured is the archive, not the posting path.
 */
const { values } = parseArgs({
  options: { allocations: { type: 'string', default: '50' }, entries: { type: 'string', default: '10000' } },
});
const allocationCount = Number(values.allocations);
const entryCount = Number(values.entries);
const J = 'bench';
const YEAR = 2030;

const dynamo = await startDynamoDbLocal({});
const raw = localDynamoClient(dynamo.endpoint);
const dir = mkdtempSync(join(tmpdir(), 'archive-bench-'));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
try {
  await ensureTable(raw, 'source');
  await ensureTable(raw, 'target');
  // After ensureTable: a document client made on the raw client before it reads numbers wrapped.
  const db = createDocumentClient(raw);
  const writer = new DynamoArchiveRestoreRepository(db, 'source');
  const seedStart = Date.now();
  for (let a = 0; a < allocationCount; a++) {
    const n = Math.floor(entryCount / allocationCount) + (a < entryCount % allocationCount ? 1 : 0);
    let allocation: Allocation = {
      id: `alloc-${String(a).padStart(4, '0')}`,
      jurisdiction: J,
      fiscalYear: YEAR,
      fundingLine: 'central',
      capitalType: 'investment',
      component: 'DA1',
      commune: `Xã ${a % 10}`,
      title: 'Bench allocation',
      assignedVnd: 1_000_000_000_000,
      reservedVnd: 0,
      disbursedVnd: 0,
      availableVnd: 1_000_000_000_000,
      headSeq: 0,
      headHash: GENESIS_HASH,
      createdAt: `${YEAR}-01-05T02:00:00.000Z`,
      createdBy: 'planner-1',
    };
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < n; i++) {
      const chain = ['district', 'province', 'treasury'];
      const entry = buildDisbursementEntry(
        allocation,
        {
          id: `${allocation.id}-req-${i}`,
          jurisdiction: J,
          allocationId: allocation.id,
          fiscalYear: YEAR,
          fundingLine: 'central',
          capitalType: 'investment',
          component: 'DA1',
          commune: allocation.commune,
          amountVnd: 40_000_000,
          payee: { name: `Hộ gia đình ${i}`, kind: 'household' },
          purpose: 'Hỗ trợ xây nhà ở cho hộ nghèo',
          status: 'disbursed',
          chain,
          approvals: chain.map((level, k) => ({
            level,
            by: `approver-${k}`,
            at: `${YEAR}-06-01T02:00:00.000Z`,
            decision: 'approve' as const,
            eventId: `evt-${i}-${k}`,
          })),
          submittedBy: 'finance-1',
          createdAt: `${YEAR}-05-01T02:00:00.000Z`,
          updatedAt: `${YEAR}-06-01T02:00:00.000Z`,
          pendingSince: `${YEAR}-05-01T02:00:00.000Z`,
          version: 4,
        },
        new Date(Date.UTC(YEAR, 5, 1) + i * 60_000).toISOString(),
      );
      entries.push(entry);
      allocation = {
        ...allocation,
        headSeq: entry.seq,
        headHash: entry.hash,
        disbursedVnd: allocation.disbursedVnd + entry.amountVnd,
        availableVnd: allocation.availableVnd - entry.amountVnd,
      };
    }
    await writer.writeRecords(J, {
      entries,
      digests: [
        {
          date: `${YEAR}-06-30`,
          allocationId: allocation.id,
          fiscalYear: YEAR,
          jurisdiction: J,
          seq: allocation.headSeq,
          hash: allocation.headHash,
          recordedAt: `${YEAR}-06-30T17:00:00.000Z`,
        },
      ],
      allocations: [allocation],
    });
  }
  console.log(
    `seeded ${entryCount} entries over ${allocationCount} allocations in ${seconds(Date.now() - seedStart)}`,
  );

  const { privateKey } = generateKeyPairSync('ed25519');
  const file = join(dir, 'year.jsonl');
  const memory = () => process.memoryUsage().rss;
  const rssBefore = memory();
  const exportStart = Date.now();
  const exported = await exportArchiveFile(
    {
      store: new DynamoLedgerRepository(db, 'source'),
      audit: new DynamoAuditRepository(db, 'source'),
      documents: new DynamoDocumentRepository(db, 'source'),
    },
    { jurisdiction: J, fiscalYear: YEAR },
    { file, privateKey, now: new Date() },
  );
  const exportMs = Date.now() - exportStart;
  const importStart = Date.now();
  const imported = await importArchive({
    lines: () => fileLines(file),
    trustedKey: privateKey,
    store: new DynamoArchiveRestoreRepository(db, 'target'),
    now: () => new Date(),
  });
  const importMs = Date.now() - importStart;
  if (imported.outcome !== 'restored')
    throw new Error(`import ${imported.outcome}: ${JSON.stringify(imported.report.problems.slice(0, 3))}`);
  console.log(
    `export: ${seconds(exportMs)} (${Math.round(entryCount / (exportMs / 1000))} entries/s), ${mib(exported.bytes)} (${Math.round(exported.bytes / entryCount)} bytes/entry)`,
  );
  console.log(
    `import: ${seconds(importMs)} (${Math.round(entryCount / (importMs / 1000))} entries/s: two verifying reads and ${imported.written} items written)`,
  );
  console.log(`process RSS ${mib(rssBefore)} before the export, ${mib(memory())} after the import`);
} finally {
  raw.destroy();
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
}
