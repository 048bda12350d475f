import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoArchiveRestoreRepository } from '../shared/audit/adapters/archive-restore-repository.ts';
import { DynamoAuditRepository } from '../shared/audit/adapters/audit-repository.ts';
import { exportArchiveFile, fileLines } from '../shared/audit/archive/archive-file.ts';
import { archiveFileName, describeProblem } from '../shared/audit/archive/archive-format.ts';
import { importArchive, verifyArchive } from '../shared/audit/archive/archive-import.ts';
import { keyFingerprint, parsePublicKey, publicKeyText } from '../shared/audit/archive/archive-signature.ts';
import { DynamoDocumentRepository } from '../shared/documents/adapters/document-repository.ts';
import { DynamoLedgerRepository } from '../shared/ledger/adapters/ledger-repository.ts';
import { createDocumentClient } from '../shared/platform/aws/aws-clients.ts';
import { sdkRequestHandler, TOOL_SDK_TIMEOUTS } from '../shared/platform/aws/sdk-http.ts';
import { archiveKeyFile, existingArchiveKey, loadOrCreateArchiveKey } from './archive-keys.ts';
import { LOCAL_AWS } from './aws-local.ts';
import { ensureTable } from './provision.ts';
import { readRuntimeInfo } from './runtime.ts';
import { type RunningServer, startDynamoDbLocal } from './servers.ts';

/**
 * `npm run -s ledger -- export --jurisdiction ID --year Y [--out FILE]`: writes the signed archive of a
 * jurisdiction's fiscal year (docs/ledger-archive.md), signed with DATA_DIR/keys/archive-signing-key.pem
 * (created on first use), its public key beside it (`FILE.pub.pem`) and printed.
 * `npm run -s ledger -- import --file FILE [--public-key K]`: verifies the archive (signature with K, a
 * PEM file or base64 key, by default this installation's own key; every chain, digest, document) and
 * restores it into a store holding nothing of that jurisdiction-year; run again after a crash, it resumes.
 * The store: the running local system of DATA_DIR (`var`), else DynamoDB Local started on DATA_DIR's data
 * (the system stopped), else `--endpoint URL` and/or `--table NAME` [--region R] (AWS with the operator's
 * own credentials). Exit codes: 0 done (or already restored), 1 refused or failed (nothing written for a
 * refused archive), 2 usage.
 * `npm run -s ledger -- verify --file FILE [--public-key K]`: the import's checks alone, no store touched
 * (the restore drill runs it on an export of the restored table: docs/deploy.md).
 */
const usage = `usage: npm run -s ledger -- export --jurisdiction ID --year Y [--out FILE] [store options]
       npm run -s ledger -- import --file FILE [--public-key K] [store options]
       npm run -s ledger -- verify --file FILE [--public-key K]          (checks only; no store)
store options: [--endpoint URL] [--table NAME] [--region R]   (default: the local system of DATA_DIR)`;
const fail = (message: string, code = 1): never => {
  console.error(message);
  process.exit(code);
};

const [command, ...rest] = process.argv.slice(2);
if (command !== 'export' && command !== 'import' && command !== 'verify') fail(usage, 2);
const args = (() => {
  try {
    return parseArgs({
      args: rest,
      options: {
        jurisdiction: { type: 'string' },
        year: { type: 'string' },
        out: { type: 'string' },
        file: { type: 'string' },
        'public-key': { type: 'string' },
        endpoint: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`, 2);
  }
})();

const dataDir = resolve(process.env.DATA_DIR ?? 'var');
const keyFile = archiveKeyFile(dataDir);

/** Whether a process of that id runs (signal 0 only asks). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The table to use: named by the options, else the running local system's, else DynamoDB Local on DATA_DIR. */
const openStore = async () => {
  let server: RunningServer | undefined;
  let endpoint = args.endpoint;
  let tableName = args.table ?? `${process.env.LOCAL_NAMESPACE ?? 'giai-ngan'}-ledger`;
  const aws = args.endpoint === undefined && args.table !== undefined;
  if (args.endpoint === undefined && args.table === undefined) {
    let running: ReturnType<typeof readRuntimeInfo> | undefined;
    try {
      running = readRuntimeInfo(dataDir);
    } catch {
      // not running: open its data ourselves
    }
    if (running && alive(running.pid)) {
      endpoint = running.dynamoEndpoint;
      tableName = running.tableName;
      console.error(`using the running local system of ${dataDir} (table ${tableName})`);
    } else {
      server = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
      endpoint = server.endpoint;
      console.error(`DynamoDB Local on the data folder ${dataDir}`);
    }
  }
  const raw = new DynamoDBClient({
    requestHandler: sdkRequestHandler(TOOL_SDK_TIMEOUTS),
    ...(endpoint !== undefined ? { endpoint, ...(args.region ? {} : LOCAL_AWS) } : {}),
    ...(args.region ? { region: args.region } : {}),
  });
  // A local or emulated server gets its table (a fresh one to import into); AWS tables come from CDK.
  if (!aws) await ensureTable(raw, tableName);
  return {
    db: createDocumentClient(raw),
    tableName,
    close: async () => {
      raw.destroy();
      await server?.stop();
    },
  };
};

/** Progress on stderr, at most every two seconds. */
const throttled = () => {
  let last = 0;
  return (text: string) => {
    if (Date.now() - last < 2_000) return;
    last = Date.now();
    console.error(text);
  };
};

const runExport = async () => {
  const jurisdiction = args.jurisdiction;
  const year = Number(args.year);
  if (!jurisdiction || !Number.isInteger(year)) fail(`export needs --jurisdiction and --year\n${usage}`, 2);
  const file = resolve(args.out ?? archiveFileName(jurisdiction as string, year));
  if (existsSync(file)) fail(`${file} exists already: archives are never overwritten; pass another --out`);
  const privateKey = loadOrCreateArchiveKey(keyFile);
  const store = await openStore();
  try {
    const started = Date.now();
    const progress = throttled();
    const result = await exportArchiveFile(
      {
        store: new DynamoLedgerRepository(store.db, store.tableName),
        audit: new DynamoAuditRepository(store.db, store.tableName),
        documents: new DynamoDocumentRepository(store.db, store.tableName),
      },
      { jurisdiction: jurisdiction as string, fiscalYear: year },
      {
        file,
        privateKey,
        now: new Date(),
        progress: (c, total) =>
          progress(
            `exported ${c.allocations}/${total} allocations, ${c.entries} entries, ${c.digests} digests…`,
          ),
      },
    );
    const publicFile = `${file}.pub.pem`;
    writeFileSync(publicFile, createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }));
    const { counts } = result;
    console.log(
      `${file}: ${counts.allocations} allocations, ${counts.entries} entries, ${counts.digests} digests, ${counts.documents} documents; ${result.bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(
      `SHA-256 ${result.sha256}, signed with Ed25519 key ${keyFingerprint(privateKey)} (${keyFile})`,
    );
    console.log(`public key (${publicFile}): ${publicKeyText(privateKey)}`);
  } finally {
    await store.close();
  }
};

/** The key to trust: --public-key (a PEM file, or the key as base64), else this installation's own. */
const trustedKey = (): KeyObject | undefined => {
  const given = args['public-key'];
  if (given === undefined) {
    const own = existingArchiveKey(keyFile);
    return own && createPublicKey(own);
  }
  const key = parsePublicKey(existsSync(given) ? readFileSync(given, 'utf8') : given);
  return (
    key ??
    fail(`--public-key ${given} is neither an Ed25519 public key (PEM file or base64) nor such a file`, 2)
  );
};

/** Prints a refused archive's problems, Vietnamese then English, and sets exit code 1. */
const printRefusal = (
  scope: string,
  report: Awaited<ReturnType<typeof verifyArchive>>,
  reason?: { vi: string; en: string },
) => {
  console.error(`Không khôi phục ${scope} / ${scope} not restored: nothing of it was written.`);
  if (reason) console.error(`${reason.vi} / ${reason.en}`);
  for (const p of report.problems) console.error(describeProblem(p));
  if (report.moreProblems > 0)
    console.error(`… và ${report.moreProblems} lỗi nữa / and ${report.moreProblems} more`);
  process.exitCode = 1;
};

const runVerify = async () => {
  const file = args.file;
  if (!file) return fail(`verify needs --file\n${usage}`, 2);
  if (!existsSync(file)) return fail(`${file}: no such file`);
  const started = Date.now();
  const progress = throttled();
  const report = await verifyArchive({
    lines: () => fileLines(file),
    trustedKey: trustedKey(),
    progress: (_, n) => progress(`verified ${n} lines…`),
  });
  if (!report.valid) {
    console.error(`Tệp lưu trữ không hợp lệ / the archive does not verify: ${file}`);
    for (const p of report.problems) console.error(describeProblem(p));
    if (report.moreProblems > 0)
      console.error(`… và ${report.moreProblems} lỗi nữa / and ${report.moreProblems} more`);
    process.exitCode = 1;
    return;
  }
  const { counts } = report;
  console.log(
    `${file}: hợp lệ / verifies — ${report.header?.jurisdiction} ${report.header?.fiscalYear}, ${counts.allocations} allocations, ${counts.entries} entries, ${counts.digests} digests, ${counts.documents} documents; SHA-256 ${report.sha256} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
};

const runImport = async () => {
  const file = args.file;
  if (!file) return fail(`import needs --file\n${usage}`, 2);
  if (!existsSync(file)) return fail(`${file}: no such file`);
  const key = trustedKey();
  const store = await openStore();
  try {
    const started = Date.now();
    const progress = throttled();
    const result = await importArchive({
      lines: () => fileLines(file),
      trustedKey: key,
      store: new DynamoArchiveRestoreRepository(store.db, store.tableName),
      now: () => new Date(),
      progress: (stage, n) => progress(`${stage === 'verify' ? 'verified' : 'restored'} ${n} lines…`),
    });
    const { report } = result;
    const scope = report.header ? `${report.header.jurisdiction} ${report.header.fiscalYear}` : file;
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (result.outcome === 'refused') return printRefusal(scope, report, result.reason);
    const { counts } = report;
    if (result.outcome === 'already-restored') {
      console.log(
        `${scope} đã được khôi phục từ đúng tệp này / was already restored from this very archive: nothing to do.`,
      );
      return;
    }
    console.log(
      `${scope} ${result.resumed ? 'resumed and ' : ''}restored into ${store.tableName}: ${counts.allocations} allocations, ${counts.entries} entries, ${counts.digests} digests, ${counts.documents} documents verified and written (${result.written} items) in ${took}`,
    );
  } finally {
    await store.close();
  }
};

try {
  await (command === 'export' ? runExport() : command === 'import' ? runImport() : runVerify());
} catch (error) {
  fail(
    `${command} stopped: ${(error as Error).message}${command === 'import' ? ' — run it again: it resumes.' : ''}`,
  );
}
