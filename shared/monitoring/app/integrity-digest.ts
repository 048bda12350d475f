import type { Allocation } from '../../ledger/domain/allocation.ts';
import {
  type ApprovalPolicies,
  type ApprovalPolicy,
  policyFor as approvalPolicyFor,
  NoApprovalPolicyError,
} from '../../ledger/domain/approval-policy.ts';
import type { DeadlineRules } from '../../ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import type { Payee } from '../../payees/domain/payee.ts';
import type { SupportRule } from '../../payees/domain/support-rule.ts';
import { addDays, type IsoDate, vnMidnight } from '../../platform/vn-calendar.ts';
import {
  type BunchingFacts,
  type BunchingWindow,
  bunchingFactsFromRequests,
  bunchingFactsFromTail,
  bunchingWindowsOf,
  headIsReadable,
  tailReadFrom,
  windowPaymentsOf,
} from '../domain/integrity/deadline-bunching.ts';
import { ofTheYear } from '../domain/integrity/evaluate-integrity.ts';
import {
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
  /** Told each day once it is recorded (a first pass over a province's year takes an hour). */
  onDay?: (date: IsoDate) => void,
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
    onDay?.(date);
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

/** What a run judges the integrity rules on, read through the digest and the chains' tails. */
export interface RulesReads {
  /** The requests of every group that can make a case, in the allocations' listing order. */
  requests: DisbursementRequest[];
  /** Bunching's facts, one per allocation whose window has opened, in the allocations' order. */
  bunching: BunchingFacts[];
}

/**
 * The requests a run judges the integrity rules on, read through the digest: the candidates', those of
 * the payees sharing an account, and those created since the last digested day with the rest of their
 * groups; in the order the allocations' listings give them (allocation, then creation), so the rules
 * find the same cases in the same order as on the whole year. Bunching's facts are read apart
 * ({@link bunchingFactsThroughTails}). Undefined when no day of the year is digested yet (the caller
 * reads the year).
 */
export const requestsTheRulesJudge = async (
  deps: IntegrityDigestDeps,
  input: RulesInput,
): Promise<RulesReads | undefined> => {
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
  for (const r of fresh) ids.delete(r.id);
  const grouped = ids.size > 0 ? await deps.source.getRequests(jurisdiction, [...ids].sort()) : [];
  const windows = bunchingWindowsOf(
    input.allocations,
    input.deadlineRules,
    input.asOf,
    input.policy.deadlineBunching,
  );
  return {
    requests: inListingOrder(input.allocations, [...fresh, ...grouped]),
    bunching: await bunchingFactsThroughTails(deps.source, jurisdiction, fiscalYear, input.asOf, windows),
  };
};

/** How many allocations' chain tails a run reads at once. */
const TAILS_AT_ONCE = 8;

/**
 * Bunching's facts without the allocations' requests: for each window, the allocation's head (its paid
 * total, disbursed + recovered) and the tail of its chain back to a payment stamped before the window
 * (less the clocks' margin), then the window's requests by id; what the whole-year read finds, in
 * reads that do not grow with the allocation's earlier payments. An allocation whose head is stored out
 * of range has its requests read, as before.
 */
export const bunchingFactsThroughTails = async (
  source: Pick<IntegritySource, 'listPaymentsSince' | 'getRequests' | 'listRequestsOfAllocations'>,
  jurisdiction: string,
  fiscalYear: number,
  asOf: IsoDate,
  windows: readonly BunchingWindow[],
): Promise<BunchingFacts[]> => {
  const readable = windows.filter((w) => headIsReadable(w.allocation));
  const unreadable = windows.filter((w) => !headIsReadable(w.allocation));
  const tails = new Map<string, LedgerEntry[]>();
  for (let i = 0; i < readable.length; i += TAILS_AT_ONCE) {
    const batch = readable.slice(i, i + TAILS_AT_ONCE);
    const read = await Promise.all(
      batch.map((w) => source.listPaymentsSince(jurisdiction, w.allocation, tailReadFrom(w))),
    );
    for (const [k, w] of batch.entries()) tails.set(w.allocation.id, read[k] ?? []);
  }
  const tailOf = (w: BunchingWindow) => tails.get(w.allocation.id) ?? [];
  const ids = [
    ...new Set(readable.flatMap((w) => windowPaymentsOf(w, tailOf(w), asOf).map((e) => e.requestId))),
  ].sort();
  const paid = ids.length > 0 ? await source.getRequests(jurisdiction, ids) : [];
  const byId = new Map(paid.map((r) => [r.id, r]));
  const listed =
    unreadable.length > 0
      ? ofTheYear(
          await source.listRequestsOfAllocations(
            jurisdiction,
            unreadable.map((w) => w.allocation.id),
          ),
          fiscalYear,
          asOf,
        )
      : [];
  const fromRequests = new Map(
    bunchingFactsFromRequests(unreadable, listed, asOf).map((f) => [f.window.allocation.id, f]),
  );
  return windows.map(
    (w) => fromRequests.get(w.allocation.id) ?? bunchingFactsFromTail(w, tailOf(w), byId, asOf),
  );
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
