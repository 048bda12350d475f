import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { runMonitor } from '../../shared/monitoring/app/run-monitor.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import type { Alert } from '../../shared/monitoring/domain/alert.ts';
import { workingCalendar } from '../../shared/platform/config/holidays/index.ts';
import { finance, givenAllocation, givenSubmission, planner } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

const DA_NANG = 'da-nang';
const clock = (iso: string) => ({ now: () => new Date(iso), newId: () => randomUUID() });

/**
 * The monitor run as deployed (DynamoDB Local, the configured working calendar), over requests sent
 * just before Tết: eleven calendar days later they have waited two working days, and are not stalled.
 */
describe('a stall over Tết', () => {
  let repo: DynamoMonitoringRepository;
  let audit: DynamoAuditRepository;
  let store: LedgerStore;
  const queued: Alert[] = [];

  beforeAll(async () => {
    const table = await freshTable('stall-over-tet');
    store = table.store;
    repo = new DynamoMonitoringRepository(table.db, table.tableName);
    audit = new DynamoAuditRepository(table.db, table.tableName);
    // Friday before Tết Ất Tỵ (29/01/2025; off 27/01 to 31/01), in Tây Giang, still a district then.
    const tayGiang = await givenAllocation(store, { fiscalYear: 2025, commune: 'Dang' });
    await givenSubmission({ store, ...clock('2025-01-24T02:00:00Z') }, tayGiang.id, 10_000_000);
    // Friday before Tết Bính Ngọ (17/02/2026; off 16/02 to 20/02), in Đà Nẵng.
    const daNang = await givenAllocation(
      store,
      { fiscalYear: 2026, commune: 'Avương' },
      { ...planner, jurisdiction: DA_NANG },
    );
    await givenSubmission({ store, ...clock('2026-02-13T02:00:00Z') }, daNang.id, 10_000_000, undefined, {
      ...finance,
      jurisdiction: DA_NANG,
    });
  });

  const run = (asOf: string, fiscalYear: number) =>
    runMonitor(
      {
        progress: repo,
        entries: audit,
        alerts: repo,
        publisher: { publish: async (alert) => void queued.push(alert) },
        config: monitoringConfig,
        calendar: workingCalendar,
        now: () => new Date(`${asOf}T01:00:00Z`),
        jurisdictions: ['tay-giang', DA_NANG],
      },
      { asOf, fiscalYear },
    );
  const stalledOf = (result: Awaited<ReturnType<typeof run>>) =>
    result.findings.filter((f) => f.kind === 'stalled');

  it('is not flagged eleven days after a request sent before Tết 2025: two working days', async () => {
    expect(stalledOf(await run('2025-02-04', 2025))).toEqual([]);
  });

  it('is not flagged eleven days after a request sent before Tết 2026: two working days', async () => {
    expect(stalledOf(await run('2026-02-24', 2026))).toEqual([]);
  });

  it('is flagged once the request has waited seven working days, and the alert says so', async () => {
    // Tuesday 03/03/2026: 23/02 to 27/02 and 02/03 to 03/03, seven working days (eighteen calendar days).
    const found = stalledOf(await run('2026-03-03', 2026));

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', stalledTotal: 1 });
    expect(found[0]?.stalledRequests[0]?.waitingDays).toBe(7);
    expect(queued.filter((a) => a.kind === 'stalled').map((a) => a.day)).toEqual(['2026-03-03']);
  });
});
