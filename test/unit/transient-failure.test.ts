import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError, ValidationError } from '../../shared/platform/errors.ts';
import { isTransient, retryTransient } from '../../shared/platform/transient-failure.ts';

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

describe('trying work again after a passing failure', () => {
  /** Work that fails with `errors` in turn, then answers its number of calls. */
  const failingWith = (...errors: Error[]) => {
    let calls = 0;
    const work = async () => {
      const error = errors[calls++];
      if (error) throw error;
      return calls;
    };
    return { work, calls: () => calls };
  };

  it('answers the first success within its tries, and gives up after the last with its error', async () => {
    const twice = failingWith(named('ThrottlingException'), named('TimeoutError'));
    const thrice = failingWith(
      named('ThrottlingException'),
      named('ThrottlingException'),
      named('TimeoutError'),
    );

    expect(await retryTransient(twice.work, 3, 1)).toBe(3);
    await expect(retryTransient(thrice.work, 3, 1)).rejects.toThrow('TimeoutError');
    expect(thrice.calls()).toBe(3);
  });

  it('never tries again after a failure that is not transient', async () => {
    const refused = failingWith(new ValidationError('amount'));

    await expect(retryTransient(refused.work, 3, 1)).rejects.toBeInstanceOf(ValidationError);
    expect(refused.calls()).toBe(1);
  });
});
