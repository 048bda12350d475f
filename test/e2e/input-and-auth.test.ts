import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let allocationId: string;
let financeToken: string;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  allocationId = (await s.createAllocation({ amountVnd: 500_000_000 })).id;
  financeToken = await s.as('finance-lan', 'finance');
});
afterAll(async () => {
  await rt?.stop();
});

const valid = () => ({
  allocationId,
  amountVnd: 1_000_000,
  payee: { name: 'Hộ bà Alăng Thị Hoa', kind: 'household' },
  purpose: 'Hỗ trợ sinh kế',
});

const postRaw = (body: string, headers: Record<string, string> = {}) =>
  rt.call('POST', '/requests', {
    token: financeToken,
    body,
    headers: { 'idempotency-key': crypto.randomUUID(), 'content-type': 'application/json', ...headers },
  });

const assertNothingWritten = async () => {
  const allocation = await s.getAllocation(allocationId);
  const requests = await rt.call('GET', `/requests?allocationId=${allocationId}`, { token: financeToken });
  expect(allocation).toMatchObject({ reservedVnd: 0, availableVnd: 500_000_000 });
  expect(requests.body.items).toHaveLength(0);
};

describe('bad input to POST /requests gets a 400 that names the field, and writes nothing', () => {
  const cases: [string, (b: Record<string, unknown>) => unknown, string][] = [
    ['a zero amount', (b) => ({ ...b, amountVnd: 0 }), 'amountVnd'],
    ['a negative amount', (b) => ({ ...b, amountVnd: -5 }), 'amountVnd'],
    ['a fractional amount', (b) => ({ ...b, amountVnd: 1000.5 }), 'amountVnd'],
    ['a numeric string amount', (b) => ({ ...b, amountVnd: '1000000' }), 'amountVnd'],
    ['an amount above 10^15', (b) => ({ ...b, amountVnd: 1_000_000_000_000_001 }), 'amountVnd'],
    ['an amount that is not a safe integer', (b) => ({ ...b, amountVnd: 2 ** 60 }), 'amountVnd'],
    ['an unknown field', (b) => ({ ...b, bonus: 1 }), 'bonus'],
    ['an unknown payee kind', (b) => ({ ...b, payee: { name: 'X', kind: 'alien' } }), 'payee.kind'],
    ['a missing purpose', ({ purpose: _, ...b }) => b, 'purpose'],
    ['a wrong type for payee', (b) => ({ ...b, payee: 'someone' }), 'payee'],
    [
      'a __proto__ key',
      (b) => JSON.parse(`{"__proto__":{"admin":true},${JSON.stringify(b).slice(1)}`),
      '__proto__',
    ],
    ['an array body', () => [1, 2], 'body'],
  ];
  for (const [what, mutate, field] of cases) {
    it(`rejects ${what}`, async () => {
      const res = await postRaw(JSON.stringify(mutate(valid())));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toContain(field);
      await assertNothingWritten();
    });
  }

  it('rejects an amount written in exponent form', async () => {
    const res = await postRaw(JSON.stringify(valid()).replace('"amountVnd":1000000', '"amountVnd":1e6'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('amountVnd');
    await assertNothingWritten();
  });

  it('rejects a body that is not JSON with 400 and one that is not declared JSON with 415', async () => {
    const broken = await postRaw('{"allocationId": ');
    const textPlain = await postRaw(JSON.stringify(valid()), { 'content-type': 'text/plain' });
    expect(broken.status).toBe(400);
    expect(textPlain.status).toBe(415);
    expect(textPlain.body.error.code).toBe('unsupported_media_type');
    await assertNothingWritten();
  });

  it('rejects a body over 64 KiB with 413', async () => {
    const res = await postRaw(JSON.stringify({ ...valid(), purpose: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    await assertNothingWritten();
  });

  it('requires an Idempotency-Key on submissions', async () => {
    const res = await rt.call('POST', '/requests', { token: financeToken, body: valid() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Idempotency-Key');
    await assertNothingWritten();
  });
});

describe('authentication and roles at the gateway', () => {
  const unauthorized = async (authorization?: string) => {
    const res = await rt.call('GET', '/allocations', authorization ? { headers: { authorization } } : {});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  };

  it('answers 401 without a token', () => unauthorized());
  it('answers 401 to a malformed token', () => unauthorized('Bearer not-a-jwt'));
  it('answers 401 to an expired token', async () => {
    const expired = await rt.keys.sign({ sub: 'old', groups: ['auditor'] }, -60);
    await unauthorized(`Bearer ${expired}`);
  });
  it('answers 401 to a token signed with another key', async () => {
    const { generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ 'cognito:groups': ['planner'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('mallory')
      .setIssuer('https://giai-ngan.local/issuer')
      .setAudience('giai-ngan-local')
      .setExpirationTime('1h')
      .sign(privateKey);
    await unauthorized(`Bearer ${forged}`);
  });
  it('answers 401 to an unsigned alg:none token', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', 'cognito:groups': ['planner'], exp: 9e9 })}.`;
    await unauthorized(`Bearer ${none}`);
  });

  it('answers 403 forbidden to an authenticated caller without the route group, and writes nothing', async () => {
    const res = await rt.call('POST', '/allocations', {
      token: await s.as('auditor-x', 'auditor'),
      body: {
        fiscalYear: 2024,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        commune: 'Dang',
        title: 't',
        amountVnd: 1,
      },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    const list = await rt.call('GET', '/allocations?commune=Dang', { token: financeToken });
    expect(list.body.items).toHaveLength(0);
  });

  it('answers 404 to an unknown route and 405 to a wrong method', async () => {
    expect((await rt.call('GET', '/nope')).status).toBe(404);
    expect((await rt.call('DELETE', '/allocations', { token: financeToken })).status).toBe(405);
  });
});
