import { advanceLimitOf, advancePercentFor, requiredRecoveryVnd } from '../shared/ledger/domain/contract.ts';
import { contractPolicy } from '../shared/platform/config/contract-policy/index.ts';

/**
 * How the demos pay a work through its contract: an advance, then payments that recover it by the
 * default rule (in proportion to payments, all of it once they reach the policy's percent of the
 * value), chosen so the cash the allocation pays out (the advance, plus each payment net of its
 * recovery) is exactly the amount the demo's monitor figures were made with. Illustrative figures.
 */
export interface ContractPlan {
  /** The contract's value, after its amendment when it has one. */
  valueVnd: number;
  /** The value it was signed at, when an amendment changed it (the advance is limited on this one). */
  signedValueVnd?: number;
  advanceVnd: number;
  payments: { grossVnd: number; recoveryVnd: number }[];
}

const MILLION = 1_000_000;
const millions = (vnd: number) => Math.round(vnd / MILLION) * MILLION;
const ceilMillions = (vnd: number) => Math.ceil(vnd / MILLION) * MILLION;

/** The share of a contract's value the demos advance (within the policy's limit, 30% by default). */
const ADVANCE_SHARE = 0.2;

/** The least recovery the default rule asks of payments totalling `cumulativeVnd`. */
const ruleAt = (valueVnd: number, advanceVnd: number, cumulativeVnd: number) =>
  requiredRecoveryVnd(
    {
      valueVnd,
      advancedVnd: advanceVnd,
      recoveryCompleteAtPercent: contractPolicy.recoveryCompleteAtPercent,
    },
    cumulativeVnd,
  );

/** The advance on a value: the demo's share, never above the policy's limit for works. */
const advanceOn = (valueVnd: number) =>
  Math.min(
    millions(valueVnd * ADVANCE_SHARE),
    advanceLimitOf(valueVnd, advancePercentFor(contractPolicy, 'construction', valueVnd)),
  );

/** Splits `gross` with recovery `recovery` into two payments, the first recovering what the rule asks. */
const inTwo = (valueVnd: number, advanceVnd: number, gross: number, recovery: number) => {
  const first = millions(gross * 0.55);
  const firstRecovery = Math.min(recovery, ceilMillions(ruleAt(valueVnd, advanceVnd, first)));
  return [
    { grossVnd: first, recoveryVnd: firstRecovery },
    { grossVnd: gross - first, recoveryVnd: recovery - firstRecovery },
  ];
};

/**
 * A contract paying out `cashVnd` (whole millions) by 30/09: `recovered` has payments past the
 * rule's threshold, so the advance is fully recovered; otherwise the advance is still partly
 * outstanding, on a contract of at most `ceilingVnd`. `amended` signs the contract at about 90% of its
 * final value and amends it before the first payment.
 */
export const contractPlan = (
  cashVnd: number,
  options: { ceilingVnd: number; recovered?: boolean; payments?: 1 | 2; amended?: boolean },
): ContractPlan => {
  const valueVnd = options.recovered
    ? millions(cashVnd / 0.85)
    : millions(Math.min(cashVnd / 0.6, options.ceilingVnd * 0.95));
  const signedValueVnd = options.amended ? millions(valueVnd * 0.9) : undefined;
  const advanceVnd = advanceOn(signedValueVnd ?? valueVnd);
  const amendment = signedValueVnd !== undefined ? { signedValueVnd } : {};
  if (options.recovered) {
    // Cash out = the gross of the payments: they recover the whole advance.
    const first = millions(cashVnd * 0.5);
    const firstRecovery = ceilMillions(ruleAt(valueVnd, advanceVnd, first));
    return {
      valueVnd,
      ...amendment,
      advanceVnd,
      payments: [
        { grossVnd: first, recoveryVnd: firstRecovery },
        { grossVnd: cashVnd - first, recoveryVnd: advanceVnd - firstRecovery },
      ],
    };
  }
  // Cash out = advance + gross − recovery: the least recovery (whole millions) the rule accepts.
  let recovery = 0;
  while (recovery < ruleAt(valueVnd, advanceVnd, cashVnd - advanceVnd + recovery)) recovery += MILLION;
  const gross = cashVnd - advanceVnd + recovery;
  return {
    valueVnd,
    ...amendment,
    advanceVnd,
    payments:
      options.payments === 2
        ? inTwo(valueVnd, advanceVnd, gross, recovery)
        : [{ grossVnd: gross, recoveryVnd: recovery }],
  };
};

/** One more payment of `grossVnd` after the plan's, recovering what the rule then asks (whole millions). */
export const nextPayment = (
  plan: ContractPlan,
  grossVnd: number,
): { grossVnd: number; recoveryVnd: number } => {
  const paid = plan.payments.reduce((s, p) => s + p.grossVnd, 0);
  const recovered = plan.payments.reduce((s, p) => s + p.recoveryVnd, 0);
  const owed = ruleAt(plan.valueVnd, plan.advanceVnd, paid + grossVnd) - recovered;
  return { grossVnd, recoveryVnd: Math.min(plan.advanceVnd - recovered, ceilMillions(owed)) };
};

/** The cash a plan pays out: the advance and each payment net of its recovery. */
export const cashOutOf = (plan: ContractPlan): number =>
  plan.advanceVnd + plan.payments.reduce((s, p) => s + p.grossVnd - p.recoveryVnd, 0);

/**
 * The plan with its last payment claimed in parts instead (`partsVnd`, then the rest of its gross):
 * each part recovers what the rule then asks, the last one the rest of the payment's recovery, so the
 * contract pays out the same cash. The demo's planted splitting case (local/demo-history.ts).
 */
export const splitLastPayment = (plan: ContractPlan, partsVnd: readonly number[]): ContractPlan => {
  const last = plan.payments.at(-1);
  if (!last) return plan;
  let split: ContractPlan = { ...plan, payments: plan.payments.slice(0, -1) };
  for (const part of partsVnd) split = { ...split, payments: [...split.payments, nextPayment(split, part)] };
  const taken = split.payments.slice(plan.payments.length - 1);
  const rest = {
    grossVnd: last.grossVnd - taken.reduce((s, p) => s + p.grossVnd, 0),
    recoveryVnd: last.recoveryVnd - taken.reduce((s, p) => s + p.recoveryVnd, 0),
  };
  if (rest.grossVnd <= 0 || rest.recoveryVnd < 0)
    throw new Error('splitLastPayment: the parts must leave some of the last payment and of its recovery');
  return { ...split, payments: [...split.payments, rest] };
};
