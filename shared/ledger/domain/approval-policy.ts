import { ROLES, type Role } from '../../platform/roles.ts';
import { FUNDING_LINES, type FundingLine } from './funding-line.ts';

/** An approval level; which levels exist is configuration (Vietnam dropped the district tier in 2025). */
export type Level = string;

/** Per funding line, an ordered chain of levels, plus amount thresholds that add levels. */
export interface ApprovalPolicy {
  /** The token group that decides at each level. */
  levels: Record<Level, Role>;
  chains: Record<FundingLine, Level[]>;
  thresholds: { minAmountVnd: number; addLevel: Level; after: Level }[];
}

/** The ordered levels a request of this line and amount must pass. */
export const chainFor = (policy: ApprovalPolicy, line: FundingLine, amountVnd: number): Level[] => {
  const chain = [...policy.chains[line]];
  for (const rule of policy.thresholds) {
    if (amountVnd < rule.minAmountVnd || chain.includes(rule.addLevel)) continue;
    const at = chain.indexOf(rule.after);
    // A line whose chain lacks the anchor level gets the extra level first.
    chain.splice(at === -1 ? 0 : at + 1, 0, rule.addLevel);
  }
  return chain;
};

/** The group that decides at a level. */
export const groupFor = (policy: ApprovalPolicy, level: Level): Role => {
  // Own keys only: a level named like an Object.prototype member ("constructor") has no group.
  const group = Object.hasOwn(policy.levels, level) ? policy.levels[level] : undefined;
  if (!group) throw new Error(`approval policy has no group for level "${level}"`);
  return group;
};

/** Checks a policy is usable: every funding line has a chain, every chain level has a group, no level twice in a chain. */
export const validatePolicy = (policy: ApprovalPolicy): ApprovalPolicy => {
  for (const line of FUNDING_LINES) {
    const chain = policy.chains[line];
    if (!Array.isArray(chain))
      throw new Error(`approval policy: there is no chain for the ${line} funding line`);
    if (chain.length === 0) throw new Error(`approval policy: the ${line} chain is empty`);
    if (new Set(chain).size !== chain.length)
      throw new Error(`approval policy: the ${line} chain repeats a level`);
    for (const level of chain) groupFor(policy, level);
  }
  for (const rule of policy.thresholds) groupFor(policy, rule.addLevel);
  // Levels are configuration, but each must be decided by a real token group, or requests would wait forever.
  for (const [level, group] of Object.entries(policy.levels)) {
    if (!(ROLES as readonly string[]).includes(group)) {
      throw new Error(
        `approval policy: level "${level}" names the unknown group "${group}"; use one of ${ROLES.join(', ')}`,
      );
    }
  }
  return policy;
};
