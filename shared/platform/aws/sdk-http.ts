import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * How long an AWS SDK call may take on one connection, for every client of the system (Lambda and the
 * local runtime alike). A call to DynamoDB, SQS, S3, SES or Secrets Manager answers in tens of
 * milliseconds; without limits a stuck connection hangs its request until the API gateway gives up
 * (29 s) or the function times out (10 s for the HTTP functions). With them, an attempt that has no
 * connection after `connectionTimeoutMs` or no answer after `requestTimeoutMs` fails with a
 * `TimeoutError`, which the SDK's standard retry takes as transient and retries on a fresh connection
 * (3 attempts by default; a transaction keeps its ClientRequestToken, so a retried write that did
 * commit is not applied twice). Three stuck attempts end within about 10 s, the HTTP functions' timeout.
 */
export const SDK_TIMEOUTS = {
  /** Until the TCP (and TLS) connection is established. */
  connectionTimeoutMs: 1_000,
  /** From sending the request to the end of the response. */
  requestTimeoutMs: 3_000,
};

/** Connection and request timeouts, in milliseconds. */
export type SdkTimeouts = typeof SDK_TIMEOUTS;

/**
 * The local tools' clients (local/aws-local.ts: the runtime's provisioning and pollers, the CLIs, the
 * tests' scans), against servers sharing a loaded development machine: DynamoDB Local creates a table
 * and its indexes within the call, which takes seconds; a CreateTable timed out and retried would find
 * the table its first attempt made. Still bounded, so a stuck connection never hangs them.
 */
export const TOOL_SDK_TIMEOUTS: SdkTimeouts = {
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 30_000,
};

/**
 * The HTTP handler every SDK client is given: a fresh one per client (each keeps its own sockets).
 * `throwOnRequestTimeout`: since @smithy/node-http-handler 4.4 a breached `requestTimeout` only logs a
 * warning unless it is set (its type's documentation and its setRequestTimeout say so).
 */
export const sdkRequestHandler = (timeouts: SdkTimeouts = SDK_TIMEOUTS): NodeHttpHandler =>
  new NodeHttpHandler({
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    throwOnRequestTimeout: true,
  });
