import { AppError } from '../../platform/errors.ts';
import { ROLES } from '../../platform/roles.ts';
import { FUNDING_LINES, type FundingLine } from './funding-line.ts';

/** An approval level; which levels exist is configuration (Vietnam dropped the district tier in 2025). */
export type Level = string;

/** Who owns a project and prepares its payment dossiers ("chủ đầu tư"). */
export const INVESTOR_KINDS = ['commune', 'project-board', 'provincial-agency'] as const;
export type InvestorKind = (typeof INVESTOR_KINDS)[number];
/** The investor of an allocation recorded before investors existed: the commune. */
export const DEFAULT_INVESTOR: InvestorKind = 'commune';

/** Tiers of local government a jurisdiction may have in a year (the district tier ended on 1 July 2025). */
export const UNIT_TIERS = ['province', 'district', 'commune'] as const;
export type UnitTier = (typeof UNIT_TIERS)[number];
/** Where a level sits: a tier of the unit tree, or the State Treasury's payment control ("Kho bạc Nhà nước"). */
export type LevelTier = UnitTier | 'treasury';

/**
 * A level of a policy: the tier it sits at and the token group that decides it; its name in e-mails is
 * `label`, else the tier's ("cấp xã", the Treasury).
 */
export interface LevelDefinition {
  tier: LevelTier;
  group: string;
  label?: { vi: string; en: string };
}

/** A chain for the requests of a funding line and an investor kind; an omitted key matches any. */
export interface ChainRule {
  fundingLine?: FundingLine;
  investor?: InvestorKind;
  levels: Level[];
}

/** Amounts at or above `minAmountVnd` add `addLevel` right after `after` (first when the chain lacks it). */
export interface Threshold {
  minAmountVnd: number;
  addLevel: Level;
  after: Level;
}

/**
 * The approval policy of one jurisdiction for a range of fiscal years: its levels, the chains chosen by
 * funding line and investor (first matching rule, else the fallback), and thresholds that add levels.
 */
export interface ApprovalPolicy {
  jurisdiction: string;
  /** Inclusive; `to` absent means every later year. */
  fiscalYears: { from: number; to?: number };
  /** The unit tiers the jurisdiction has in those years: a level at another tier is refused at load. */
  tiers: UnitTier[];
  levels: Record<Level, LevelDefinition>;
  chains: ChainRule[];
  /** The chain of a request no rule matches; without it every line × investor must match a rule. */
  fallback?: Level[];
  thresholds: Threshold[];
}

/** Every policy of the deployment, and the jurisdiction of data recorded before jurisdictions existed. */
export interface ApprovalPolicies {
  defaultJurisdiction: string;
  policies: readonly ApprovalPolicy[];
}

/** One level of a request's chain, with its tier and deciding group, as stored on the request. */
export interface ResolvedLevel {
  level: Level;
  tier: LevelTier;
  group: string;
}

/** What a request's chain depends on. */
export interface ChainQuery {
  jurisdiction: string;
  fiscalYear: number;
  fundingLine: FundingLine;
  investor: InvestorKind;
  amountVnd: number;
}

/** No policy covers the jurisdiction's fiscal year: a request there cannot be routed, so it is refused. */
export class NoApprovalPolicyError extends AppError {
  readonly code = 'no_approval_policy';
  readonly status = 422;
}

/** True when the policy's fiscal years include `fiscalYear`. */
export const covers = (policy: ApprovalPolicy, fiscalYear: number): boolean =>
  fiscalYear >= policy.fiscalYears.from &&
  (policy.fiscalYears.to === undefined || fiscalYear <= policy.fiscalYears.to);

/** The policy of a jurisdiction's fiscal year, or a 422 saying which configuration is missing. */
export const policyFor = (
  { policies }: ApprovalPolicies,
  jurisdiction: string,
  fiscalYear: number,
): ApprovalPolicy => {
  const policy = policies.find((p) => p.jurisdiction === jurisdiction && covers(p, fiscalYear));
  if (policy) return policy;
  throw new NoApprovalPolicyError(
    `Chưa có chính sách phê duyệt cho ${jurisdiction}, năm kế hoạch ${fiscalYear}. ` +
      `No approval policy covers ${jurisdiction} in fiscal year ${fiscalYear}: add a policy file to ` +
      `shared/platform/config/approval-policies/ whose jurisdiction is "${jurisdiction}" and whose ` +
      `fiscalYears include ${fiscalYear}, or record the allocation in a year a policy covers.`,
    { jurisdiction, fiscalYear },
  );
};

/** The rule that chooses the chain of a line and an investor: the first that matches. */
const ruleFor = (policy: ApprovalPolicy, fundingLine: FundingLine, investor: InvestorKind) =>
  policy.chains.find(
    (r) =>
      (r.fundingLine === undefined || r.fundingLine === fundingLine) &&
      (r.investor === undefined || r.investor === investor),
  );

/** The ordered level names of a request of this line, investor and amount under one policy. */
export const chainFor = (
  policy: ApprovalPolicy,
  fundingLine: FundingLine,
  investor: InvestorKind,
  amountVnd: number,
): Level[] => {
  const base = ruleFor(policy, fundingLine, investor)?.levels ?? policy.fallback;
  if (!base) {
    // validatePolicy refuses such a policy at load; this guards a policy built in code.
    throw new Error(
      `approval policy ${policy.jurisdiction}: no chain for ${fundingLine} requests of a ${investor} investor`,
    );
  }
  const chain = [...base];
  for (const rule of policy.thresholds) {
    if (amountVnd < rule.minAmountVnd || chain.includes(rule.addLevel)) continue;
    const at = chain.indexOf(rule.after);
    // A chain that lacks the anchor level gets the extra level first.
    chain.splice(at === -1 ? 0 : at + 1, 0, rule.addLevel);
  }
  return chain;
};

/** The definition of a level; own keys only, so "constructor" is no level. */
export const levelOf = (policy: ApprovalPolicy, level: Level): LevelDefinition | undefined =>
  Object.hasOwn(policy.levels, level) ? policy.levels[level] : undefined;

/** The group that decides at a level. */
export const groupFor = (policy: ApprovalPolicy, level: Level): string => {
  const definition = levelOf(policy, level);
  if (!definition) throw new Error(`approval policy has no group for level "${level}"`);
  return definition.group;
};

/**
 * The ordered levels, with their tiers and groups, that a request must pass: chosen by the policy of
 * the jurisdiction's fiscal year from the funding line, the investor and the amount. Pure.
 */
export const approvalChainFor = (policies: ApprovalPolicies, query: ChainQuery): ResolvedLevel[] => {
  const policy = policyFor(policies, query.jurisdiction, query.fiscalYear);
  return chainFor(policy, query.fundingLine, query.investor, query.amountVnd).map((level) => {
    const definition = levelOf(policy, level);
    if (!definition) throw new Error(`approval policy has no group for level "${level}"`);
    return { level, tier: definition.tier, group: definition.group };
  });
};

/**
 * The group that decides a request's level: the one stored on the request when it was submitted, so a
 * later change of the configuration never re-routes a pending request; for a request stored before
 * levels were recorded, the policy of its jurisdiction and year (the default one for older data).
 */
export const groupForRequest = (
  policies: ApprovalPolicies,
  request: {
    jurisdiction?: string;
    fiscalYear: number;
    approvalLevels?: readonly ResolvedLevel[];
  },
  level: Level,
): string | undefined => levelForRequest(policies, request, level)?.group;

/** A request's level with its tier and group: as stored on the request, else from its policy (see groupForRequest). */
export const levelForRequest = (
  policies: ApprovalPolicies,
  request: { jurisdiction?: string; fiscalYear: number; approvalLevels?: readonly ResolvedLevel[] },
  level: Level,
): Pick<ResolvedLevel, 'tier' | 'group'> | undefined => {
  if (request.approvalLevels) return request.approvalLevels.find((l) => l.level === level);
  const policy = policyFor(
    policies,
    request.jurisdiction ?? policies.defaultJurisdiction,
    request.fiscalYear,
  );
  return levelOf(policy, level);
};

const where = (policy: ApprovalPolicy) => {
  const { from, to } = policy.fiscalYears;
  return `approval policy ${policy.jurisdiction} ${from}${to === undefined ? '+' : to === from ? '' : `–${to}`}`;
};

/** Units as data (issue 14) may tell the tiers a jurisdiction has in a year; a policy must agree with them. */
export type TiersOf = (jurisdiction: string, fiscalYear: number) => readonly UnitTier[] | undefined;

/**
 * Checks a policy is usable: each level sits at a tier the jurisdiction has (or the Treasury) and is
 * decided by a real token group; chains and thresholds name defined levels, none twice; every funding
 * line × investor gets a chain; no rule is hidden behind an earlier one. Messages say what to fix.
 */
export const validatePolicy = (policy: ApprovalPolicy, tiersOf?: TiersOf): ApprovalPolicy => {
  const at = where(policy);
  const known = tiersOf?.(policy.jurisdiction, policy.fiscalYears.from);
  if (known && [...known].sort().join() !== [...policy.tiers].sort().join()) {
    throw new Error(
      `${at}: tiers are ${policy.tiers.join(', ')} but the unit data has ${known.join(', ')}; make them agree`,
    );
  }
  for (const [level, { tier, group }] of Object.entries(policy.levels)) {
    if (tier !== 'treasury' && !policy.tiers.includes(tier)) {
      throw new Error(
        `${at}: level "${level}" sits at the ${tier} tier, which ${policy.jurisdiction} does not have in these years (tiers: ${policy.tiers.join(', ')}); remove the level or give it one of those tiers or treasury`,
      );
    }
    // Levels are configuration, but each must be decided by a real token group, or requests would wait forever.
    if (!(ROLES as readonly string[]).includes(group)) {
      throw new Error(
        `${at}: level "${level}" names the unknown group "${group}"; use one of ${ROLES.join(', ')}`,
      );
    }
  }
  const checkChain = (name: string, chain: Level[]) => {
    if (chain.length === 0) throw new Error(`${at}: the ${name} chain is empty`);
    if (new Set(chain).size !== chain.length) throw new Error(`${at}: the ${name} chain repeats a level`);
    for (const level of chain) {
      if (!levelOf(policy, level)) {
        throw new Error(
          `${at}: the ${name} chain names level "${level}", which has no group; define it under levels`,
        );
      }
    }
  };
  policy.chains.forEach((rule, i) => {
    const name = `chains[${i}] (${rule.fundingLine ?? 'any line'}, ${rule.investor ?? 'any investor'})`;
    checkChain(name, rule.levels);
    const first = policy.chains.findIndex(
      (r) =>
        (r.fundingLine === undefined || r.fundingLine === rule.fundingLine) &&
        (r.investor === undefined || r.investor === rule.investor),
    );
    if (first < i) {
      throw new Error(
        `${at}: ${name} is never used, chains[${first}] matches every request it would; put the narrower rule first or remove it`,
      );
    }
  });
  if (policy.fallback) checkChain('fallback', policy.fallback);
  else {
    for (const line of FUNDING_LINES) {
      for (const investor of INVESTOR_KINDS) {
        if (!ruleFor(policy, line, investor)) {
          throw new Error(
            `${at}: there is no chain for the ${line} funding line with a ${investor} investor; add a rule or a fallback`,
          );
        }
      }
    }
  }
  for (const rule of policy.thresholds) {
    if (!levelOf(policy, rule.addLevel)) {
      throw new Error(
        `${at}: a threshold adds level "${rule.addLevel}", which has no group; define it under levels`,
      );
    }
  }
  return policy;
};

/** Checks every policy, and that no two of one jurisdiction cover the same fiscal year. */
export const validatePolicies = (policies: ApprovalPolicies, tiersOf?: TiersOf): ApprovalPolicies => {
  for (const policy of policies.policies) validatePolicy(policy, tiersOf);
  for (const [i, a] of policies.policies.entries()) {
    for (const b of policies.policies.slice(i + 1)) {
      const overlap =
        a.jurisdiction === b.jurisdiction &&
        (a.fiscalYears.to === undefined || a.fiscalYears.to >= b.fiscalYears.from) &&
        (b.fiscalYears.to === undefined || b.fiscalYears.to >= a.fiscalYears.from);
      if (overlap) {
        throw new Error(`${where(a)} and ${where(b)} cover the same fiscal years; give each year one policy`);
      }
    }
  }
  if (!policies.policies.some((p) => p.jurisdiction === policies.defaultJurisdiction)) {
    throw new Error(
      `approval policies: the default jurisdiction "${policies.defaultJurisdiction}" has no policy`,
    );
  }
  return policies;
};
