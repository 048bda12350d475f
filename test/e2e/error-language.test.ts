import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES_VI } from '../../shared/platform/error-catalogue.ts';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let allocationId: string;
let financeToken: string;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  allocationId = (await s.createAllocation({ amountVnd: 50_000_000 })).id;
  financeToken = await s.as('finance-lan', 'finance');
});
afterAll(async () => {
  await rt?.stop();
});

/** A request for more than the allocation has, in the language the header asks for. */
const tooLarge = (acceptLanguage?: string) =>
  rt.call('POST', '/requests', {
    token: financeToken,
    headers: {
      'idempotency-key': randomUUID(),
      ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}),
    },
    body: {
      allocationId,
      amountVnd: 50_000_001,
      payee: { name: 'Hộ bà Alăng Thị Hoa', kind: 'household' },
      purpose: 'Hỗ trợ sinh kế',
    },
  });

describe('Accept-Language: vi answers error messages in Vietnamese, with the same codes', () => {
  it('answers a refusal in Vietnamese under vi, and keeps the code and details', async () => {
    const res = await tooLarge('vi');
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'insufficient_funds',
      details: { availableVnd: 50_000_000 },
    });
    // The code's words with the figures of its details: what is left, what was asked.
    expect(res.body.error.message).toMatch(
      /^Không đủ kế hoạch vốn còn lại: còn 50\.000\.000 ₫, cần 50\.000\.001 ₫\. /,
    );
  });

  it('answers in English without the header, or when English weighs more, as before', async () => {
    for (const language of [undefined, 'en-US,vi;q=0.5', 'fr']) {
      const res = await tooLarge(language);
      expect(res.status, String(language)).toBe(409);
      expect(res.body.error.code).toBe('insufficient_funds');
      expect(res.body.error.message, String(language)).not.toMatch(/Không đủ/);
      expect(res.body.error.message).toMatch(/available/i);
    }
  });

  it('honours the weights: vi-VN preferred over English is Vietnamese', async () => {
    const res = await tooLarge('en;q=0.3, vi-VN;q=0.9');
    expect(res.body.error.message).toMatch(/^Không đủ kế hoạch vốn còn lại: còn 50\.000\.000 ₫/);
  });

  it('names the field of a bad input in a Vietnamese 400, and writes nothing', async () => {
    const res = await rt.call('POST', '/requests', {
      token: financeToken,
      headers: { 'idempotency-key': randomUUID(), 'accept-language': 'vi' },
      body: { allocationId, amountVnd: -5, payee: { name: 'Hộ A', kind: 'household' }, purpose: 'Hỗ trợ' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/^Thông tin gửi lên chưa hợp lệ/);
    expect((await s.getAllocation(allocationId)).reservedVnd).toBe(0);
  });

  it('answers a role refusal in Vietnamese too', async () => {
    const res = await rt.call('POST', '/allocations', {
      token: financeToken,
      headers: { 'accept-language': 'vi' },
      body: {},
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', message: API_ERROR_MESSAGES_VI.forbidden });
  });
});
