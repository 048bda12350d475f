import {
  CAPITAL_TYPES,
  type CapitalType,
  FUNDING_LINES,
  type FundingLine,
} from '../../ledger/domain/funding-line.ts';
import { type ProgressRow, ratePercentOf } from '../../monitoring/domain/progress.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';

/**
 * The figures of a part of the disbursement result report ("báo cáo kết quả giải ngân"): plan, what was
 * disbursed (advances and payments apart), the rate, and the year-end forecast. Amounts in VND.
 */
export interface ReportFigures {
  allocations: number;
  /** The year's own plan capital ("kế hoạch vốn năm"), after adjustments and reallocations. */
  planVnd: number;
  /** Capital carried over from an earlier year ("vốn năm trước chuyển sang"). */
  carriedOverVnd: number;
  /** planVnd + carriedOverVnd: what GET /reports/progress calls assignedVnd. */
  assignedVnd: number;
  disbursedVnd: number;
  /** Of disbursedVnd, advances paid on contracts ("tạm ứng"). */
  advancedVnd: number;
  /** Of disbursedVnd, the rest: payments for work done ("thanh toán"). */
  paymentsVnd: number;
  /** disbursed / assigned as a fraction with four decimals, as GET /reports/progress rounds it; null when nothing is assigned. */
  rate: number | null;
  /** What the median forecast expects disbursed by 31/12; null when the report has no forecast. */
  forecastVnd: number | null;
  forecastRate: number | null;
}

/** One line of the form: a project (component) × funding line × commune × capital type. */
export interface ReportLine extends ReportFigures {
  component: string;
  fundingLine: FundingLine;
  commune: string;
  capitalType: CapitalType;
}

/** One allocation, for the detail sheet. */
export interface ReportDetail extends ReportLine {
  allocationId: string;
  title: string;
  carriedOver: boolean;
}

/** A project's lines and their subtotal. */
export interface ReportProject {
  component: string;
  lines: ReportLine[];
  subtotal: ReportFigures;
}

/** The disbursement result report of a fiscal year at a day: lines by project, totals, details. */
export interface DisbursementReport {
  fiscalYear: number;
  asOf: IsoDate;
  projects: ReportProject[];
  /** Totals of each capital type present, in CAPITAL_TYPES order. */
  byCapitalType: { capitalType: CapitalType; figures: ReportFigures }[];
  total: ReportFigures;
  details: ReportDetail[];
  /** Whether forecasts are shown (the day is one a forecast can be made from). */
  forecast: boolean;
}

/** A percentage in hundredths as a fraction with four decimals (32.5 → 0.325), as the API shows rates. */
const asFraction = (percent: number | null): number | null =>
  percent === null ? null : Math.round(percent * 100) / 10_000;

const figuresOf = (
  members: readonly { assignedVnd: number; disbursedVnd: number; advancedVnd: number }[],
  carriedOver: (i: number) => boolean,
  forecastOf: ((i: number) => number) | null,
): ReportFigures => {
  let planVnd = 0;
  let carriedOverVnd = 0;
  let disbursedVnd = 0;
  let advancedVnd = 0;
  let forecastVnd = 0;
  members.forEach((m, i) => {
    if (carriedOver(i)) carriedOverVnd += m.assignedVnd;
    else planVnd += m.assignedVnd;
    disbursedVnd += m.disbursedVnd;
    advancedVnd += m.advancedVnd;
    if (forecastOf) forecastVnd += forecastOf(i);
  });
  const assignedVnd = planVnd + carriedOverVnd;
  return {
    allocations: members.length,
    planVnd,
    carriedOverVnd,
    assignedVnd,
    disbursedVnd,
    advancedVnd,
    paymentsVnd: disbursedVnd - advancedVnd,
    rate: asFraction(ratePercentOf(disbursedVnd, assignedVnd)),
    forecastVnd: forecastOf ? forecastVnd : null,
    forecastRate: forecastOf ? asFraction(ratePercentOf(forecastVnd, assignedVnd)) : null,
  };
};

/** Sums figures already computed (subtotals into totals): the same sums as over their allocations. */
const sumOf = (parts: readonly ReportFigures[], forecast: boolean): ReportFigures => {
  const sum = (f: (p: ReportFigures) => number) => parts.reduce((total, p) => total + f(p), 0);
  const assignedVnd = sum((p) => p.assignedVnd);
  const disbursedVnd = sum((p) => p.disbursedVnd);
  const forecastVnd = forecast ? sum((p) => p.forecastVnd ?? 0) : null;
  return {
    allocations: sum((p) => p.allocations),
    planVnd: sum((p) => p.planVnd),
    carriedOverVnd: sum((p) => p.carriedOverVnd),
    assignedVnd,
    disbursedVnd,
    advancedVnd: sum((p) => p.advancedVnd),
    paymentsVnd: sum((p) => p.paymentsVnd),
    rate: asFraction(ratePercentOf(disbursedVnd, assignedVnd)),
    forecastVnd,
    forecastRate: forecastVnd === null ? null : asFraction(ratePercentOf(forecastVnd, assignedVnd)),
  };
};

const vi = new Intl.Collator('vi', { numeric: true });

const lineKey = (l: Pick<ReportLine, 'component' | 'fundingLine' | 'commune' | 'capitalType'>) =>
  JSON.stringify([l.component, l.fundingLine, l.commune, l.capitalType]);

const lineOrder = (a: ReportLine, b: ReportLine): number =>
  vi.compare(a.component, b.component) ||
  FUNDING_LINES.indexOf(a.fundingLine) - FUNDING_LINES.indexOf(b.fundingLine) ||
  vi.compare(a.commune, b.commune) ||
  CAPITAL_TYPES.indexOf(a.capitalType) - CAPITAL_TYPES.indexOf(b.capitalType);

export interface DisbursementReportInput {
  fiscalYear: number;
  asOf: IsoDate;
  /** Progress measured per allocation (level `allocation`), as GET /reports/progress?groupBy=allocation. */
  rows: readonly ProgressRow[];
  /**
   * The median rate forecast at 31/12 of each allocation (GET /forecasts?groupBy=allocation, p50), or
   * null when the day is not one a forecast can be made from. An allocation without one counts what it
   * has disbursed: a forecast is never below that.
   */
  yearEndRates: ReadonlyMap<string, number> | null;
}

/**
 * The disbursement result report: one line per project × funding line × commune × capital type with
 * the year's plan and carried-over capital apart, disbursed split into advances and payments, the
 * rate and the forecast; subtotals per project, totals per capital type and overall. Built from the
 * same measured rows as GET /reports/progress, so its totals are that report's.
 */
export const disbursementReport = (input: DisbursementReportInput): DisbursementReport => {
  const forecast = input.yearEndRates !== null;
  const allocationRows = input.rows.filter((r) => r.scope.level === 'allocation');
  const forecastVndOf = (r: ProgressRow): number => {
    const rate = input.yearEndRates?.get(r.scope.allocationId ?? '');
    return rate === undefined ? r.disbursedVnd : Math.max(r.disbursedVnd, Math.round(rate * r.assignedVnd));
  };
  const details: ReportDetail[] = allocationRows.map((r) => ({
    allocationId: r.scope.allocationId ?? '',
    title: r.title ?? '',
    carriedOver: r.scope.carriedOver ?? false,
    component: r.scope.component ?? '',
    fundingLine: r.scope.fundingLine ?? 'central',
    commune: r.scope.commune ?? '',
    capitalType: r.scope.capitalType,
    ...figuresOf([r], () => r.scope.carriedOver ?? false, forecast ? () => forecastVndOf(r) : null),
  }));
  const groups = new Map<string, ProgressRow[]>();
  for (const [i, d] of details.entries()) {
    const key = lineKey(d);
    groups.set(key, [...(groups.get(key) ?? []), allocationRows[i] as ProgressRow]);
  }
  const lines: ReportLine[] = [...groups.values()]
    .map((members): ReportLine => {
      const first = members[0] as ProgressRow;
      return {
        component: first.scope.component ?? '',
        fundingLine: first.scope.fundingLine ?? 'central',
        commune: first.scope.commune ?? '',
        capitalType: first.scope.capitalType,
        ...figuresOf(
          members,
          (i) => members[i]?.scope.carriedOver ?? false,
          forecast ? (i) => forecastVndOf(members[i] as ProgressRow) : null,
        ),
      };
    })
    .sort(lineOrder);
  const projects: ReportProject[] = [];
  for (const line of lines) {
    const last = projects.at(-1);
    if (last?.component === line.component) last.lines.push(line);
    else projects.push({ component: line.component, lines: [line], subtotal: line });
  }
  for (const p of projects) p.subtotal = sumOf(p.lines, forecast);
  const byCapitalType = CAPITAL_TYPES.flatMap((capitalType) => {
    const of = lines.filter((l) => l.capitalType === capitalType);
    return of.length > 0 ? [{ capitalType, figures: sumOf(of, forecast) }] : [];
  });
  details.sort((a, b) => lineOrder(a, b) || vi.compare(a.title, b.title));
  return {
    fiscalYear: input.fiscalYear,
    asOf: input.asOf,
    projects,
    byCapitalType,
    total: sumOf(lines, forecast),
    details,
    forecast,
  };
};
