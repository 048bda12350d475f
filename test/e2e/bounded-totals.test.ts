import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { demoIndicators } from '../../local/demo-targets.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { MAX_AMOUNT_VND } from '../../shared/platform/money.ts';
import { setAllocationByHand } from '../support/local-aws.ts';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
const FY = 2024;
// Past 2^53: the document client reads it back as a bigint, which no JSON answer can carry.
const HUGE = '9100000000000000001';

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
});
afterAll(async () => {
  await rt?.stop();
});

const adjust = async (id: string, deltaVnd: number, key = randomUUID()) =>
  rt.call('POST', `/allocations/${id}/adjustments`, {
    token: await s.as('planner-an', 'planner'),
    headers: { 'idempotency-key': key },
    body: { deltaVnd, reason: 'Bổ sung kế hoạch vốn' },
  });

/** Writes a total straight into the runtime's table, as older code or a hand edit could have left it. */
const writeTotalByHand = async (allocationId: string, field: string, value: string) => {
  const raw = localDynamoClient(rt.dynamoEndpoint);
  try {
    await setAllocationByHand(createDocumentClient(raw), `${rt.namespace}-ledger`, allocationId, {
      [field]: value,
    });
  } finally {
    raw.destroy();
  }
};

describe('running totals stay within 10^15 VND over HTTP', () => {
  it('takes eight adjustments up to exactly 10^15, refuses the ninth with 422 amount_out_of_range and writes nothing', async () => {
    const allocation = await s.createAllocation({ fiscalYear: FY, amountVnd: 200_000_000_000_000 });
    for (let i = 0; i < 8; i++) {
      const res = await adjust(allocation.id, 100_000_000_000_000);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const full = await s.getAllocation(allocation.id);
    const key = randomUUID();

    const ninth = await adjust(allocation.id, 1, key);

    expect(full.assignedVnd).toBe(MAX_AMOUNT_VND);
    expect(ninth.status).toBe(422);
    expect(ninth.body.error.code).toBe('amount_out_of_range');
    expect(ninth.body.error.message).toContain('1000000000000000');
    expect(ninth.body.error.details).toMatchObject({
      field: 'assignedVnd',
      limit: MAX_AMOUNT_VND,
      current: MAX_AMOUNT_VND,
      delta: 1,
      maxDelta: 0,
    });
    expect(await s.getAllocation(allocation.id)).toEqual(full);
    // Nothing written: the same key with a fitting body is a new adjustment, not a replay of the refusal.
    expect((await adjust(allocation.id, -1, key)).status).toBe(201);
  });

  it('keeps every list answering 200 when one allocation holds an out-of-range total, and names it', async () => {
    const good = await s.createAllocation({ fiscalYear: FY, commune: 'Dang', amountVnd: 500_000_000 });
    const bad = await s.createAllocation({ fiscalYear: FY, commune: 'Dang', amountVnd: 500_000_000 });
    await writeTotalByHand(bad.id, 'assignedVnd', HUGE);
    await writeTotalByHand(bad.id, 'availableVnd', HUGE);
    const auditor = await s.as('auditor-x', 'auditor');
    const planner = await s.as('planner-an', 'planner');
    const houses = new Map(demoIndicators()).get('houses');
    expect((await rt.call('PUT', `/targets/${FY}.houses`, { token: planner, body: houses })).status).toBe(
      201,
    );

    const list = await rt.call('GET', `/allocations?fiscalYear=${FY}`, { token: auditor });
    const progress = await rt.call('GET', `/reports/progress?fiscalYear=${FY}&groupBy=allocation`, {
      token: auditor,
    });
    const series = await rt.call('GET', `/reports/disbursement-series?fiscalYear=${FY}`, { token: auditor });
    const targets = await rt.call('GET', `/targets?fiscalYear=${FY}`, { token: auditor });
    const run = await rt.call('POST', '/monitor/runs', {
      token: planner,
      body: { asOf: '2024-09-30', fiscalYear: FY },
    });
    const verify = await rt.call('GET', `/ledger/verify?fiscalYear=${FY}`, { token: auditor });
    const one = await rt.call('GET', `/allocations/${bad.id}`, { token: auditor });
    const statement = await rt.call('GET', `/allocations/${bad.id}/statement`, { token: auditor });
    const undo = await adjust(bad.id, -1_000_000);

    const problem = {
      allocationId: bad.id,
      code: 'amount_out_of_range',
      totals: expect.arrayContaining([{ field: 'assignedVnd', value: HUGE }]),
    };
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(good.id);
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(bad.id);
    expect(list.body.problems).toEqual([expect.objectContaining(problem)]);
    expect(list.body.problems[0].message).toContain(HUGE);
    expect(progress.status).toBe(200);
    expect(progress.body.rows.map((r: { key: string }) => r.key)).toContain(good.id);
    expect(progress.body.rows.map((r: { key: string }) => r.key)).not.toContain(bad.id);
    expect(progress.body.problems).toEqual([expect.objectContaining(problem)]);
    expect(series.status).toBe(200);
    expect(series.body.problems).toEqual([expect.objectContaining(problem)]);
    expect(targets.status).toBe(200);
    expect(targets.body.items.map((i: { code: string }) => i.code)).toEqual(['houses']);
    expect(targets.body.problems).toEqual([expect.objectContaining(problem)]);
    expect(run.status).toBe(202);
    expect(run.body.problems).toEqual([expect.objectContaining(problem)]);
    expect(verify.status).toBe(200);
    expect(verify.body.valid).toBe(false);
    expect(verify.body.broken).toContainEqual(
      expect.objectContaining({ allocationId: bad.id, reason: expect.stringContaining(HUGE) }),
    );
    for (const res of [one, statement, undo]) {
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.code).toBe('amount_out_of_range');
      expect(res.body.error.message).toContain(HUGE);
    }
  });
});
