import type { DisbursementRequest } from '../../../ledger/domain/disbursement-request.ts';
import type { Payee } from '../../../payees/domain/payee.ts';
import { type SupportRule, supportClaimsOf } from '../../../payees/domain/support-rule.ts';
import {
  accountKeyOf,
  bySubmission,
  type IntegrityCase,
  isLive,
  payeeKeyOf,
  requestFact,
  scopeOfRequests,
  totalOf,
} from './integrity-case.ts';
import type { IntegrityPolicy } from './integrity-policy.ts';

/** Union–find over string keys: which payee keys are one household. */
const households = () => {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    const p = parent.get(k) ?? k;
    if (p === k) return k;
    const root = find(p);
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    // The smaller key is the root, so a household's key does not depend on the order read.
    if (ra === rb) return;
    const [low, high] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(high, low);
  };
  return { find, union };
};

/**
 * One household supported twice by a once-only policy ("hỗ trợ trùng"), in one commune or two. The
 * store refuses a second claim by the same register payee (already_supported); what it cannot see is a
 * household registered twice (two payees, e.g. under the husband's and the wife's citizen ID) or named
 * inline (deprecated). Payees sharing a bank account are taken as one household, and inline payees by
 * folded name, kind and commune. A request is "that support" as the support rules (config) say, whether
 * or not it holds a claim. The household (its smallest key) and the rule are the case's subject.
 */
export const findDoubleSupport = (
  requests: readonly DisbursementRequest[],
  payees: readonly Payee[],
  rules: readonly SupportRule[],
  settings: IntegrityPolicy['doubleSupport'],
): IntegrityCase[] => {
  if (!settings.enabled) return [];
  const union = households();
  const byAccount = new Map<string, string>();
  for (const p of payees) {
    const account = accountKeyOf(p.bankAccount);
    const seen = byAccount.get(account);
    if (seen === undefined) byAccount.set(account, `id:${p.id}`);
    else union.union(seen, `id:${p.id}`);
  }
  const cases: IntegrityCase[] = [];
  for (const rule of rules) {
    const supported = requests.filter(
      (r) =>
        isLive(r) &&
        // An inline payee holds no claim but is still that support: match it as if it named one.
        supportClaimsOf([rule], { ...r, payeeId: r.payeeId ?? payeeKeyOf(r) }).length > 0,
    );
    const byHousehold = new Map<string, DisbursementRequest[]>();
    for (const r of supported) {
      const household = union.find(payeeKeyOf(r));
      byHousehold.set(household, [...(byHousehold.get(household) ?? []), r]);
    }
    for (const [household, list] of byHousehold) {
      if (list.length < 2) continue;
      const ordered = bySubmission(list);
      const total = totalOf(ordered);
      cases.push({
        severity: settings.severity,
        scope: scopeOfRequests(ordered),
        details: {
          rule: 'double-support',
          subject: `${rule.id}|${household}`,
          requests: ordered.map(requestFact),
          payees: [],
          totalVnd: total,
          supportRule: rule.id,
          supportRuleLabel: rule.label.vi,
        },
      });
    }
  }
  return cases;
};
