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
  await s.declareOutputs(['houses', 'workers']);
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
    [
      'a tab in the payee’s name',
      (b) => ({ ...b, payee: { name: 'Hộ\tbà Hoa', kind: 'household' } }),
      'payee.name',
    ],
    [
      'a line break in the payee’s name',
      (b) => ({ ...b, payee: { name: 'Hộ A\nHộ B', kind: 'household' } }),
      'payee.name',
    ],
    ['a bidi override in the purpose', (b) => ({ ...b, purpose: 'Hỗ trợ \u202E000.000.01' }), 'purpose'],
    ['a bidi isolate in the purpose', (b) => ({ ...b, purpose: 'Hỗ trợ \u2067x\u2069' }), 'purpose'],
    [
      'a zero-width-only payee name',
      (b) => ({ ...b, payee: { name: '\u200B\u200D', kind: 'household' } }),
      'payee.name',
    ],
    ['a lone surrogate in the purpose', (b) => ({ ...b, purpose: 'Hỗ trợ \uD800' }), 'purpose'],
    ['an undeclared output key', (b) => ({ ...b, outputs: { house: 1 } }), 'house'],
    ['the output key constructor', (b) => ({ ...b, outputs: { constructor: 1 } }), 'constructor'],
    ['the output key toString', (b) => ({ ...b, outputs: { houses: 1, toString: 2 } }), 'toString'],
    [
      'the output key __proto__',
      (b) => JSON.parse(`{"outputs":{"__proto__":3},${JSON.stringify(b).slice(1)}`),
      '__proto__',
    ],
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

  it('names the allowed output keys when one is not declared', async () => {
    const res = await postRaw(JSON.stringify({ ...valid(), outputs: { constructor: 1 } }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'body.outputs: "constructor" is not an output key of the plan; use one of: houses, workers (the output keys of the 2024 indicators, GET /targets?fiscalYear=2024).',
    );
    expect(res.body.error.details).toMatchObject({ key: 'constructor', allowed: ['houses', 'workers'] });
    await assertNothingWritten();
  });

  it('rejects a key written twice instead of keeping the last (amountVnd 1, then 999)', async () => {
    const body = JSON.stringify(valid()).replace('"amountVnd":1000000', '"amountVnd":1,"amountVnd":999');
    const res = await postRaw(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_request',
      details: { field: 'body', key: 'amountVnd' },
    });
    await assertNothingWritten();
  });

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

describe('text is stored in one form (NFC)', () => {
  it('stores a household sent in NFC and in NFD as one payee name', async () => {
    const own = (await s.createAllocation({ amountVnd: 100_000_000 })).id;
    const nfc = 'Hộ bà Nguyễn Thị Ơn';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);

    const ids: string[] = [];
    for (const name of [nfc, nfd]) {
      const res = await postRaw(
        JSON.stringify({ ...valid(), allocationId: own, payee: { name, kind: 'household' } }),
      );
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }

    const stored = await Promise.all(ids.map((id) => s.getRequest(id)));
    expect(stored.map((r) => r.payee.name)).toEqual([nfc, nfc]);
    const listed = await rt.call('GET', `/requests?allocationId=${own}`, { token: financeToken });
    expect(new Set(listed.body.items.map((r: { payee: { name: string } }) => r.payee.name))).toEqual(
      new Set([nfc]),
    );
  });

  it('reads a commune written in NFD as the commune, in a body and in a query', async () => {
    const nfd = "Ch'ơm".normalize('NFD');
    const created = await s.createAllocation({ commune: nfd, amountVnd: 1_000_000 });
    const listed = await rt.call('GET', `/allocations?commune=${encodeURIComponent(nfd)}`, {
      token: financeToken,
    });

    expect((await s.getAllocation(created.id)).commune).toBe("Ch'ơm");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(created.id);
  });

  it('refuses a bidi control in a query value, naming the parameter', async () => {
    const res = await rt.call('GET', `/requests?allocationId=${encodeURIComponent('abc\u202Edef')}`, {
      token: financeToken,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^query\.allocationId: must not contain bidirectional/);
  });
});

describe('Idempotency-Key', () => {
  it.each([
    ['a #', 'order#1'],
    ['a space', 'order 1'],
    ['a slash', 'a/b'],
    ['non-ASCII letters', 'khóa-1'],
    ['129 characters', 'k'.repeat(129)],
  ])('is refused with %s, saying which characters it may hold', async (_, key) => {
    const res = await postRaw(JSON.stringify(valid()), { 'idempotency-key': key });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'header Idempotency-Key: must be 1 to 128 characters, each a letter (A-Z, a-z), a digit or one of - _ . : (e.g. a UUID)',
    );
    await assertNothingWritten();
  });

  it('keeps two callers apart whose sub and key joined with # read the same', async () => {
    const own = (await s.createAllocation({ amountVnd: 100_000_000 })).id;
    const body = { ...valid(), allocationId: own };
    const call = async (sub: string, key: string) =>
      rt.call('POST', '/requests', {
        token: await s.as(sub, 'finance'),
        headers: { 'idempotency-key': key },
        body,
      });

    const first = await call('fin#1', 'k');
    const second = await call('fin', '1#k');
    const third = await call('fin', 'k');

    expect(first.status).toBe(201);
    expect(second.status).toBe(400);
    expect(third.status).toBe(201);
    expect(third.headers.get('idempotent-replay')).toBeNull();
    expect(third.body.id).not.toBe(first.body.id);
  });

  it('accepts a one-character key and a 128-character one of the allowed characters', async () => {
    const own = (await s.createAllocation({ amountVnd: 100_000_000 })).id;
    for (const key of ['k', `${'aZ9-_.:'.repeat(18)}ab`]) {
      expect(key.length === 1 || key.length === 128).toBe(true);
      const res = await postRaw(JSON.stringify({ ...valid(), allocationId: own }), {
        'idempotency-key': key,
      });
      expect(res.status).toBe(201);
    }
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
