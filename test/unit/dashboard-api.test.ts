import { describe, expect, it } from 'vitest';
import { ApiError, createApi, READ_RETRIES, retryPauseMs } from '../../web/src/api.ts';

/** A fetch that answers from a list, one answer per call, and records what was asked. */
const scripted = (answers: Array<{ status: number; retryAfter?: string }>) => {
  const calls: string[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push(`${init?.method} ${String(input)}`);
    const next = answers[Math.min(calls.length - 1, answers.length - 1)] as (typeof answers)[number];
    const body =
      next.status === 200
        ? { ok: true }
        : { error: { code: 'service_unavailable', message: 'The service is briefly busy.' } };
    return new Response(JSON.stringify(body), {
      status: next.status,
      headers: {
        'content-type': 'application/json',
        ...(next.retryAfter !== undefined ? { 'retry-after': next.retryAfter } : {}),
      },
    });
  }) as typeof fetch;
  return { calls, fetchFn };
};

const apiWith = (fetchFn: typeof fetch, pauses: number[]) =>
  createApi(
    'http://api',
    () => 'token',
    () => undefined,
    fetchFn,
    async (ms) => {
      pauses.push(ms);
    },
  );

describe('the dashboard API client asks a read again when the API is briefly busy (503)', () => {
  it('answers a read whose first answers were 503, after the pauses Retry-After asks for', async () => {
    const { calls, fetchFn } = scripted([
      { status: 503, retryAfter: '1' },
      { status: 503, retryAfter: '2' },
      { status: 200 },
    ]);
    const pauses: number[] = [];
    await expect(apiWith(fetchFn, pauses).get('/allocations')).resolves.toEqual({ ok: true });
    expect(calls).toEqual([
      'GET http://api/allocations',
      'GET http://api/allocations',
      'GET http://api/allocations',
    ]);
    expect(pauses).toEqual([1_000, 2_000]);
  });

  it(`gives up after ${READ_RETRIES} more tries and shows the API's error`, async () => {
    const { calls, fetchFn } = scripted([{ status: 503, retryAfter: '1' }]);
    const failure = await apiWith(fetchFn, [])
      .get('/reports/progress')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(calls).toHaveLength(1 + READ_RETRIES);
  });

  it('never sends a write twice: a 503 to a POST is shown as it is', async () => {
    const { calls, fetchFn } = scripted([{ status: 503, retryAfter: '1' }, { status: 200 }]);
    await expect(apiWith(fetchFn, []).post('/monitor/runs', {})).rejects.toMatchObject({ status: 503 });
    expect(calls).toEqual(['POST http://api/monitor/runs']);
  });

  it('does not ask again on other errors (a 500, a 404)', async () => {
    for (const status of [500, 404]) {
      const { calls, fetchFn } = scripted([{ status }, { status: 200 }]);
      await expect(apiWith(fetchFn, []).get('/alerts')).rejects.toMatchObject({ status });
      expect(calls).toHaveLength(1);
    }
  });

  it('waits 1 s when Retry-After is missing or unreadable, and within 0.2–5 s otherwise', () => {
    expect(retryPauseMs(null)).toBe(1_000);
    expect(retryPauseMs('')).toBe(1_000);
    expect(retryPauseMs('Wed, 21 Oct 2026 07:28:00 GMT')).toBe(1_000);
    expect(retryPauseMs('0')).toBe(200);
    expect(retryPauseMs('3')).toBe(3_000);
    expect(retryPauseMs('120')).toBe(5_000);
  });
});
