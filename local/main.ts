import { resolve } from 'node:path';
import { buildWeb, describeBuild, MAX_GZIP_BYTES, WEB_DIST, webBuildIsStale } from '../web/build.ts';
import { portFromEnv } from './ports.ts';
import { startLocalRuntime } from './runtime.ts';
import { JavaMissingError } from './servers.ts';

/** `npm start`: the whole system on this machine. Settings come from the environment (README "Configuration"). */
const dataDir = resolve(process.env.DATA_DIR ?? 'var');
const ratio = Number(process.env.PROVINCIAL_COUNTERPART_RATIO ?? '0.11');
if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
  console.error(
    `PROVINCIAL_COUNTERPART_RATIO must be a number from 0 to 1; got "${process.env.PROVINCIAL_COUNTERPART_RATIO}".`,
  );
  process.exit(1);
}

/** LOCAL_CLOCK: the instant the system clock reads at start (e.g. 2024-09-30T09:00:00+07:00), then runs on. */
const clock = process.env.LOCAL_CLOCK ? new Date(process.env.LOCAL_CLOCK) : undefined;
if (clock && Number.isNaN(clock.getTime())) {
  console.error(
    `LOCAL_CLOCK must be an instant such as 2024-09-30T09:00:00+07:00; got "${process.env.LOCAL_CLOCK}".`,
  );
  process.exit(1);
}

/** The dashboard is bundled when missing or older than its sources; the API runs without it if that fails. */
let webDir: string | undefined = WEB_DIST;
try {
  if (webBuildIsStale()) {
    const built = await buildWeb();
    console.log(describeBuild(built));
    if (built.gzipBytes > MAX_GZIP_BYTES) console.warn('The dashboard bundle is over its size budget.');
  }
} catch (error) {
  webDir = undefined;
  console.error(`The dashboard could not be built (${(error as Error).message}); serving the API only.`);
}

try {
  const dynamoPort = portFromEnv('DYNAMODB_PORT');
  const sqsPort = portFromEnv('SQS_PORT');
  const visibility = portFromEnv('VISIBILITY_TIMEOUT_SECONDS');
  const outboxGrace = portFromEnv('OUTBOX_GRACE_SECONDS');
  const relayInterval = portFromEnv('OUTBOX_RELAY_INTERVAL_SECONDS');
  const runtime = await startLocalRuntime({
    dataDir,
    port: portFromEnv('PORT') ?? 3000,
    ...(dynamoPort !== undefined ? { dynamoPort } : {}),
    ...(sqsPort !== undefined ? { sqsPort } : {}),
    ...(visibility !== undefined ? { visibilityTimeoutSeconds: visibility } : {}),
    ...(outboxGrace !== undefined ? { outboxGraceSeconds: outboxGrace } : {}),
    ...(relayInterval !== undefined ? { outboxRelayIntervalSeconds: relayInterval } : {}),
    seed: process.env.SEED !== 'false',
    // Set by the test run only (test/global-setup.ts): its seeded runtimes copy its first seeding.
    ...(process.env.SEED_CACHE_DIR ? { seedCacheDir: process.env.SEED_CACHE_DIR } : {}),
    ...(process.env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    ...(process.env.SQS_ENDPOINT ? { sqsEndpoint: process.env.SQS_ENDPOINT } : {}),
    ...(process.env.S3_ENDPOINT ? { s3Endpoint: process.env.S3_ENDPOINT } : {}),
    ...(process.env.LOCAL_NAMESPACE ? { namespace: process.env.LOCAL_NAMESPACE } : {}),
    provincialRatio: ratio,
    ...(clock ? { clock } : {}),
    ...(webDir ? { webDir } : {}),
    ...(process.env.MAIL_DIR ? { mailDir: resolve(process.env.MAIL_DIR) } : {}),
    ...(process.env.SENDER_EMAIL ? { senderEmail: process.env.SENDER_EMAIL } : {}),
  });
  const demo = process.env.SEED !== 'false';
  console.log(`
giai-ngan is running at ${runtime.url}   (data in ${dataDir})${
    clock
      ? `
  Clock:    set to ${process.env.LOCAL_CLOCK} at start (LOCAL_CLOCK)`
      : demo
        ? `
  Clock:    today's. The 2024 demo's plan took payments until 31/01/2025: to approve or pay in it,
            start with LOCAL_CLOCK=2024-09-30T09:00:00+07:00 npm start`
        : ''
  }
  Dashboard: ${
    webDir
      ? `${runtime.url}/${demo ? '?fiscalYear=2024&asOf=2024-09-30   (the Tây Giang 2024 demo as of 30/09/2024)' : ''}
             sign in with a token from: npm run -s token -- --sub an --groups planner`
      : 'not built (see the error above)'
  }
${
  demo
    ? `  Đà Nẵng:  the second jurisdiction, two tiers: an illustrative 2026 plan for Avương, Tây Giang, Hùng Sơn
            ${webDir ? `${runtime.url}/?fiscalYear=2026&asOf=2026-09-30` : '(no dashboard)'}   signed in with a token from:
            npm run -s token -- --sub an-dn --groups planner --jurisdiction da-nang
            npm run -s monitor -- --jurisdiction da-nang --as-of 2026-09-30
`
    : ''
}  Health:   curl ${runtime.url}/health
  Token:    npm run -s token -- --sub lan --groups finance        (roles: planner, finance, approver-commune,
            approver-district, approver-district-leader, approver-province, treasury, inspector, auditor)
  Try:      curl -H "Authorization: Bearer $(npm run -s token -- --sub an --groups planner)" ${runtime.url}/allocations?fiscalYear=2024
  Monitor:  npm run -s monitor -- --as-of 2024-09-30      (alert e-mails in ${process.env.MAIL_DIR ?? `${dataDir}/mail`})
  API:      ${runtime.url}/openapi.json      Stop: Ctrl-C
`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the gateway, pollers and local servers…`);
    const force = setTimeout(() => process.exit(1), 15_000);
    await runtime.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `A port is already in use (${(error as Error).message}): stop the other program or set PORT / DYNAMODB_PORT / SQS_PORT.`,
    );
  } else {
    console.error('giai-ngan could not start:', error);
  }
  process.exit(1);
}
