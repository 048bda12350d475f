import { describe, expect, it } from 'vitest';
import { listAlerts } from '../../shared/monitoring/app/alerts.ts';
import { type Alert, compareAlerts, toAlert } from '../../shared/monitoring/domain/alert.ts';
import type { Finding } from '../../shared/monitoring/domain/lag-detector.ts';
import { InvalidCursorError } from '../../shared/platform/errors.ts';
import { anActor } from './support/domain-fixtures.ts';
import { InMemoryMonitoring } from './support/in-memory-monitoring.ts';

/** An alert of Tây Giang's 2024 plan: a lag alert when `lag` is given, else a stalled-approval one. */
const anAlert = (commune: string, severity: 'warning' | 'critical', day: string, lag?: number): Alert => {
  const finding: Finding = {
    kind: lag === undefined ? 'stalled' : 'lag',
    severity,
    fiscalYear: 2024,
    day,
    scope: { level: 'commune', capitalType: 'investment', commune },
    ...(lag === undefined
      ? {}
      : {
          progress: {
            assignedVnd: 100,
            reservedVnd: 0,
            disbursedVnd: 0,
            ratePercent: 0,
            expectedPercent: lag,
            lagPoints: lag,
          },
        }),
    laggingAllocations: [],
    stalledRequests: [],
    stalledTotal: 0,
  };
  return toAlert(finding, `${day}T00:00:00.000Z`);
};

describe('the order alerts are read in', () => {
  it('puts critical first, then the largest lag, stalled approvals after the lags of their severity, then the newest', () => {
    const alerts = [
      anAlert('Dang', 'warning', '2024-09-30', 12),
      anAlert('Lăng', 'critical', '2024-09-01', 26),
      anAlert('A Xan', 'warning', '2024-09-30'),
      anAlert('Ga Ri', 'critical', '2024-09-30', 40),
      anAlert('A Vương', 'warning', '2024-09-29', 18),
      anAlert('Bhalêê', 'critical', '2024-09-30'),
      anAlert("Tr'hy", 'warning', '2024-10-01', 12),
    ];

    expect(alerts.sort(compareAlerts).map((a) => a.scope.commune)).toEqual([
      'Ga Ri', // critical, 40 points
      'Lăng', // critical, 26 points
      'Bhalêê', // critical, stalled
      'A Vương', // warning, 18 points
      "Tr'hy", // warning, 12 points, 1/10
      'Dang', // warning, 12 points, 30/9
      'A Xan', // warning, stalled
    ]);
  });
});

describe('GET /alerts (the use case)', () => {
  const inspector = anActor('insp', ['inspector']);

  it('orders every page of the listing, not each page apart, and counts them all', async () => {
    const store = new InMemoryMonitoring();
    // 150 warnings of growing lag over 150 days, then one critical on the first day: read newest first by
    // the store, so the critical one and the largest lags come on its last page.
    for (let i = 0; i < 150; i++) {
      const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
      await store.recordAlert(anAlert(`c${i}`, 'warning', day, 10 + i / 10));
    }
    await store.recordAlert(anAlert('the-critical', 'critical', '2024-01-01', 25));

    const first = await listAlerts(store, inspector, { fiscalYear: 2024 }, 3);
    const second = await listAlerts(store, inspector, { fiscalYear: 2024 }, 3, first.nextCursor);

    expect(first.total).toBe(151);
    expect(first.items.map((a) => a.scope.commune)).toEqual(['the-critical', 'c149', 'c148']);
    expect(second.items.map((a) => a.scope.commune)).toEqual(['c147', 'c146', 'c145']);
    const last = await listAlerts(store, inspector, { fiscalYear: 2024 }, 3, 'o:150');
    expect(last.items.map((a) => a.scope.commune)).toEqual(['c0']);
    expect(last.nextCursor).toBeUndefined();
  });

  it('refuses a position it did not issue', async () => {
    await expect(
      listAlerts(new InMemoryMonitoring(), inspector, {}, 3, 'fiscalYear#2024'),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
