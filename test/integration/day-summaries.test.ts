import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import { readAllEntries } from '../../shared/audit/app/read-all-entries.ts';
import { DynamoRequestHistory } from '../../shared/forecast/adapters/request-history.ts';
import { forecastReport } from '../../shared/forecast/app/forecast-report.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { DynamoDaySnapshotRepository } from '../../shared/monitoring/adapters/day-snapshot-repository.ts';
import { DynamoDaySummaryRepository } from '../../shared/monitoring/adapters/day-summary-repository.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { summariseClosedDays } from '../../shared/monitoring/app/day-summaries.ts';
import { disbursementSeriesReport } from '../../shared/monitoring/app/disbursement-series.ts';
import { cumulativesOfDays } from '../../shared/monitoring/app/ledger-reads.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { summariseDay } from '../../shared/monitoring/domain/day-summary.ts';
import { disbursementSeries } from '../../shared/monitoring/domain/disbursement-series.ts';
import { type Actor, reachable, restrictFilter, scopeOf } from '../../shared/platform/access.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { daySummaryKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import {
  actor,
  approvalEvents,
  givenAllocation,
  givenPosting,
  givenSubmission,
  planner,
  testEnv,
} from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';
import { forecastReportFromEntries } from '../unit/support/forecast-report-from-entries.ts';

const J = UPGRADE_DEFAULT_JURISDICTION;
const FY = 2024;
const at = (instant: string) => () => new Date(instant);

let table: Awaited<ReturnType<typeof freshTable>>;
let summaries: DynamoDaySummaryRepository;
let snapshots: DynamoDaySnapshotRepository;
let audit: DynamoAuditRepository;
let progress: DynamoMonitoringRepository;
/** "Today" in Vietnam for the reads: 12/09/2024, with postings of the 10th, the 11th and the 12th. */
const TODAY = at('2024-09-12T08:00:00+07:00');

beforeAll(async () => {
  table = await freshTable('day-summaries');
  summaries = new DynamoDaySummaryRepository(table.db, table.tableName);
  snapshots = new DynamoDaySnapshotRepository(table.db, table.tableName);
  audit = new DynamoAuditRepository(table.db, table.tableName);
  progress = new DynamoMonitoringRepository(table.db, table.tableName);
  const tieng = await givenAllocation(table.store, { amountVnd: 5_000_000_000 });
  const tiengRecurrent = await givenAllocation(table.store, {
    capitalType: 'recurrent',
    component: 'DA5',
    amountVnd: 2_000_000_000,
  });
  const dang = await givenAllocation(table.store, { commune: 'Dang', amountVnd: 3_000_000_000 });
  const post = (allocationId: string, amountVnd: number, instant: string) =>
    givenPosting({ store: table.store, ...testEnv, now: at(instant) }, allocationId, amountVnd);
  await post(tieng.id, 100_000_000, '2024-09-10T09:00:00+07:00');
  await post(dang.id, 40_000_000, '2024-09-10T15:00:00+07:00');
  // 23:30 on the 10th in Vietnam is 16:30 UTC: still the 10th.
  await post(tiengRecurrent.id, 20_000_000, '2024-09-10T23:30:00+07:00');
  await post(dang.id, 60_000_000, '2024-09-11T00:30:00+07:00');
  await post(tieng.id, 70_000_000, '2024-09-11T10:00:00+07:00');
  // Today's: after the last summarised day, read from the entries.
  await post(tieng.id, 5_000_000, '2024-09-12T07:30:00+07:00');
  await post(dang.id, 9_000_000, '2024-09-12T07:45:00+07:00');
  // The daily job of the 12th: the days up to the 11th are closed.
  await summariseClosedDays({ store: table.store, entries: audit, summaries, snapshots, now: TODAY }, [J], {
    maxDays: 400,
    fiscalYears: [FY],
  });
  // Summarising every day since 1 January (two items a day) may outlast the default hook limit under load.
}, 600_000);

/** The series the old way: every entry of the year the reader may see, through the posting-date index. */
const fromEntries = async (who: Actor) => {
  const scope = scopeOf(who);
  const allocations = reachable(scope, await progress.listAllocationsOfYear(J, FY));
  return disbursementSeries(
    allocations,
    await readAllEntries(audit, restrictFilter(scope, { fiscalYear: FY })),
  );
};
const fromSummaries = async (who: Actor) =>
  (
    await disbursementSeriesReport(
      { progress, audit, summaries, config: monitoringConfig, now: TODAY },
      who,
      { fiscalYear: FY },
    )
  ).series;

describe('the disbursement series from day summaries', () => {
  it('summarises every closed day of the year once, and not today', async () => {
    const rows = await summaries.listDaySummaries(J, FY);
    expect(rows[0]?.date).toBe(`${FY}-01-01`);
    expect(rows.at(-1)?.date).toBe('2024-09-11');
    expect(rows.find((r) => r.date === '2024-09-10')).toMatchObject({
      entries: 3,
      cells: {
        'investment|0|A Tiêng': [100_000_000, 1],
        'investment|0|Dang': [40_000_000, 1],
        'recurrent|0|A Tiêng': [20_000_000, 1],
      },
    });
    expect(await summaries.lastSummarisedDay(J, FY)).toBe('2024-09-11');
  });

  it("equals the series from the year's entries, today's unsummarised entries included", async () => {
    const series = await fromSummaries(planner);
    expect(series).toEqual(await fromEntries(planner));
    expect(series.find((s) => s.capitalType === 'investment')?.points).toEqual([
      { date: '2024-09-10', cumulativeVnd: 140_000_000 },
      { date: '2024-09-11', cumulativeVnd: 270_000_000 },
      { date: '2024-09-12', cumulativeVnd: 284_000_000 },
    ]);
  });

  it("gives a commune's reader the same series as their commune's entries", async () => {
    const reader = { ...actor('approver-dang', 'approver-commune'), commune: 'Dang' };
    const series = await fromSummaries(reader);
    expect(series).toEqual(await fromEntries(reader));
    expect(series).toEqual([
      {
        capitalType: 'investment',
        assignedVnd: 3_000_000_000,
        disbursedVnd: 109_000_000,
        points: [
          { date: '2024-09-10', cumulativeVnd: 40_000_000 },
          { date: '2024-09-11', cumulativeVnd: 100_000_000 },
          { date: '2024-09-12', cumulativeVnd: 109_000_000 },
        ],
      },
    ]);
  });

  it("reads only the reader's part of each day: the day's totals, or the commune's cells", async () => {
    const whole = await summaries.listSeriesDays(J, FY);
    expect(whole.find((d) => d.date === '2024-09-10')?.amounts).toEqual({
      'investment|0': [140_000_000, 2],
      'recurrent|0': [20_000_000, 1],
    });
    const dang = await summaries.listSeriesDays(J, FY, 'Dang');
    expect(dang.find((d) => d.date === '2024-09-10')?.amounts).toEqual({ 'investment|0': [40_000_000, 1] });
    expect(dang.find((d) => d.date === '2024-09-11')?.amounts).toEqual({ 'investment|0': [60_000_000, 1] });
    expect(dang.map((d) => d.date)).toEqual(whole.map((d) => d.date));
  });

  it('sums the cells of a summary written before totals existed', async () => {
    const FY3 = 2023;
    const old = summariseDay(
      { jurisdiction: J, fiscalYear: FY3, date: '2023-05-02' },
      [
        {
          allocationId: 'a',
          capitalType: 'investment',
          commune: 'Dang',
          amountVnd: 7,
          postedAt: '2023-05-02T03:00:00Z',
        },
        {
          allocationId: 'b',
          capitalType: 'investment',
          commune: 'A Tiêng',
          amountVnd: 5,
          postedAt: '2023-05-02T04:00:00Z',
        },
      ],
      new Set(),
      '2023-05-03T00:00:00Z',
    );
    const { totals: _, ...withoutTotals } = old;
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...daySummaryKeys.item(J, withoutTotals), ...withoutTotals },
      }),
    );
    expect(await summaries.listSeriesDays(J, FY3)).toEqual([
      { date: '2023-05-02', amounts: { 'investment|0': [12, 2] } },
    ]);
  });

  it('is not run again over a summarised day: a second run the same day writes nothing', async () => {
    const again = await summariseClosedDays(
      { store: table.store, entries: audit, summaries, snapshots, now: TODAY },
      [J],
      {
        fiscalYears: [FY],
      },
    );
    expect(again).toEqual({ days: 0, entries: 0 });
  });

  it('keeps the days a failed run summarised, and the next run goes on from the last of them', async () => {
    const FY2 = 2025;
    await givenAllocation(table.store, { fiscalYear: FY2, amountVnd: 1_000_000_000 });
    const now = at('2025-01-20T08:00:00+07:00');
    // The sixth read of the entries fails (a throttled table), part-way through the year's first days.
    let reads = 0;
    const flaky = {
      queryEntries: (...args: Parameters<DynamoAuditRepository['queryEntries']>) =>
        ++reads === 6 ? Promise.reject(new Error('ThrottlingException')) : audit.queryEntries(...args),
    };
    const deps = { store: table.store, entries: flaky, summaries, snapshots, now };

    await expect(summariseClosedDays(deps, [J], { fiscalYears: [FY2] })).rejects.toThrow('Throttling');
    const kept = await summaries.lastSummarisedDay(J, FY2);
    await summariseClosedDays(deps, [J], { fiscalYears: [FY2] });

    expect(kept).toBe('2025-01-04');
    const dates = (await summaries.listDaySummaries(J, FY2)).map((d) => d.date);
    expect(dates).toEqual(Array.from({ length: 19 }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}`));
  });
});

describe('the day snapshots', () => {
  it("hold each allocation's cumulative at the end of each summarised day, beside its summary", async () => {
    const days = await snapshots.getDaySnapshots(J, FY, [
      '2024-09-09',
      '2024-09-10',
      '2024-09-11',
      '2024-09-12',
    ]);
    expect(await snapshots.lastSnapshotDay(J, FY)).toBe('2024-09-11');
    expect(days.get('2024-09-09')?.cumulative).toEqual({});
    expect(Object.values(days.get('2024-09-10')?.cumulative ?? {}).sort()).toEqual(
      [100_000_000, 20_000_000, 40_000_000].sort(),
    );
    expect(days.get('2024-09-11')).toMatchObject({ entries: 5 });
    // Today is not closed: no snapshot.
    expect(days.has('2024-09-12')).toBe(false);
  });

  it('with the entries after the last snapshotted day give the cumulative the entries give on any day', async () => {
    const entries = await readAllEntries(audit, { jurisdiction: J, fiscalYear: FY });
    const dates = ['2024-06-01', '2024-09-10', '2024-09-11', '2024-09-12'];
    const got = await cumulativesOfDays({ snapshots, audit }, { jurisdiction: J, fiscalYear: FY }, dates);
    for (const date of dates) {
      for (const id of new Set(entries.map((e) => e.allocationId))) {
        const expected = entries
          .filter(
            (e) => e.allocationId === id && e.postedAt < new Date(`${date}T24:00:00+07:00`).toISOString(),
          )
          .reduce((sum, e) => sum + e.amountVnd, 0);
        expect(got.get(date)?.get(id) ?? 0).toBe(expected);
      }
    }
  });

  it("give the forecast the entries-based forecast gives, today's and a past day's", async () => {
    const deps = {
      progress,
      audit,
      snapshots,
      requests: new DynamoRequestHistory(table.db, table.tableName),
      config: monitoringConfig,
      deadlines: deadlineRules,
      now: TODAY,
    };
    for (const input of [
      { groupBy: 'commune' },
      { groupBy: 'allocation', asOf: '2024-09-11' },
      { groupBy: 'fundingLine', asOf: '2024-09-10' },
    ]) {
      const got = await forecastReport(deps, planner, { fiscalYear: String(FY), ...input });
      expect(got).toEqual(
        await forecastReportFromEntries(deps, planner, { fiscalYear: String(FY), ...input }),
      );
      expect(got.rows.some((r) => r.disbursedVnd > 0)).toBe(true);
    }
  });
});

describe('the day pipelines', () => {
  // A year of its own (before 1 July 2025 the communes are the district's); its first 19 days were
  // snapshotted above without a pipeline (a job given no request source, as before pipelines were kept).
  const FY3 = 2025;
  const history = () => new DynamoRequestHistory(table.db, table.tableName);
  const env = (instant: string) => ({ store: table.store, ...testEnv, now: at(instant) });
  const ids: Record<string, string> = {};
  let tieng: string;
  let dang: string;

  beforeAll(async () => {
    tieng = (await givenAllocation(table.store, { fiscalYear: FY3, amountVnd: 5_000_000_000 })).id;
    dang = (
      await givenAllocation(table.store, { fiscalYear: FY3, commune: 'Dang', amountVnd: 3_000_000_000 })
    ).id;
    const job = (instant: string) =>
      summariseClosedDays(
        { store: table.store, entries: audit, summaries, snapshots, requests: progress, now: at(instant) },
        [J],
        { maxDays: 400, fiscalYears: [FY3] },
      );
    // Waiting from the 2nd, posted on the 4th.
    const first = await givenSubmission(env('2025-03-02T09:00:00+07:00'), tieng, 100_000_000);
    ids.first = first.id;
    // The job of the 3rd: the days up to the 2nd (the year's first day from the reconstruction).
    await job('2025-03-03T08:00:00+07:00');
    ids.waiting = (await givenSubmission(env('2025-03-03T15:00:00+07:00'), dang, 40_000_000)).id;
    for (const event of approvalEvents(env('2025-03-04T10:00:00+07:00'), first)) {
      await applyApprovalEvent(
        { ...env('2025-03-04T10:00:00+07:00'), policies: approvalPolicies, sleep: async () => {} },
        event,
      );
    }
    // The job of the 5th: the 3rd and the 4th, from the 2nd's pending set.
    await job('2025-03-05T08:00:00+07:00');
    // After the last summarised day (the job has not run since).
    ids.later = (await givenSubmission(env('2025-03-05T10:00:00+07:00'), tieng, 9_000_000)).id;
  }, 600_000);

  it("keep each day's pipeline per allocation and the day's pending set, from the previous day's set", async () => {
    const days = await snapshots.getDaySnapshots(J, FY3, [
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
    ]);
    expect([...days.values()].map((d) => [d.date, d.pipeline])).toEqual([
      ['2025-03-01', {}],
      ['2025-03-02', { [tieng]: 100_000_000 }],
      ['2025-03-03', { [tieng]: 100_000_000, [dang]: 40_000_000 }],
      ['2025-03-04', { [dang]: 40_000_000 }],
    ]);
    const last = days.get('2025-03-04');
    expect(last?.pendingChunks).toBe(1);
    expect(await snapshots.getPendingSet(J, FY3, '2025-03-04', last?.pendingChunks ?? 0)).toEqual([
      ids.waiting,
    ]);
  });

  it("give a past day's forecast the reconstruction's pipeline, reading no request on a summarised day", async () => {
    const real = history();
    let requestReads = 0;
    const requests = {
      listRequestsSubmittedBetween: (
        ...args: Parameters<DynamoRequestHistory['listRequestsSubmittedBetween']>
      ) => {
        requestReads++;
        return real.listRequestsSubmittedBetween(...args);
      },
      getRequests: (...args: Parameters<DynamoRequestHistory['getRequests']>) => {
        requestReads++;
        return real.getRequests(...args);
      },
    };
    const deps = {
      progress,
      audit,
      snapshots,
      requests,
      config: monitoringConfig,
      deadlines: deadlineRules,
      now: at('2025-03-07T08:00:00+07:00'),
    };
    for (const [asOf, reads] of [
      ['2025-03-02', 0],
      ['2025-03-03', 0],
      ['2025-03-04', 0],
      // After the last summarised day: its pending set, then the requests submitted since.
      ['2025-03-05', 2],
      ['2025-03-06', 2],
    ] as const) {
      const input = { fiscalYear: String(FY3), groupBy: 'allocation', asOf };
      requestReads = 0;
      const got = await forecastReport(deps, planner, input);
      expect(requestReads, asOf).toBe(reads);
      expect(got).toEqual(await forecastReportFromEntries({ ...deps, requests: real }, planner, input));
    }
    const on5th = await forecastReport(deps, planner, {
      fiscalYear: String(FY3),
      groupBy: 'commune',
      asOf: '2025-03-05',
    });
    expect(on5th.rows.map((r) => r.pipelineVnd).sort()).toEqual([40_000_000, 9_000_000].sort());
  });

  it('keep a pending set of thousands of ids in chunks, and give none when a chunk is missing', async () => {
    const many = Array.from({ length: 9_001 }, (_, i) => `id-${String(i).padStart(5, '0')}`);
    const chunks = await snapshots.putPendingSet('chunk-test', 2030, '2030-01-01', many, 2_000_000_000);
    expect(chunks).toBe(3);
    expect(await snapshots.getPendingSet('chunk-test', 2030, '2030-01-01', chunks)).toEqual(many);
    expect(await snapshots.getPendingSet('chunk-test', 2030, '2030-01-01', chunks + 1)).toBeUndefined();
    expect(await snapshots.putPendingSet('chunk-test', 2030, '2030-01-02', [], 2_000_000_000)).toBe(1);
    expect(await snapshots.getPendingSet('chunk-test', 2030, '2030-01-02', 1)).toEqual([]);
  });
});
