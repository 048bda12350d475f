/**
 * `npm run bench`: throughput, latency and cost per disbursement of the local runtime, against the raw
 * rate of the store underneath, plus scaling and cold-start figures. Prints tables and writes
 * bench/results/<date>.json. Not part of `npm test`: it measures, it does not assert.
 */
import './quiet.ts';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../local/aws-local.ts';
import { currentFunction, invocationCounts, invocationListeners } from '../local/function-loader.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { startDynamoDbLocal, startSqsEmulator } from '../local/servers.ts';
import { DynamoLedgerRepository } from '../shared/ledger/adapters/ledger-repository.ts';
import { GENESIS_HASH } from '../shared/ledger/domain/hash-chain.ts';
import {
  createDocumentClient,
  sharedDocumentClient,
  sharedSqsClient,
} from '../shared/platform/aws/aws-clients.ts';
import { allocationKeys, entryKeys, requestKeys } from '../shared/platform/table/keys.ts';
import { vnDateOf } from '../shared/platform/vn-calendar.ts';
import { aTaxCode } from '../test/support/contract-fixtures.ts';
import prices from './aws-prices.json' with { type: 'json' };
import { capacityUnitsOf, consumedCapacityOf } from './capacity.ts';
import { coldStartTable, measureColdStart } from './cold-start.ts';
import { measureProvinceScale } from './province.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const log = (line: string) => process.stdout.write(`${line}\n`);
const now = () => performance.now();
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const table = (rows: Record<string, string | number>[]) => {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  log(cols.map((c, i) => c.padEnd(width[i] ?? 0)).join('  '));
  for (const r of rows) log(cols.map((c, i) => String(r[c]).padStart(width[i] ?? 0)).join('  '));
};

// ---- Instrumentation at the SDK layer -------------------------------------------------------------

interface Counters {
  dynamo: Map<string, number>;
  readUnits: number;
  /**
   * Write units as DynamoDB Local reports them with `INDEXES`: the table's and each index's, a
   * transaction's index writes at the transactional rate too (docs/performance.md, "Write units and
   * indexes").
   */
  writeUnits: number;
  /** The same with a transaction's index writes at the standard rate (what Local's `TOTAL` reports). */
  writeUnitsIndexesStandard: number;
  sqs: Map<string, number>;
  /** DynamoDB read requests and read units per function (SDK calls attributed to the invocation that made them). */
  readsByFunction: Map<string, { requests: number; units: number }>;
  /** Write units (transactions at their double rate, as reported) per function and command, to see where a disbursement's units go. */
  writesByFunction: Map<string, number>;
  /** DynamoDB requests per function and command. */
  requestsByFunction: Map<string, number>;
}
const counters: Counters = {
  dynamo: new Map(),
  readUnits: 0,
  writeUnits: 0,
  writeUnitsIndexesStandard: 0,
  sqs: new Map(),
  readsByFunction: new Map(),
  writesByFunction: new Map(),
  requestsByFunction: new Map(),
};
const resetCounters = () => {
  counters.dynamo.clear();
  counters.sqs.clear();
  counters.readsByFunction.clear();
  counters.writesByFunction.clear();
  counters.requestsByFunction.clear();
  counters.readUnits = 0;
  counters.writeUnits = 0;
  counters.writeUnitsIndexesStandard = 0;
  invocationCounts.clear();
};
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);

const WRITE_COMMANDS = /Put|Update|Delete|TransactWrite|BatchWrite/;
const CAPACITY_COMMANDS = /^(Get|Put|Update|Delete|Query|Scan|TransactWrite|TransactGet|BatchWrite|BatchGet)/;

let traced = 0;
/**
 * `BENCH_TRACE_WRITES=1` traces the first 40 writes to stderr, each with its units by table and index;
 * any other value, the first 400 writes of the functions whose name it matches (a regex), e.g.
 * `BENCH_TRACE_WRITES=consumer` for the postings.
 */
const traceAll = process.env.BENCH_TRACE_WRITES === '1';
const traceWritesOf = new RegExp(traceAll ? '' : (process.env.BENCH_TRACE_WRITES ?? ''));
const traceLimit = traceAll ? 40 : 400;
/** Counts DynamoDB requests and the capacity units the server reports (transactions at AWS's double rate). */
const instrumentDynamo = (client: DynamoDBClient | ReturnType<typeof sharedDocumentClient>) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      // Read before awaiting: the HTTP layer may resume in another async context.
      const fn = currentFunction.getStore() ?? 'outside a function';
      if (CAPACITY_COMMANDS.test(command)) input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      bump(counters.dynamo, command);
      bump(counters.requestsByFunction, `${fn} ${command}`);
      const all = consumedCapacityOf(result.output);
      const units = capacityUnitsOf(all);
      if (WRITE_COMMANDS.test(command)) {
        // DynamoDB Local reports a transaction's units at the transactional rate already (a 2.5 KB put:
        // 3 units alone, 6 in TransactWriteItems), as AWS bills them: counted as reported, not doubled again.
        // Its index writes too, in the `INDEXES` detail (but not in `TOTAL`): both readings are kept.
        const billed = units;
        const indexUnits = all.reduce(
          (a, c) =>
            a + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((b, i) => b + (i.CapacityUnits ?? 0), 0),
          0,
        );
        counters.writeUnitsIndexesStandard +=
          command === 'TransactWriteItems' ? units - indexUnits / 2 : units;
        if (process.env.BENCH_TRACE_WRITES && traceWritesOf.test(fn) && traced++ < traceLimit) {
          const items = (input.TransactItems as Record<string, Record<string, unknown>>[] | undefined)?.map(
            (i) =>
              `${Object.keys(i)[0]}:${String((Object.values(i)[0]?.Key as { pk?: string } | undefined)?.pk ?? (Object.values(i)[0]?.Item as { pk?: string } | undefined)?.pk).slice(0, 30)}`,
          );
          process.stderr.write(
            `TRACE ${fn} ${command} ${units} ${JSON.stringify(all)} ${items?.join(' ') ?? ''}\n`,
          );
        }
        counters.writeUnits += billed;
        const key = `${fn} ${command}`;
        counters.writesByFunction.set(key, (counters.writesByFunction.get(key) ?? 0) + billed);
      } else {
        counters.readUnits += units;
        const reads = counters.readsByFunction.get(fn) ?? { requests: 0, units: 0 };
        counters.readsByFunction.set(fn, { requests: reads.requests + 1, units: reads.units + units });
      }
      return result;
    },
    { step: 'initialize', name: 'benchCounter', override: true },
  );
};

/** Counts SQS requests; the pollers' empty receives are idle cost, not cost per disbursement. */
const instrumentSqs = (client: SQSClient, countEmptyReceives: boolean) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const empty =
        command === 'ReceiveMessage' && !(result.output as { Messages?: unknown[] }).Messages?.length;
      if (!empty || countEmptyReceives) bump(counters.sqs, command);
      return result;
    },
    { step: 'initialize', name: 'benchCounter', override: true },
  );
};

// ---- The run -------------------------------------------------------------------------------------

/** The parts of the run: all by default; `npm run bench -- --only disbursement,dossiers` runs some. */
const SECTIONS = ['disbursement', 'dossiers', 'scaling', 'coldstart'] as const;
type Section = (typeof SECTIONS)[number];
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;
for (const name of only ?? []) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    process.stderr.write(`unknown section "${name}": use one or more of ${SECTIONS.join(', ')}\n`);
    process.exit(2);
  }
}
const runs = (section: Section) => only === undefined || only.has(section);

const started = Date.now();
/** This process's environment before the local runtime adds its own (the cold-start imports start from it). */
const launchEnv = { ...process.env };
const dataDir = mkdtempSync(join(tmpdir(), 'giai-ngan-bench-'));
log('giai-ngan benchmark: starting DynamoDB Local (in memory) and the SQS emulator…');
const [dynamo, sqs] = await Promise.all([startDynamoDbLocal({}), startSqsEmulator({})]);
const rt = await startLocalRuntime({
  dataDir,
  port: 0,
  dynamoEndpoint: dynamo.endpoint,
  sqsEndpoint: sqs.endpoint,
  namespace: 'bench',
  seed: false,
  visibilityTimeoutSeconds: 30,
  // The bench starts the jobs it times itself; none starts on its hourly interval beside them.
  jobsOnInterval: false,
  log: () => {},
});
instrumentDynamo(sharedDocumentClient());
instrumentSqs(sharedSqsClient(), false);
instrumentSqs(rt.sqsClient, false);
const rawDynamo = localDynamoClient(dynamo.endpoint);
/**
 * The benchmark's jurisdiction and year: Đà Nẵng under the two-tier government (fiscal year 2026), where a
 * commune-invested request of 5 billion đồng or more takes three levels: commune → city → treasury.
 */
const J = 'da-nang';
const FISCAL_YEAR = 2026;
const COMMUNE = 'Avương';
const THREE_LEVEL_AMOUNT_VND = 5_000_000_000;
/** What the run measured, section by section (bench/results/<date>.json). */
const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
  sections: only ? [...only] : [...SECTIONS],
};
const rawDb = createDocumentClient(rawDynamo); // not instrumented
const rawTable = rt.tableName;
const observer = new DynamoLedgerRepository(createDocumentClient(rawDynamo), rt.tableName); // not instrumented

const tokenCache = new Map<string, string>();
const token = async (sub: string, group: string) => {
  const key = `${sub}/${group}`;
  if (!tokenCache.has(key))
    tokenCache.set(
      key,
      await rt.keys.sign({
        sub,
        groups: [group],
        jurisdiction: J,
        // Only the commune's own approvers are confined to it.
        ...(group === 'approver-commune' ? { commune: COMMUNE } : {}),
      }),
    );
  return tokenCache.get(key) as string;
};
const call = async (method: string, path: string, tok: string, body?: unknown, idem = true) => {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tok}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(idem ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const GROUP: Record<string, string> = {
  commune: 'approver-commune',
  city: 'approver-province',
  treasury: 'treasury',
};
/** The Treasury's payment voucher: its number unique per jurisdiction and year, valued today in Vietnam. */
const voucher = () => ({
  number: `UNC-${randomUUID().slice(0, 13).toUpperCase()}`,
  valueDate: vnDateOf(new Date()),
});
/**
 * Wakes the waiters of the requests an approval consumer's invocation carried (SQS records whose body
 * names `requestId`), as it ends. Waiting used to poll the table every 5 ms: 8.6 reads per disbursement
 * at c=32 on the store being measured, which the raw figure it is compared with does not carry.
 */
const waiters = new Map<string, Set<() => void>>();
invocationListeners.add((functionId, event) => {
  if (!functionId.startsWith('approval-consumer')) return;
  for (const record of (event as { Records?: { body?: string }[] }).Records ?? []) {
    let requestId: unknown;
    try {
      requestId = (JSON.parse(record.body ?? '') as { requestId?: unknown }).requestId;
    } catch {
      continue;
    }
    for (const wake of waiters.get(String(requestId)) ?? []) wake();
  }
});
/** Reads the request when a consumer has handled one of its events (at the latest every 200 ms) until `done`. */
const waitFor = async (id: string, done: (r: { status: string; nextLevel?: string }) => boolean) => {
  for (;;) {
    let wake = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const mine = waiters.get(id) ?? new Set();
    waiters.set(id, mine.add(wake));
    try {
      // Only what the wait reads: the whole request is the bytes DynamoDB Local spends its CPU on.
      const r = (
        await rawDb.send(
          new GetCommand({
            TableName: rawTable,
            Key: requestKeys.key(J, id),
            ProjectionExpression: '#status, nextLevel',
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        )
      ).Item as { status: string; nextLevel?: string } | undefined;
      if (r && done(r)) return;
      await Promise.race([woken, new Promise((resolve) => setTimeout(resolve, 200))]);
    } finally {
      mine.delete(wake);
      if (mine.size === 0) waiters.delete(id);
    }
  }
};

/** One disbursement through the API: submit, every level decides in turn, wait for the posting. */
const disburse = async (allocationId: string, worker: number) => {
  const t0 = now();
  const submitted = await call('POST', '/requests', await token(`maker-${worker}`, 'finance'), {
    allocationId,
    amountVnd: THREE_LEVEL_AMOUNT_VND,
    payee: { name: `Hộ gia đình ${worker}`, kind: 'household' },
    purpose: 'Benchmark disbursement',
  });
  const submitMs = now() - t0;
  if (submitted.status !== 201) throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`);
  const id = submitted.body.id as string;
  const chain = submitted.body.chain as string[];
  let lastDecisionAt = 0;
  for (const [i, level] of chain.entries()) {
    const res = await call(
      'POST',
      `/requests/${id}/decisions`,
      await token(`${level}-${worker}`, GROUP[level] ?? level),
      {
        decision: 'approve',
        // The Treasury's approval records its payment voucher, unique per jurisdiction and year.
        ...(level === 'treasury' ? { treasuryVoucher: voucher() } : {}),
      },
    );
    if (res.status !== 202) throw new Error(`decision failed: ${JSON.stringify(res.body)}`);
    if (i === chain.length - 1) lastDecisionAt = now();
    else await waitFor(id, (r) => r.nextLevel !== level);
  }
  await waitFor(id, (r) => r.status === 'disbursed');
  return { submitMs, postMs: now() - lastDecisionAt, totalMs: now() - t0 };
};

const createAllocations = async (n: number, amountVnd: number) => {
  const planner = await token('bench-planner', 'planner');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call('POST', '/allocations', planner, {
      fiscalYear: FISCAL_YEAR,
      fundingLine: 'central',
      capitalType: 'investment',
      component: 'DA1',
      commune: COMMUNE,
      investor: 'commune',
      title: `Benchmark ${i}`,
      amountVnd,
    });
    if (res.status !== 201) throw new Error(`creating an allocation failed: ${JSON.stringify(res.body)}`);
    ids.push(res.body.id as string);
  }
  return ids;
};

if (runs('disbursement')) {
  const endToEnd: Record<string, unknown>[] = [];
  const costRows: Record<string, number>[] = [];
  const c32ByOperation: Record<string, number> = {};
  const c32WriteUnits: Record<string, number> = {};
  const c32Requests: Record<string, number> = {};
  log('\n== End to end: submit → commune → city → treasury → posted (Đà Nẵng, central line, 2026) ==');
  // A first round at c=32, not reported, warms DynamoDB Local's JIT and the runtime's modules: without
  // it the first measured rounds ran cold, and c=32 read 11.2/s in one run and 17.3/s in the next.
  for (const [concurrency, total, reported] of [
    [32, 128, false],
    [1, 20, true],
    [8, 96, true],
    [32, 384, true],
  ] as const) {
    // 8 allocations (4 workers on each at c=32), each large enough for 384 disbursements of 5 billion.
    const allocations = await createAllocations(8, 400_000_000_000);
    resetCounters();
    const samples: { submitMs: number; postMs: number; totalMs: number }[] = [];
    let next = 0;
    const t0 = now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (next < total) {
          const n = next++;
          samples.push(await disburse(allocations[n % allocations.length] ?? '', worker));
        }
      }),
    );
    const seconds = (now() - t0) / 1000;
    if (!reported) {
      log(
        `(warm-up: ${total} disbursements at c=${concurrency}, ${round(total / seconds, 2)}/s, not reported)`,
      );
      continue;
    }
    const perDisbursement = (n: number) => round(n / total, 2);
    const row = {
      concurrency,
      disbursements: total,
      perSecond: round(total / seconds, 2),
      submitP50: round(
        percentile(
          samples.map((s) => s.submitMs),
          50,
        ),
      ),
      submitP95: round(
        percentile(
          samples.map((s) => s.submitMs),
          95,
        ),
      ),
      submitP99: round(
        percentile(
          samples.map((s) => s.submitMs),
          99,
        ),
      ),
      postP50: round(
        percentile(
          samples.map((s) => s.postMs),
          50,
        ),
      ),
      postP95: round(
        percentile(
          samples.map((s) => s.postMs),
          95,
        ),
      ),
      postP99: round(
        percentile(
          samples.map((s) => s.postMs),
          99,
        ),
      ),
    };
    endToEnd.push(row);
    costRows.push({
      concurrency,
      dynamoRequests: perDisbursement(sum(counters.dynamo)),
      readUnits: perDisbursement(counters.readUnits),
      writeUnits: perDisbursement(counters.writeUnits),
      writeUnitsIndexesStandard: perDisbursement(counters.writeUnitsIndexesStandard),
      sqsRequests: perDisbursement(sum(counters.sqs)),
      lambdaInvocations: perDisbursement(sum(invocationCounts)),
    });
    if (concurrency === 32) {
      for (const [k, v] of counters.dynamo) c32ByOperation[k] = perDisbursement(v);
      for (const [k, v] of counters.writesByFunction) c32WriteUnits[k] = perDisbursement(v);
      for (const [k, v] of counters.requestsByFunction) c32Requests[k] = perDisbursement(v);
      log(
        `DynamoDB requests by function and command (c=32, per disbursement): ${Object.entries(c32Requests)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      log(
        `Write units by function and command (c=32, per disbursement, transactions at their double rate): ${Object.entries(
          c32WriteUnits,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      log(
        `DynamoDB requests by operation (c=32, per disbursement): ${[...counters.dynamo].map(([k, v]) => `${k} ${perDisbursement(v)}`).join(', ')}`,
      );
      log(
        `SQS requests by operation (c=32, per disbursement): ${[...counters.sqs].map(([k, v]) => `${k} ${perDisbursement(v)}`).join(', ')}`,
      );
      log(
        `Lambda invocations (c=32, per disbursement): ${[...invocationCounts].map(([k, v]) => `${k} ${perDisbursement(v)}`).join(', ')}`,
      );
    }
  }
  table(endToEnd as Record<string, number>[]);
  log('\nLatency in ms: submit = POST /requests; post = last decision accepted → request disbursed.');

  // ---- The store's own limit: raw TransactWriteItems of the posting's shape ---------------------------

  log('\n== The limit: raw TransactWriteItems of the posting shape, straight against DynamoDB Local ==');
  const rawSeconds = 10;
  const rawWorkers = 32;
  const rawAllocations = await createAllocations(rawWorkers, 1_000_000_000_000);
  const [someRequest] = (await observer.listRequests({ jurisdiction: J }, 1)).items;
  let rawDone = 0;
  const rawStart = now();
  await Promise.all(
    rawAllocations.map(async (allocationId) => {
      let seq = 0;
      let head = GENESIS_HASH;
      while (now() - rawStart < rawSeconds * 1000) {
        const requestId = randomUUID();
        const hash = randomUUID().replace(/-/g, '').padEnd(64, '0');
        const request = {
          ...someRequest,
          id: requestId,
          allocationId,
          status: 'disbursed',
          version: 4,
          createdAt: new Date().toISOString(),
        };
        await rawDb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: rawTable,
                  Item: { ...requestKeys.item(J, request), ...request },
                  ConditionExpression: 'attribute_not_exists(pk) OR version = :v',
                  ExpressionAttributeValues: { ':v': 3 },
                },
              },
              {
                Update: {
                  TableName: rawTable,
                  Key: allocationKeys.key(J, allocationId),
                  UpdateExpression: 'SET disbursedVnd = disbursedVnd + :a, headSeq = :seq, headHash = :hash',
                  ConditionExpression: 'headSeq = :prevSeq AND headHash = :prevHash AND reservedVnd >= :zero',
                  ExpressionAttributeValues: {
                    ':a': 1,
                    ':seq': seq + 1,
                    ':hash': hash,
                    ':prevSeq': seq,
                    ':prevHash': head,
                    ':zero': 0,
                  },
                },
              },
              {
                Put: {
                  TableName: rawTable,
                  Item: {
                    ...entryKeys.item(J, {
                      allocationId,
                      seq: seq + 1,
                      fiscalYear: 2099,
                      postedAt: new Date().toISOString(),
                    }),
                    allocationId,
                    seq: seq + 1,
                    prevHash: head,
                    hash,
                    amountVnd: 1,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        seq += 1;
        head = hash;
        rawDone += 1;
      }
    }),
  );
  const rawPerSecond = rawDone / ((now() - rawStart) / 1000);
  const best = Math.max(...endToEnd.map((r) => Number(r.perSecond)));
  const ratioToRawStore = round(best / rawPerSecond, 3);
  table([{ rawTransactionsPerSecond: round(rawPerSecond, 1), ourPostingsPerSecond: best, ratioToRawStore }]);

  // ---- Cost ---------------------------------------------------------------------------------------

  log('\n== Cost per disbursement (counted at the SDK layer) and estimated AWS cost per 10,000 ==');
  table(costRows);
  const c32 = costRows.at(-1) ?? {};
  const memoryGb = 256 / 1024;
  const API_CALLS_PER_DISBURSEMENT = 4;
  const perTenThousand = {
    dynamoDb:
      ((c32.writeUnits ?? 0) * prices.dynamoDb.perMillionWriteRequestUnits +
        (c32.readUnits ?? 0) * prices.dynamoDb.perMillionReadRequestUnits) /
      100,
    sqs: ((c32.sqsRequests ?? 0) * prices.sqs.perMillionRequests) / 100,
    lambdaRequests: ((c32.lambdaInvocations ?? 0) * prices.lambda.perMillionRequests) / 100,
    // Duration estimated at the measured end-to-end latency per invocation is an upper bound; 100 ms is typical here.
    lambdaDuration: (c32.lambdaInvocations ?? 0) * 10_000 * 0.1 * memoryGb * prices.lambda.perGbSecondArm,
    // Four API calls per disbursement: the submission and three decisions.
    apiGateway: (API_CALLS_PER_DISBURSEMENT * prices.apiGatewayHttp.perMillionRequests) / 100,
  };
  const totalUsd = Object.values(perTenThousand).reduce((a, b) => a + b, 0);
  table([
    {
      ...Object.fromEntries(Object.entries(perTenThousand).map(([k, v]) => [k, round(v, 4)])),
      totalUsd: round(totalUsd, 4),
    },
  ]);
  log(`Prices: ${prices.region}, read ${prices.readOn} (${prices.source}).`);
  // Each level's decision and the submission are conditional writes of the same store: a disbursement is
  // (levels + 1) of them, against the raw conditional posting transaction of the same run.
  const levels = 3;
  const c32Row = endToEnd.find((r) => r.concurrency === 32);
  const storeEfficiency = round((Number(c32Row?.perSecond ?? 0) * (levels + 1)) / rawPerSecond, 3);
  log(
    `\nstoreEfficiency (c=32) = ${c32Row?.perSecond}/s × (${levels} levels + 1) ÷ ${round(rawPerSecond, 1)} raw tx/s = ${storeEfficiency}`,
  );
  Object.assign(result, {
    endToEnd,
    rawStore: { transactionsPerSecond: round(rawPerSecond, 1), workers: rawWorkers, seconds: rawSeconds },
    ratioToRawStore,
    storeEfficiency,
    dynamoRequestsPerDisbursement: c32.dynamoRequests,
    writeUnitsPerDisbursement: c32.writeUnits,
    writeUnitsPerDisbursementIndexesAtStandardRate: c32.writeUnitsIndexesStandard,
    readUnitsPerDisbursement: c32.readUnits,
    dynamoRequestsByOperation: c32ByOperation,
    writeUnitsByFunction: c32WriteUnits,
    dynamoRequestsByFunction: c32Requests,
    costPerDisbursement: costRows,
    estimatedUsdPer10000: { ...perTenThousand, total: totalUsd, prices },
  });
}

// ---- Advances and payments with recovery: the contract paths of the same money flow -------------

if (runs('dossiers')) {
  log(
    '\n== Advance, then payment with recovery, on a contract (commune → city → treasury; one at a time) ==',
  );
  const finance = await token('bench-finance', 'finance');
  const [contractAllocation] = await createAllocations(1, 400_000_000_000);
  const payee = await call('POST', '/payees', finance, {
    kind: 'contractor',
    name: 'Công ty Xây dựng Avương',
    taxCode: aTaxCode(),
    bankAccount: { number: '3704205123456', bankCode: '970405' },
    commune: COMMUNE,
  });
  if (payee.status !== 201)
    throw new Error(`registering the contractor failed: ${JSON.stringify(payee.body)}`);
  /** Registers, uploads and verifies every document the request's dossier still lacks (finance does this). */
  const provideDossier = async (id: string) => {
    const dossier = await call('GET', `/requests/${id}/documents`, finance, undefined, false);
    const held = new Set(
      (dossier.body.items as { type: string; status: string }[])
        .filter((d) => d.status === 'verified')
        .map((d) => d.type),
    );
    for (const type of (dossier.body.required as string[]).filter((t) => !held.has(t))) {
      const file = Buffer.from(`%PDF-1.7\n${type} ${id}\n%%EOF\n`);
      const registered = await call('POST', `/requests/${id}/documents`, finance, {
        type,
        fileName: `${type}.pdf`,
        contentType: 'application/pdf',
        sizeBytes: file.length,
        sha256: createHash('sha256').update(file).digest('hex'),
      });
      if (registered.status !== 201) throw new Error(`document refused: ${JSON.stringify(registered.body)}`);
      const { upload, document } = registered.body as {
        upload: { url: string; headers: Record<string, string> };
        document: { id: string };
      };
      await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: file });
      const verified = await call('POST', `/requests/${id}/documents/${document.id}/verify`, finance);
      if (verified.status !== 200) throw new Error(`document not verified: ${JSON.stringify(verified.body)}`);
    }
  };
  const snapshot = () => ({
    requests: sum(counters.dynamo),
    writeUnits: counters.writeUnits,
    writeUnitsIndexesStandard: counters.writeUnitsIndexesStandard,
    readUnits: counters.readUnits,
  });
  type Snapshot = ReturnType<typeof snapshot>;
  const difference = (a: Snapshot, b: Snapshot): Snapshot => ({
    requests: a.requests - b.requests,
    writeUnits: a.writeUnits - b.writeUnits,
    writeUnitsIndexesStandard: a.writeUnitsIndexesStandard - b.writeUnitsIndexesStandard,
    readUnits: a.readUnits - b.readUnits,
  });
  const rows: Record<string, string | number>[] = [];
  const flows = {
    advance: [] as ReturnType<typeof snapshot>[],
    payment: [] as ReturnType<typeof snapshot>[],
  };
  const dossierCost = {
    advance: [] as ReturnType<typeof snapshot>[],
    payment: [] as ReturnType<typeof snapshot>[],
  };
  const CONTRACTS = 10;
  for (let n = 0; n < CONTRACTS; n++) {
    const contract = await call('POST', '/contracts', finance, {
      allocationId: contractAllocation,
      payeeId: payee.body.id,
      valueVnd: 20_000_000_000,
      number: `${String(n + 1).padStart(2, '0')}/2026/HĐXD`,
      signedOn: `${FISCAL_YEAR}-03-15`,
      kind: 'construction',
    });
    if (contract.status !== 201) throw new Error(`contract refused: ${JSON.stringify(contract.body)}`);
    // 30% of a construction contract may be advanced; the payment recovers part of it (docs/dossiers.md).
    for (const [kind, body] of [
      ['advance', { kind: 'advance', amountVnd: 6_000_000_000 }],
      ['payment', { kind: 'payment', amountVnd: 8_000_000_000, recoveryVnd: 3_000_000_000 }],
    ] as const) {
      resetCounters();
      const submitted = await call('POST', '/requests', finance, {
        contractId: contract.body.id,
        purpose: 'Thi công đường liên thôn',
        ...body,
      });
      if (submitted.status !== 201) throw new Error(`${kind} refused: ${JSON.stringify(submitted.body)}`);
      const id = submitted.body.id as string;
      const chain = submitted.body.chain as string[];
      let dossier = snapshot();
      for (const level of chain) {
        if (level === chain.at(-1)) {
          // The documents are finance's work on the dossier, counted apart from the money path.
          const before = snapshot();
          await provideDossier(id);
          const after = snapshot();
          dossier = difference(after, before);
        }
        const res = await call(
          'POST',
          `/requests/${id}/decisions`,
          await token(`${level}-c`, GROUP[level] ?? level),
          {
            decision: 'approve',
            ...(level === 'treasury' ? { treasuryVoucher: voucher() } : {}),
          },
        );
        if (res.status !== 202) throw new Error(`decision failed: ${JSON.stringify(res.body)}`);
        await waitFor(id, (r) => r.nextLevel !== level || r.status !== 'pending_approval');
      }
      await waitFor(id, (r) => r.status === 'disbursed');
      const total = snapshot();
      flows[kind].push(difference(total, dossier));
      dossierCost[kind].push(dossier);
    }
  }
  const mean = (xs: ReturnType<typeof snapshot>[], k: keyof ReturnType<typeof snapshot>) =>
    round(xs.reduce((a, x) => a + x[k], 0) / Math.max(1, xs.length), 2);
  for (const kind of ['advance', 'payment'] as const) {
    rows.push({
      request: kind,
      dynamoRequests: mean(flows[kind], 'requests'),
      readUnits: mean(flows[kind], 'readUnits'),
      writeUnits: mean(flows[kind], 'writeUnits'),
      writeUnitsIndexesStandard: mean(flows[kind], 'writeUnitsIndexesStandard'),
      dossierRequests: mean(dossierCost[kind], 'requests'),
      dossierWriteUnits: mean(dossierCost[kind], 'writeUnits'),
    });
  }
  table(rows);
  log(
    '(Per request, mean of 10 contracts; the dossier columns count the documents registered and verified.)',
  );
  result.contractRequests = rows;
}

if (runs('scaling')) {
  // ---- Province scale: a generated province at two ledger sizes (bench/province.ts) ----------------
  const entriesArg = process.argv.indexOf('--entries');
  const sizes =
    entriesArg >= 0
      ? (process.argv[entriesArg + 1] ?? '')
          .split(',')
          .map(Number)
          .filter((n) => n > 0)
      : undefined;
  log('\n== Province scale: 100 communes × 4 funding lines × 7 projects, two jurisdictions ==');
  const province = await measureProvinceScale({
    url: rt.url,
    tableName: rt.tableName,
    db: rawDb,
    token: (claims) => rt.keys.sign(claims),
    reads: {
      reset: resetCounters,
      requestsOf: (id) => counters.readsByFunction.get(id)?.requests ?? 0,
      unitsOf: (id) => counters.readsByFunction.get(id)?.units ?? 0,
    },
    log,
    ...(sizes && sizes.length > 0 ? { sizes } : {}),
    dynamoPort: dynamo.port,
  });
  table(province.rows as unknown as Record<string, string | number>[]);
  table(province.ratios);
  result.provinceScale = province;
}

if (runs('coldstart')) {
  // ---- Cold start: each function bundled as the CDK app does, imported in fresh processes ----------
  // `--baseline <checkout>` bundles that checkout's functions too (with its own options) and imports the
  // two alternately, so before and after are measured in the same run (bench/cold-start.ts).
  const baselineArg = process.argv.indexOf('--baseline');
  const baseline = baselineArg >= 0 ? process.argv[baselineArg + 1] : undefined;
  log(
    `\n== Cold start: bundle size and median import time of 5 fresh Node processes${baseline ? `, against ${baseline}` : ''} ==`,
  );
  // Everything a function reads at import, as its deployment would set it.
  const env: NodeJS.ProcessEnv = { ...launchEnv, SENDER_EMAIL: 'canh-bao@example.gov.vn' };
  for (const q of rt.queues) env[q.spec.urlEnv] = q.url;
  const coldStart = await measureColdStart({
    env,
    ...(baseline ? { baseline } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  log(coldStartTable(coldStart));
  result.coldStart = coldStart;
}

result.durationSeconds = round((Date.now() - started) / 1000);
mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
// A partial run (--only) never overwrites the day's full results.
const file = join(
  repoRoot,
  'bench',
  'results',
  `${String(result.date).slice(0, 10)}${only ? `-only-${[...only].join('-')}` : ''}.json`,
);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
log(`\nWrote ${file} (${result.durationSeconds} s in all).`);

await rt.stop();
rawDynamo.destroy();
await Promise.all([dynamo.stop(), sqs.stop()]);
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
