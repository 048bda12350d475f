import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError, ValidationError } from '../../shared/platform/errors.ts';
import { isTransient } from '../../shared/platform/transient-failure.ts';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...extra });

describe('which failures a retry can get past (answered 503 with Retry-After)', () => {
  it.each([
    ['SQS throttling', named('RequestThrottled')],
    ['DynamoDB throttling', named('ThrottlingException')],
    ['exceeded throughput', named('ProvisionedThroughputExceededException')],
    ['a transaction conflict', named('TransactionCanceledException')],
    ['an SDK timeout', named('TimeoutError')],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['an unreachable host', Object.assign(new Error('unreachable'), { code: 'EHOSTUNREACH' })],
    ['a 5xx from the service', named('SomeServerFault', { $metadata: { httpStatusCode: 502 } })],
    ['our own busy signal', new ServiceUnavailableError('busy')],
  ])('counts %s as transient', (_what, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a failed condition', named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } })],
    ['a validation error', new ValidationError('bad')],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing at all', undefined],
  ])('does not count %s as transient', (_what, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
