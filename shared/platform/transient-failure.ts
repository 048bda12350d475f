import { ServiceUnavailableError } from './errors.ts';

// Throttling and timeouts as the SDK's own retry strategy classifies them, DynamoDB's and SQS's alike.
const TRANSIENT_AWS_ERRORS = new Set([
  'TransactionCanceledException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** A dependency hiccup (throttling, conflict, network) that a client retry can get past. */
export const isTransient = (error: unknown): boolean => {
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    error instanceof ServiceUnavailableError ||
    TRANSIENT_AWS_ERRORS.has(e?.name ?? '') ||
    NETWORK_ERRORS.has(e?.code ?? '') ||
    e?.$retryable !== undefined ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
};
