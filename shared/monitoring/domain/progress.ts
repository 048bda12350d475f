import { type Allocation, advanceOutstandingOf } from '../../ledger/domain/allocation.ts';
import {
  CAPITAL_TYPES,
  type CapitalType,
  FUNDING_LINES,
  type FundingLine,
} from '../../ledger/domain/funding-line.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import { curveKindOf, expectedPercent } from './expected-curve.ts';
import { type MonitoringPolicy, type Severity, severityOf } from './monitoring-policy.ts';

/** The roll-ups progress is measured at, from the whole district down to one allocation. */
export const SCOPE_LEVELS = ['district', 'fundingLine', 'commune', 'component', 'allocation'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** What a figure covers: a roll-up level, always within one capital type, narrowed by the level's keys. */
export interface Scope {
  /** The jurisdiction whose allocations the scope rolls up (the monitor measures each apart). */
  jurisdiction?: string;
  level: ScopeLevel;
  capitalType: CapitalType;
  fundingLine?: FundingLine;
  commune?: string;
  component?: string;
  allocationId?: string;
  /**
   * Capital carried over from an earlier year ("vốn năm trước chuyển sang"): rolled up apart from the
   * year's own at every level and judged against the carried-over curve. Absent: the year's own.
   */
  carriedOver?: true;
}

/** The keys of an allocation that a scope can narrow on. */
export type AllocationKeys = Pick<Allocation, 'capitalType' | 'fundingLine' | 'commune' | 'component'> & {
  allocationId: string;
  carriedOver?: true;
};

/** Progress of one scope at a date (DESIGN §2: rate = disbursed / assigned; lag = expected − actual). */
export interface ProgressRow {
  fiscalYear: number;
  scope: Scope;
  /** The allocation's title, for allocation rows. */
  title?: string;
  allocations: number;
  assignedVnd: number;
  reservedVnd: number;
  disbursedVnd: number;
  /** Of disbursedVnd, advances paid on contracts; and what of them their payments have not yet recovered. */
  advancedVnd: number;
  advanceOutstandingVnd: number;
  /** Percent disbursed; null when nothing is assigned (no basis for a rate). */
  ratePercent: number | null;
  /** Percent expected by the scope's curve (its jurisdiction's, year's and kind's); null only for older stored rows. */
  expectedPercent: number | null;
  /** Expected minus actual, in percentage points; negative when ahead. */
  lagPoints: number | null;
  severity: Severity;
}

/** The scope of an allocation at a level. */
export const scopeOf = (a: Allocation, level: ScopeLevel): Scope => {
  const base = {
    level,
    capitalType: a.capitalType,
    ...(a.carriedFrom !== undefined ? { carriedOver: true as const } : {}),
  };
  switch (level) {
    case 'district':
      return base;
    case 'fundingLine':
      return { ...base, fundingLine: a.fundingLine };
    case 'commune':
      return { ...base, commune: a.commune };
    case 'component':
      return { ...base, component: a.component };
    case 'allocation':
      return {
        ...base,
        fundingLine: a.fundingLine,
        commune: a.commune,
        component: a.component,
        allocationId: a.id,
      };
  }
};

/** The allocation scope of an allocation's keys (as carried by a request or an allocation row). */
export const allocationScope = (k: AllocationKeys): Scope => ({
  level: 'allocation',
  capitalType: k.capitalType,
  fundingLine: k.fundingLine,
  commune: k.commune,
  component: k.component,
  allocationId: k.allocationId,
  ...(k.carriedOver ? { carriedOver: true as const } : {}),
});

/**
 * A stable text key of a scope, for grouping and deduplication. The year's own capital keeps the key
 * it had before carried-over capital existed (alert ids hash it), carried-over capital adds a part.
 */
export const scopeKey = (s: Scope): string =>
  [
    s.level,
    s.capitalType,
    s.fundingLine ?? '',
    s.commune ?? '',
    s.component ?? '',
    s.allocationId ?? '',
    ...(s.carriedOver ? ['carriedOver'] : []),
  ].join('|');

/** True when the allocation (or request) with these keys falls within the scope. */
export const scopeContains = (s: Scope, keys: AllocationKeys): boolean =>
  s.capitalType === keys.capitalType &&
  (s.carriedOver ?? false) === (keys.carriedOver ?? false) &&
  (s.fundingLine === undefined || s.fundingLine === keys.fundingLine) &&
  (s.commune === undefined || s.commune === keys.commune) &&
  (s.component === undefined || s.component === keys.component) &&
  (s.allocationId === undefined || s.allocationId === keys.allocationId);

/** Rounds to hundredths: figures are shown with two decimals, and severity is judged on what is shown. */
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Percent disbursed of assigned, in hundredths; null when nothing is assigned (no basis for a rate). */
export const ratePercentOf = (disbursedVnd: number, assignedVnd: number): number | null =>
  assignedVnd > 0 ? round2((disbursedVnd / assignedVnd) * 100) : null;

const vi = new Intl.Collator('vi');

/**
 * Each name's place in Vietnamese order (names the collator finds equal share one): a sort then compares
 * numbers, not texts, and collates each name once instead of at every comparison.
 */
const collationRanks = (names: Iterable<string>): Map<string, number> => {
  const sorted = [...new Set(names)].sort(vi.compare);
  const ranks = new Map<string, number>();
  let rank = 0;
  sorted.forEach((name, i) => {
    if (i > 0 && vi.compare(sorted[i - 1] ?? '', name) !== 0) rank = i;
    ranks.set(name, rank);
  });
  return ranks;
};

/** Scopes in the order reports show them: level, capital, carried over, commune, funding line, project. */
const sortScoped = <T extends { scope: Scope }>(rows: T[]): T[] => {
  const communes = collationRanks(rows.map((r) => r.scope.commune ?? ''));
  const components = collationRanks(rows.map((r) => r.scope.component ?? ''));
  const lineRank = (s: Scope) => (s.fundingLine ? FUNDING_LINES.indexOf(s.fundingLine) : -1);
  const rank = (ranks: Map<string, number>, name: string | undefined) => ranks.get(name ?? '') ?? 0;
  return rows.sort(
    ({ scope: a }, { scope: b }) =>
      SCOPE_LEVELS.indexOf(a.level) - SCOPE_LEVELS.indexOf(b.level) ||
      CAPITAL_TYPES.indexOf(a.capitalType) - CAPITAL_TYPES.indexOf(b.capitalType) ||
      Number(a.carriedOver ?? false) - Number(b.carriedOver ?? false) ||
      rank(communes, a.commune) - rank(communes, b.commune) ||
      lineRank(a) - lineRank(b) ||
      rank(components, a.component) - rank(components, b.component),
  );
};

/**
 * Progress of a fiscal year's allocations at every requested level, from their running totals only
 * (never the ledger). Each scope is judged against the policy's curve of its kind: its capital type's,
 * or the carried-over one for capital carried from an earlier year.
 */
export const measureProgress = (
  allocations: readonly Allocation[],
  policy: Pick<MonitoringPolicy, 'curves' | 'lagPoints'>,
  fiscalYear: number,
  asOf: IsoDate,
  levels: readonly ScopeLevel[] = SCOPE_LEVELS,
): ProgressRow[] => {
  const groups = new Map<string, { scope: Scope; members: Allocation[] }>();
  for (const a of allocations) {
    if (a.fiscalYear !== fiscalYear) continue;
    for (const level of levels) {
      const scope = scopeOf(a, level);
      const key = scopeKey(scope);
      const group = groups.get(key) ?? { scope, members: [] };
      group.members.push(a);
      groups.set(key, group);
    }
  }
  const rows = [...groups.values()].map(({ scope, members }): ProgressRow => {
    const sum = (f: (a: Allocation) => number) => members.reduce((total, a) => total + f(a), 0);
    const assignedVnd = sum((a) => a.assignedVnd);
    const disbursedVnd = sum((a) => a.disbursedVnd);
    const ratePercent = ratePercentOf(disbursedVnd, assignedVnd);
    const expected = round2(expectedPercent(policy.curves[curveKindOf(scope)], fiscalYear, asOf));
    const lagPoints = ratePercent !== null ? round2(expected - ratePercent) : null;
    const only = members.length === 1 ? members[0] : undefined;
    return {
      fiscalYear,
      scope,
      ...(scope.level === 'allocation' && only ? { title: only.title } : {}),
      allocations: members.length,
      assignedVnd,
      reservedVnd: sum((a) => a.reservedVnd),
      disbursedVnd,
      advancedVnd: sum((a) => a.advancedVnd ?? 0),
      advanceOutstandingVnd: sum(advanceOutstandingOf),
      ratePercent,
      expectedPercent: expected,
      lagPoints,
      severity: lagPoints === null ? 'none' : severityOf(lagPoints, policy.lagPoints),
    };
  });
  return sortScoped(rows);
};
