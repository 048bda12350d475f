import type { Allocation } from '../../../ledger/domain/allocation.ts';
import type { ApprovalPolicy } from '../../../ledger/domain/approval-policy.ts';
import type { DeadlineRules } from '../../../ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import type { Payee } from '../../../payees/domain/payee.ts';
import type { SupportRule } from '../../../payees/domain/support-rule.ts';
import { type IsoDate, vnDateOf } from '../../../platform/vn-calendar.ts';
import type { Finding } from '../lag-detector.ts';
import { type BunchingFacts, findDeadlineBunching, judgeDeadlineBunching } from './deadline-bunching.ts';
import { findDoubleSupport } from './double-support.ts';
import { type IntegrityCase, payeeFact } from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';
import { findSharedAccounts } from './shared-account.ts';
import { findSplitting } from './splitting.ts';

/** What the rules read of one jurisdiction's fiscal year. */
export interface IntegrityInput {
  fiscalYear: number;
  asOf: IsoDate;
  /** The year's allocations (their deadlines and titles). */
  allocations: readonly Allocation[];
  /** The requests drawing on them, whatever their status. */
  requests: readonly DisbursementRequest[];
  /**
   * What bunching judges, read apart (the allocations' heads and the tails of their chains: the
   * monitor's reads through the digest); absent, bunching is judged on `requests`.
   */
  bunching?: readonly BunchingFacts[];
  /** The jurisdiction's payee register. */
  payees: readonly Payee[];
  /** The approval policy of the jurisdiction's year (thresholds), when one covers it. */
  approvalPolicy: ApprovalPolicy | undefined;
  supportRules: readonly SupportRule[];
  deadlineRules: DeadlineRules;
  policy: IntegrityPolicy;
}

/**
 * Every rule's cases of one jurisdiction's fiscal year, each with the payees it names from the
 * register, in a stable order (rule, then subject), so two runs on the same data say the same.
 */
export const evaluateIntegrity = (input: IntegrityInput): IntegrityCase[] => {
  const { policy } = input;
  const year = ofTheYear(input.requests, input.fiscalYear, input.asOf);
  const cases = [
    ...findSplitting(year, () => input.approvalPolicy, policy.splitting),
    ...findSharedAccounts(year, input.payees, policy.sharedAccount),
    ...findDoubleSupport(year, input.payees, input.supportRules, policy.doubleSupport),
    ...(input.bunching
      ? judgeDeadlineBunching(input.bunching, policy.deadlineBunching)
      : findDeadlineBunching(
          input.allocations,
          year,
          input.deadlineRules,
          input.asOf,
          policy.deadlineBunching,
        )),
  ];
  const byId = new Map(input.payees.map((p) => [p.id, p]));
  const titles = new Map(input.allocations.map((a) => [a.id, a.title]));
  return cases.map((c) => {
    const named = c.details.payees.length > 0 ? c.details.payees : payeesNamed(c, byId);
    const title = c.title ?? (c.scope.allocationId ? titles.get(c.scope.allocationId) : undefined);
    return { ...c, ...(title ? { title } : {}), details: { ...c.details, payees: named } };
  });
};

/** The requests the rules judge: those of the fiscal year made by the day judged. */
export const ofTheYear = (
  requests: readonly DisbursementRequest[],
  fiscalYear: number,
  asOf: IsoDate,
): DisbursementRequest[] =>
  requests.filter((r) => r.fiscalYear === fiscalYear && vnDateOf(r.createdAt) <= asOf);

/** The register's payees a case's requests name, in order of first mention. */
const payeesNamed = (c: IntegrityCase, byId: ReadonlyMap<string, Payee>) => {
  const ids = [...new Set(c.details.requests.flatMap((r) => (r.payeeId ? [r.payeeId] : [])))];
  return ids.flatMap((id) => {
    const p = byId.get(id);
    return p ? [payeeFact(p)] : [];
  });
};

/**
 * The findings of the cases, for the monitor's alert path (one alert per case: docs/integrity.md), each
 * with its explanation: `explain` writes it from the case's facts (the domain writes no words for
 * people; the monitor passes shared/monitoring/presentation/integrity-explanation.ts).
 */
export const integrityFindings = (
  cases: readonly IntegrityCase[],
  fiscalYear: number,
  asOf: IsoDate,
  explain: (c: IntegrityCase) => string,
): Finding[] =>
  cases.map((c) => ({
    kind: 'integrity',
    severity: c.severity,
    fiscalYear,
    day: asOf,
    scope: c.scope,
    ...(c.title ? { title: c.title } : {}),
    laggingAllocations: [],
    stalledRequests: [],
    stalledTotal: 0,
    integrity: { ...c.details, explanation: explain(c) },
  }));
