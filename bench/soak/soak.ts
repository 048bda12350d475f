import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient, localSqsClient } from '../../local/aws-local.ts';
import { invocationCounts } from '../../local/function-loader.ts';
import { queueDepth } from '../../local/queue-depth.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { createSdkFaults, FAULT_KINDS, type FaultKind, seededRandom } from '../../local/sdk-faults.ts';
import { type RunningServer, startDynamoDbLocal, startSqsEmulator } from '../../local/servers.ts';
import { DynamoLedgerRepository } from '../../shared/ledger/adapters/ledger-repository.ts';
import { taxCodeCheckDigit, taxCodeProblem } from '../../shared/payees/domain/payee.ts';
import {
  createDocumentClient,
  type SdkClientHook,
  sdkClientHooks,
} from '../../shared/platform/aws/aws-clients.ts';
import { approvalOutboxKeys } from '../../shared/platform/table/keys.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { checkInvariants } from '../../test/reliability/support/invariant-checker.ts';

/**
 * The soak: the real local runtime (the handlers of `npm start`, in this process) driven for a number
 * of operations across both configured jurisdictions and every kind of request, while SDK faults hit
 * a share of the handlers' AWS calls, every event is published up to `redeliver` times, handlers
 * crash between their steps, and DynamoDB Local and the SQS emulator are restarted. It ends with the
 * independent invariant checker over the whole table and its own account of every accepted operation.
 *
 * One **operation** is one request the system handles: an API call answered by the gateway (a
 * client's retry of a 5xx with the same Idempotency-Key is one more, since each must be answered as
 * a replay or done once) or one delivery of an event to a queue consumer (each redelivered copy is
 * one more, since each must change nothing twice). The client's logical operations (a submission, a
 * level's decision, a cancellation, an adjustment, a reallocation, a contract, a dossier document,
 * the year-end close) are counted apart, by kind; the reads the soak makes straight from the table
 * to wait for the asynchronous handlers count nothing.
 */

export interface SoakOptions {
  /** Operations to run (requests handled; the run stops taking new flows once it reaches them). */
  ops: number;
  /** Share of the handlers' AWS calls that fail (local/sdk-faults.ts). */
  faultRate: number;
  /** Each event a handler publishes is delivered 1 to `redeliver` times (extra copies sent to its queue). */
  redeliver: number;
  /** Seeds the choice of operations (and the fault and redelivery generators). */
  seed: number;
  /** Flows driven at once (default 32). */
  concurrency?: number;
  /** Operations between two server restarts, DynamoDB Local and the SQS emulator in turn (default 4,000). */
  restartEvery?: number;
  /** Operations between two armed crashes (default 50). */
  crashEvery?: number;
  /** Progress callback, called every `progressEveryMs` (default 5 s). */
  progress?: (p: SoakProgress) => void;
  progressEveryMs?: number;
  /** Lines of the soak's own story (not the handlers' logs). */
  log?: (line: string) => void;
}

export interface SoakProgress {
  ops: number;
  total: number;
  seconds: number;
  opsPerSecond: number;
  faults: number;
  crashes: number;
  restarts: number;
}

/** What a soak ran and found: written to .test-results/soak/ and docs/reliability.md. */
export interface SoakFigures {
  seed: number;
  ops: number;
  faultRate: number;
  redeliver: number;
  concurrency: number;
  seconds: number;
  opsPerSecond: number;
  /** API calls answered (retries included) and events delivered to consumers (copies included). */
  apiCalls: number;
  deliveries: number;
  /** The clients' logical operations, each counted once whatever its retries. */
  clientOperations: number;
  flows: Record<string, number>;
  operationsByKind: Record<string, number>;
  /** Total milliseconds per kind of call, and waiting for the handlers (`wait`, `waits` of them). */
  latencyMs: Record<string, number>;
  outcomes: Record<string, number>;
  handlerAwsCalls: number;
  faultsInjected: Record<FaultKind, number> & { total: number };
  retriedCalls: number;
  redeliveries: number;
  crashes: number;
  restarts: { dynamodb: number; sqs: number };
  jurisdictions: string[];
  invariantChecks: number;
  soakChecks: number;
  violations: string[];
  counts: Record<string, number>;
}

/** The runtime's clock: a day of January 2026, before the 2025 plans' deadline (31/01/2026). */
const CLOCK = '2026-01-15T09:00:00+07:00';

interface World {
  jurisdiction: string;
  fiscalYear: number;
  communes: string[];
  /** Capital types open on the clock's day (recurrent capital's period ends on 31/12 of its year). */
  capitalTypes: string[];
  /** Extra fields of an allocation (Đà Nẵng's plans name their investor). */
  allocationFields: Record<string, unknown>;
}

/** Tây Giang's last plan year (its communes end on 30/06/2025) and Đà Nẵng's two-tier 2026. */
const WORLDS: World[] = [
  {
    jurisdiction: 'tay-giang',
    fiscalYear: 2025,
    communes: ['A Tiêng', 'Lăng', 'Dang'],
    capitalTypes: ['investment'],
    allocationFields: {},
  },
  {
    jurisdiction: 'da-nang',
    fiscalYear: 2026,
    communes: ['Avương', 'Tây Giang', 'Hùng Sơn'],
    capitalTypes: ['investment', 'recurrent'],
    allocationFields: { investor: 'commune' },
  },
];
const LINES = ['central', 'provincial', 'local', 'community'] as const;
const BIG_VND = 5_000_000_000_000;
const TIGHT_VND = 3_000_000_000;

type FlowKind = 'direct' | 'reject' | 'cancel' | 'contract' | 'adjustment' | 'reallocation';
/** Share of each kind of flow in the seeded sequence. */
const FLOW_WEIGHTS: [FlowKind, number][] = [
  ['direct', 40],
  ['reject', 8],
  ['cancel', 12],
  ['contract', 14],
  ['adjustment', 13],
  ['reallocation', 13],
];

interface Allocation {
  id: string;
  world: World;
  fundingLine: string;
  capitalType: string;
  tight: boolean;
  initialVnd: number;
}

/** What the soak expects of a request once every flow is done. */
interface ExpectedRequest {
  id: string;
  allocation: Allocation;
  expect: 'disbursed' | 'rejected' | 'cancelled';
  /** What its posting disburses (cash out: a payment's amount less its recovery). */
  cashOutVnd: number;
  /** The approvals' event ids the API accepted with 202. */
  approvals: string[];
}

class SoakFailure extends Error {}

/** A tax code of the register's format with a valid check digit. */
const taxCode = (random: () => number): string => {
  for (;;) {
    const nine = String(Math.floor(random() * 1e9)).padStart(9, '0');
    const digit = taxCodeCheckDigit(nine);
    if (digit !== undefined && taxCodeProblem(`${nine}${digit}`) === undefined) return `${nine}${digit}`;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a soak; resolves with its figures (violations listed in them, never thrown). */
export const runSoak = async (options: SoakOptions): Promise<SoakFigures> => {
  const log = options.log ?? (() => {});
  const concurrency = options.concurrency ?? 32;
  const restartEvery = options.restartEvery ?? 4000;
  const crashEvery = options.crashEvery ?? 50;
  // In memory where the machine has it (tmpfs): DynamoDB Local keeps its data in files, so that a
  // restart finds the table again, and the soak measures the system rather than the disk.
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'giai-ngan-soak-'));
  const violations: string[] = [];
  let soakChecks = 0;
  const check = (ok: boolean, what: () => string) => {
    soakChecks += 1;
    if (!ok) violations.push(what());
  };

  // ---- Servers of its own: DynamoDB Local on a data folder (a restart keeps the table), the SQS emulator.
  const dynamoDir = join(dataDir, 'dynamodb');
  const servers: { dynamo: RunningServer; sqs: RunningServer } = {
    dynamo: await startDynamoDbLocal({ dataDir: dynamoDir }),
    sqs: await startSqsEmulator({}),
  };
  const dynamoPort = servers.dynamo.port;
  const sqsPort = servers.sqs.port;

  // ---- Redelivery: every message a handler sends goes to its queue 1 to `redeliver` times in all.
  const redeliverRandom = seededRandom(options.seed ^ 0x5eed);
  const copySqs: SQSClient = localSqsClient(servers.sqs.endpoint);
  let redeliveries = 0;
  const redeliveryHook: SdkClientHook = (client, service) => {
    if (service !== 'sqs') return;
    (client as SQSClient).middlewareStack.add(
      // biome-ignore lint/suspicious/noExplicitAny: the middleware of any SQS command.
      (next: any, context: any) => async (args: any) => {
        const output = await next(args);
        const command = String(context.commandName);
        if (command !== 'SendMessageCommand' && command !== 'SendMessageBatchCommand') return output;
        const copies = Math.floor(redeliverRandom() * Math.max(1, options.redeliver));
        for (let k = 0; k < copies; k++) {
          try {
            if (command === 'SendMessageCommand') await copySqs.send(new SendMessageCommand(args.input));
            else await copySqs.send(new SendMessageBatchCommand(args.input));
            redeliveries += command === 'SendMessageCommand' ? 1 : (args.input.Entries?.length ?? 1);
          } catch {
            // The emulator is restarting: that copy is simply not delivered.
          }
        }
        return output;
      },
      { step: 'initialize', name: 'soakRedelivery', override: true },
    );
  };
  sdkClientHooks.push(redeliveryHook);

  const faults = createSdkFaults();
  const handlerLog: string[] = [];
  const rt = await startLocalRuntime({
    dataDir: join(dataDir, 'runtime'),
    port: 0,
    dynamoEndpoint: servers.dynamo.endpoint,
    sqsEndpoint: servers.sqs.endpoint,
    namespace: 'soak',
    seed: false,
    clock: new Date(CLOCK),
    // Short, as in the fault scenarios: a consumer that failed (a fault, a crash) gets its message
    // back in seconds. On a loaded machine a slow consumer is raced by a second delivery of its own
    // message, and such messages may reach the dead-letter queue: the check below proves each applied.
    visibilityTimeoutSeconds: 3,
    sdkFaults: faults,
    outboxGraceSeconds: 5,
    outboxRelayIntervalSeconds: 2,
    log: (line) => {
      handlerLog.push(line);
      if (handlerLog.length > 400) handlerLog.shift();
    },
  });
  const raw = localDynamoClient(servers.dynamo.endpoint);
  const db = createDocumentClient(raw);
  const store = new DynamoLedgerRepository(db, rt.tableName);

  // ---- The client: every call retried with the same Idempotency-Key until it is answered below 500.
  const opsByKind: Record<string, number> = {};
  /** Milliseconds spent per kind of call (retries included) and waiting for the handlers. */
  const latencyMs: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  /** Logical client operations. */
  let clientOps = 0;
  let apiCalls = 0;
  let deliveries = 0;
  let retriedCalls = 0;
  /** Operations: requests handled by the system, API calls and deliveries to consumers. */
  const handled = () => apiCalls + deliveries;
  /** Flows waiting on a request's handler, woken when a consumer is done with one of its messages. */
  const waiters = new Map<string, (() => void)[]>();
  const requestOfReceipt = new Map<string, string>();
  // The pollers' SQS client (the runtime's own): each message received is one delivery; a deleted
  // one was handled, and whoever waits on its request reads again.
  rt.sqsClient.middlewareStack.add(
    // biome-ignore lint/suspicious/noExplicitAny: the middleware of any SQS command.
    (next: any, context: any) => async (args: any) => {
      const result = await next(args);
      if (context.commandName === 'ReceiveMessageCommand') {
        const messages =
          (result.output as { Messages?: { ReceiptHandle?: string; Body?: string }[] }).Messages ?? [];
        deliveries += messages.length;
        for (const m of messages) {
          const requestId = /"requestId":"([^"]+)"/.exec(m.Body ?? '')?.[1];
          if (requestId && m.ReceiptHandle) requestOfReceipt.set(m.ReceiptHandle, requestId);
        }
        // Receipts of messages never deleted (their consumer failed) are forgotten, oldest first.
        for (const key of requestOfReceipt.keys()) {
          if (requestOfReceipt.size <= 20_000) break;
          requestOfReceipt.delete(key);
        }
      }
      if (context.commandName === 'DeleteMessageBatchCommand') {
        for (const entry of (args.input.Entries ?? []) as { ReceiptHandle?: string }[]) {
          const requestId = requestOfReceipt.get(entry.ReceiptHandle ?? '');
          requestOfReceipt.delete(entry.ReceiptHandle ?? '');
          for (const wake of (requestId && waiters.get(requestId)) || []) wake();
          if (requestId) waiters.delete(requestId);
        }
      }
      return result;
    },
    { step: 'initialize', name: 'soakDeliveries', override: true },
  );
  const bump = (map: Record<string, number>, key: string, by = 1) => {
    map[key] = (map[key] ?? 0) + by;
  };
  const tokens = new Map<string, Promise<string>>();
  const token = (world: World, sub: string, group: string) => {
    const key = `${world.jurisdiction}/${sub}/${group}`;
    if (!tokens.has(key))
      tokens.set(key, rt.keys.sign({ sub, groups: [group], jurisdiction: world.jurisdiction }));
    return tokens.get(key) as Promise<string>;
  };
  interface Answer {
    status: number;
    // biome-ignore lint/suspicious/noExplicitAny: the soak reads whatever JSON the API answered.
    body: any;
  }
  const send = async (
    kind: string,
    method: string,
    path: string,
    tok: string,
    body?: unknown,
    key?: string,
  ): Promise<Answer> => {
    clientOps += 1;
    bump(opsByKind, kind);
    const t0 = performance.now();
    const deadline = Date.now() + 600_000;
    for (let attempt = 1; ; attempt++) {
      let answer: Answer | undefined;
      try {
        const res = await fetch(`${rt.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${tok}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        apiCalls += 1;
        answer = { status: res.status, body: text ? JSON.parse(text) : undefined };
      } catch {
        answer = undefined; // a socket closed under load: sent again
      }
      if (answer && answer.status < 500) {
        bump(latencyMs, kind, performance.now() - t0);
        bump(
          outcomes,
          `${kind} ${answer.status}${answer.status >= 400 ? ` ${answer.body?.error?.code}` : ''}`,
        );
        return answer;
      }
      if (Date.now() > deadline)
        throw new SoakFailure(
          `${kind} ${method} ${path}: no answer below 500 in 600 s (last ${answer?.status})`,
        );
      retriedCalls += 1;
      await sleep(Math.min(1000, 50 * attempt) + Math.random() * 100);
    }
  };
  /** A read of the table outside any handler (no fault reaches it), retried across a restart. */
  const readRequest = async (world: World, id: string) => {
    for (;;) {
      try {
        return await store.getRequest(world.jurisdiction, id);
      } catch {
        await sleep(500);
      }
    }
  };
  /**
   * Waits until a request's handler has done `done`: read again whenever a consumer deletes a message
   * of that request (it handled it), else every 2 s. Polling every waiter often would load the very
   * store the handlers use.
   */
  const waitFor = async <T>(
    requestId: string,
    what: string,
    read: () => Promise<T>,
    done: (v: T) => boolean,
  ) => {
    const deadline = Date.now() + 600_000;
    const t0 = performance.now();
    for (;;) {
      const woken = new Promise<void>((wake) => {
        const list = waiters.get(requestId) ?? [];
        list.push(wake);
        waiters.set(requestId, list);
      });
      const value = await read();
      if (done(value)) {
        waiters.delete(requestId);
        bump(latencyMs, 'wait', performance.now() - t0);
        bump(latencyMs, 'waits', 1);
        return value;
      }
      if (Date.now() > deadline) throw new SoakFailure(`timed out waiting for ${what}`);
      await Promise.race([woken, sleep(2000)]);
    }
  };

  // ---- The world: allocations of every funding line in both jurisdictions, and a contractor each.
  const planner = (world: World) => token(world, 'planner-soak', 'planner');
  const finance = (world: World) => token(world, 'finance-soak', 'finance');
  const allocations: Allocation[] = [];
  const contractors = new Map<string, string>();
  const setupRandom = seededRandom(options.seed);
  const specs = WORLDS.flatMap((world) =>
    LINES.flatMap((fundingLine, li) =>
      world.communes.flatMap((commune, ci) =>
        world.capitalTypes.map((capitalType) => {
          // One allocation per line and type in short supply: requests compete for it.
          const tight = ci === 0 && capitalType === world.capitalTypes.at(-1);
          return { world, fundingLine, li, commune, ci, capitalType, tight };
        }),
      ),
    ),
  );
  // Created at once, kept in the order of the specs: the flows' seeded choices index into it.
  allocations.push(
    ...(await Promise.all(
      specs.map(async ({ world, fundingLine, li, commune, ci, capitalType, tight }) => {
        const amountVnd = tight ? TIGHT_VND : BIG_VND;
        const res = await send(
          'setup',
          'POST',
          '/allocations',
          await planner(world),
          {
            fiscalYear: world.fiscalYear,
            fundingLine,
            capitalType,
            component: `DA${1 + ((li + ci) % 7)}`,
            commune,
            title: `Soak ${fundingLine} ${commune} ${capitalType}`,
            amountVnd,
            ...world.allocationFields,
          },
          randomUUID(),
        );
        if (res.status !== 201)
          throw new SoakFailure(`allocation: ${res.status} ${JSON.stringify(res.body)}`);
        return { id: res.body.id as string, world, fundingLine, capitalType, tight, initialVnd: amountVnd };
      }),
    )),
  );
  for (const world of WORLDS) {
    const payee = await send(
      'setup',
      'POST',
      '/payees',
      await finance(world),
      {
        kind: 'contractor',
        name: `Công ty Xây dựng Soak ${world.jurisdiction}`,
        taxCode: taxCode(setupRandom),
        bankAccount: { number: '3704205123456', bankCode: '970405' },
        commune: world.communes[0],
      },
      randomUUID(),
    );
    if (payee.status !== 201) throw new SoakFailure(`payee: ${payee.status} ${JSON.stringify(payee.body)}`);
    contractors.set(world.jurisdiction, payee.body.id);
  }
  const setupOps = handled();

  // ---- The model of accepted operations, checked against the table at the end.
  const expected: ExpectedRequest[] = [];
  const assignedDelta = new Map<string, number>();
  const addAssigned = (id: string, by: number) => assignedDelta.set(id, (assignedDelta.get(id) ?? 0) + by);
  const flows: Record<string, number> = {};

  /** Every document the request's dossier lacks: registered, uploaded to its URL, verified. */
  const provideDossier = async (world: World, id: string) => {
    const tok = await finance(world);
    for (let round = 0; round < 20; round++) {
      const dossier = await send('dossier', 'GET', `/requests/${id}/documents`, tok);
      if (dossier.status !== 200) throw new SoakFailure(`dossier ${id}: ${JSON.stringify(dossier.body)}`);
      clientOps -= 1; // a read to decide (still a request handled)
      bump(opsByKind, 'dossier', -1);
      const items = dossier.body.items as { id: string; type: string; status: string }[];
      const held = new Set(items.filter((d) => d.status === 'verified').map((d) => d.type));
      const missing = (dossier.body.required as string[]).filter((t) => !held.has(t));
      if (missing.length === 0) return;
      for (const type of missing) {
        const file = Buffer.from(`%PDF-1.7\n${type} ${id}\n%%EOF\n`);
        const registered = await send(
          'document',
          'POST',
          `/requests/${id}/documents`,
          tok,
          {
            type,
            fileName: `${type}.pdf`,
            contentType: 'application/pdf',
            sizeBytes: file.length,
            sha256: createHash('sha256').update(file).digest('hex'),
          },
          randomUUID(),
        );
        if (registered.status !== 201) throw new SoakFailure(`document: ${JSON.stringify(registered.body)}`);
        const { upload, document } = registered.body as {
          upload: { url: string; headers: Record<string, string> };
          document: { id: string };
        };
        // Straight to the storage server, as a browser does: not a request of the API.
        await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: file });
        const verified = await send(
          'document',
          'POST',
          `/requests/${id}/documents/${document.id}/verify`,
          tok,
        );
        clientOps -= 1; // one document is one client operation: register, upload, verify
        bump(opsByKind, 'document', -1);
        if (verified.status !== 200 && verified.status !== 409)
          throw new SoakFailure(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
      }
    }
    throw new SoakFailure(`dossier of ${id} never complete`);
  };

  /**
   * Drives a request's levels until `stop` says so: each level's decision (a fresh key, retried with
   * it), then a wait until the handler applied it. Resolves with the request as last read.
   */
  const drive = async (
    world: World,
    row: ExpectedRequest,
    stopAt: (step: number, level: string, last: boolean) => 'approve' | 'reject' | 'stop',
  ) => {
    let request = await readRequest(world, row.id);
    for (let step = 0; request?.status === 'pending_approval'; step++) {
      const level = request.nextLevel ?? '';
      const last = request.chain.at(-1) === level;
      const action = stopAt(step, level, last);
      if (action === 'stop') return request;
      if (action === 'approve' && last) await provideDossier(world, row.id);
      const levelInfo = (request.approvalLevels ?? []).find((l) => l.level === level);
      const group = levelInfo?.group ?? level;
      const tok = await token(world, `${level}-approver-soak`, group);
      const voucher =
        action === 'approve' && levelInfo?.tier === 'treasury'
          ? {
              treasuryVoucher: {
                number: `KB-${randomUUID().slice(0, 13).toUpperCase()}`,
                valueDate: vnDateOf(request.createdAt),
              },
            }
          : {};
      const res = await send(
        'decision',
        'POST',
        `/requests/${row.id}/decisions`,
        tok,
        { decision: action, ...voucher },
        randomUUID(),
      );
      if (res.status !== 202)
        throw new SoakFailure(`decision ${row.id} at ${level}: ${res.status} ${JSON.stringify(res.body)}`);
      if (action === 'approve') row.approvals.push(res.body.eventId);
      request = await waitFor(
        row.id,
        `request ${row.id} past ${level}`,
        () => readRequest(world, row.id),
        (r) => r?.status !== 'pending_approval' || r.nextLevel !== level,
      );
    }
    return request;
  };

  const submit = async (world: World, body: Record<string, unknown>) =>
    send('submit', 'POST', '/requests', await finance(world), body, randomUUID());

  const pick = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)] as T;

  // ---- One flow: a few operations of one kind, its choices drawn from the flow's own seeded generator.
  const runFlow = async (index: number) => {
    const random = seededRandom((options.seed * 1_000_003 + index) >>> 0);
    const total = FLOW_WEIGHTS.reduce((a, [, w]) => a + w, 0);
    const draw = random() * total;
    let sum = 0;
    const kind: FlowKind =
      FLOW_WEIGHTS.find(([, w]) => {
        sum += w;
        return draw < sum;
      })?.[0] ?? 'direct';
    bump(flows, kind);
    const world = pick(random, WORLDS);
    const own = allocations.filter((a) => a.world === world);
    if (kind === 'adjustment') {
      const allocation = pick(random, own);
      const deltaVnd = (random() < 0.7 ? 1 : -1) * (1 + Math.floor(random() * 200)) * 1_000_000;
      const res = await send(
        'adjustment',
        'POST',
        `/allocations/${allocation.id}/adjustments`,
        await planner(world),
        { deltaVnd, reason: 'Điều chỉnh kế hoạch vốn (soak)' },
        randomUUID(),
      );
      if (res.status === 201) addAssigned(allocation.id, deltaVnd);
      else if (res.status !== 409 && res.status !== 422)
        throw new SoakFailure(`adjustment: ${res.status} ${JSON.stringify(res.body)}`);
      return;
    }
    if (kind === 'reallocation') {
      const from = pick(
        random,
        own.filter((a) => !a.tight),
      );
      const peers = own.filter(
        (a) =>
          !a.tight && a !== from && a.fundingLine === from.fundingLine && a.capitalType === from.capitalType,
      );
      const to = pick(random, peers);
      const amountVnd = (1 + Math.floor(random() * 100)) * 1_000_000;
      const res = await send(
        'reallocation',
        'POST',
        '/reallocations',
        await planner(world),
        {
          decisionNumber: `${index}/QĐ-UBND`,
          decidedOn: vnDateOf(new Date(Date.now() + (Date.parse(CLOCK) - startedWall))),
          reason: 'Điều chuyển vốn sang dự án có khả năng giải ngân (soak)',
          moves: [{ fromAllocationId: from.id, toAllocationId: to.id, amountVnd }],
        },
        randomUUID(),
      );
      if (res.status !== 201) {
        if (res.status === 409 || res.status === 422) return;
        throw new SoakFailure(`reallocation: ${res.status} ${JSON.stringify(res.body)}`);
      }
      let status = res.body.status as string;
      if (status === 'pending_approval') {
        const approved = await send(
          'reallocation-approval',
          'POST',
          `/reallocations/${res.body.id}/approve`,
          await token(world, 'province-approver-soak', 'approver-province'),
          {},
          randomUUID(),
        );
        if (approved.status === 200 || approved.status === 201) status = approved.body.status;
        else if (approved.status !== 409 && approved.status !== 422)
          throw new SoakFailure(`reallocation approval: ${approved.status} ${JSON.stringify(approved.body)}`);
      }
      if (status === 'applied') {
        addAssigned(from.id, -amountVnd);
        addAssigned(to.id, amountVnd);
      }
      return;
    }
    if (kind === 'contract') {
      const allocation = pick(
        random,
        own.filter((a) => !a.tight && a.capitalType === 'investment'),
      );
      const valueVnd = (10 + Math.floor(random() * 90)) * 100_000_000;
      const contract = await send(
        'contract',
        'POST',
        '/contracts',
        await finance(world),
        {
          allocationId: allocation.id,
          payeeId: contractors.get(world.jurisdiction),
          valueVnd,
          number: `${index}/${world.fiscalYear}/HĐXD`,
          signedOn: `${world.fiscalYear}-01-05`,
          kind: 'construction',
        },
        randomUUID(),
      );
      if (contract.status !== 201)
        throw new SoakFailure(`contract: ${contract.status} ${JSON.stringify(contract.body)}`);
      const advanceVnd = valueVnd * 0.3;
      const paymentVnd = valueVnd * 0.4;
      const recoveryVnd = valueVnd * 0.15;
      for (const body of [
        { kind: 'advance', amountVnd: advanceVnd },
        { kind: 'payment', amountVnd: paymentVnd, recoveryVnd },
      ]) {
        const res = await submit(world, {
          contractId: contract.body.id,
          purpose: 'Thi công công trình (soak)',
          ...body,
        });
        if (res.status !== 201)
          throw new SoakFailure(`${body.kind}: ${res.status} ${JSON.stringify(res.body)}`);
        const row: ExpectedRequest = {
          id: res.body.id,
          allocation,
          expect: 'disbursed',
          cashOutVnd: body.amountVnd - (body.recoveryVnd ?? 0),
          approvals: [],
        };
        expected.push(row);
        const final = await drive(world, row, () => 'approve');
        if (final?.status !== 'disbursed')
          throw new SoakFailure(`${body.kind} ${row.id} ended ${final?.status}`);
      }
      return;
    }
    // A direct request: approved to the end, rejected at a level, or cancelled by its submitter.
    const allocation = pick(random, own);
    const amountVnd =
      random() < 0.1
        ? 1_000_000_000 + Math.floor(random() * 100) * 10_000_000
        : (1 + Math.floor(random() * 90)) * 1_000_000;
    const res = await submit(world, {
      allocationId: allocation.id,
      amountVnd: allocation.tight ? amountVnd % 200_000_000 || 10_000_000 : amountVnd,
      payee: { name: `Hộ gia đình ${index}`, kind: 'household' },
      purpose: 'Hỗ trợ hộ nghèo (soak)',
    });
    if (res.status === 409 && res.body?.error?.code === 'insufficient_funds') return;
    if (res.status !== 201) throw new SoakFailure(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    const row: ExpectedRequest = {
      id: res.body.id,
      allocation,
      expect: kind === 'direct' ? 'disbursed' : kind === 'reject' ? 'rejected' : 'cancelled',
      cashOutVnd: res.body.amountVnd,
      approvals: [],
    };
    expected.push(row);
    const rejectAt = Math.floor(random() * 3);
    const cancelAt = Math.floor(random() * 2);
    const final = await drive(world, row, (step, _level, last) => {
      if (kind === 'reject' && (step === rejectAt || last)) return 'reject';
      if (kind === 'cancel' && (step === cancelAt || last)) return 'stop';
      return 'approve';
    });
    if (kind === 'cancel') {
      const cancelled = await send('cancel', 'POST', `/requests/${row.id}/cancel`, await finance(world));
      // 409 only when an earlier attempt was applied and its answer lost.
      if (
        cancelled.status !== 200 &&
        !(cancelled.status === 409 && cancelled.body?.error?.code === 'not_pending')
      )
        throw new SoakFailure(`cancel ${row.id}: ${cancelled.status} ${JSON.stringify(cancelled.body)}`);
    } else if (final?.status !== row.expect)
      throw new SoakFailure(`request ${row.id} ended ${final?.status}, expected ${row.expect}`);
  };

  // ---- Chaos beside the traffic: crashes armed now and then, servers restarted every few thousand ops.
  const crashRandom = seededRandom(options.seed ^ 0xc0ffee);
  const restarts = { dynamodb: 0, sqs: 0 };
  let nextCrashAt = setupOps + crashEvery;
  let armedAtOps = 0;
  let nextRestartAt = setupOps + restartEvery;
  let restarting: Promise<void> | undefined;
  const restart = async () => {
    const which = (restarts.dynamodb + restarts.sqs) % 2 === 0 ? 'sqs' : 'dynamodb';
    log(
      `soak: restarting ${which === 'sqs' ? 'the SQS emulator' : 'DynamoDB Local'} at ${handled()} operations`,
    );
    // On a loaded machine the JVM may take longer than the start's own minute: it is tried again.
    const again = async <T>(start: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await start();
        } catch (error) {
          if (attempt >= 5) throw error;
          log(`soak: ${which} did not start (${String(error).split('\n')[0]}); trying again`);
        }
      }
    };
    if (which === 'sqs') {
      await servers.sqs.stop();
      servers.sqs = await again(() => startSqsEmulator({ port: sqsPort }));
      restarts.sqs += 1;
    } else {
      await servers.dynamo.stop();
      servers.dynamo = await again(() => startDynamoDbLocal({ port: dynamoPort, dataDir: dynamoDir }));
      restarts.dynamodb += 1;
    }
  };
  let restartFailure: unknown;
  /** Set by the first failure: the flows in progress finish, no new one starts. */
  let stopped = false;
  const chaos = () => {
    if (handled() >= nextCrashAt) {
      nextCrashAt = handled() + crashEvery;
      if (faults.armedCrashPending() && handled() - armedAtOps > 4 * crashEvery) faults.disarm();
      if (!faults.armedCrashPending()) {
        const invoked = [...invocationCounts.keys()].sort();
        if (invoked.length > 0) {
          faults.armCrash({
            functionId: pick(crashRandom, invoked),
            afterCall: 1 + Math.floor(crashRandom() * 4),
          });
          armedAtOps = handled();
        }
      }
    }
    if (handled() >= nextRestartAt && !restarting) {
      nextRestartAt = handled() + restartEvery;
      restarting = restart()
        .catch((error: unknown) => {
          restartFailure = error;
          stopped = true;
        })
        .finally(() => {
          restarting = undefined;
        });
    }
  };

  // ---- The run.
  const startedWall = Date.now();
  const started = performance.now();
  const progress = () => {
    const seconds = (performance.now() - started) / 1000;
    options.progress?.({
      ops: handled() - setupOps,
      total: options.ops,
      seconds,
      opsPerSecond: (handled() - setupOps) / Math.max(seconds, 0.001),
      faults: faults.injectedTotal(),
      crashes: faults.counts.crashes,
      restarts: restarts.dynamodb + restarts.sqs,
    });
  };
  const ticker = setInterval(progress, options.progressEveryMs ?? 5000);
  const chaosTicker = setInterval(chaos, 200);
  faults.start({ rate: options.faultRate, seed: options.seed });
  let nextFlow = 0;
  let active = 0;
  let finished = 0;
  try {
    // No flow starts when those in progress will reach the total: each is expected to take the
    // operations a finished flow took on average (retries and deliveries included), half of them
    // still to come. Should the run end short of the total, another round of flows runs.
    const perFlow = () => Math.max(15, (handled() - setupOps) / Math.max(1, finished + active / 2));
    while (!stopped && handled() < options.ops + setupOps) {
      const workers = await Promise.allSettled(
        Array.from({ length: concurrency }, async () => {
          while (!stopped && handled() + (perFlow() * active) / 2 < options.ops + setupOps) {
            const index = nextFlow++;
            active += 1;
            await runFlow(index)
              .finally(() => {
                active -= 1;
                finished += 1;
              })
              .catch((error: unknown) => {
                // The first failure stops the run: the flows in progress finish, no new one starts.
                stopped = true;
                throw error;
              });
          }
        }),
      );
      for (const w of workers) if (w.status === 'rejected') throw w.reason;
    }
    await restarting;
    if (restartFailure) throw new SoakFailure(`a server did not restart: ${String(restartFailure)}`);
    // ---- The year-end close of both jurisdictions' years, under faults, once every flow is done.
    for (const world of WORLDS) {
      const own = allocations.filter((a) => a.world === world && !a.tight);
      const res = await send(
        'year-end-close',
        'POST',
        `/fiscal-years/${world.fiscalYear}/close`,
        await planner(world),
        {
          decisionNumber: `99/QĐ-UBND-${world.fiscalYear}`,
          decidedOn: vnDateOf(new Date(Date.now() + (Date.parse(CLOCK) - startedWall))),
          carryOver: own.slice(0, 3).map((a) => ({ allocationId: a.id })),
        },
        randomUUID(),
      );
      check(
        res.status === 201,
        () =>
          `year-end close of ${world.jurisdiction} ${world.fiscalYear}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
  } catch (error) {
    violations.push(`the run stopped: ${(error as Error).message}`);
  } finally {
    clearInterval(ticker);
    clearInterval(chaosTicker);
    faults.stop();
    faults.disarm();
  }
  const seconds = (performance.now() - started) / 1000;
  const runOps = handled() - setupOps;
  progress();

  // ---- Quiet: nothing left in the queues or the outbox.
  const sqsProbe = localSqsClient(servers.sqs.endpoint);
  const quietDeadline = Date.now() + 180_000;
  for (;;) {
    let left = 0;
    try {
      for (const q of rt.queues) left += await queueDepth(sqsProbe, q.url, { missing: 1 });
      const pending = await db.send(
        new QueryCommand({
          TableName: rt.tableName,
          ...approvalOutboxKeys.partition(approvalOutboxKeys.pending),
        }),
      );
      left += pending.Items?.length ?? 0;
    } catch {
      left += 1;
    }
    if (left === 0) break;
    if (Date.now() > quietDeadline) {
      violations.push(`queues and outbox not empty 180 s after the run: ${left} left`);
      break;
    }
    await sleep(500);
  }
  const givenUp = await db.send(
    new QueryCommand({
      TableName: rt.tableName,
      ...approvalOutboxKeys.partition(approvalOutboxKeys.givenUp),
    }),
  );
  check(
    (givenUp.Items ?? []).length === 0,
    () => `${givenUp.Items?.length} approval events given up by the outbox relay`,
  );
  // Dead letters: a message whose consumer failed or was raced `maxReceiveCount` times. An approval
  // event there must have been applied all the same (the outbox relay re-publishes what was not).
  let deadLetters = 0;
  const deadApprovals: { eventId: string; requestId: string; jurisdiction?: string; decision: string }[] = [];
  for (const q of rt.queues) {
    for (;;) {
      const out = await sqsProbe.send(
        new ReceiveMessageCommand({
          QueueUrl: q.deadLetterUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 600,
        }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) break;
      deadLetters += messages.length;
      if (q.spec.id.startsWith('approvals-'))
        for (const m of messages) deadApprovals.push(JSON.parse(m.Body ?? '{}'));
    }
  }
  for (const event of deadApprovals) {
    const world = WORLDS.find((w) => w.jurisdiction === event.jurisdiction) ?? WORLDS[0];
    const request = world && (await store.getRequest(world.jurisdiction, event.requestId));
    const applied =
      (request?.approvals ?? []).some((a) => a.eventId === event.eventId) ||
      (event.decision === 'reject' && request?.status === 'rejected');
    check(
      applied,
      () => `dead-lettered approval event ${event.eventId} of request ${event.requestId} never applied`,
    );
  }
  sqsProbe.destroy();

  // ---- The soak's own account: every accepted operation's effect present exactly once.
  const entriesByAllocation = new Map<string, { requestId?: string; amountVnd: number; kind?: string }[]>();
  for (const a of allocations) {
    entriesByAllocation.set(a.id, (await store.listEntries(a.world.jurisdiction, a.id)) as never);
  }
  const disbursedBy = new Map<string, number>();
  for (const row of expected) {
    const request = await store.getRequest(row.allocation.world.jurisdiction, row.id);
    check(
      request?.status === row.expect,
      () => `request ${row.id}: ${request?.status}, expected ${row.expect}`,
    );
    const entries = (entriesByAllocation.get(row.allocation.id) ?? []).filter((e) => e.requestId === row.id);
    const posted = row.expect === 'disbursed' ? 1 : 0;
    check(
      entries.length === posted,
      () => `request ${row.id}: ${entries.length} ledger entries, expected ${posted}`,
    );
    const applied = new Set((request?.approvals ?? []).map((a) => a.eventId));
    for (const eventId of row.approvals)
      check(
        applied.has(eventId),
        () => `request ${row.id}: decision ${eventId} accepted with 202 never applied`,
      );
    if (row.expect === 'disbursed')
      disbursedBy.set(row.allocation.id, (disbursedBy.get(row.allocation.id) ?? 0) + row.cashOutVnd);
  }
  for (const a of allocations) {
    const stored = await store.getAllocation(a.world.jurisdiction, a.id);
    const closing = (stored as { closing?: { assignedVnd: number; disbursedVnd: number } } | undefined)
      ?.closing;
    const assigned = a.initialVnd + (assignedDelta.get(a.id) ?? 0);
    const disbursed = disbursedBy.get(a.id) ?? 0;
    check(
      stored?.assignedVnd === assigned,
      () => `allocation ${a.id}: assigned ${stored?.assignedVnd}, expected ${assigned}`,
    );
    check(
      stored?.disbursedVnd === disbursed,
      () => `allocation ${a.id}: disbursed ${stored?.disbursedVnd}, expected ${disbursed}`,
    );
    check(stored?.reservedVnd === 0, () => `allocation ${a.id}: ${stored?.reservedVnd} still reserved`);
    check(
      (stored?.disbursedVnd ?? 0) + (stored?.reservedVnd ?? 0) <= (stored?.assignedVnd ?? 0),
      () => `allocation ${a.id}: over-spent`,
    );
    check(closing !== undefined, () => `allocation ${a.id}: not closed by its year's close`);
  }

  // ---- The independent checker over the whole table.
  const report = await checkInvariants(raw, rt.tableName);
  violations.push(...report.violations);

  const figures: SoakFigures = {
    seed: options.seed,
    ops: runOps,
    apiCalls,
    deliveries,
    clientOperations: clientOps,
    faultRate: options.faultRate,
    redeliver: options.redeliver,
    concurrency,
    seconds: Math.round(seconds),
    opsPerSecond: Math.round((runOps / seconds) * 10) / 10,
    flows,
    latencyMs: Object.fromEntries(Object.entries(latencyMs).map(([k, v]) => [k, Math.round(v)])),
    operationsByKind: Object.fromEntries(Object.entries(opsByKind).filter(([k]) => k !== 'setup')),
    outcomes,
    handlerAwsCalls: faults.counts.calls,
    faultsInjected: { ...faults.counts.injected, total: faults.injectedTotal() },
    retriedCalls,
    redeliveries,
    crashes: faults.counts.crashes,
    restarts,
    jurisdictions: WORLDS.map((w) => `${w.jurisdiction} ${w.fiscalYear}`),
    invariantChecks: report.checks,
    soakChecks,
    violations,
    counts: { ...report.counts, requests: expected.length, deadLetters },
  };

  sdkClientHooks.splice(sdkClientHooks.indexOf(redeliveryHook), 1);
  await rt.stop();
  copySqs.destroy();
  raw.destroy();
  await servers.sqs.stop();
  await servers.dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return figures;
};

export { FAULT_KINDS };
