import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/local-jwt.ts';
import { readRuntimeInfo } from '../../local/runtime.ts';
import { ROLES } from '../../shared/domain/funding-line.ts';
import { ROUTES } from '../../shared/http/routes.ts';
import { steps } from '../e2e/support/api-steps.ts';
import { type ApiResponse, type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { type InvariantReport, scanTable } from './support/invariant-checker.ts';
import { rawRequest } from './support/raw-http.ts';
import { reliabilityRun } from './support/reliability-run.ts';

const raw = localDynamoClient(inject('dynamoEndpoint'));
let rt: Runtime;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('access-and-hostile-input');
let allocationId: string;
let requestId: string;
let otherCommuneAllocationId: string;
/** A measured plan indicator, so the targets routes' paths resolve. */
const indicatorId = '2024.poorHouseholds';

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  allocationId = (await s.createAllocation({ commune: 'A Tiêng', amountVnd: 900_000_000 })).id;
  otherCommuneAllocationId = (await s.createAllocation({ commune: 'A Nông', amountVnd: 900_000_000 })).id;
  const submitted = await s.submit(allocationId, 10_000_000, 'matrix-finance');
  expect(submitted.status).toBe(201);
  requestId = submitted.body.id;
  const indicator = await rt.call('PUT', `/targets/${indicatorId}`, {
    token: await s.as('matrix-planner-setup', 'planner'),
    body: {
      name: { vi: 'Giảm số hộ nghèo', en: 'Fewer poor households' },
      unit: { vi: 'hộ', en: 'households' },
      target: { min: 270, max: 330 },
      source: 'measurements',
    },
  });
  expect(indicator.status).toBe(201);
  run.figures.operations += 4;
});
afterAll(async () => {
  run.save();
  raw.destroy();
  await rt?.stop();
});

const call = async (method: string, path: string, opts: Parameters<Runtime['call']>[2] = {}) => {
  run.figures.operations += 1;
  return rt.call(method, path, opts);
};

const concretePath = (path: string) =>
  path
    .replace(/^\/allocations\/\{id\}/, `/allocations/${allocationId}`)
    .replace(/^\/requests\/\{id\}/, `/requests/${requestId}`)
    .replace(/^\/targets\/\{id\}/, `/targets/${indicatorId}`)
    .replace('{id}', randomUUID());

const expectErrorBody = (res: ApiResponse) => {
  expect(typeof res.body?.error?.code).toBe('string');
  expect(typeof res.body?.error?.message).toBe('string');
};

describe('the access matrix: every route × every role', () => {
  const rows = ROUTES.flatMap((route) =>
    ROLES.map((role) => ({
      route,
      role,
      allowed: route.roles === 'public' || (route.roles as readonly string[]).includes(role),
    })),
  );
  run.figures.notes.accessMatrixCells = rows.length;
  it.each(
    rows.map((r) => [
      `${r.route.method} ${r.route.path}`,
      r.role,
      r.allowed ? 'lets in' : 'refuses with 403',
      r,
    ]),
  )('%s %s: the gateway %s', async (_route, _role, _what, { route, role, allowed }) => {
    // An empty body: an allowed caller gets past the role check and then fails validation (or succeeds).
    const res = await call(route.method, concretePath(route.path), {
      token: await s.as(`matrix-${role}`, role),
      headers: { 'idempotency-key': randomUUID() },
      ...(route.method === 'POST' || route.method === 'PUT' ? { body: {} } : {}),
    });
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status).toBe(403);
      expectErrorBody(res);
    }
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r]))(
    '%s without a token answers 401 unless the route is public',
    async (_name, route) => {
      const res = await call(
        route.method,
        concretePath(route.path),
        route.method === 'POST' || route.method === 'PUT' ? { body: {} } : {},
      );
      if (route.roles === 'public') {
        // Public routes ask for no token: they answer (the confirmation link without its token: 400).
        expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
        if (route.path === '/health') expect(res.status).toBe(200);
      } else {
        expect(res.status).toBe(401);
        expectErrorBody(res);
      }
    },
  );
});

describe('commune-scoped users and another commune’s data', () => {
  const scoped = (role: string) => rt.token(`scoped-${role}`, [role], { commune: 'A Nông' });

  it('refuses a commune-scoped user reading another commune’s allocation and request', async () => {
    const token = await scoped('auditor');
    expect((await call('GET', `/allocations/${allocationId}`, { token })).status).toBe(403);
    expect((await call('GET', `/requests/${requestId}`, { token })).status).toBe(403);
    expect((await call('GET', '/allocations?commune=A%20Ti%C3%AAng', { token })).status).toBe(403);
    expect((await call('GET', `/allocations/${otherCommuneAllocationId}`, { token })).status).toBe(200);
  });

  it('lists only the own commune’s allocations to a commune-scoped user and all of them to a district-wide one', async () => {
    const mine = await call('GET', '/allocations', { token: await scoped('auditor') });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a: { commune: string }) => a.commune)).toEqual(['A Nông']);
    const all = await call('GET', '/allocations', { token: await s.as('district-auditor', 'auditor') });
    expect(all.body.items.map((a: { commune: string }) => a.commune).sort()).toEqual(['A Nông', 'A Tiêng']);
  });

  it('refuses a commune-scoped user writing into another commune and lets them write into their own', async () => {
    const before = await run.check(rt);
    const submit = (id: string) =>
      scoped('finance').then((token) =>
        call('POST', '/requests', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            allocationId: id,
            amountVnd: 1_000_000,
            payee: { name: 'Hộ A', kind: 'household' },
            purpose: 'Sinh kế',
          },
        }),
      );
    const foreign = await submit(allocationId);
    expect(foreign.status).toBe(403);
    expectErrorBody(foreign);
    const plan = await call('POST', '/allocations', {
      token: await scoped('planner'),
      body: {
        fiscalYear: 2024,
        fundingLine: 'local',
        capitalType: 'investment',
        component: 'DA1',
        commune: 'A Tiêng',
        title: 'Không phải xã của tôi',
        amountVnd: 1_000_000,
      },
    });
    expect(plan.status).toBe(403);
    const decision = await call('POST', `/requests/${requestId}/decisions`, {
      token: await scoped('approver-district'),
      headers: { 'idempotency-key': randomUUID() },
      body: { decision: 'approve' },
    });
    expect(decision.status).toBe(403);
    const after = await run.check(rt);
    expect(after.counts).toEqual(before.counts);
    expect((await submit(otherCommuneAllocationId)).status).toBe(201);
  });
});

describe('commune-scoped users and the monitor run and audit log', () => {
  const scoped = (role: string) => rt.token(`scoped-${role}`, [role], { commune: 'A Nông' });

  it("answers a commune-scoped planner's monitor run with their commune's rows and alerts only", async () => {
    const res = await call('POST', '/monitor/runs', {
      token: await scoped('planner'),
      body: { asOf: '2024-09-30', fiscalYear: 2024 },
    });
    expect(res.status).toBe(202);
    expect(res.body.rows.length).toBeGreaterThan(0);
    const communes = [...res.body.rows, ...res.body.alerts].map(
      (x: { scope: { commune?: string } }) => x.scope.commune,
    );
    expect(new Set(communes)).toEqual(new Set(['A Nông']));
  });

  it('shows a commune-scoped auditor only the audit-log entries about their commune', async () => {
    await call('GET', '/allocations', { token: await s.as('district-auditor', 'auditor') });
    await call('GET', '/allocations', { token: await scoped('auditor') });
    const log = await call('GET', '/audit-log?limit=500', { token: await scoped('auditor') });
    expect(log.status).toBe(200);
    expect(log.body.items.length).toBeGreaterThan(0);
    expect(log.body.items.every((e: { commune?: string }) => e.commune === 'A Nông')).toBe(true);
  });
});

describe('tokens that must not get in', () => {
  const route = '/allocations';
  const localKey = async () => {
    const jwk = JSON.parse(readFileSync(join(rt.dataDir, 'keys', 'jwt-signing-key.json'), 'utf8')) as JWK;
    return { key: await importJWK(jwk, 'RS256'), kid: jwk.kid ?? 'local' };
  };
  const signed = async (claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT = (j) => j) => {
    const { key, kid } = await localKey();
    const now = Math.floor(Date.now() / 1000);
    return edit(
      new SignJWT({ token_use: 'id', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setSubject('token-tester')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setNotBefore(now - 5)
        .setExpirationTime(now + 600),
    ).sign(key);
  };

  it('answers 401 to an expired token', async () => {
    const token = await signed({ 'cognito:groups': ['auditor'] }, (j) =>
      j.setExpirationTime(Math.floor(Date.now() / 1000) - 120),
    );
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to a token not valid yet', async () => {
    const token = await signed({ 'cognito:groups': ['auditor'] }, (j) =>
      j.setNotBefore(Math.floor(Date.now() / 1000) + 3600),
    );
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to a token signed with another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const { kid } = await localKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ 'cognito:groups': ['planner'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('forger')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to an alg:none token carrying valid-looking claims', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      sub: 'nobody',
      'cognito:groups': ['planner'],
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      exp: now + 600,
      token_use: 'id',
    })}.`;
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('reads groups given as an array and as the bracketed string form alike', async () => {
    for (const groups of [['finance', 'auditor'], '[finance auditor]']) {
      const token = await signed({ 'cognito:groups': groups });
      expect((await call('GET', '/audit-log', { token })).status).toBe(200);
      expect((await call('POST', '/allocations', { token, body: {} })).status).toBe(403);
    }
  });
});

describe('hostile input never reaches a 5xx and never writes', () => {
  let before: InvariantReport;
  let keysBefore: string[];
  /** Every item but the audit trail: an auditor's read that succeeds is recorded there by design. */
  const tableKeys = async () =>
    (await scanTable(raw, readRuntimeInfo(rt.dataDir).tableName))
      .filter((i) => i.pk !== 'AUDITLOG')
      .map((i) => `${i.pk} ${i.sk} ${JSON.stringify(i).slice(0, 300)}`);
  beforeAll(async () => {
    before = await run.check(rt);
    keysBefore = await tableKeys();
  });

  const hostileString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      'e\u0301\u0301\u0301',
      '\u202Eمرحبا\u202C',
      '👨‍👩‍👧‍👦💸',
      'a\u0000b',
      '1e3',
      '0x10',
      '-0',
      ' 42 ',
      'NaN',
    ),
  );
  const hostileNumber = fc.oneof(
    fc.integer({ max: 0 }),
    fc.double({ noNaN: false }).filter((n) => !Number.isSafeInteger(n) || n <= 0),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1e300, -1, 0, 0.5, 10 ** 16),
  );
  const hostileValue = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    hostileString,
    hostileNumber.map(String),
    fc.constant({ __proto__: { admin: true } }),
  );
  /** A well-formed submission with exactly one field made hostile, so it can never be valid. */
  const hostileSubmission = fc
    .tuple(
      fc.constantFrom('allocationId', 'amountVnd', 'payee', 'purpose', 'outputs', '__proto__', 'constructor'),
      hostileValue,
      hostileNumber,
    )
    .map(([field, value, amount]) => {
      const body: Record<string, unknown> = {
        allocationId,
        amountVnd: amount,
        payee: { name: 'Hộ ông A', kind: 'household' },
        purpose: 'Hỗ trợ',
      };
      return JSON.stringify(body).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      );
    });
  /** A well-formed measurement with exactly one field made hostile. */
  const hostileMeasurement = fc
    .tuple(fc.constantFrom('value', 'date', 'source', 'indicatorId', '__proto__'), hostileValue)
    // Never a value the route must accept: any number is a valid value, any non-blank string a source.
    .filter(([field, value]) =>
      field === 'value'
        ? typeof value !== 'number'
        : field !== 'source' || typeof value !== 'string' || value.trim() === '',
    )
    .map(([field, value]) =>
      JSON.stringify({ value: 287, date: '2024-12-31', source: 'Rà soát' }).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      ),
    );
  const rawBody = fc.oneof(
    fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v) ?? 'null'),
    hostileString,
    fc.integer({ min: 200, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.integer({ min: 200, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    fc.constantFrom(
      '{"__proto__":{"roles":["planner"]},"constructor":{"prototype":{"x":1}}}',
      `{"purpose":"${'x'.repeat(1024 * 1024)}"}`,
      '{"amountVnd":"100000"}',
      '{"amountVnd":1e400}',
    ),
  );

  const targets = [
    { method: 'POST', path: () => '/requests', role: 'finance', body: fc.oneof(hostileSubmission, rawBody) },
    { method: 'POST', path: () => '/allocations', role: 'planner', body: rawBody },
    {
      method: 'POST',
      path: () => `/allocations/${allocationId}/adjustments`,
      role: 'planner',
      body: rawBody,
    },
    {
      method: 'POST',
      path: () => `/requests/${requestId}/decisions`,
      role: 'approver-district',
      body: rawBody,
    },
    { method: 'POST', path: () => '/subscriptions', role: 'inspector', body: rawBody },
    {
      method: 'POST',
      path: () => `/targets/${indicatorId}/measurements`,
      role: 'planner',
      body: fc.oneof(hostileMeasurement, rawBody),
    },
    { method: 'PUT', path: () => `/targets/${indicatorId}`, role: 'planner', body: rawBody },
  ] as const;

  it.each(targets.map((t) => [`${t.method} ${t.path()}`.replace(/[0-9a-f-]{36}/, '{id}'), t]))(
    'answers %s with a 4xx error body to every hostile body',
    async (_name, target) => {
      const token = await s.as(`fuzz-${target.role}`, target.role);
      await fc.assert(
        fc.asyncProperty(target.body, async (body) => {
          const res = await call(target.method, target.path(), {
            token,
            body,
            headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
          });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expectErrorBody(res);
        }),
        { numRuns: 40, seed: 7 },
      );
      run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 40;
    },
  );

  it('answers a 1 MiB body with 413 and a body nested 100,000 deep with a 4xx, both with the error body', async () => {
    const token = await s.as('fuzz-finance', 'finance');
    for (const body of [
      `{"purpose":"${'ư'.repeat(512 * 1024)}"}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    ]) {
      const res = await call('POST', '/requests', {
        token,
        body,
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectErrorBody(res);
    }
  });

  it('answers hostile query strings on the read routes with 200 or a 4xx error body', async () => {
    const token = await s.as('fuzz-auditor', 'auditor');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/ledger/entries',
          '/allocations',
          '/requests',
          '/reports/progress',
          '/alerts',
          '/targets',
        ),
        fc.dictionary(
          fc.constantFrom(
            'fiscalYear',
            'fundingLine',
            'commune',
            'limit',
            'cursor',
            'from',
            'to',
            '__proto__',
          ),
          hostileString,
        ),
        async (path, query) => {
          const res = await call('GET', `${path}?${new URLSearchParams(query)}`, { token });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expectErrorBody(res);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
  });

  it('answers hostile confirmation tokens on the public confirm route with a 4xx error body, confirming nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString,
          fc.string({ maxLength: 3000 }),
          // Shaped like a real token: a base64url payload and a signature, neither of them ours.
          fc
            .tuple(fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ minLength: 0, maxLength: 40 }))
            .map(
              ([payload, sig]) =>
                `${Buffer.from(JSON.stringify({ p: payload, q: 'subscription-confirmation' }) ?? '').toString('base64url')}.${Buffer.from(sig).toString('base64url')}`,
            ),
        ),
        async (token) => {
          const res = await call('GET', `/subscriptions/confirm?${new URLSearchParams({ token })}`);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expectErrorBody(res);
        },
      ),
      { numRuns: 60, seed: 13 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
  });

  it('answers header injection sent over a raw socket with a 4xx, writes nothing and echoes nothing into headers', async () => {
    const finance = await s.as('fuzz-finance', 'finance');
    const planner = await s.as('fuzz-planner', 'planner');
    const bearer = `Bearer ${finance}`;
    const json = 'application/json';
    const key = () => randomUUID();
    // A body the API would accept: only the hostile header may stop it.
    const body = JSON.stringify({
      allocationId,
      amountVnd: 1_000_000,
      payee: { name: 'Hộ bà Y', kind: 'household' },
      purpose: 'Hỗ trợ sinh kế',
    });
    type Case = { name: string; headers: [string, string][]; method?: string; path?: string; body?: string };
    const write = (name: string, headers: [string, string][], extra: Partial<Case> = {}): Case => ({
      name,
      headers,
      body,
      ...extra,
    });
    const cases: Case[] = [
      write('NUL in Idempotency-Key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', `${key()}\0`],
      ]),
      write('bare LF in Idempotency-Key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', 'abc\nX-Injected: 1'],
      ]),
      write('bare CR in Idempotency-Key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', 'abc\rX-Injected: 1'],
      ]),
      write('CRLF in Idempotency-Key adding a second key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', `abc\r\nIdempotency-Key: ${key()}`],
      ]),
      write('Idempotency-Key given twice', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Idempotency-Key', key()],
      ]),
      write('Idempotency-Key of 20 KB', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', 'k'.repeat(20_000)],
      ]),
      write('headers of 100 KB', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['X-Injected-Padding', 'p'.repeat(100_000)],
      ]),
      write('NUL in Content-Type', [
        ['Authorization', bearer],
        ['Content-Type', `${json}\0`],
        ['Idempotency-Key', key()],
      ]),
      write('CRLF in Content-Type adding a second one', [
        ['Authorization', bearer],
        ['Content-Type', `text/plain\r\nContent-Type: ${json}`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type twice, text first', [
        ['Authorization', bearer],
        ['Content-Type', 'text/plain'],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type charset utf-16', [
        ['Authorization', bearer],
        ['Content-Type', `${json}; charset=utf-16`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type charset quoted latin-1', [
        ['Authorization', bearer],
        ['Content-Type', `${json}; charset="ISO-8859-1"`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type with a CRLF-split parameter', [
        ['Authorization', bearer],
        ['Content-Type', `${json};\r\n charset=utf-16`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type application/json-seq', [
        ['Authorization', bearer],
        ['Content-Type', 'application/json-seq'],
        ['Idempotency-Key', key()],
      ]),
      write('NUL in Authorization', [
        ['Authorization', `${bearer}\0`],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('CRLF in Authorization adding a valid one', [
        ['Authorization', `Bearer x\r\nAuthorization: ${bearer}`],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('Authorization twice, the bad one first', [
        ['Authorization', 'Bearer x.y.z'],
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('Authorization with LF inside the token', [
        ['Authorization', `Bearer ${finance.slice(0, 20)}\n${finance.slice(20)}`],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write(
        'Transfer-Encoding and Content-Length together',
        [
          ['Authorization', bearer],
          ['Content-Type', json],
          ['Idempotency-Key', key()],
          ['Transfer-Encoding', 'chunked'],
          ['Content-Length', String(Buffer.byteLength(body))],
        ],
        { body: `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n` },
      ),
      write(
        'Transfer-Encoding chunked with a bad chunk size',
        [
          ['Authorization', bearer],
          ['Content-Type', json],
          ['Idempotency-Key', key()],
          ['Transfer-Encoding', 'chunked'],
        ],
        { body: `zz\r\n${body}\r\n0\r\n\r\n` },
      ),
      write('Transfer-Encoding not ending in chunked', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Transfer-Encoding', 'chunked, identity'],
      ]),
      write('Transfer-Encoding xchunked', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Transfer-Encoding', 'xchunked'],
      ]),
      write('Content-Length twice, different', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Content-Length', String(Buffer.byteLength(body))],
        ['Content-Length', '5'],
      ]),
      write('Content-Length negative', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Content-Length', '-1'],
      ]),
      {
        name: 'CRLF in a CSV export query and in Accept',
        method: 'GET',
        path: '/ledger/entries?fiscalYear=2024%0D%0AX-Injected:%201&format=csv',
        headers: [
          ['Authorization', `Bearer ${planner}`],
          ['Accept', 'text/csv\r\nX-Injected: 1'],
        ],
      },
      {
        name: 'NUL in Accept on a read',
        method: 'GET',
        path: `/requests/${requestId}`,
        headers: [
          ['Authorization', `Bearer ${planner}`],
          ['Accept', 'application/json\0'],
        ],
      },
    ];
    const statuses: Record<string, number> = {};
    for (const c of cases) {
      const res = await rawRequest(rt.url, {
        method: c.method ?? 'POST',
        path: c.path ?? '/requests',
        headers: c.headers,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      run.figures.operations += 1;
      statuses[c.name] = res.status;
      expect(res.status, c.name).toBeGreaterThanOrEqual(400);
      expect(res.status, c.name).toBeLessThan(500);
      // The gateway's own answers carry the error body; Node's parser answers a bare 400/431 and closes.
      if (res.headers.some(([n, v]) => n === 'content-type' && v.includes('json'))) {
        expect(JSON.parse(res.body).error, c.name).toMatchObject({
          code: expect.any(String),
          message: expect.any(String),
        });
      }
      expect(res.head.toLowerCase(), `${c.name}: nothing echoed into headers`).not.toContain('injected');
      for (const [name, value] of res.headers) expect(`${name}: ${value}`, c.name).not.toMatch(/[\0\r\n]/);
    }
    run.figures.notes.headerInjectionCases = cases.length;
    run.figures.notes.headerInjectionStatuses = [...new Set(Object.values(statuses))].sort().join(',');
  });

  it('left the table exactly as it was: same items, same totals, no violation', async () => {
    const after = await run.check(rt);
    expect(after.violations).toEqual([]);
    const keysNow = await tableKeys();
    expect(keysNow.filter((k) => !keysBefore.includes(k))).toEqual([]);
    expect(keysNow).toHaveLength(keysBefore.length);
    const { items: _a, ...ledgerAfter } = after.counts;
    const { items: _b, ...ledgerBefore } = before.counts;
    expect(ledgerAfter).toEqual(ledgerBefore);
  });
});
