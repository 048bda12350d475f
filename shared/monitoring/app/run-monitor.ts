import type { AuditStore } from '../../audit/app/ports.ts';
import { forecastReadDates } from '../../forecast/domain/series-from-totals.ts';
import { splitAllocations } from '../../ledger/domain/allocation.ts';
import type { ApprovalPolicies } from '../../ledger/domain/approval-policy.ts';
import { type DeadlineRules, deadlineOf } from '../../ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import type { Payee } from '../../payees/domain/payee.ts';
import type { SupportRule } from '../../payees/domain/support-rule.ts';
import { type Actor, restrictFilter, scopeOf } from '../../platform/access.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { TotalsProblem } from '../../platform/total-range.ts';
import { daysBetween, type IsoDate, isIsoDate, vnDateOf, yearOf } from '../../platform/vn-calendar.ts';
import type { WorkingCalendar } from '../../platform/working-days.ts';
import { alertJurisdiction, toAlert } from '../domain/alert.ts';
import { curvesEnd } from '../domain/expected-curve.ts';
import { beyondCriticalLag, detectForecastMisses, forecastScopes } from '../domain/forecast-detector.ts';
import { evaluateIntegrity, integrityFindings } from '../domain/integrity/evaluate-integrity.ts';
import { type IntegrityConfig, integrityPolicyFor } from '../domain/integrity/integrity-policy.ts';
import { detectFindings, type Finding, findStalledRequests } from '../domain/lag-detector.ts';
import { type MonitoringConfig, policyFor } from '../domain/monitoring-policy.ts';
import { measureProgress, type ProgressRow, type Scope } from '../domain/progress.ts';
import { explainIntegrity } from '../presentation/integrity-explanation.ts';
import { approvalPolicyOrNone, candidateSettingsFrom, requestsTheRulesJudge } from './integrity-digest.ts';
import { disbursedBetweenReadDates } from './ledger-reads.ts';
import type {
  AlertPublisher,
  AlertStore,
  DaySnapshotStore,
  IntegrityDigestStore,
  IntegritySource,
  ProgressSource,
} from './ports.ts';

/** What the integrity rules need: their reads, their settings, and the config they judge against. */
export interface IntegrityDeps {
  source: IntegritySource;
  config: IntegrityConfig;
  /** The approval thresholds splitting is judged against. */
  approvalPolicies: ApprovalPolicies;
  /** The once-only supports double support is judged against. */
  supportRules: readonly SupportRule[];
  /** The deadlines bunching is judged against (an allocation's own, else these). */
  deadlineRules: DeadlineRules;
  /**
   * The integrity digest the daily job keeps (app/integrity-digest.ts): with it a run reads the requests
   * of the groups that can make a case and those made since the last digested day, not the year's.
   */
  digest?: IntegrityDigestStore;
}

export interface MonitorDeps {
  progress: ProgressSource;
  /**
   * The ledger's posting-date index: forecasts read what was posted within their recent window only
   * (docs/monitoring.md, Forecast alerts: the cost).
   */
  entries: Pick<AuditStore, 'queryEntries'>;
  /**
   * The day snapshots: with them the forecasts read the window's few days (a snapshot each) and the
   * entries after the last snapshotted day, not every entry of the window.
   */
  snapshots?: DaySnapshotStore;
  alerts: AlertStore;
  publisher: AlertPublisher;
  config: MonitoringConfig;
  /** Which days are working days: stalled approvals are counted in them. */
  calendar: WorkingCalendar;
  now: () => Date;
  /** The jurisdictions the deployment serves: a run confined to none measures each, apart. */
  jurisdictions: readonly string[];
  /** The integrity rules (docs/integrity.md); absent, a run judges progress and stalled approvals only. */
  integrity?: IntegrityDeps;
}

/** How many findings' alerts a run records and queues at once. */
const ALERTS_AT_ONCE = 16;

/** A run's parameters: both optional (today in Vietnam; the fiscal years still disbursing then). */
export interface MonitorInput {
  asOf?: IsoDate;
  fiscalYear?: number;
  /**
   * Confines the run to one commune: only the scopes about it (its roll-up, its allocations, its
   * stalled requests) are reported, recorded and queued. Set from a commune-scoped caller's claim.
   */
  commune?: string;
  /**
   * Confines the run to one jurisdiction (the caller's). Without it every jurisdiction of the
   * deployment is measured, each apart (each read in its own partitions): a roll-up never mixes two
   * jurisdictions' money.
   */
  jurisdiction?: string;
}

export interface MonitorResult {
  asOf: IsoDate;
  fiscalYears: number[];
  rows: ProgressRow[];
  findings: (Finding & { alertId: string; queued: boolean })[];
  /** Alerts put on the queue by this run. */
  queued: number;
  /** Findings whose alert an earlier run of the same day had already queued. */
  alreadyQueued: number;
  /** Allocations left out of the run because a total is stored out of range. */
  problems: TotalsProblem[];
}

/**
 * The fiscal years of a jurisdiction whose plan may still be disbursed at a date: the date's own year
 * and, until the last milestone of its curves for the year before (31 January by default), that year.
 */
export const openFiscalYears = (config: MonitoringConfig, asOf: IsoDate, jurisdiction: string): number[] => {
  const year = yearOf(asOf);
  return [year - 1, year].filter(
    (fy) =>
      daysBetween(`${fy}-01-01`, asOf) >= 0 &&
      daysBetween(asOf, curvesEnd(policyFor(config, fy, jurisdiction).curves, fy)) >= 0,
  );
};

/**
 * One monitoring pass ("giám sát tiến độ giải ngân"): progress of every roll-up against the expected
 * curve, stalled approvals, forecasts missing their deadline target, integrity cases (when
 * `deps.integrity` is wired), and one alert per finding on the alerts queue. An alert's id is
 * deterministic per scope, kind, severity and day, and recorded with a conditional write before it
 * is queued, so a second run on the same day queues nothing new.
 */
export const runMonitor = async (deps: MonitorDeps, input: MonitorInput = {}): Promise<MonitorResult> => {
  if (input.asOf !== undefined && !isIsoDate(input.asOf)) {
    throw new ValidationError(`asOf: "${input.asOf}" is not a calendar date written YYYY-MM-DD.`);
  }
  const asOf = input.asOf ?? vnDateOf(deps.now());
  // Measured over every allocation, then cut to the run's commune: its figures are exactly those of a
  // district-wide run, so its alerts (same ids) are the ones the daily run would queue, never a
  // "district" roll-up of one commune's money that would take the real one's place for the day.
  const inRun = (scope: Pick<Scope, 'commune'>) =>
    input.commune === undefined || scope.commune === input.commune;
  const jurisdictions = input.jurisdiction !== undefined ? [input.jurisdiction] : deps.jurisdictions;
  // Each jurisdiction's open years (its own curves say until when), and its pending requests, read once.
  const yearsOf = new Map(
    jurisdictions.map((j) => [
      j,
      input.fiscalYear !== undefined ? [input.fiscalYear] : openFiscalYears(deps.config, asOf, j),
    ]),
  );
  const fiscalYears = [...new Set([...yearsOf.values()].flat())].sort((a, b) => a - b);
  const pendingOf = new Map<string, DisbursementRequest[]>();
  for (const j of jurisdictions) {
    if ((yearsOf.get(j) ?? []).length > 0) pendingOf.set(j, await deps.progress.listPendingRequests(j));
  }
  // Each jurisdiction's register, read once a run and awaited where it is read: a read left running
  // while another fails would reject with nobody awaiting it.
  const payeesOf = new Map<string, Payee[]>();
  const rows: ProgressRow[] = [];
  const found: Finding[] = [];
  const problems: TotalsProblem[] = [];
  for (const fiscalYear of fiscalYears) {
    for (const jurisdiction of jurisdictions) {
      if (!(yearsOf.get(jurisdiction) ?? []).includes(fiscalYear)) continue;
      const policy = policyFor(deps.config, fiscalYear, jurisdiction);
      const listed = await deps.progress.listAllocationsOfYear(jurisdiction, fiscalYear);
      const allocations = splitAllocations(listed);
      const ownIds = new Set(listed.filter((a) => inRun({ commune: a.commune })).map((a) => a.id));
      problems.push(...allocations.problems.filter((p) => ownIds.has(p.allocationId)));
      const inJurisdiction = <T extends { scope: Scope }>(x: T): T => ({
        ...x,
        scope: { ...x.scope, jurisdiction },
      });
      const yearRows = measureProgress(allocations.items, policy, fiscalYear, asOf).map(inJurisdiction);
      const stalled = findStalledRequests(
        pendingOf.get(jurisdiction) ?? [],
        policy,
        fiscalYear,
        asOf,
        deps.calendar,
      );
      rows.push(...yearRows.filter((row) => inRun(row.scope)));
      // Forecasts: the running totals, and what was posted since the start of the forecast's window.
      const postings =
        allocations.items.length > 0
          ? await disbursedBetweenReadDates(
              { ...(deps.snapshots ? { snapshots: deps.snapshots } : {}), audit: deps.entries },
              jurisdiction,
              fiscalYear,
              forecastReadDates(fiscalYear, asOf, asOf),
              vnDateOf(deps.now()),
            )
          : [];
      const forecasts = forecastScopes({
        allocations: allocations.items,
        postings,
        curves: policy.curves,
        fiscalYear,
        asOf,
        deadlineOf: (a) => deadlineOf(deadlineRules, a),
      });
      const lagAndStalled = detectFindings(yearRows, stalled, policy, fiscalYear, asOf);
      found.push(
        ...[
          ...lagAndStalled,
          ...beyondCriticalLag(
            detectForecastMisses(forecasts, policy.forecastMiss, fiscalYear, asOf),
            lagAndStalled,
          ),
        ]
          .map(inJurisdiction)
          .filter((f) => inRun(f.scope)),
      );
      if (deps.integrity) {
        const integrity = deps.integrity;
        const payees = payeesOf.get(jurisdiction) ?? (await integrity.source.listPayees(jurisdiction));
        payeesOf.set(jurisdiction, payees);
        const integrityPolicy = integrityPolicyFor(integrity.config, jurisdiction);
        const digested = integrity.digest
          ? await requestsTheRulesJudge(
              {
                source: integrity.source,
                digest: integrity.digest,
                supportRules: integrity.supportRules,
                settingsOf: candidateSettingsFrom(integrity.config, integrity.approvalPolicies),
              },
              {
                jurisdiction,
                fiscalYear,
                asOf,
                allocations: listed,
                payees,
                deadlineRules: integrity.deadlineRules,
                policy: integrityPolicy,
              },
            )
          : undefined;
        const cases = evaluateIntegrity({
          fiscalYear,
          asOf,
          allocations: listed,
          // Without a digested day (a new deployment, before the daily job's first run): the year's.
          ...(digested ?? {
            requests: await integrity.source.listRequestsOfAllocations(
              jurisdiction,
              listed.map((a) => a.id),
            ),
          }),
          payees,
          approvalPolicy: approvalPolicyOrNone(integrity.approvalPolicies, jurisdiction, fiscalYear),
          supportRules: integrity.supportRules,
          deadlineRules: integrity.deadlineRules,
          policy: integrityPolicy,
        });
        found.push(
          ...integrityFindings(cases, fiscalYear, asOf, explainIntegrity)
            .map(inJurisdiction)
            .filter((f) => inRun(f.scope)),
        );
      }
    }
  }

  const createdAt = deps.now().toISOString();
  const findings: MonitorResult['findings'] = [];
  const record = async (finding: Finding) => {
    const alert = toAlert(finding, createdAt);
    const mustQueue = await deps.alerts.recordAlert(alert);
    if (mustQueue) {
      await deps.publisher.publish(alert);
      // Marked after the send: a run that dies in between leaves it unmarked, and the next run queues it.
      await deps.alerts.markAlertQueued(alertJurisdiction(alert), alert.id, createdAt);
    }
    return { ...finding, alertId: alert.id, queued: mustQueue };
  };
  // A few alerts at a time, each recorded, sent and marked in turn: a province's first run of the day
  // has a thousand findings, which one after the other outlast the API's 29 s (issue 20: its 503s).
  for (let i = 0; i < found.length; i += ALERTS_AT_ONCE) {
    findings.push(...(await Promise.all(found.slice(i, i + ALERTS_AT_ONCE).map(record))));
  }
  const queued = findings.filter((f) => f.queued).length;
  return { asOf, fiscalYears, rows, findings, queued, alreadyQueued: findings.length - queued, problems };
};

/**
 * A run asked for over the API. A commune-scoped caller's run is confined to their commune: it sees,
 * records and queues only that commune's findings, so only they are e-mailed (docs/monitoring.md).
 */
export const startMonitorRun = (
  deps: MonitorDeps,
  actor: Actor,
  input: Omit<MonitorInput, 'commune' | 'jurisdiction'>,
): Promise<MonitorResult> => runMonitor(deps, restrictFilter(scopeOf(actor), input));
