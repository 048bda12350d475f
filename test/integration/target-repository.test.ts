import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { listAllocations } from '../../shared/ledger/app/allocations.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { IdempotencyRecordExists } from '../../shared/ledger/app/ports.ts';
import { buildDisbursementEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { allocationView } from '../../shared/ledger/http/views.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { allocationKeys } from '../../shared/platform/table/keys.ts';
import { DynamoTargetRepository } from '../../shared/targets/adapters/target-repository.ts';
import { defineIndicator, listTargets, recordMeasurement } from '../../shared/targets/app/targets.ts';
import type { Indicator, Measurement } from '../../shared/targets/domain/plan-target.ts';
import {
  approvalEvents,
  envInOctoberOf,
  givenAllocation,
  givenPosting,
  givenSubmission,
  planner,
  testEnv,
} from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

let store: LedgerStore;
let targets: DynamoTargetRepository;
let db: Awaited<ReturnType<typeof freshTable>>['db'];
let tableName: string;
/** In October of the test's own year (each keeps to one), so its payments fall in the plan's period. */
const deps = (year: number) => ({ store, ...envInOctoberOf(year) });
const applyDeps = (year: number) => ({
  store,
  policies: approvalPolicies,
  ...envInOctoberOf(year),
  sleep: async () => {},
});

/** The upgrade default, whose allocations givenAllocation creates (and where items without a jurisdiction are kept). */
const TG = 'tay-giang';

/** Each test works in its own fiscal year, so the year's figures are its own. */
let nextYear = 2010;
const aYear = () => nextYear++;

const anIndicator = (fiscalYear: number, code: string, overrides: Partial<Indicator> = {}): Indicator => ({
  id: `${fiscalYear}.${code}`,
  fiscalYear,
  code,
  name: { vi: 'Chỉ tiêu', en: 'Indicator' },
  unit: { vi: 'hộ', en: 'households' },
  target: { min: 270, max: 330 },
  source: 'measurements',
  updatedAt: new Date().toISOString(),
  updatedBy: 'planner-1',
  ...overrides,
});

const aMeasurement = (indicatorId: string, value: number, date: string): Measurement => ({
  id: randomUUID(),
  indicatorId,
  value,
  date,
  source: 'Rà soát',
  recordedBy: 'planner-1',
  recordedAt: new Date().toISOString(),
});

const idem = (scope = randomUUID()) => ({
  jurisdiction: TG,
  scope,
  fingerprint: 'f',
  result: {},
  createdAt: new Date().toISOString(),
});

beforeAll(async () => {
  const table = await freshTable('targets');
  ({ store, db, tableName } = table);
  targets = new DynamoTargetRepository(db, tableName);
});

describe('outputs counted by the posting transaction', () => {
  it('counts the outputs of a disbursed request on its allocation, per key, in the allocation’s year', async () => {
    const year = aYear();
    const housing = await givenAllocation(store, {
      fiscalYear: year,
      capitalType: 'recurrent',
      component: 'DA5',
    });
    const jobs = await givenAllocation(store, {
      fiscalYear: year,
      capitalType: 'recurrent',
      component: 'DA4',
    });

    await givenPosting(deps(year), housing.id, 120_000_000, { houses: 3 });
    await givenPosting(deps(year), housing.id, 80_000_000, { houses: 2 });
    await givenPosting(deps(year), jobs.id, 50_000_000, { workers: 12, workersAbroad: 4 });
    await givenPosting(deps(year), jobs.id, 10_000_000);

    const figures = await targets.allocationFigures(TG, year);
    expect(
      figures.map((f) => f.outputs).sort((a, b) => Object.keys(a ?? {}).length - Object.keys(b ?? {}).length),
    ).toEqual([{ houses: 5 }, { workers: 12, workersAbroad: 4 }]);
    expect(await targets.allocationFigures(TG, year + 100)).toEqual([]);
  });

  it('counts nothing for a request still pending or rejected', async () => {
    const year = aYear();
    const allocation = await givenAllocation(store, { fiscalYear: year });
    await givenSubmission(deps(year), allocation.id, 40_000_000, { houses: 1 });
    const rejected = await givenSubmission(deps(year), allocation.id, 40_000_000, { houses: 1 });
    const [first] = approvalEvents(envInOctoberOf(year), rejected);
    if (!first) throw new Error('no level');
    await applyApprovalEvent(applyDeps(year), { ...first, decision: 'reject' });

    const [figures] = await targets.allocationFigures(TG, year);
    expect(figures?.outputs).toEqual({});
  });

  it('counts once whatever the redelivery: the last approval applied again, and the posting itself retried', async () => {
    const year = aYear();
    const allocation = await givenAllocation(store, { fiscalYear: year });
    const request = await givenSubmission(deps(year), allocation.id, 40_000_000, { houses: 1, worksRoad: 2 });
    const events = approvalEvents(envInOctoberOf(year), request);
    for (const event of events) await applyApprovalEvent(applyDeps(year), event);
    const last = events.at(-1);
    if (!last) throw new Error('no level');

    const again = await applyApprovalEvent(applyDeps(year), last);
    // A posting replayed straight at the store, as a crashed consumer's retry would send it.
    const posted = await store.getRequest(TG, request.id);
    const before = await store.getAllocation(TG, allocation.id);
    if (!posted || !before) throw new Error('missing');
    const replay = await store.postDisbursement(
      posted,
      posted.version - 1,
      buildDisbursementEntry({ ...before, headSeq: before.headSeq - 1 }, posted, new Date().toISOString()),
    );

    expect(again.outcome).toBe('ignored');
    expect(replay).toBe(false);
    const [figures] = await targets.allocationFigures(TG, year);
    expect(figures?.outputs).toEqual({ houses: 1, worksRoad: 2 });
  });

  it('keeps the counters out of the allocation the API shows', async () => {
    const year = aYear();
    const allocation = await givenAllocation(store, { fiscalYear: year });
    await givenPosting(deps(year), allocation.id, 40_000_000, { houses: 1 });
    const raw = await db.send(
      new GetCommand({ TableName: tableName, Key: allocationKeys.key(TG, allocation.id) }),
    );
    expect(raw.Item?.['output#houses']).toBe(1);
    const listed = await listAllocations(store, planner, { fiscalYear: year });
    expect(listed.items.map(allocationView)[0]).not.toHaveProperty('output#houses');
  });
});

describe('indicators and measurements on DynamoDB Local', () => {
  it('creates, replaces and lists the indicators of one year only', async () => {
    const year = aYear();
    expect(await targets.putIndicator(anIndicator(year, 'poorHouseholds'))).toBe(true);
    expect(await targets.putIndicator(anIndicator(year, 'poorHouseholds', { target: { min: 280 } }))).toBe(
      false,
    );
    await targets.putIndicator(anIndicator(year + 1, 'poorHouseholds'));

    const listed = await targets.listIndicators(TG, year);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: `${year}.poorHouseholds`, target: { min: 280 } });
    expect(await targets.getIndicator(TG, `${year}.nothing`)).toBeUndefined();
  });

  it('finds the latest measurement by the day it describes, not by when it was recorded', async () => {
    const year = aYear();
    const id = `${year}.poorHouseholds`;
    await targets.putIndicator(anIndicator(year, 'poorHouseholds'));
    await targets.recordMeasurement(aMeasurement(id, 287, `${year}-12-31`), idem());
    await targets.recordMeasurement(aMeasurement(id, 120, `${year}-06-30`), idem());

    expect((await targets.latestMeasurement(TG, id))?.value).toBe(287);
    expect(await targets.latestMeasurement(TG, `${year}.other`)).toBeUndefined();
  });

  it('writes nothing when the Idempotency-Key was taken or the indicator is not measured', async () => {
    const year = aYear();
    const id = `${year}.poorHouseholds`;
    await targets.putIndicator(anIndicator(year, 'poorHouseholds'));
    const taken = idem();
    await targets.recordMeasurement(aMeasurement(id, 1, `${year}-03-31`), taken);
    await expect(
      targets.recordMeasurement(aMeasurement(id, 2, `${year}-04-30`), taken),
    ).rejects.toBeInstanceOf(IdempotencyRecordExists);

    await targets.putIndicator(anIndicator(year, 'houses', { source: 'outputs', outputKeys: ['houses'] }));
    await expect(
      targets.recordMeasurement(aMeasurement(`${year}.houses`, 5, `${year}-04-30`), idem()),
    ).rejects.toMatchObject({ code: 'not_measured' });
    await expect(
      targets.recordMeasurement(aMeasurement(`${year}.missing`, 5, `${year}-04-30`), idem()),
    ).rejects.toMatchObject({ code: 'not_found' });

    expect((await targets.latestMeasurement(TG, id))?.value).toBe(1);
    expect(await targets.latestMeasurement(TG, `${year}.houses`)).toBeUndefined();
  });
});

describe('the targets use cases over the real store', () => {
  it('lists a year’s indicators with outputs counted, the disbursement rate and a replayed measurement', async () => {
    const year = aYear();
    const env = { targets, ...testEnv, now: () => new Date(`${year}-12-20T03:00:00Z`) };
    const put = (code: string, body: Parameters<typeof defineIndicator>[3]) =>
      defineIndicator(env, planner, `${year}.${code}`, body);
    const created = await put('houses', {
      name: { vi: 'Nhà ở', en: 'Houses' },
      unit: { vi: 'căn', en: 'houses' },
      target: { min: 4, max: 4 },
      source: 'outputs',
      outputKeys: ['houses'],
      order: 2,
    });
    expect(created.created).toBe(true);
    await put('investmentDisbursed', {
      name: { vi: 'Giải ngân', en: 'Disbursed' },
      unit: { vi: '%', en: '%' },
      target: { min: 100, max: 100 },
      source: 'disbursement',
      order: 3,
    });
    await put('poorHouseholds', {
      name: { vi: 'Giảm hộ nghèo', en: 'Fewer poor households' },
      unit: { vi: 'hộ', en: 'households' },
      target: { min: 270, max: 330 },
      source: 'measurements',
      order: 1,
    });
    const investment = await givenAllocation(store, { fiscalYear: year, amountVnd: 1_000_000_000 });
    await givenPosting(deps(year), investment.id, 250_000_000, { houses: 3 });

    const body = { value: 287, date: `${year}-12-15`, source: 'Rà soát giữa kỳ' };
    const key = randomUUID();
    const first = await recordMeasurement(env, planner, `${year}.poorHouseholds`, body, key);
    const replay = await recordMeasurement(env, planner, `${year}.poorHouseholds`, body, key);
    const listed = await listTargets({ targets }, planner, year);

    expect(first.replayed).toBe(false);
    expect(replay).toEqual({ result: first.result, replayed: true });
    expect(listed.items.map((i) => [i.code, i.actual, i.progress, i.status])).toEqual([
      ['poorHouseholds', 287, 1.063, 'met'],
      ['houses', 3, 0.75, 'in_progress'],
      ['investmentDisbursed', 25, 0.25, 'in_progress'],
    ]);
    const measured = await targets.latestMeasurement(TG, `${year}.poorHouseholds`);
    expect(measured?.value).toBe(287);
  });
});

describe('plan targets of two jurisdictions', () => {
  const daNangPlanner = { ...planner, sub: 'planner-dn', jurisdiction: 'da-nang' };
  const houses = {
    name: { vi: 'Nhà ở', en: 'Houses' },
    unit: { vi: 'căn', en: 'houses' },
    target: { min: 10 },
    source: 'outputs' as const,
    outputKeys: ['houses'],
  };

  it('keeps each jurisdiction’s indicators, measurements, figures and output keys apart under the same id', async () => {
    const year = 2025;
    const env = { targets, ...testEnv, now: () => new Date(`${year}-12-20T03:00:00Z`) };
    // A tay-giang indicator stored before jurisdictions (no attribute): kept in the upgrade default's partition.
    await targets.putIndicator(anIndicator(year, 'poor'));
    await defineIndicator(env, planner, `${year}.houses`, houses);
    await defineIndicator(env, daNangPlanner, `${year}.houses`, { ...houses, outputKeys: ['nhaDaNang'] });
    await defineIndicator(env, daNangPlanner, `${year}.poor`, anIndicator(year, 'poor'));
    const tayGiang = await givenAllocation(store, { fiscalYear: year, commune: 'A Tiêng' });
    await givenPosting(deps(year), tayGiang.id, 100_000_000, { houses: 3 });
    await recordMeasurement(
      env,
      daNangPlanner,
      `${year}.poor`,
      { value: 7, date: `${year}-12-01`, source: 'Rà soát' },
      randomUUID(),
    );

    const tg = await listTargets({ targets }, planner, year);
    const dn = await listTargets({ targets }, daNangPlanner, year);

    expect(tg.items.map((i) => [i.code, i.actual])).toEqual([
      ['houses', 3],
      ['poor', null],
    ]);
    expect(dn.items.map((i) => [i.code, i.actual])).toEqual([
      ['houses', 0],
      ['poor', 7],
    ]);
    expect(await targets.declaredOutputKeys(year, TG)).toEqual(['houses']);
    expect(await targets.declaredOutputKeys(year, 'da-nang')).toEqual(['nhaDaNang']);
    expect(await targets.allocationFigures('da-nang', year)).toEqual([]);
    expect((await targets.allocationFigures(TG, year)).map((f) => f.allocationId)).toContain(tayGiang.id);
    expect(await targets.latestMeasurement(TG, `${year}.poor`)).toBeUndefined();
    expect((await targets.getIndicator('da-nang', `${year}.houses`))?.jurisdiction).toBe('da-nang');
    expect((await targets.getIndicator(TG, `${year}.poor`))?.jurisdiction).toBeUndefined();
    // The upgrade default's keys have the one format of every jurisdiction's.
    const raw = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk: `J#tay-giang#TARGET#${year}.poor`, sk: 'T' } }),
    );
    expect(raw.Item).toMatchObject({ id: `${year}.poor`, gsi3pk: 'J#tay-giang#TARGET' });
  });

  it('answers 404 for a measurement of an indicator only another jurisdiction has', async () => {
    const year = 2024;
    const env = { targets, ...testEnv, now: () => new Date(`${year}-12-20T03:00:00Z`) };
    await defineIndicator(env, planner, `${year}.onlyTayGiang`, {
      ...houses,
      source: 'measurements',
      outputKeys: undefined,
    });
    await expect(
      recordMeasurement(
        env,
        daNangPlanner,
        `${year}.onlyTayGiang`,
        { value: 1, date: `${year}-12-01`, source: 'x' },
        randomUUID(),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
