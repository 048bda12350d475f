import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DIGEST_ANCHORS_BUCKET_ENV } from '../shared/audit/topology.ts';
import { DynamoDocumentRepository } from '../shared/documents/adapters/document-repository.ts';
import { S3ObjectStorage } from '../shared/documents/adapters/s3-object-storage.ts';
import { DOCUMENTS_BUCKET_ENV } from '../shared/documents/topology.ts';
import { DynamoLedgerRepository } from '../shared/ledger/adapters/ledger-repository.ts';
import { OUTBOX_GRACE_ENV } from '../shared/ledger/domain/approval-outbox.ts';
import { OUTBOX_RELAY_ID } from '../shared/ledger/topology.ts';
import { DynamoMonitoringRepository } from '../shared/monitoring/adapters/monitoring-repository.ts';
import { ALERT_CLAIM_TIMEOUT_ENV, ALERT_EMAIL_DOMAINS_ENV } from '../shared/monitoring/topology.ts';
import { DynamoPayeeRepository } from '../shared/payees/adapters/payee-repository.ts';
import { createDocumentClient, sdkClientHooks } from '../shared/platform/aws/aws-clients.ts';
import { LOG_FORMAT_ENV } from '../shared/platform/aws/logger.ts';
import { TOOL_SDK_TIMEOUTS } from '../shared/platform/aws/sdk-http.ts';
import { setSystemClock, systemEnv } from '../shared/platform/clock.ts';
import { approvalPolicies } from '../shared/platform/config/approval-policies/index.ts';
import {
  API_URL_ENV,
  DASHBOARD_URL_ENV,
  type FunctionSpec,
  TABLE_NAME_ENV,
} from '../shared/platform/topology.ts';
import { DynamoTargetRepository } from '../shared/targets/adapters/target-repository.ts';
import { FUNCTIONS } from '../shared/topology.ts';
import { localAwsEnv, localDynamoClient, localS3Client, localSqsClient } from './aws-local.ts';
import { seedDaNangDemo } from './demo-da-nang.ts';
import { type DemoDeps, describeDemo, seedDemoHistory } from './demo-history.ts';
import { seedDemoInspectors } from './demo-inspectors.ts';
import { seedDemoPlan } from './demo-plan.ts';
import { seedDemoTargets } from './demo-targets.ts';
import { loadFunction } from './function-loader.ts';
import { startGateway } from './gateway.ts';
import { type LocalKeys, loadLocalKeys } from './local-jwt.ts';
import { loadOrCreateSecret } from './local-secret.ts';
import {
  allowDashboardOrigins,
  ensureBucket,
  ensureQueues,
  ensureTable,
  type ProvisionedQueue,
} from './provision.ts';
import { startQueuePoller } from './queue-poller.ts';
import { startScheduler } from './scheduler.ts';
import type { SdkFaults } from './sdk-faults.ts';
import { awaitSeed, claimSeedCache, restoreSeed, saveSeed } from './seed-cache.ts';
import { type RunningServer, startDynamoDbLocal, startS3Server, startSqsEmulator } from './servers.ts';
import {
  describeUpgrade,
  ensureJurisdictionKeys,
  ensureRequestListings,
  exactDocumentClient,
} from './table-upgrade.ts';

export interface RuntimeOptions {
  dataDir: string;
  /** Gateway port; 0 picks a free one. */
  port: number;
  dynamoPort?: number;
  sqsPort?: number;
  /** Use servers that are already running instead of starting them (tests share one pair). */
  dynamoEndpoint?: string;
  sqsEndpoint?: string;
  /** An S3-compatible server already running; else one is started with its files under dataDir/s3. */
  s3Endpoint?: string;
  /** Keep DynamoDB Local's data in memory instead of under dataDir. */
  inMemory?: boolean;
  /** Prefix of the table and queue names, so several runtimes can share servers. */
  namespace?: string;
  seed?: boolean;
  /**
   * Test runs only (`SEED_CACHE_DIR`): the first seeded runtime of the run records its seeding here, later
   * ones with the same settings copy it instead of seeding again (local/seed-cache.ts).
   */
  seedCacheDir?: string;
  provincialRatio?: number;
  /** Local override of the queues' visibility timeout (redelivery delay after a failure). */
  visibilityTimeoutSeconds?: number;
  /** Local override of a queue consumer's batch size, by queue id (a test that crashes one message at a time). */
  batchSizes?: Readonly<Record<string, number>>;
  /** Folder of the alert e-mails (.eml files); DATA_DIR/mail by default. */
  mailDir?: string;
  /** From address of the alert e-mails. */
  senderEmail?: string;
  /** Pending time after which the outbox relay re-publishes an approval event (default 30 s locally). */
  outboxGraceSeconds?: number;
  /** How often the outbox relay runs locally (default: the topology's local interval, 30 s). */
  outboxRelayIntervalSeconds?: number;
  /**
   * false: the scheduled jobs other than the outbox relay (the monitor, the daily ledger and audit
   * jobs) run only when `runScheduled` asks, never on their local interval. For benches that time
   * reads: a job its hourly interval starts would share DynamoDB Local with what they time.
   * Default true.
   */
  jobsOnInterval?: boolean;
  log?: (line: string) => void;
  /**
   * The instant the system clock reads at start (it then runs at the wall clock's speed): a demo or a
   * test lives on a date of a plan's year, before its deadline. The wall clock by default.
   */
  clock?: Date;
  /** The built dashboard, served at `/` by the gateway. */
  webDir?: string;
  /**
   * Reliability runs only: faults and crashes injected into the SDK clients the handlers use (see
   * local/sdk-faults.ts). Needs the runtime in the test's own process, and one runtime per process.
   */
  sdkFaults?: SdkFaults;
}

/** What `DATA_DIR/runtime.json` holds while a local runtime runs. */
export interface RuntimeInfo {
  url: string;
  pid: number;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  documentsBucket: string;
  queues: { id: string; url: string; arn: string; deadLetterUrl: string }[];
  /** Where the alert mailer writes its .eml files. */
  mailDir?: string;
  /** How the alert mailer sends: an SMTP server (SMTP_URL) or .eml files in mailDir. */
  mailTransport?: 'smtp' | 'eml';
}

export const runtimeInfoFile = (dataDir: string) => join(dataDir, 'runtime.json');

/** The running local system of a data folder, or a clear error when none runs. */
export const readRuntimeInfo = (dataDir: string): RuntimeInfo => {
  try {
    return JSON.parse(readFileSync(runtimeInfoFile(dataDir), 'utf8')) as RuntimeInfo;
  } catch {
    throw new Error(
      `No local system is running with DATA_DIR=${dataDir}: start it with \`npm start\` first.`,
    );
  }
};

export interface LocalRuntime {
  url: string;
  port: number;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  documentsBucket: string;
  queues: ProvisionedQueue[];
  keys: LocalKeys;
  seeded: number;
  /** The runtime's own SQS client (the pollers'), for instrumentation. */
  sqsClient: SQSClient;
  /** Runs a scheduled function now, as its schedule would. */
  runScheduled: (functionId: string, detail?: Record<string, unknown>) => Promise<unknown>;
  stop: () => Promise<void>;
}

/** Default grace period of the outbox relay locally: short, since nothing here is slow on purpose. */
const LOCAL_OUTBOX_GRACE_SECONDS = 30;

/** Locally, unless ALERT_EMAIL_DOMAINS says otherwise: Vietnamese government addresses (the demo's inspectors). */
const LOCAL_ALERT_EMAIL_DOMAINS = 'gov.vn';

/** A function's spec as it runs locally: the outbox relay gets the local grace period and interval. */
const localSpec = (spec: FunctionSpec, options: RuntimeOptions): FunctionSpec => {
  if (spec.id !== OUTBOX_RELAY_ID || spec.trigger.kind !== 'schedule') return spec;
  return {
    ...spec,
    environment: {
      ...spec.environment,
      [OUTBOX_GRACE_ENV]: String(options.outboxGraceSeconds ?? LOCAL_OUTBOX_GRACE_SECONDS),
    },
    trigger: {
      ...spec.trigger,
      localIntervalSeconds: options.outboxRelayIntervalSeconds ?? spec.trigger.localIntervalSeconds,
    },
  };
};

/** Boots the whole system on this machine: real local servers, the same handlers, a gateway, pollers and a scheduler. */
export const startLocalRuntime = async (options: RuntimeOptions): Promise<LocalRuntime> => {
  const log = options.log ?? ((line: string) => console.log(line));
  // Before any function loads: every use case reads the system clock (shared/platform/clock.ts).
  setSystemClock(options.clock);
  const namespace = options.namespace ?? 'giai-ngan';
  const started: RunningServer[] = [];
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
    for (const s of started.reverse()) await s.stop();
  };
  try {
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      const ddb = await startDynamoDbLocal({
        ...(options.dynamoPort !== undefined ? { port: options.dynamoPort } : {}),
        ...(options.inMemory ? {} : { dataDir: join(options.dataDir, 'dynamodb') }),
      });
      started.push(ddb);
      dynamoEndpoint = ddb.endpoint;
      log(
        `DynamoDB Local on ${ddb.endpoint}${options.inMemory ? ' (in memory)' : `, data in ${join(options.dataDir, 'dynamodb')}`}`,
      );
    }
    let sqsEndpoint = options.sqsEndpoint;
    if (!sqsEndpoint) {
      const sqs = await startSqsEmulator({
        ...(options.sqsPort !== undefined ? { port: options.sqsPort } : {}),
      });
      started.push(sqs);
      sqsEndpoint = sqs.endpoint;
      log(`SQS emulator (fauxqs) on ${sqs.endpoint}`);
    }

    let s3Endpoint = options.s3Endpoint;
    if (!s3Endpoint) {
      // Files under DATA_DIR, whatever inMemory says: it is fast to start and keeps nothing else.
      const s3 = await startS3Server({ directory: join(options.dataDir, 's3') });
      started.push(s3);
      s3Endpoint = s3.endpoint;
      log(`S3-compatible server (s3rver) on ${s3.endpoint}, files in ${join(options.dataDir, 's3')}`);
    }

    const tableName = `${namespace}-ledger`;
    const documentsBucket = `${namespace}-documents`;
    // The daily digests kept outside the table (s3rver has no Object Lock: docs/integrity.md).
    const digestAnchorsBucket = `${namespace}-digest-anchors`;
    // Provisioning's client. DynamoDB Local answers DescribeTable by counting the table's items: about a
    // minute at two million (a province bench's kept table, measured), past the tools' 30 s.
    const ddbClient = localDynamoClient(dynamoEndpoint, {
      ...TOOL_SDK_TIMEOUTS,
      requestTimeoutMs: 10 * 60_000,
    });
    const sqsClient = localSqsClient(sqsEndpoint);
    const s3Client = localS3Client(s3Endpoint);
    stops.push(() => {
      ddbClient.destroy();
      sqsClient.destroy();
      s3Client.destroy();
    });
    await ensureBucket(s3Client, documentsBucket);
    await ensureBucket(s3Client, digestAnchorsBucket);
    const table = await ensureTable(ddbClient, tableName);
    // A data folder from before jurisdictions in keys: its items are moved before anything reads them.
    if (table === 'existed') {
      const upgraded = await ensureJurisdictionKeys(exactDocumentClient(ddbClient), tableName, { log });
      if (upgraded) log(`table ${tableName} upgraded to jurisdiction keys: ${describeUpgrade(upgraded)}`);
      // A data folder from before the requests' own listings (gsi4–gsi6): their keys move there.
      await ensureRequestListings(exactDocumentClient(ddbClient), tableName, { log });
    }
    const queueOverrides =
      options.visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
        : {};
    const queues = await ensureQueues(sqsClient, namespace, queueOverrides);
    // The SQS emulator keeps queues in memory: when it comes back empty, the first poller to notice
    // re-creates them (same names, so the same URLs), and the outbox relay re-publishes what was lost.
    let reprovisioning: Promise<void> | undefined;
    const reprovisionQueues = () => {
      reprovisioning ??= ensureQueues(sqsClient, namespace, queueOverrides)
        .then(() => log('SQS queues were gone (emulator restarted?): re-created them'))
        .finally(() => {
          reprovisioning = undefined;
        });
      return reprovisioning;
    };
    log(`table ${tableName} ${table}; ${queues.length} queues with dead-letter queues ready`);

    Object.assign(process.env, localAwsEnv(dynamoEndpoint, sqsEndpoint, s3Endpoint), {
      [TABLE_NAME_ENV]: tableName,
      [DOCUMENTS_BUCKET_ENV]: documentsBucket,
      [DIGEST_ANCHORS_BUCKET_ENV]: digestAnchorsBucket,
    });
    // Secrets the functions declare: kept in files of the data folder (Secrets Manager in AWS).
    for (const name of new Set(FUNCTIONS.flatMap((f) => f.secrets ?? []))) {
      process.env[name] = loadOrCreateSecret(join(options.dataDir, 'keys', name.toLowerCase()));
    }
    for (const q of queues) process.env[q.spec.urlEnv] = q.url;
    // The alert mailer writes .eml files here (unless SMTP_URL names a server); set before functions load.
    const mailDir = options.mailDir ?? join(options.dataDir, 'mail');
    process.env.MAIL_DIR = mailDir;
    // Queues that redeliver sooner than in AWS: a crashed sender's claim must be stale by then.
    if (options.visibilityTimeoutSeconds !== undefined)
      process.env[ALERT_CLAIM_TIMEOUT_ENV] ??= String(options.visibilityTimeoutSeconds / 2);
    process.env.SENDER_EMAIL = options.senderEmail ?? 'Giám sát giải ngân <canh-bao@giai-ngan.local>';
    // Addresses of these domains get alerts without confirming; others confirm through an e-mailed link.
    process.env[ALERT_EMAIL_DOMAINS_ENV] ??= LOCAL_ALERT_EMAIL_DOMAINS;
    // The functions' logs as one readable line each (JSON in Lambda); GIAI_NGAN_LOG_FORMAT=json keeps JSON.
    process.env[LOG_FORMAT_ENV] ??= 'text';
    // EMF metrics are for CloudWatch; locally they would only interleave JSON with the readable logs.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

    let seeded = 0;
    if (options.seed !== false) {
      // A test run's later seeded runtimes copy its first one's seeding (local/seed-cache.ts).
      const cache =
        options.seedCacheDir && table === 'created'
          ? {
              dir: options.seedCacheDir,
              settings: {
                clock: options.clock?.toISOString() ?? null,
                ratio: options.provincialRatio ?? 0.11,
              },
              source: { db: ddbClient, s3: s3Client, tableName, documentsBucket },
            }
          : undefined;
      const claimed = cache !== undefined && claimSeedCache(cache.dir, cache.settings);
      const restored =
        cache && !claimed && (await awaitSeed(cache.dir, cache.settings))
          ? await restoreSeed(cache.dir, cache.settings, cache.source)
          : undefined;
      if (restored) {
        setSystemClock(restored.clockAfter);
        for (const line of restored.logs) log(line);
        log(`(the demos copied from this test run's first seeding: ${restored.items} items)`);
        seeded = restored.seeded;
      } else {
        const lines: string[] = [];
        seeded = await seedDemos(
          { ddbClient, s3Client, tableName, documentsBucket, provincialRatio: options.provincialRatio },
          (line) => {
            lines.push(line);
            log(line);
          },
          log,
        );
        if (claimed)
          await saveSeed(
            cache.dir,
            cache.settings,
            { ...cache.source, createTable: (name) => ensureTable(ddbClient, name) },
            { seeded, logs: lines, clockAfter: systemEnv.now() },
          );
      }
    }

    if (options.sdkFaults) {
      const { hook } = options.sdkFaults;
      sdkClientHooks.push(hook);
      stops.push(() => {
        sdkClientHooks.splice(sdkClientHooks.indexOf(hook), 1);
      });
    }
    const functions = [];
    for (const spec of FUNCTIONS) functions.push(await loadFunction(localSpec(spec, options)));
    const keys = await loadLocalKeys(join(options.dataDir, 'keys', 'jwt-signing-key.json'));

    const gateway = await startGateway({
      port: options.port,
      functions,
      keys,
      log,
      ...(options.webDir ? { staticDir: options.webDir } : {}),
      // The page uploads documents straight to the S3 server through presigned URLs.
      connectSources: [new URL(s3Endpoint).origin],
    });
    stops.push(() => gateway.stop());
    // ... which lets the page's origin (by either loopback name) do so: CORS on the documents bucket.
    await allowDashboardOrigins(s3Client, documentsBucket, [
      gateway.url,
      gateway.url.replace('//localhost:', '//127.0.0.1:'),
    ]);
    // The links functions e-mail (alerts: the dashboard and the acknowledge page), both served here.
    process.env[DASHBOARD_URL_ENV] = gateway.url;
    process.env[API_URL_ENV] = gateway.url;
    for (const fn of functions) {
      const trigger = fn.spec.trigger;
      if (trigger.kind !== 'queue') continue;
      const queue = queues.find((q) => q.spec.id === trigger.queueId);
      if (!queue) throw new Error(`function ${fn.spec.id} reads unknown queue ${trigger.queueId}`);
      const poller = startQueuePoller({
        sqs: sqsClient,
        fn,
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: options.batchSizes?.[trigger.queueId] ?? trigger.batchSize,
        log,
        onQueueMissing: reprovisionQueues,
      });
      stops.push(() => poller.stop());
    }
    const scheduler = startScheduler(
      functions,
      log,
      (fn) => options.jobsOnInterval !== false || fn.spec.id === OUTBOX_RELAY_ID,
    );
    stops.push(() => scheduler.stop());
    // Events still pending from before a stop (the emulator lost them) are relayed once at start-up.
    scheduler.runNow(OUTBOX_RELAY_ID).catch((error: unknown) => {
      log(`outbox relay at start-up failed: ${String(error)}`);
    });

    // Lets command-line tools (token, monitor, dlq) find the running system.
    const info: RuntimeInfo = {
      url: gateway.url,
      pid: process.pid,
      dynamoEndpoint,
      sqsEndpoint,
      s3Endpoint,
      tableName,
      documentsBucket,
      queues: queues.map((q) => ({ id: q.spec.id, url: q.url, arn: q.arn, deadLetterUrl: q.deadLetterUrl })),
      mailDir,
      mailTransport: process.env.SMTP_URL ? 'smtp' : 'eml',
    };
    writeFileSync(runtimeInfoFile(options.dataDir), JSON.stringify(info, null, 2));
    stops.push(() => rmSync(runtimeInfoFile(options.dataDir), { force: true }));

    return {
      url: gateway.url,
      port: gateway.port,
      dynamoEndpoint,
      sqsEndpoint,
      s3Endpoint,
      tableName,
      documentsBucket,
      queues,
      keys,
      seeded,
      sqsClient,
      runScheduled: scheduler.runNow,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * Seeds the two demos and the 2024 plan's indicators through the use cases (each only when missing);
 * `seededLog` gets the lines saying what was seeded, `log` the progress lines. Returns the allocations
 * of the first demo plan seeded now (0 when it was there).
 */
const seedDemos = async (
  target: {
    ddbClient: DynamoDBClient;
    s3Client: S3Client;
    tableName: string;
    documentsBucket: string;
    provincialRatio: number | undefined;
  },
  seededLog: (line: string) => void,
  log: (line: string) => void,
): Promise<number> => {
  const { ddbClient, s3Client, tableName, documentsBucket } = target;
  const db = createDocumentClient(ddbClient);
  const store = new DynamoLedgerRepository(db, tableName);
  const demo: DemoDeps = {
    store,
    policies: approvalPolicies,
    payees: new DynamoPayeeRepository(db, tableName),
    documents: new DynamoDocumentRepository(db, tableName),
    objects: new S3ObjectStorage(s3Client, documentsBucket),
  };
  const seedStart = Date.now();
  const took = () => `${((Date.now() - seedStart) / 1000).toFixed(1)} s`;
  // Seeding a first start takes a minute or two: a line every 15 s says it is moving.
  let lastProgress = seedStart;
  demo.progress = (requests) => {
    if (Date.now() - lastProgress < 15_000) return;
    lastProgress = Date.now();
    log(`seeding the demo history through the real use cases: ${requests} requests so far (${took()})`);
  };
  const seeded = await seedDemoPlan(store, target.provincialRatio ?? 0.11);
  if (seeded > 0) {
    const history = await seedDemoHistory(demo);
    const inspectors = await seedDemoInspectors(new DynamoMonitoringRepository(db, tableName));
    seededLog(
      `seeded the Tây Giang 2024 demo plan: ${seeded} allocations, ${describeDemo(history)} up to 30/09/2024, ${inspectors} inspectors' subscriptions (${took()})`,
    );
  }
  // On its own: a data folder seeded before the second jurisdiction existed gets it too.
  const daNang = await seedDaNangDemo(demo, new DynamoMonitoringRepository(db, tableName));
  if (daNang)
    seededLog(
      `seeded the Đà Nẵng 2026 demo plan (illustrative): ${daNang.allocations} allocations, ${describeDemo(daNang)} up to 30/09/2026, ${daNang.inspectors} inspectors' subscriptions (${took()})`,
    );
  // On their own: a data folder seeded before plan targets existed gets them too.
  const indicators = await seedDemoTargets(new DynamoTargetRepository(db, tableName));
  if (indicators > 0) seededLog(`seeded the plan's ${indicators} indicators of 2024 with their targets`);
  return seeded;
};
