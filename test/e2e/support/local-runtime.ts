import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { localDynamoClient } from '../../../local/aws-local.ts';
import { type LocalKeys, loadLocalKeys } from '../../../local/local-jwt.ts';
import { readRuntimeInfo } from '../../../local/runtime.ts';
import { DynamoLedgerRepository } from '../../../shared/ledger/adapters/ledger-repository.ts';
import { createDocumentClient } from '../../../shared/platform/aws/aws-clients.ts';
import { TEST_CLOCK_START } from '../../support/fixtures.ts';
import { assertContract } from './openapi-contract.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered.
  body: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RuntimeOptions {
  visibilityTimeoutSeconds?: number;
  seed?: boolean;
  /**
   * The servers it uses: the test run's shared pair (default), servers the test started itself, or
   * `own`: none given, so it starts its own as `npm start` does, with DynamoDB Local's data in DATA_DIR.
   */
  servers?: 'shared' | 'own' | { dynamoEndpoint: string; sqsEndpoint: string };
  /** An existing data folder (a restart on the same data); a fresh temporary one by default. */
  dataDir?: string;
  /** Prefix of its table and queues; a fresh one by default (give the same one to restart on the same data). */
  namespace?: string;
  /** Keep the data folder when stopping (to start again on it). */
  keepDataDir?: boolean;
  /** More environment variables of `npm start`. */
  env?: Record<string, string>;
  /**
   * The instant its clock reads at start (LOCAL_CLOCK), then running on: by default a day of fiscal
   * year 2024, before the 2024 plan's deadline (31/01/2025), the year most tests' worlds live in;
   * `wall` for the wall clock (a world of the current year).
   */
  clock?: string;
}

/**
 * The local runtime exactly as `npm start` runs it (a child process), by default on the test run's
 * shared DynamoDB Local and SQS emulator, in its own namespace and data folder.
 */
export const startRuntime = async (options: RuntimeOptions = {}) => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'giai-ngan-e2e-'));
  const namespace = options.namespace ?? `e2e-${randomUUID().slice(0, 8)}`;
  const servers = options.servers ?? 'shared';
  const endpoints =
    servers === 'shared'
      ? {
          DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
          SQS_ENDPOINT: inject('sqsEndpoint'),
          // A seeded runtime copies the run's first seeding, on the same DynamoDB Local (local/seed-cache.ts).
          SEED_CACHE_DIR: inject('seedCacheDir'),
        }
      : servers === 'own'
        ? {}
        : { DYNAMODB_ENDPOINT: servers.dynamoEndpoint, SQS_ENDPOINT: servers.sqsEndpoint };
  const { DYNAMODB_ENDPOINT: _d, SQS_ENDPOINT: _s, SEED_CACHE_DIR: _c, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['scripts/run.mjs', 'local/main.ts'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      DATA_DIR: dataDir,
      PORT: '0',
      ...endpoints,
      LOCAL_NAMESPACE: namespace,
      // The demo plan and history only where a test asks for them (seeding takes a few seconds).
      SEED: options.seed ? 'true' : 'false',
      VISIBILITY_TIMEOUT_SECONDS: String(options.visibilityTimeoutSeconds ?? 2),
      ...(options.clock === 'wall' ? {} : { LOCAL_CLOCK: options.clock ?? TEST_CLOCK_START }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    // Seeding the demos (payees, contracts, a request per housed household, dossiers) takes longer.
    const timeoutMs = options.seed ? 240_000 : 60_000;
    const timer = setTimeout(() => reject(new Error(`runtime did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with ${code}:\n${output}`));
    });
  });
  const keys: LocalKeys = await loadLocalKeys(join(dataDir, 'keys', 'jwt-signing-key.json'));
  const dynamoEndpoint =
    servers === 'shared'
      ? inject('dynamoEndpoint')
      : servers === 'own'
        ? readRuntimeInfo(dataDir).dynamoEndpoint
        : servers.dynamoEndpoint;
  const client = runtimeClient(url, `${namespace}-ledger`, dynamoEndpoint);
  return {
    url,
    dataDir,
    dynamoEndpoint,
    namespace,
    store: client.store,
    logs: () => output,
    token: (
      sub: string,
      groups: string[],
      extra: { commune?: string; email?: string; jurisdiction?: string } = {},
    ) => keys.sign({ sub, groups, ...extra }),
    keys,
    call: client.call,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      client.destroy();
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** How a test reaches a running local runtime: HTTP calls, and its table read directly. */
export const runtimeClient = (url: string, tableName: string, dynamoEndpoint = inject('dynamoEndpoint')) => {
  const raw = localDynamoClient(dynamoEndpoint);
  const store = new DynamoLedgerRepository(createDocumentClient(raw), tableName);
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const send = () => fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    // A kept-alive socket the gateway closed while this process was busy (a spawnSync, a loaded
    // machine) fails before the request is sent; a read is then simply sent again, on a new socket.
    const res = await send().catch((error: unknown) => {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (method === 'GET' && code === 'UND_ERR_SOCKET') return send();
      throw error;
    });
    const text = await res.text();
    // Every answer a test receives is checked against the OpenAPI document: a mismatch fails the test.
    assertContract(method, path, { status: res.status, headers: res.headers, text });
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return { store, call, destroy: () => raw.destroy() };
};

export type Runtime = Awaited<ReturnType<typeof startRuntime>>;

/** Polls until `check` holds (the decision handlers run asynchronously behind the queues). */
export const eventually = async <T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
