import { spawn } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoArchiveRestoreRepository } from '../../shared/audit/adapters/archive-restore-repository.ts';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import { recordDailyDigest, verifyLedger } from '../../shared/audit/app/ledger-audit.ts';
import { exportArchiveFile, fileLines } from '../../shared/audit/archive/archive-file.ts';
import { archiveLine } from '../../shared/audit/archive/archive-format.ts';
import { importArchive, type RestoreStore } from '../../shared/audit/archive/archive-import.ts';
import { signDigest } from '../../shared/audit/archive/archive-signature.ts';
import { DynamoDocumentRepository } from '../../shared/documents/adapters/document-repository.ts';
import type { DossierDocument } from '../../shared/documents/domain/dossier-document.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import {
  actor,
  approvalEvents,
  envInOctoberOf,
  givenAllocation,
  givenPosting,
  givenSubmission,
} from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

/** The fixtures' planner holds no jurisdiction claim: the data is the upgrade default's. */
const J = UPGRADE_DEFAULT_JURISDICTION;
const YEAR = 2011;
const auditor = actor('auditor-1', 'auditor');
const dir = mkdtempSync(join(tmpdir(), 'ledger-archive-'));
const { privateKey } = generateKeyPairSync('ed25519');
const publicKey = createPublicKey(privateKey);

let source: { db: DynamoDBDocumentClient; tableName: string; store: LedgerStore };
let archive: string;
let sourceVerify: Awaited<ReturnType<typeof verifyLedger>>;

const auditDeps = (t: { db: DynamoDBDocumentClient; tableName: string; store: LedgerStore }) => ({
  store: t.store,
  audit: new DynamoAuditRepository(t.db, t.tableName),
  ...envInOctoberOf(YEAR),
});

const itemCount = async (t: { db: DynamoDBDocumentClient; tableName: string }) =>
  (await t.db.send(new ScanCommand({ TableName: t.tableName, Select: 'COUNT', ConsistentRead: true }))).Count;

const restoreInto = async (
  t: { db: DynamoDBDocumentClient; tableName: string },
  file: string,
  key: KeyObject = publicKey,
  store: RestoreStore = new DynamoArchiveRestoreRepository(t.db, t.tableName),
) => importArchive({ lines: () => fileLines(file), trustedKey: key, store, now: () => new Date() });

/** A copy of the archive with its lines changed by `edit` (the lines without their newline). */
const tampered = (name: string, edit: (lines: string[]) => string[]) => {
  const lines = readFileSync(archive, 'utf8').split('\n').slice(0, -1);
  const file = join(dir, name);
  writeFileSync(file, `${edit(lines).join('\n')}\n`);
  return file;
};
const indexOfRecord = (lines: string[], record: string, nth = 0) =>
  lines.map((l, i) => [l, i] as const).filter(([l]) => JSON.parse(l).record === record)[nth]?.[1] ?? -1;

beforeAll(async () => {
  source = await freshTable('archive-source');
  const env = envInOctoberOf(YEAR);
  const deps = { store: source.store, ...env };
  const documents = new DynamoDocumentRepository(source.db, source.tableName);
  const a = await givenAllocation(source.store, {
    fundingLine: 'local',
    fiscalYear: YEAR,
    amountVnd: 900_000_000,
  });
  const b = await givenAllocation(source.store, {
    fundingLine: 'community',
    fiscalYear: YEAR,
    commune: 'Dang',
  });
  await givenAllocation(source.store, { fundingLine: 'central', fiscalYear: YEAR, commune: 'Lăng' });
  for (let i = 1; i <= 3; i++) await givenPosting(deps, a.id, i * 1_000_000);
  await givenPosting(deps, b.id, 5_000_000);
  // A digest mid-chain: the archive carries it and the import checks the chain still holds it.
  await recordDailyDigest(
    { store: source.store, audit: new DynamoAuditRepository(source.db, source.tableName), now: env.now },
    [YEAR],
    [J],
  );
  // One request with a verified dossier document, hashed into its entry by the last approval.
  const request = await givenSubmission(deps, b.id, 7_000_000);
  const file = Buffer.from('illustrative statement of completed work');
  const document: DossierDocument = {
    id: `${request.id}-d1`,
    jurisdiction: J,
    requestId: request.id,
    commune: 'Dang',
    type: 'payment-request',
    fileName: 'payment-request.pdf',
    contentType: 'application/pdf',
    sizeBytes: file.length,
    sha256: createHash('sha256').update(file).digest('hex'),
    objectKey: `${J}/${request.id}/${request.id}-d1`,
    status: 'verified',
    uploadedBy: 'finance-1',
    createdAt: env.now().toISOString(),
    verifiedAt: env.now().toISOString(),
  };
  await documents.putDocument(document);
  const events = approvalEvents(env, request);
  for (const [i, event] of events.entries()) {
    const last = i === events.length - 1;
    await applyApprovalEvent(
      { ...deps, policies: approvalPolicies, sleep: async () => {} },
      last ? { ...event, documents: [{ type: document.type, sha256: document.sha256 }] } : event,
    );
  }
  for (let i = 4; i <= 5; i++) await givenPosting(deps, a.id, i * 1_000_000);
  sourceVerify = await verifyLedger(auditDeps(source), auditor, { fiscalYear: YEAR });
  archive = join(dir, 'archive.jsonl');
  await exportArchiveFile(
    { store: source.store, audit: new DynamoAuditRepository(source.db, source.tableName), documents },
    { jurisdiction: J, fiscalYear: YEAR },
    { file: archive, privateKey, now: new Date() },
  );
});

describe('export → import round trip', () => {
  it('exports a header, the year’s allocations, digests, entries and documents, and a signature line', () => {
    const lines = readFileSync(archive, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      record: 'header',
      jurisdiction: J,
      fiscalYear: YEAR,
      counts: { allocations: 3, entries: 7, digests: 3, documents: 1 },
    });
    expect(lines.at(-1)).toMatchObject({ record: 'signature', algorithm: 'Ed25519' });
    const documentAt = lines.findIndex((l) => l.record === 'document');
    expect(lines[documentAt - 1].entry.documents).toEqual([
      { type: 'payment-request', sha256: lines[documentAt].document.sha256 },
    ]);
    expect(sourceVerify).toMatchObject({ valid: true, checked: 7, allocations: 3 });
  });

  it('restores into a fresh table where the ledger verifies with the same heads and totals', async () => {
    const target = await freshTable('archive-target');
    const result = await restoreInto(target, archive);
    expect(result).toMatchObject({ outcome: 'restored', resumed: false, written: 3 + 7 + 3 + 1 });
    const restored = await verifyLedger(auditDeps(target), auditor, { fiscalYear: YEAR });
    expect(restored).toEqual(sourceVerify);
    const totals = async (store: LedgerStore) =>
      (await store.listAllocations({ jurisdiction: J, fiscalYear: YEAR })).map((a) => ({ ...a }));
    expect(await totals(target.store)).toEqual(await totals(source.store));
    expect(await restoreInto(target, archive)).toMatchObject({ outcome: 'already-restored' });
  });

  it('refuses a store that already holds the jurisdiction-year, writing nothing', async () => {
    const before = await itemCount(source);
    const result = await restoreInto(source, archive);
    expect(result).toMatchObject({
      outcome: 'refused',
      reason: { en: expect.stringContaining('already holds') },
    });
    expect(await itemCount(source)).toBe(before);
  });

  it('resumes a restore that crashed midway, and refuses another archive on the half-restored year', async () => {
    const target = await freshTable('archive-crash');
    const real = new DynamoArchiveRestoreRepository(target.db, target.tableName);
    let writes = 0;
    const crashing: RestoreStore = {
      restoreMarker: (j, y) => real.restoreMarker(j, y),
      holdsYear: (j, y) => real.holdsYear(j, y),
      beginRestore: (m) => real.beginRestore(m),
      finishRestore: (m) => real.finishRestore(m),
      writeRecords: async (j, records) => {
        writes += 1;
        if (writes === 2) throw new Error('crash');
        return real.writeRecords(j, records);
      },
    };
    await expect(restoreInto(target, archive, publicKey, crashing)).rejects.toThrow('crash');
    // Half-restored: entries written, no allocation yet, so nothing is reachable or postable.
    expect(await target.store.listAllocations({ jurisdiction: J, fiscalYear: YEAR })).toEqual([]);
    const other = tampered('re-signed.jsonl', (lines) => {
      const header = JSON.parse(lines[0] ?? '{}');
      const body = [
        archiveLine({ ...header, createdAt: '2030-01-01T00:00:00.000Z' }).trimEnd(),
        ...lines.slice(1, -1),
      ];
      const sha = createHash('sha256')
        .update(body.map((l) => `${l}\n`).join(''))
        .digest('hex');
      const signature = {
        ...JSON.parse(lines.at(-1) ?? '{}'),
        sha256: sha,
        signature: signDigest(sha, privateKey),
      };
      return [...body, archiveLine(signature).trimEnd()];
    });
    expect(await restoreInto(target, other)).toMatchObject({
      outcome: 'refused',
      reason: { en: expect.stringContaining('half-restored from another archive') },
    });
    const resumed = await restoreInto(target, archive);
    expect(resumed).toMatchObject({ outcome: 'restored', resumed: true });
    expect(await verifyLedger(auditDeps(target), auditor, { fiscalYear: YEAR })).toEqual(sourceVerify);
  });
});

describe('a tampered archive is refused and nothing is written', () => {
  const refusedInFresh = async (file: string, key: KeyObject = publicKey) => {
    const target = await freshTable('archive-tamper');
    const before = await itemCount(target); // the table's own format record
    const result = await restoreInto(target, file, key);
    expect(result.outcome).toBe('refused');
    expect(await itemCount(target)).toBe(before);
    return result.report.problems;
  };

  it('refuses a changed entry line, naming its line, allocation and seq', async () => {
    let changedLine = 0;
    const file = tampered('changed.jsonl', (lines) => {
      const at = indexOfRecord(lines, 'entry', 1);
      const line = JSON.parse(lines[at] ?? '{}');
      line.entry.amountVnd += 1_000_000;
      changedLine = at + 1;
      return lines.map((l, i) => (i === at ? archiveLine(line).trimEnd() : l));
    });
    const problems = await refusedInFresh(file);
    expect(problems[0]).toMatchObject({ code: 'signature_invalid' });
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'chain_broken',
        line: changedLine,
        seq: 2,
        vi: expect.stringContaining('Chuỗi băm'),
      }),
    );
  });

  it('refuses a removed entry line', async () => {
    const file = tampered('removed.jsonl', (lines) =>
      lines.filter((_, i) => i !== indexOfRecord(lines, 'entry', 0)),
    );
    const codes = (await refusedInFresh(file)).map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['signature_invalid', 'chain_broken', 'count_mismatch']));
  });

  it('refuses a bad signature, and a signature by a key that is not the trusted one', async () => {
    const file = tampered('bad-signature.jsonl', (lines) => {
      const signature = JSON.parse(lines.at(-1) ?? '{}');
      const bytes = Buffer.from(signature.signature, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      return [
        ...lines.slice(0, -1),
        archiveLine({ ...signature, signature: bytes.toString('base64') }).trimEnd(),
      ];
    });
    expect((await refusedInFresh(file)).map((p) => p.code)).toEqual(['signature_invalid']);
    const stranger = createPublicKey(generateKeyPairSync('ed25519').privateKey);
    expect((await refusedInFresh(archive, stranger)).map((p) => p.code)).toEqual(['untrusted_key']);
  });

  it('refuses an edited entry even when re-signed with the trusted key: every chain is checked on its own', async () => {
    const file = tampered('edited-and-signed.jsonl', (lines) => {
      const at = indexOfRecord(lines, 'entry', 0);
      const line = JSON.parse(lines[at] ?? '{}');
      line.entry.payee.name = 'Someone else';
      const body = lines.slice(0, -1).map((l, i) => (i === at ? archiveLine(line).trimEnd() : l));
      const sha = createHash('sha256')
        .update(body.map((l) => `${l}\n`).join(''))
        .digest('hex');
      const signature = {
        ...JSON.parse(lines.at(-1) ?? '{}'),
        sha256: sha,
        signature: signDigest(sha, privateKey),
      };
      return [...body, archiveLine(signature).trimEnd()];
    });
    const problems = await refusedInFresh(file);
    expect(problems.map((p) => p.code)).toContain('chain_broken');
    expect(problems.map((p) => p.code)).not.toContain('signature_invalid');
  });
});

const repoRoot = resolve(import.meta.dirname, '../..');

/** Runs `npm run -s ledger -- <args>` as a user would (same script, same process model). */
const ledgerCli = (dataDir: string, ...args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', 'local/ledger-cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });

describe('npm run ledger', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  const out = join(dataDir, 'year.jsonl');
  const store = () => ['--endpoint', inject('dynamoEndpoint')];
  const exportArgs = () => [
    'export',
    ...store(),
    '--table',
    source.tableName,
    '--jurisdiction',
    J,
    '--year',
    String(YEAR),
    '--out',
    out,
  ];

  it('exports with a key it creates under DATA_DIR/keys (0600), its public key beside the file, never overwriting one', async () => {
    const exported = await ledgerCli(dataDir, ...exportArgs());
    expect(exported).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('3 allocations, 7 entries, 3 digests, 1 documents'),
    });
    expect(statSync(join(dataDir, 'keys', 'archive-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(existsSync(`${out}.pub.pem`)).toBe(true);
    expect((await ledgerCli(dataDir, ...exportArgs())).code).toBe(1);
  });

  it('verifies the file with the installation’s own key, and answers a usage error with exit code 2', async () => {
    expect(await ledgerCli(dataDir, 'verify', '--file', out)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('verifies'),
    });
    expect((await ledgerCli(dataDir, 'verify')).code).toBe(2);
  });

  it('imports into a fresh table once, where the ledger verifies as the source does', async () => {
    const target = await freshTable('archive-cli');
    const table = ['--table', target.tableName, '--file', out];
    const imported = await ledgerCli(
      dataDir,
      'import',
      ...store(),
      ...table,
      '--public-key',
      `${out}.pub.pem`,
    );
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('restored into') });
    expect(await verifyLedger(auditDeps(target), auditor, { fiscalYear: YEAR })).toEqual(sourceVerify);
    const again = await ledgerCli(dataDir, 'import', ...store(), ...table);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('already restored') });
  });

  it('refuses an edited file with exit code 1, saying in Vietnamese and English which line', async () => {
    const lines = readFileSync(out, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"record":"entry"'));
    const edited = out.replace('.jsonl', '-edited.jsonl');
    writeFileSync(
      edited,
      lines.map((l, i) => (i === at ? l.replace('"amountVnd":', '"amountVnd":1') : l)).join('\n'),
    );
    const target = await freshTable('archive-cli');
    const refused = await ledgerCli(
      dataDir,
      'import',
      ...store(),
      '--table',
      target.tableName,
      '--file',
      edited,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`dòng/line ${at + 1}`);
    expect(refused.stderr).toContain('Chữ ký không khớp');
    expect(refused.stderr).toContain('the file was changed after it was signed');
  });
});
