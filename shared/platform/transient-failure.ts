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

/**
 * Runs `work`, and again after a transient failure, up to `attempts` tries with a short growing pause:
 * for work that is safe to repeat (a read, or a write its caller recognises as its own), so that a
 * passing hiccup does not cost a queue message one of its receives.
 */
export const retryTransient = async <T>(work: () => Promise<T>, attempts = 3, pauseMs = 100): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((r) => setTimeout(r, pauseMs * attempt));
    }
  }
};
