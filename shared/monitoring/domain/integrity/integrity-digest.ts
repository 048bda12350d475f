import { createHash } from 'node:crypto';
import { type ApprovalPolicy, DEFAULT_INVESTOR } from '../../../ledger/domain/approval-policy.ts';
import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import type { Payee } from '../../../payees/domain/payee.ts';
import { type SupportRule, supportClaimsOf } from '../../../payees/domain/support-rule.ts';
import { daysBetween, vnDateOf } from '../../../platform/vn-calendar.ts';
import { payeeKeyOf } from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';
import { payeesSharingAccounts } from './shared-account.ts';
import { thresholdsThatBite } from './splitting.ts';

/**
 * The integrity digest (issue 20): the monitor judges the integrity rules without reading the year's
 * requests. Every rule judges requests in groups, and a group can make a case only if it could with
 * every one of its requests live (a status only ever takes a request out of a case):
 *
 * - splitting: one payee on one allocation (`pair:`): some `windowDays` span holds `minParts` requests
 *   under a threshold that bites whose sum reaches it (the greedy clusters of any live subset are
 *   inside such spans);
 * - double support: one household under one support rule, two requests or more. A household of one
 *   payee key is one group (`support:`); a household of several payees is payees sharing an account;
 * - shared account: the payees sharing an account (`payee:`, every request of each);
 * - deadline bunching: an allocation, judged only once its window has opened.
 *
 * The daily job adds each closed day's requests to their groups and marks the groups that can make a
 * case (candidates). A run then reads the candidates' requests, those of the payees sharing an account
 * (the register says which), and the requests created since the last digested day with the rest of their
 * groups: every request of every group that can make a case, each group whole, with its status of now.
 * Bunching reads, for each allocation whose window has opened, its head's totals and its chain's tail
 * back past the window (deadline-bunching.ts). The rules, unchanged, find on them exactly the cases they
 * find on the whole year. What is a candidate depends on the settings: the
 * digest records their fingerprint, and a digest of other settings is not used (the job starts it over).
 */

/** A request as its groups keep it: what never changes once it is made. */
export interface DigestMember {
  id: string;
  createdAt: string;
  amountVnd: number;
  fundingLine: DisbursementRequest['fundingLine'];
  investor: NonNullable<DisbursementRequest['investor']>;
}

export const memberOf = (r: DisbursementRequest): DigestMember => ({
  id: r.id,
  createdAt: r.createdAt,
  amountVnd: r.amountVnd,
  fundingLine: r.fundingLine,
  investor: r.investor ?? DEFAULT_INVESTOR,
});

/** A member as one string (the same request, the same string: adding it again changes nothing). */
export const encodeMember = (m: DigestMember): string =>
  [m.id, m.createdAt, m.amountVnd, m.fundingLine, m.investor].join('|');

export const decodeMember = (encoded: string): DigestMember => {
  const [id = '', createdAt = '', amount = '0', fundingLine = '', investor = ''] = encoded.split('|');
  return {
    id,
    createdAt,
    amountVnd: Number(amount),
    fundingLine: fundingLine as DigestMember['fundingLine'],
    investor: investor as DigestMember['investor'],
  };
};

/** A group a request belongs to, and whether it may become a candidate. */
export interface DigestGroup {
  group: string;
  candidate: boolean;
}

/** The groups of one request. */
export const digestGroupsOf = (
  r: DisbursementRequest,
  supportRules: readonly SupportRule[],
): DigestGroup[] => {
  const payee = payeeKeyOf(r);
  return [
    { group: `pair:${payee}|${r.allocationId}`, candidate: true },
    ...(r.payeeId !== undefined ? [{ group: `payee:${r.payeeId}`, candidate: false }] : []),
    // As double support matches it: an inline payee is matched as if it named one (its key).
    ...supportRules
      .filter((rule) => supportClaimsOf([rule], { ...r, payeeId: r.payeeId ?? payee }).length > 0)
      .map((rule) => ({ group: `support:${rule.id}|${payee}`, candidate: true })),
  ];
};

/** What some requests add to the digest: each group with its new members. */
export interface DigestAddition {
  group: string;
  candidate: boolean;
  members: DigestMember[];
}

/** The additions of some requests of a fiscal year to its digest, grouped (members by id, groups sorted). */
export const digestAdditions = (
  requests: readonly DisbursementRequest[],
  fiscalYear: number,
  supportRules: readonly SupportRule[],
): DigestAddition[] => {
  const groups = new Map<string, DigestAddition>();
  for (const r of requests) {
    if (r.fiscalYear !== fiscalYear) continue;
    for (const g of digestGroupsOf(r, supportRules)) {
      const at = groups.get(g.group) ?? { ...g, members: [] };
      if (!at.members.some((m) => m.id === r.id)) at.members.push(memberOf(r));
      groups.set(g.group, at);
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, members: [...g.members].sort((a, b) => a.id.localeCompare(b.id)) }))
    .sort((a, b) => a.group.localeCompare(b.group));
};

/** The settings candidacy depends on. */
export interface CandidateSettings {
  approvalPolicy: ApprovalPolicy | undefined;
  splitting: IntegrityPolicy['splitting'];
  doubleSupport: IntegrityPolicy['doubleSupport'];
}

/**
 * Whether a whole group (every member it holds) can make a case: a `support:` group of two or more; a
 * `pair:` group whose members under a threshold that bites (for any member's line and investor) hold,
 * within `windowDays` of one of them, `minParts` or more summing to the threshold.
 */
export const isCandidate = (
  group: string,
  members: readonly DigestMember[],
  settings: CandidateSettings,
): boolean => {
  if (group.startsWith('support:')) return settings.doubleSupport.enabled && members.length >= 2;
  if (!group.startsWith('pair:')) return false;
  const { approvalPolicy: policy, splitting } = settings;
  if (!policy || !splitting.enabled || members.length < splitting.minParts) return false;
  const thresholds = new Set(
    members.flatMap((m) => thresholdsThatBite(policy, m.fundingLine, m.investor).map((t) => t.minAmountVnd)),
  );
  const ordered = [...members].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const threshold of thresholds) {
    const below = ordered.filter((m) => m.amountVnd < threshold);
    for (let i = 0; i < below.length; i++) {
      const startDay = vnDateOf((below[i] as DigestMember).createdAt);
      let sum = 0;
      let parts = 0;
      for (let j = i; j < below.length; j++) {
        const m = below[j] as DigestMember;
        if (daysBetween(startDay, vnDateOf(m.createdAt)) > splitting.windowDays) break;
        sum += m.amountVnd;
        parts += 1;
      }
      if (parts >= splitting.minParts && sum >= threshold) return true;
    }
  }
  return false;
};

/** The fingerprint of the settings a digest's candidates were judged with. */
export const candidateSettingsFingerprint = (
  settings: CandidateSettings,
  supportRules: readonly SupportRule[],
): string =>
  createHash('sha256')
    .update(
      JSON.stringify({
        version: 1,
        approvalPolicy: settings.approvalPolicy ?? null,
        splitting: settings.splitting,
        doubleSupport: settings.doubleSupport.enabled,
        supportRules: supportRules.map((r) => [r.id, r.payeeKinds, r.components, r.outputKeys]),
      }),
    )
    .digest('hex')
    .slice(0, 16);

/** The `payee:` groups a run reads: every payee of the register that shares its account with another. */
export const sharedPayeeGroups = (payees: readonly Payee[]): string[] =>
  payeesSharingAccounts(payees)
    .flat()
    .map((p) => `payee:${p.id}`);
