import { describe, expect, it } from 'vitest';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { alertId } from '../../shared/monitoring/domain/alert.ts';
import type { Milestone } from '../../shared/monitoring/domain/expected-curve.ts';
import { detectFindings, findStalledRequests } from '../../shared/monitoring/domain/lag-detector.ts';
import { policyFor } from '../../shared/monitoring/domain/monitoring-policy.ts';
import { measureProgress, type Scope } from '../../shared/monitoring/domain/progress.ts';
import { covers } from '../../shared/monitoring/domain/subscription.ts';
import { workingCalendar } from '../../shared/platform/config/holidays/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { anAllocation, aRequest } from './support/domain-fixtures.ts';

const policy = policyFor(monitoringConfig, 2024, UPGRADE_DEFAULT_JURISDICTION);
const AS_OF = '2024-09-30'; // 60% expected
const alloc = (
  id: string,
  commune: string,
  line: 'central' | 'provincial',
  assigned: number,
  disbursed: number,
) =>
  anAllocation({
    id,
    commune,
    fundingLine: line,
    component: 'DA1',
    capitalType: 'investment',
    title: `Hạ tầng ${commune}`,
    assignedVnd: assigned,
    disbursedVnd: disbursed,
    availableVnd: assigned - disbursed,
  });

/** Housing support (DA5), recurrent capital: 1 billion assigned. */
const housingIn = (commune: string, disbursedVnd: number) =>
  anAllocation({
    id: 'housing',
    commune,
    capitalType: 'recurrent',
    component: 'DA5',
    assignedVnd: 1_000_000_000,
    disbursedVnd,
  });
/** Investment capital of Dang carried over from 2023. */
const carriedOver = (id: string, assigned: number, disbursed: number) => ({
  ...alloc(id, 'Dang', 'central', assigned, disbursed),
  carriedFrom: '2023-da1-central-dang',
});

describe('progress against the expected curve', () => {
  it('gives rate, expected rate, lag and severity per allocation, judged on the figures shown', () => {
    const rows = measureProgress(
      [
        alloc('on-track', 'Dang', 'central', 1_000_000_000, 600_000_000),
        alloc('at-warning', 'Lăng', 'central', 1_000_000_000, 500_000_000),
        alloc('just-short', 'Ga Ri', 'central', 1_000_000_000, 500_100_000),
        alloc('at-critical', "Ch'ơm", 'central', 1_000_000_000, 350_000_000),
      ],
      policy,
      2024,
      AS_OF,
      ['allocation'],
    );

    const byId = Object.fromEntries(rows.map((r) => [r.scope.allocationId, r]));
    expect(byId['on-track']).toMatchObject({
      ratePercent: 60,
      expectedPercent: 60,
      lagPoints: 0,
      severity: 'none',
    });
    expect(byId['at-warning']).toMatchObject({ ratePercent: 50, lagPoints: 10, severity: 'warning' });
    expect(byId['just-short']).toMatchObject({ ratePercent: 50.01, lagPoints: 9.99, severity: 'none' });
    expect(byId['at-critical']).toMatchObject({ ratePercent: 35, lagPoints: 25, severity: 'critical' });
  });

  it('sums the advances paid and the advance outstanding of a scope, counting allocations without contracts as none', () => {
    const rows = measureProgress(
      [
        {
          ...alloc('works-1', 'Dang', 'central', 1_000_000_000, 500_000_000),
          advancedVnd: 300_000_000,
          recoveredVnd: 100_000_000,
        },
        { ...alloc('works-2', 'Dang', 'provincial', 1_000_000_000, 200_000_000), advancedVnd: 200_000_000 },
        alloc('direct', 'Dang', 'central', 1_000_000_000, 400_000_000),
      ],
      policy,
      2024,
      AS_OF,
      ['commune'],
    );

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      disbursedVnd: 1_100_000_000,
      advancedVnd: 500_000_000,
      advanceOutstandingVnd: 400_000_000,
    });
  });

  it('gives an allocation with nothing assigned no rate and no severity, and leaves it out of the findings', () => {
    const empty = alloc('empty', 'Dang', 'central', 0, 0);

    const rows = measureProgress([empty], policy, 2024, AS_OF, ['allocation', 'commune']);
    const findings = detectFindings(rows, [], policy, 2024, AS_OF);

    expect(rows.map((r) => [r.scope.level, r.ratePercent, r.lagPoints, r.severity])).toEqual([
      ['commune', null, null, 'none'],
      ['allocation', null, null, 'none'],
    ]);
    expect(findings).toEqual([]);
  });

  it('rolls allocations up per level, each capital type and carried-over capital apart, each judged against its own curve', () => {
    // Curves that differ on 30/9, so each row shows which one judged it.
    const at = (percent: number): Milestone[] => [
      { on: '09-30', percent },
      { on: '12-31', percent: 100 },
    ];
    const curves = { investment: at(60), recurrent: at(40), carriedOver: at(80) };
    const recurrent = housingIn('Dang', 100_000_000);
    const carried = carriedOver('c', 500_000_000, 100_000_000);

    const rows = measureProgress(
      [
        alloc('a', 'Dang', 'central', 1_000_000_000, 300_000_000),
        alloc('b', 'Dang', 'provincial', 1_000_000_000, 700_000_000),
        recurrent,
        carried,
      ],
      { ...policy, curves },
      2024,
      AS_OF,
      ['district', 'commune'],
    );

    expect(
      rows.map((r) => [
        r.scope.level,
        r.scope.capitalType,
        r.scope.carriedOver ?? false,
        r.assignedVnd,
        r.disbursedVnd,
        r.ratePercent,
        r.expectedPercent,
        r.lagPoints,
        r.severity,
      ]),
    ).toEqual([
      ['district', 'investment', false, 2_000_000_000, 1_000_000_000, 50, 60, 10, 'warning'],
      ['district', 'investment', true, 500_000_000, 100_000_000, 20, 80, 60, 'critical'],
      ['district', 'recurrent', false, 1_000_000_000, 100_000_000, 10, 40, 30, 'critical'],
      ['commune', 'investment', false, 2_000_000_000, 1_000_000_000, 50, 60, 10, 'warning'],
      ['commune', 'investment', true, 500_000_000, 100_000_000, 20, 80, 60, 'critical'],
      ['commune', 'recurrent', false, 1_000_000_000, 100_000_000, 10, 40, 30, 'critical'],
    ]);
  });

  it('orders communes as Vietnamese is sorted, and the same name however it was typed by funding line', () => {
    const nfd = 'Xã Ân Hảo'.normalize('NFD');
    const rows = measureProgress(
      [
        alloc('1', 'Xã Ea Kao', 'central', 1_000, 0),
        alloc('2', 'Xã Đắk Nông', 'provincial', 1_000, 0),
        alloc('6', nfd, 'provincial', 1_000, 0),
        alloc('3', 'Xã Ân Hảo', 'central', 1_000, 0),
        alloc('4', 'Xã An Bình', 'provincial', 1_000, 0),
        alloc('5', 'Xã Dliê Ya', 'central', 1_000, 0),
      ],
      policy,
      2024,
      AS_OF,
      ['allocation'],
    );

    expect(rows.map((r) => r.scope.allocationId)).toEqual(['4', '3', '6', '5', '2', '1']);
  });

  it('raises a lag finding for recurrent capital, and keeps carried-over capital out of the own roll-up’s lagging list', () => {
    const housing = housingIn('Dang', 300_000_000);
    const carried = carriedOver('carried', 1_000_000_000, 0);
    const own = alloc('own', 'Dang', 'central', 1_000_000_000, 450_000_000);
    const rows = measureProgress([housing, carried, own], policy, 2024, AS_OF, ['commune', 'allocation']);

    const findings = detectFindings(rows, [], policy, 2024, AS_OF);
    const lagOf = (capitalType: string, carriedOver: boolean, level = 'commune') =>
      findings.find(
        (f) =>
          f.scope.level === level &&
          f.scope.capitalType === capitalType &&
          (f.scope.carriedOver ?? false) === carriedOver,
      );

    expect(lagOf('recurrent', false)).toMatchObject({
      kind: 'lag',
      severity: 'critical',
      progress: { ratePercent: 30, expectedPercent: 60, lagPoints: 30 },
      laggingAllocations: [expect.objectContaining({ allocationId: 'housing', lagPoints: 30 })],
    });
    expect(lagOf('investment', false)?.laggingAllocations.map((a) => a.allocationId)).toEqual(['own']);
    expect(lagOf('investment', true)?.laggingAllocations).toEqual([
      expect.objectContaining({ allocationId: 'carried', carriedOver: true }),
    ]);
    const carriedLag = lagOf('investment', true);
    const ownLag = lagOf('investment', false);
    expect(carriedLag && ownLag && alertId(carriedLag) !== alertId(ownLag)).toBe(true);
  });
});

describe('findings', () => {
  const allocations = [
    alloc('tieng-central', 'A Tiêng', 'central', 4_000_000_000, 1_200_000_000), // 30%: critical
    alloc('tieng-provincial', 'A Tiêng', 'provincial', 400_000_000, 180_000_000), // 45%: warning
    alloc('dang-central', 'Dang', 'central', 3_000_000_000, 2_000_000_000), // 66.67%: on track
  ];
  const rows = measureProgress(allocations, policy, 2024, AS_OF);
  const stalled = findStalledRequests(
    [
      aRequest({
        id: 'r-14wd',
        allocationId: 'dang-central',
        commune: 'Dang',
        component: 'DA1',
        pendingSince: '2024-09-10T02:00:00Z',
      }),
      aRequest({
        id: 'r-7wd',
        allocationId: 'dang-central',
        commune: 'Dang',
        component: 'DA1',
        // Thursday 19/09: 7 working days by Monday 30/09 (r-20d, from 10/09: 14).
        pendingSince: '2024-09-19T02:00:00Z',
      }),
    ],
    policy,
    2024,
    AS_OF,
    workingCalendar,
  );
  const findings = detectFindings(rows, stalled, policy, 2024, AS_OF);

  it('lists the lagging scopes with their most lagging allocations, worst first', () => {
    const commune = findings.find((f) => f.kind === 'lag' && f.scope.level === 'commune');

    // District and DA1: 3,380 of 7,400 million (45.68%); central 45.71%, provincial 45%; A Tiêng 31.36%.
    expect(
      findings
        .filter((f) => f.kind === 'lag')
        .map((f) => [
          f.scope.level,
          f.scope.fundingLine ?? f.scope.commune ?? f.scope.component ?? '',
          f.severity,
        ]),
    ).toEqual([
      ['district', '', 'warning'],
      ['fundingLine', 'central', 'warning'],
      ['fundingLine', 'provincial', 'warning'],
      ['commune', 'A Tiêng', 'critical'],
      ['component', 'DA1', 'warning'],
      ['allocation', 'central', 'critical'],
      ['allocation', 'provincial', 'warning'],
    ]);
    expect(findings.some((f) => f.scope.commune === 'Dang' && f.kind === 'lag')).toBe(false);
    expect(commune?.laggingAllocations.map((a) => [a.allocationId, a.lagPoints])).toEqual([
      ['tieng-central', 30],
      ['tieng-provincial', 15],
    ]);
  });

  it('makes one stalled finding per allocation at the worst severity of its requests', () => {
    const stalledFindings = findings.filter((f) => f.kind === 'stalled');

    expect(stalledFindings).toHaveLength(1);
    expect(stalledFindings[0]).toMatchObject({
      severity: 'critical',
      stalledTotal: 2,
      scope: { allocationId: 'dang-central' },
    });
    expect(stalledFindings[0]?.stalledRequests.map((s) => s.requestId)).toEqual(['r-14wd', 'r-7wd']);
  });
});

describe('alert ids', () => {
  const scope: Scope = { level: 'commune', capitalType: 'investment', commune: 'A Tiêng' };
  const finding = {
    fiscalYear: 2024,
    day: '2024-09-30',
    kind: 'lag' as const,
    severity: 'critical' as const,
    scope,
  };

  it('are the same for the same scope, kind, severity and day, so a second run finds the first alert', () => {
    expect(alertId(finding)).toBe(alertId({ ...finding, scope: { ...scope } }));
    expect(alertId(finding)).toMatch(/^2024-09-30-lag-critical-[0-9a-f]{20}$/);
  });

  it('differ by day, severity, scope and fiscal year', () => {
    const ids = new Set([
      alertId(finding),
      alertId({ ...finding, day: '2024-10-01' }),
      alertId({ ...finding, severity: 'warning' }),
      alertId({ ...finding, scope: { ...scope, commune: 'Dang' } }),
      alertId({ ...finding, fiscalYear: 2025 }),
    ]);

    expect(ids.size).toBe(5);
  });

  it('fit an API path segment', () => {
    expect(alertId({ ...finding, kind: 'lag' })).toMatch(/^[A-Za-z0-9-]{1,64}$/);
    expect(alertId({ ...finding, kind: 'stalled' })).toMatch(/^[A-Za-z0-9-]{1,64}$/);
  });
});

describe('which subscriptions cover an alert', () => {
  const allocationScope: Scope = {
    level: 'allocation',
    capitalType: 'investment',
    fundingLine: 'central',
    commune: 'A Tiêng',
    component: 'DA1',
    allocationId: 'x',
  };
  const districtScope: Scope = { level: 'district', capitalType: 'investment' };

  it('covers by every field the subscription names', () => {
    expect(covers({ scope: {} }, districtScope)).toBe(true);
    expect(covers({ scope: { fundingLine: 'central' } }, allocationScope)).toBe(true);
    expect(covers({ scope: { fundingLine: 'central', commune: 'Dang' } }, allocationScope)).toBe(false);
    expect(covers({ scope: { commune: 'A Tiêng' } }, districtScope)).toBe(false);
  });

  it('never covers an alert outside the commune its owner was limited to', () => {
    expect(covers({ scope: {}, ownerCommune: 'Dang' }, allocationScope)).toBe(false);
    expect(covers({ scope: {}, ownerCommune: 'A Tiêng' }, allocationScope)).toBe(true);
  });
});
