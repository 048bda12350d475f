import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIndicators } from '../../local/demo-targets.ts';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let planner: string;

// The planner defines two of the demo plan's indicators, as the seed defines them.
const seeded = new Map(demoIndicators());
const houses = seeded.get('houses');
const poorHouseholds = seeded.get('poorHouseholds');
const review = { value: 287, date: '2024-12-31', source: 'Kết quả rà soát hộ nghèo năm 2024' };

const targets = async (token?: string) =>
  rt.call('GET', '/targets?fiscalYear=2024', { token: token ?? (await s.as('inspector-ha', 'inspector')) });
const item = async (code: string) =>
  (await targets()).body.items.find((i: { code: string }) => i.code === code);
const measure = (id: string, body: unknown, key: string = randomUUID(), token = planner) =>
  rt.call('POST', `/targets/${id}/measurements`, { token, headers: { 'idempotency-key': key }, body });

beforeAll(async () => {
  // The last day of 2024: the year's poverty review is dated today, and its recurrent capital is still payable.
  rt = await startRuntime({ clock: '2024-12-31T09:00:00+07:00' });
  s = steps(rt);
  planner = await s.as('planner-an', 'planner');
  for (const [id, body] of [
    ['2024.houses', houses],
    ['2024.poorHouseholds', poorHouseholds],
  ] as const) {
    const res = await rt.call('PUT', `/targets/${id}`, { token: planner, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(async () => {
  await rt?.stop();
});

describe('plan targets over HTTP against the local runtime', () => {
  it('lists the year’s indicators in plan order to any role, with no data before anything is known', async () => {
    const res = await targets(await s.as('auditor-x', 'auditor'));

    expect(res.status).toBe(200);
    expect(res.body.fiscalYear).toBe(2024);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(['2024.poorHouseholds', '2024.houses']);
    expect(res.body.items[0]).toMatchObject({ actual: null, progress: null, status: 'no_data' });
    expect(res.body.items[1]).toMatchObject({
      target: { min: 451, max: 451 },
      actual: 0,
      status: 'in_progress',
    });
    expect((await rt.call('GET', '/targets?fiscalYear=2031', { token: planner })).body).toEqual({
      fiscalYear: 2031,
      items: [],
    });
  });

  it('records a planner’s measurement once per Idempotency-Key and shows it as the actual', async () => {
    const key = randomUUID();
    const first = await measure('2024.poorHouseholds', review, key);
    const retry = await measure('2024.poorHouseholds', review, key);
    const reused = await measure('2024.poorHouseholds', { ...review, value: 300 }, key);

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: '2024.poorHouseholds',
      actual: 287,
      progress: 1.063,
      status: 'met',
      lastMeasurement: { value: 287, date: '2024-12-31', source: review.source, recordedBy: 'planner-an' },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect((await item('poorHouseholds')).actual).toBe(287);
  });

  it('counts the outputs finance declares once the request is approved and posted', async () => {
    const before = (await item('houses')).actual;
    const allocation = await s.createAllocation({
      fundingLine: 'central',
      capitalType: 'recurrent',
      component: 'DA5',
      commune: 'Dang',
      amountVnd: 400_000_000,
    });
    const submitted = await s.submit(allocation.id, 120_000_000, 'finance-lan', randomUUID(), {
      payee: { name: 'UBND xã Dang', kind: 'agency' },
      purpose: 'Hỗ trợ xây mới nhà ở (3 hộ)',
      outputs: { houses: 3 },
    });
    expect(submitted.status).toBe(201);
    expect((await item('houses')).actual).toBe(before);

    expect((await s.approveAll(submitted.body.id)).status).toBe('disbursed');

    expect(await item('houses')).toMatchObject({
      actual: before + 3,
      progress: 0.0067,
      status: 'in_progress',
    });
  });

  it('replaces a definition with PUT and answers 200', async () => {
    const res = await rt.call('PUT', '/targets/2024.houses', {
      token: planner,
      body: { ...houses, target: { min: 450, max: 460 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: '2024.houses', target: { min: 450, max: 460 } });
    await rt.call('PUT', '/targets/2024.houses', { token: planner, body: houses });
  });
});

describe('who may change targets, and bad input', () => {
  it('refuses the writes to every role but planner, and to a commune-scoped planner, who may still read', async () => {
    const scoped = await rt.token('planner-dang', ['planner'], { commune: 'Dang' });
    for (const token of [
      await s.as('finance-lan', 'finance'),
      await s.as('inspector-ha', 'inspector'),
      scoped,
    ]) {
      const measured = await measure('2024.poorHouseholds', { ...review, value: 1 }, randomUUID(), token);
      const defined = await rt.call('PUT', '/targets/2024.houses', { token, body: houses });
      expect(measured.status).toBe(403);
      expect(defined.status).toBe(403);
      expect(measured.body.error.code).toBe('forbidden');
    }
    expect((await targets(scoped)).status).toBe(200);
    expect((await item('poorHouseholds')).actual).toBe(287);
  });

  it('answers bad input with a 4xx that says what to fix, and writes nothing', async () => {
    const before = await targets();
    const cases: [number, string, Promise<Awaited<ReturnType<Runtime['call']>>>][] = [
      [409, 'not_measured', measure('2024.houses', review)],
      [404, 'not_found', measure('2024.nothing', review)],
      [400, 'invalid_request', measure('2024.poorHouseholds', { ...review, date: '2024-02-30' })],
      [400, 'invalid_request', measure('2024.poorHouseholds', { ...review, date: '2023-12-31' })],
      [400, 'invalid_request', measure('2024.poorHouseholds', { ...review, date: '2099-01-01' })],
      [400, 'invalid_request', measure('2024.poorHouseholds', { ...review, value: '287' })],
      [400, 'invalid_request', measure('2024.poorHouseholds', { ...review, source: ' ' })],
      [400, 'invalid_request', measure('2024.poorHouseholds', { ...review, extra: 1 })],
      [400, 'invalid_request', measure('houses', review)],
      [
        400,
        'invalid_request',
        rt.call('POST', '/targets/2024.poorHouseholds/measurements', { token: planner, body: review }),
      ],
      [
        400,
        'invalid_request',
        rt.call('PUT', '/targets/2024.houses', {
          token: planner,
          body: { ...houses, target: { min: 9, max: 1 } },
        }),
      ],
      [
        400,
        'invalid_request',
        rt.call('PUT', '/targets/2024.houses', {
          token: planner,
          body: { ...houses, outputKeys: undefined },
        }),
      ],
      [
        400,
        'invalid_request',
        rt.call('PUT', '/targets/2024.poor', {
          token: planner,
          body: { ...poorHouseholds, outputKeys: ['x'] },
        }),
      ],
      [400, 'invalid_request', rt.call('GET', '/targets?fiscalYear=twenty', { token: planner })],
      [400, 'invalid_request', rt.call('GET', '/targets?fiscalYear=1999', { token: planner })],
    ];
    for (const [status, code, pending] of cases) {
      const res = await pending;
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    const dateError = (await measure('2024.poorHouseholds', { ...review, date: '2023-12-31' })).body.error;
    expect(dateError.message).toContain('body.date');

    const after = await targets();
    expect(after.body).toEqual(before.body);
    expect((await rt.call('GET', '/targets?fiscalYear=2024', { token: planner })).body.items).toHaveLength(2);
  });
});
