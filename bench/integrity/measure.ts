import { policyFor } from '../../shared/ledger/domain/approval-policy.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import { evaluateIntegrity } from '../../shared/monitoring/domain/integrity/evaluate-integrity.ts';
import {
  INTEGRITY_RULES,
  type IntegrityCase,
  type IntegrityRuleId,
} from '../../shared/monitoring/domain/integrity/integrity-case.ts';
import {
  type IntegrityPolicy,
  integrityPolicyFor,
} from '../../shared/monitoring/domain/integrity/integrity-policy.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import {
  CLEAN,
  type GeneratedYear,
  generateYear,
  type PlantedCase,
  type Planting,
} from './generated-year.ts';

/** The rules' cases on a generated year, judged at the end of its last deadline (31/01 of the next year). */
export const casesOf = (year: GeneratedYear, policy?: IntegrityPolicy): IntegrityCase[] =>
  evaluateIntegrity({
    fiscalYear: year.fiscalYear,
    asOf: `${year.fiscalYear + 1}-01-31`,
    allocations: year.allocations,
    requests: year.requests,
    payees: year.payees,
    approvalPolicy: policyFor(approvalPolicies, year.jurisdiction, year.fiscalYear),
    supportRules,
    deadlineRules,
    policy: policy ?? integrityPolicyFor(integrityConfig, year.jurisdiction),
  });

/** Whether the cases found a planted case: every part of it is named by a case of its rule. */
export const isFound = (planted: PlantedCase, cases: readonly IntegrityCase[]): boolean => {
  const ofRule = cases.filter((c) => c.details.rule === planted.rule);
  switch (planted.rule) {
    case 'splitting':
    case 'double-support': {
      const named = new Set(ofRule.flatMap((c) => c.details.requests.map((r) => r.requestId)));
      return planted.requestIds.every((id) => named.has(id));
    }
    case 'shared-account':
      return ofRule.some(
        (c) => `${c.details.bankAccount?.bankCode}:${c.details.bankAccount?.number}` === planted.account,
      );
    case 'deadline-bunching':
      return ofRule.some((c) => c.scope.allocationId === planted.allocationId);
  }
};

/** What a rule is judged over on a clean year: the units that could raise a case, to state a rate. */
const unitsJudged = (year: GeneratedYear, rule: IntegrityRuleId): number => {
  switch (rule) {
    case 'splitting':
      return new Set(year.requests.map((r) => `${r.payeeId}|${r.allocationId}`)).size;
    case 'shared-account':
      return year.payees.length;
    case 'double-support':
      return new Set(year.requests.filter((r) => r.outputs?.houses).map((r) => r.payeeId)).size;
    case 'deadline-bunching':
      return year.allocations.length;
  }
};

/** Per rule: planted cases found of those planted, and false alarms on clean years over the units judged. */
export interface RuleFigures {
  rule: IntegrityRuleId;
  planted: number;
  found: number;
  cleanYears: number;
  falseAlarms: number;
  unitsJudged: number;
  /** False alarms per 1,000 units judged (payees, accounts, housed households, allocations). */
  falseAlarmsPerThousand: number;
  /** False alarms per clean year. */
  falseAlarmsPerYear: number;
}

export const PLANTING: Planting = { splitting: 5, sharedAccount: 5, doubleSupport: 4, deadlineBunching: 4 };

/**
 * Measures the rules on `years` generated years (seeds 1…years): each seed gives a clean year (false
 * alarms: every case on it) and the same seed with planted cases (detection).
 */
export const measure = (years: number, policy?: IntegrityPolicy): RuleFigures[] => {
  const figures = new Map<IntegrityRuleId, RuleFigures>(
    INTEGRITY_RULES.map((rule) => [
      rule,
      {
        rule,
        planted: 0,
        found: 0,
        cleanYears: years,
        falseAlarms: 0,
        unitsJudged: 0,
        falseAlarmsPerThousand: 0,
        falseAlarmsPerYear: 0,
      },
    ]),
  );
  for (let seed = 1; seed <= years; seed++) {
    const clean = generateYear(seed, CLEAN);
    const cleanCases = casesOf(clean, policy);
    const withPlanted = generateYear(seed, PLANTING);
    const plantedCases = casesOf(withPlanted, policy);
    for (const f of figures.values()) {
      f.falseAlarms += cleanCases.filter((c) => c.details.rule === f.rule).length;
      f.unitsJudged += unitsJudged(clean, f.rule);
    }
    for (const p of withPlanted.planted) {
      const f = figures.get(p.rule) as RuleFigures;
      f.planted++;
      if (isFound(p, plantedCases)) f.found++;
    }
  }
  return [...figures.values()].map((f) => ({
    ...f,
    falseAlarmsPerThousand:
      f.unitsJudged === 0 ? 0 : Math.round((f.falseAlarms / f.unitsJudged) * 1000 * 100) / 100,
    falseAlarmsPerYear: Math.round((f.falseAlarms / years) * 100) / 100,
  }));
};
