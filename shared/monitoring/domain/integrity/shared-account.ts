import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import type { Payee } from '../../../payees/domain/payee.ts';
import {
  accountKeyOf,
  bySubmission,
  type IntegrityCase,
  isLive,
  payeeFact,
  requestFact,
  scopeOfRequests,
  totalOf,
} from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';

/** The register's payees grouped by bank account: each group of two or more payees. */
export const payeesSharingAccounts = (payees: readonly Payee[]): Payee[][] => {
  const byAccount = new Map<string, Payee[]>();
  for (const p of payees) {
    const key = accountKeyOf(p.bankAccount);
    byAccount.set(key, [...(byAccount.get(key) ?? []), p]);
  }
  return [...byAccount.values()]
    .filter((group) => group.length >= 2)
    .map((group) => [...group].sort((a, b) => a.id.localeCompare(b.id)));
};

/**
 * One bank account behind different payees ("nhiều đối tượng chung một tài khoản"): two or more payees
 * of the register (each registered under its own tax code or citizen ID) paid into one account, at
 * least one of them with a live request in the year. The account is the case's subject.
 */
export const findSharedAccounts = (
  requests: readonly DisbursementRequest[],
  payees: readonly Payee[],
  settings: IntegrityPolicy['sharedAccount'],
): IntegrityCase[] => {
  if (!settings.enabled) return [];
  const live = requests.filter(isLive);
  const cases: IntegrityCase[] = [];
  for (const group of payeesSharingAccounts(payees)) {
    const ids = new Set(group.map((p) => p.id));
    const paid = bySubmission(live.filter((r) => r.payeeId !== undefined && ids.has(r.payeeId)));
    if (paid.length === 0) continue;
    const account = (group[0] as Payee).bankAccount;
    const total = totalOf(paid);
    cases.push({
      severity: settings.severity,
      scope: scopeOfRequests(
        paid,
        group.map((p) => p.commune),
      ),
      details: {
        rule: 'shared-account',
        subject: accountKeyOf(account),
        requests: paid.map(requestFact),
        payees: group.map(payeeFact),
        totalVnd: total,
        bankAccount: { bankCode: account.bankCode, number: account.number },
      },
    });
  }
  return cases;
};
