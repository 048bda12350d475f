import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import type { CapitalType, PayeeKind } from '../../../ledger/domain/funding-line.ts';
import type { BankAccount, Payee } from '../../../payees/domain/payee.ts';
import { searchNameOf } from '../../../payees/domain/payee.ts';
import { type IsoDate, vnDateOf } from '../../../platform/vn-calendar.ts';
import type { Scope } from '../progress.ts';

/**
 * The integrity rules ("dấu hiệu bất thường") an inspector is alerted on: a payment split under an
 * approval threshold, one bank account behind different payees, one household supported twice by a
 * once-only policy, payments bunched just before a deadline. Each is tuned in
 * shared/monitoring/config/integrity.json and explained in docs/integrity.md.
 */
export const INTEGRITY_RULES = [
  'splitting',
  'shared-account',
  'double-support',
  'deadline-bunching',
] as const;
export type IntegrityRuleId = (typeof INTEGRITY_RULES)[number];

/** A request as an integrity alert names it: who, how much, when, where. */
export interface IntegrityRequestFact {
  requestId: string;
  allocationId: string;
  commune: string;
  component: string;
  capitalType: CapitalType;
  payeeId?: string;
  payeeName: string;
  amountVnd: number;
  status: DisbursementRequest['status'];
  /** The Vietnam day it was submitted. */
  submittedOn: IsoDate;
  /** The Vietnam day it was paid (posted to the ledger), once disbursed. */
  paidOn?: IsoDate;
}

/** A payee of the register as an integrity alert names it. */
export interface IntegrityPayeeFact {
  payeeId: string;
  name: string;
  kind: PayeeKind;
  commune: string;
  bankAccount: BankAccount;
}

/**
 * What a rule found: the rule, the case's subject and the facts — the requests and payees concerned,
 * with the rule's own figures. Words for people are not the domain's: the Vietnamese explanation is
 * written from these facts by shared/monitoring/presentation/integrity-explanation.ts.
 */
export interface IntegrityFacts {
  rule: IntegrityRuleId;
  /**
   * What makes the case one case from day to day (hashed into the alert id, never shown): the payee
   * and the cluster's first request (splitting), the account (shared account), the household and rule
   * (double support), the allocation and its deadline (bunching). See docs/integrity.md "Dedup".
   */
  subject: string;
  requests: IntegrityRequestFact[];
  payees: IntegrityPayeeFact[];
  /** The sum of the requests' amounts; bunching: of every payment of the allocation up to the day judged. */
  totalVnd: number;
  /** Splitting: the approval threshold the parts stay under and their sum reaches, and the level it adds. */
  thresholdVnd?: number;
  addedLevel?: string;
  /** Splitting: the window the parts fall in; bunching: the days before the deadline looked at. */
  windowDays?: number;
  /** Shared account: the account behind the payees. */
  bankAccount?: BankAccount;
  /** Double support: the support rule (config support-rules) claimed twice, and its Vietnamese label. */
  supportRule?: string;
  supportRuleLabel?: string;
  /** Bunching: the deadline, the first day of its window, the amount paid in it and its share of all paid. */
  deadline?: IsoDate;
  windowFrom?: IsoDate;
  windowVnd?: number;
  sharePercent?: number;
}

/** What an integrity alert says: the facts, and why the rule fired in Vietnamese (rendered from them). */
export interface IntegrityDetails extends IntegrityFacts {
  /** Why the rule fired, in Vietnamese, with the figures. */
  explanation: string;
}

/** A case one rule found, before it becomes a finding of the monitor. */
export interface IntegrityCase {
  severity: 'warning' | 'critical';
  scope: Scope;
  /** The allocation's title, when the case is about one allocation. */
  title?: string;
  details: IntegrityFacts;
}

/** The statuses whose money is committed or paid: a rejected, cancelled or expired request moved nothing. */
export const LIVE_STATUSES: readonly DisbursementRequest['status'][] = [
  'pending_approval',
  'approved',
  'disbursed',
];
export const isLive = (r: Pick<DisbursementRequest, 'status'>): boolean => LIVE_STATUSES.includes(r.status);

/** The request as an alert names it. */
export const requestFact = (r: DisbursementRequest): IntegrityRequestFact => ({
  requestId: r.id,
  allocationId: r.allocationId,
  commune: r.commune,
  component: r.component,
  capitalType: r.capitalType,
  ...(r.payeeId !== undefined ? { payeeId: r.payeeId } : {}),
  payeeName: r.payee.name,
  amountVnd: r.amountVnd,
  status: r.status,
  submittedOn: vnDateOf(r.createdAt),
  ...(r.status === 'disbursed' ? { paidOn: paidOn(r) } : {}),
});

/** The payee as an alert names it. */
export const payeeFact = (p: Payee): IntegrityPayeeFact => ({
  payeeId: p.id,
  name: p.name,
  kind: p.kind,
  commune: p.commune,
  bankAccount: { bankCode: p.bankAccount.bankCode, number: p.bankAccount.number },
});

/** The Vietnam day a disbursed request was posted: the posting is its last change. */
export const paidOn = (r: Pick<DisbursementRequest, 'updatedAt'>): IsoDate => vnDateOf(r.updatedAt);

/**
 * Who a request pays, as one key: the register's payee, else (an inline payee, deprecated) its folded
 * name, kind and commune — the closest an inline name comes to one payee.
 */
export const payeeKeyOf = (r: Pick<DisbursementRequest, 'payeeId' | 'payee' | 'commune'>): string =>
  r.payeeId !== undefined
    ? `id:${r.payeeId}`
    : `name:${searchNameOf(r.payee.name)}|${r.payee.kind}|${searchNameOf(r.commune)}`;

/** An account as one key: bank and number. */
export const accountKeyOf = (a: BankAccount): string => `${a.bankCode}:${a.number}`;

/** Sum of amounts. */
export const totalOf = (items: readonly { amountVnd: number }[]): number =>
  items.reduce((s, i) => s + i.amountVnd, 0);

/**
 * The narrowest scope holding every request: their allocation, else their commune, else the whole
 * jurisdiction; the capital type of the first (a case rarely mixes them). Inspectors subscribed to
 * that scope get the alert.
 */
export const scopeOfRequests = (
  requests: readonly Pick<
    DisbursementRequest,
    'allocationId' | 'capitalType' | 'fundingLine' | 'commune' | 'component'
  >[],
  communes: readonly string[] = [],
): Scope => {
  const first = requests[0];
  const capitalType = first?.capitalType ?? 'investment';
  if (first && requests.every((r) => r.allocationId === first.allocationId)) {
    return {
      level: 'allocation',
      capitalType,
      fundingLine: first.fundingLine,
      commune: first.commune,
      component: first.component,
      allocationId: first.allocationId,
    };
  }
  const all = new Set([...requests.map((r) => r.commune), ...communes]);
  const [only] = all;
  return all.size === 1 && only !== undefined
    ? { level: 'commune', capitalType, commune: only }
    : { level: 'district', capitalType };
};

/** Requests in submission order (ids break ties), so every run reads a case the same way. */
export const bySubmission = <T extends Pick<DisbursementRequest, 'createdAt' | 'id'>>(
  requests: readonly T[],
): T[] => [...requests].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
