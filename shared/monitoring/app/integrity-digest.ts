import type { Allocation } from '../../ledger/domain/allocation.ts';
import {
  type ApprovalPolicies,
  type ApprovalPolicy,
  policyFor as approvalPolicyFor,
  NoApprovalPolicyError,
} from '../../ledger/domain/approval-policy.ts';
import type { DeadlineRules } from '../../ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import type { Payee } from '../../payees/domain/payee.ts';
import type { SupportRule } from '../../payees/domain/support-rule.ts';
import { addDays, type IsoDate, vnMidnight } from '../../platform/vn-calendar.ts';
import {
  allocationsInBunchingWindow,
  type CandidateSettings,
  candidateSettingsFingerprint,
  digestAdditions,
  isCandidate,
  sharedPayeeGroups,
} from '../domain/integrity/integrity-digest.ts';
import {
  type IntegrityConfig,
  type IntegrityPolicy,
  integrityPolicyFor,
} from '../domain/integrity/integrity-policy.ts';
import type { IntegrityDigestStore, IntegritySource } from './ports.ts';

/** The approval policy of a jurisdiction's year, or none (splitting then has no threshold to judge). */
export const approvalPolicyOrNone = (
  policies: ApprovalPolicies,
  jurisdiction: string,
  fiscalYear: number,
): ApprovalPolicy | undefined => {
  try {
    return approvalPolicyFor(policies, jurisdiction, fiscalYear);
  } catch (error) {
    if (error instanceof NoApprovalPolicyError) return undefined;
    throw error;
  }
};

/** The settings a jurisdiction's year judges candidates with, from the deployment's config. */
export const candidateSettingsFrom =
  (config: IntegrityConfig, policies: ApprovalPolicies) =>
  (jurisdiction: string, fiscalYear: number): CandidateSettings => {
    const policy = integrityPolicyFor(config, jurisdiction);
    return {
      approvalPolicy: approvalPolicyOrNone(policies, jurisdiction, fiscalYear),
      splitting: policy.splitting,
      doubleSupport: policy.doubleSupport,
    };
  };

export interface IntegrityDigestDeps {
  source: IntegritySource;
  digest: IntegrityDigestStore;
  supportRules: readonly SupportRule[];
  /** The settings candidacy is judged with, for a jurisdiction's fiscal year. */
  settingsOf: (jurisdiction: string, fiscalYear: number) => CandidateSettings;
}

/**
 * The daily job's part (beside the day summaries): adds the requests created on each closed day of a
 * fiscal year, after its last digested day, to their groups, marks the groups that can now make a case,
 * oldest day first, then records the day. The first day also takes every request created before it (a
 * request of the year made in the year before). Safe to rerun and to stop anywhere: adding a member
 * again changes nothing, a group is marked whole, and a day is recorded only once its requests are all
 * in. A digest judged with other settings is started over from the first day. At most `maxDays` a run.
 */
export const digestClosedDays = async (
  deps: IntegrityDigestDeps,
  jurisdiction: string,
  fiscalYear: number,
  firstDay: () => Promise<IsoDate>,
  yesterday: IsoDate,
  maxDays: number,
): Promise<{ days: number; requests: number }> => {
  const settings = deps.settingsOf(jurisdiction, fiscalYear);
  const fingerprint = candidateSettingsFingerprint(settings, deps.supportRules);
  const stored = await deps.digest.digestDay(jurisdiction, fiscalYear);
  const last = stored?.settings === fingerprint ? stored.date : undefined;
  let date = last !== undefined ? addDays(last, 1) : await firstDay();
  let days = 0;
  let requests = 0;
  for (; date <= yesterday && days < maxDays; days++, date = addDays(date, 1)) {
    const from = last === undefined && days === 0 ? undefined : vnMidnight(date).toISOString();
    const made = await deps.source.listRequestsCreatedBetween(
      jurisdiction,
      from,
      vnMidnight(addDays(date, 1)).toISOString(),
    );
    const whole = await deps.digest.addToGroups(
      jurisdiction,
      fiscalYear,
      digestAdditions(made, fiscalYear, deps.supportRules),
    );
    await deps.digest.markCandidates(
      jurisdiction,
      fiscalYear,
      whole.filter((g) => isCandidate(g.group, g.members, settings)),
    );
    await deps.digest.setDigestDay(jurisdiction, fiscalYear, date, fingerprint);
    requests += made.filter((r) => r.fiscalYear === fiscalYear).length;
  }
  return { days, requests };
};

/** What a run judges the integrity rules on, besides the digest. */
export interface RulesInput {
  jurisdiction: string;
  fiscalYear: number;
  asOf: IsoDate;
  /** The year's allocations, in their listing's order. */
  allocations: readonly Allocation[];
  payees: readonly Payee[];
  deadlineRules: DeadlineRules;
  policy: IntegrityPolicy;
}

/**
 * The requests a run judges the integrity rules on, read through the digest: the candidates', those of
 * the payees sharing an account, those created since the last digested day with the rest of their
 * groups, and those of the allocations whose bunching window has opened; in the order the allocations'
 * listings give them (allocation, then creation), so the rules find the same cases in the same order as
 * on the whole year. Undefined when no day of the year is digested yet (the caller reads the year).
 */
export const requestsTheRulesJudge = async (
  deps: IntegrityDigestDeps & {
    source: Pick<IntegritySource, 'listRequestsOfAllocations'>;
  },
  input: RulesInput,
): Promise<DisbursementRequest[] | undefined> => {
  const { jurisdiction, fiscalYear } = input;
  const digested = await deps.digest.digestDay(jurisdiction, fiscalYear);
  const fingerprint = candidateSettingsFingerprint(
    deps.settingsOf(jurisdiction, fiscalYear),
    deps.supportRules,
  );
  // A digest of other settings may lack candidates of these: not used (the job starts it over).
  if (digested === undefined || digested.settings !== fingerprint) return undefined;
  const last = digested.date;
  const fresh = (
    await deps.source.listRequestsCreatedBetween(jurisdiction, vnMidnight(addDays(last, 1)).toISOString())
  ).filter((r) => r.fiscalYear === fiscalYear);
  // A `payee:` group serves only shared accounts, whose payees the register names: the `payee:` group
  // of a new request of any other payee (a contractor paid thousands of times) is not read.
  const groups = [
    ...new Set([
      ...sharedPayeeGroups(input.payees),
      ...digestAdditions(fresh, fiscalYear, deps.supportRules)
        .map((a) => a.group)
        .filter((g) => !g.startsWith('payee:')),
    ]),
  ].sort();
  const ids = new Set([
    ...(await deps.digest.candidateIds(jurisdiction, fiscalYear)),
    ...(await deps.digest.groupIds(jurisdiction, fiscalYear, groups)),
  ]);
  const opened = allocationsInBunchingWindow(
    input.allocations,
    input.deadlineRules,
    input.asOf,
    input.policy.deadlineBunching,
  );
  const windowed =
    opened.length > 0
      ? await deps.source.listRequestsOfAllocations(
          jurisdiction,
          opened.map((a) => a.id),
        )
      : [];
  for (const r of [...fresh, ...windowed]) ids.delete(r.id);
  const grouped = ids.size > 0 ? await deps.source.getRequests(jurisdiction, [...ids].sort()) : [];
  return inListingOrder(input.allocations, [...fresh, ...windowed, ...grouped]);
};

/**
 * Requests as the allocations' listings give them: by allocation in the year's listing order, then by
 * `<createdAt>#<id>` (the listing's sort key); each once, those of other allocations left out.
 */
export const inListingOrder = (
  allocations: readonly Pick<Allocation, 'id'>[],
  requests: readonly DisbursementRequest[],
): DisbursementRequest[] => {
  const rank = new Map(allocations.map((a, i) => [a.id, i]));
  const byId = new Map<string, DisbursementRequest>();
  for (const r of requests) if (rank.has(r.allocationId) && !byId.has(r.id)) byId.set(r.id, r);
  const sortKey = (r: DisbursementRequest) => `${r.createdAt}#${r.id}`;
  return [...byId.values()].sort(
    (a, b) =>
      (rank.get(a.allocationId) ?? 0) - (rank.get(b.allocationId) ?? 0) ||
      (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0),
  );
};
