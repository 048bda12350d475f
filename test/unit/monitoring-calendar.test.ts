import { describe, expect, it } from 'vitest';
import { openFiscalYears } from '../../shared/monitoring/app/run-monitor.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { findStalledRequests } from '../../shared/monitoring/domain/lag-detector.ts';
import { workingCalendar } from '../../shared/platform/config/holidays/index.ts';
import {
  addDays,
  dayNumber,
  daysBetween,
  isIsoDate,
  vnDateOf,
  vnMidnight,
} from '../../shared/platform/vn-calendar.ts';
import { aRequest } from './support/domain-fixtures.ts';

describe('Vietnam calendar dates (Asia/Ho_Chi_Minh, UTC+7)', () => {
  it('starts a Vietnam day at 17:00 UTC the day before', () => {
    expect(vnDateOf('2024-09-30T16:59:59.999Z')).toBe('2024-09-30');
    expect(vnDateOf('2024-09-30T17:00:00.000Z')).toBe('2024-10-01');
    expect(vnMidnight('2024-10-01').toISOString()).toBe('2024-09-30T17:00:00.000Z');
  });

  it('is already the new year in Vietnam at 17:00 UTC on 31 December', () => {
    expect(vnDateOf(new Date('2024-12-31T17:00:00Z'))).toBe('2025-01-01');
  });

  it('knows which dates exist', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-9-30')).toBe(false);
  });

  it('counts whole days across a leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
  });

  it('reads and writes dates alike however many it has read before (its memory of dates starts afresh)', () => {
    // 20,000 days from 1990: more distinct dates than the calendar remembers, each read twice.
    for (let pass = 0; pass < 2; pass++) {
      for (let n = 0; n < 20_000; n += 1) {
        const date = addDays('1990-01-01', n);
        expect(daysBetween('1990-01-01', date)).toBe(n);
      }
    }
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    // A date it refused is refused again, never remembered as one.
    expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
    expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
    expect(isIsoDate('2023-02-29')).toBe(false);
  });
});

describe('the fiscal years a run covers by default', () => {
  it('covers the year before until 31 January, when its plan may still be disbursed', () => {
    expect(openFiscalYears(monitoringConfig, '2025-01-31', 'tay-giang')).toEqual([2024, 2025]);
    expect(openFiscalYears(monitoringConfig, '2025-02-01', 'tay-giang')).toEqual([2025]);
    expect(openFiscalYears(monitoringConfig, '2024-09-30', 'tay-giang')).toEqual([2024]);
  });
});

describe('stalled approvals counted in Vietnam working days', () => {
  const policy = monitoringConfig.defaults;

  it('counts a request sent at 23:30 in Vietnam from that Vietnam day, not from its UTC date', () => {
    // 23:30 on Thursday 19/09 in Vietnam is 16:30 UTC on 19/09; 00:30 on Friday 20/09 is 17:30 UTC on 19/09.
    // By Monday 30/09 the first has waited 7 working days, the second 6.
    const lateEvening = aRequest({ id: 'r-1', pendingSince: '2024-09-19T16:30:00.000Z' });
    const afterMidnight = aRequest({ id: 'r-2', pendingSince: '2024-09-19T17:30:00.000Z' });

    const stalled = findStalledRequests(
      [lateEvening, afterMidnight],
      policy,
      2024,
      '2024-09-30',
      workingCalendar,
    );

    expect(stalled.map((s) => [s.requestId, s.waitingDays, s.severity])).toEqual([['r-1', 7, 'warning']]);
  });

  it('makes a request critical from twice the limit and ignores requests no longer pending', () => {
    const old = aRequest({ id: 'r-old', pendingSince: '2024-09-10T02:00:00.000Z', nextLevel: 'province' });
    const decided = aRequest({ id: 'r-done', status: 'disbursed', pendingSince: '2024-09-01T02:00:00.000Z' });

    const stalled = findStalledRequests([old, decided], policy, 2024, '2024-09-30', workingCalendar);

    expect(stalled).toHaveLength(1);
    expect(stalled[0]).toMatchObject({
      requestId: 'r-old',
      waitingDays: 14, // working days from Tuesday 10/09 to Monday 30/09
      severity: 'critical',
      level: 'province',
    });
  });

  it('does not count Tết: a request sent on Friday 24/01/2025 has waited 2 working days on Tuesday 04/02', () => {
    const beforeTet = aRequest({ id: 'r-tet', fiscalYear: 2025, pendingSince: '2025-01-24T02:00:00.000Z' });

    expect(findStalledRequests([beforeTet], policy, 2025, '2025-02-04', workingCalendar)).toEqual([]);
    expect(findStalledRequests([beforeTet], policy, 2025, '2025-02-11', workingCalendar)).toMatchObject([
      { requestId: 'r-tet', waitingDays: 7, severity: 'warning' },
    ]);
  });
});
