import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalPolicies,
  type ApprovalPolicy,
  approvalChainFor,
  type ChainQuery,
  chainFor,
  groupFor,
  groupForRequest,
  INVESTOR_KINDS,
  NoApprovalPolicyError,
  validatePolicies,
  validatePolicy,
} from '../../shared/ledger/domain/approval-policy.ts';
import { FUNDING_LINES } from '../../shared/ledger/domain/funding-line.ts';
import {
  approvalPolicyFiles,
  uncheckedApprovalPolicies,
} from '../../shared/platform/config/approval-policies/files.ts';
import { approvalPolicies, approvalPolicy } from '../../shared/platform/config/approval-policies/index.ts';
import { loadApprovalPolicies } from '../../shared/platform/config/approval-policies/load.ts';

const BELOW_THRESHOLD = 999_999_999;
const AT_THRESHOLD = 1_000_000_000;

/** A copy of the default (Tây Giang) policy that a test may change without touching the shared one. */
const editablePolicy = (): ApprovalPolicy => structuredClone(approvalPolicy);
const daNang = (): ApprovalPolicy =>
  structuredClone(approvalPolicies.policies.find((p) => p.jurisdiction === 'da-nang') as ApprovalPolicy);
const query = (overrides: Partial<ChainQuery> = {}): ChainQuery => ({
  jurisdiction: 'da-nang',
  fiscalYear: 2026,
  fundingLine: 'central',
  investor: 'commune',
  amountVnd: 100_000_000,
  ...overrides,
});
const levelsOf = (q: Partial<ChainQuery>) => approvalChainFor(approvalPolicies, query(q)).map((l) => l.level);
/** The loader's answer for one file, as its thrown message. */
const loadError = (json: unknown) => {
  try {
    loadApprovalPolicies({ 'broken.json': json }, 'tay-giang');
  } catch (error) {
    return (error as Error).message;
  }
  return 'loaded';
};

describe('tay-giang: the chains used before jurisdictions, for every investor', () => {
  // The chains of the single policy file this replaced: stored requests and their tests rely on them.
  const before = {
    community: ['commune', 'district'],
    local: ['district', 'treasury'],
    provincial: ['district', 'province', 'treasury'],
    central: ['district', 'province', 'treasury'],
  } as const;

  it.each(FUNDING_LINES.flatMap((line) => INVESTOR_KINDS.map((investor) => [line, investor] as const)))(
    'gives %s requests of a %s investor the same chain as before, below and at the threshold',
    (line, investor) => {
      const q = { jurisdiction: 'tay-giang', fiscalYear: 2024, fundingLine: line, investor };

      const below = levelsOf({ ...q, amountVnd: BELOW_THRESHOLD });
      const at = levelsOf({ ...q, amountVnd: AT_THRESHOLD });

      expect(below).toEqual(before[line]);
      const withLeader: string[] = [...before[line]];
      withLeader.splice(withLeader.indexOf('district') + 1, 0, 'district-leader');
      expect(at).toEqual(withLeader);
    },
  );

  it('covers every fiscal year from 2000 on, as the single policy did', () => {
    expect(levelsOf({ jurisdiction: 'tay-giang', fiscalYear: 2000, fundingLine: 'local' })).toEqual([
      'district',
      'treasury',
    ]);
    expect(levelsOf({ jurisdiction: 'tay-giang', fiscalYear: 2090, fundingLine: 'local' })).toEqual([
      'district',
      'treasury',
    ]);
  });

  it('names each level with its tier and the token group of DESIGN §6', () => {
    const chain = approvalChainFor(
      approvalPolicies,
      query({ jurisdiction: 'tay-giang', fiscalYear: 2024, amountVnd: AT_THRESHOLD }),
    );

    expect(chain).toEqual([
      { level: 'district', tier: 'district', group: 'approver-district' },
      { level: 'district-leader', tier: 'district', group: 'approver-district-leader' },
      { level: 'province', tier: 'province', group: 'approver-province' },
      { level: 'treasury', tier: 'treasury', group: 'treasury' },
    ]);
  });
});

describe('da-nang 2026: two tiers, no district level', () => {
  it.each([
    ['central', 'commune', ['commune', 'treasury']],
    ['provincial', 'commune', ['commune', 'treasury']],
    ['local', 'commune', ['commune', 'treasury']],
    ['community', 'commune', ['commune']],
    ['central', 'project-board', ['city', 'treasury']],
    ['local', 'provincial-agency', ['city', 'treasury']],
  ] as const)('routes %s requests of a %s investor through %j', (fundingLine, investor, expected) => {
    expect(levelsOf({ fundingLine, investor })).toEqual(expected);
  });

  it('has no level at the district tier for any line, investor or amount', () => {
    for (const fundingLine of FUNDING_LINES)
      for (const investor of INVESTOR_KINDS)
        for (const amountVnd of [1, 4_999_999_999, 5_000_000_000, 900_000_000_000]) {
          const chain = approvalChainFor(approvalPolicies, query({ fundingLine, investor, amountVnd }));
          expect(chain.map((l) => l.tier)).not.toContain('district');
          expect(chain.map((l) => l.level)).not.toContain('district');
        }
  });

  it('adds the city level after the commune from 5,000,000,000 VND, once', () => {
    expect(levelsOf({ amountVnd: 4_999_999_999 })).toEqual(['commune', 'treasury']);
    expect(levelsOf({ amountVnd: 5_000_000_000 })).toEqual(['commune', 'city', 'treasury']);
    expect(levelsOf({ investor: 'project-board', amountVnd: 5_000_000_000 })).toEqual(['city', 'treasury']);
  });

  it('has the city decided by the province group and the Treasury by the treasury group', () => {
    expect(approvalChainFor(approvalPolicies, query({ investor: 'project-board' }))).toEqual([
      { level: 'city', tier: 'province', group: 'approver-province' },
      { level: 'treasury', tier: 'treasury', group: 'treasury' },
    ]);
  });
});

describe('a year or jurisdiction no policy covers', () => {
  it.each([
    ['da-nang', 2025],
    ['hue', 2026],
    ['tay-giang', 1999],
  ])(
    'refuses %s %i with a 422 no_approval_policy saying, in Vietnamese and English, what to add',
    (jurisdiction, fiscalYear) => {
      let error: unknown;
      try {
        approvalChainFor(approvalPolicies, query({ jurisdiction, fiscalYear }));
      } catch (e) {
        error = e;
      }

      expect(error).toBeInstanceOf(NoApprovalPolicyError);
      expect(error).toMatchObject({
        code: 'no_approval_policy',
        status: 422,
        details: { jurisdiction, fiscalYear },
      });
      const message = (error as Error).message;
      expect(message).toContain(
        `Chưa có chính sách phê duyệt cho ${jurisdiction}, năm kế hoạch ${fiscalYear}`,
      );
      expect(message).toContain(`No approval policy covers ${jurisdiction} in fiscal year ${fiscalYear}`);
      expect(message).toContain('shared/platform/config/approval-policies/');
    },
  );
});

describe('chain rules', () => {
  it('takes the first rule that matches, and the fallback when none does', () => {
    const policy = daNang();
    policy.chains = [{ fundingLine: 'central', investor: 'project-board', levels: ['city', 'treasury'] }];
    policy.fallback = ['commune'];

    expect(chainFor(policy, 'central', 'project-board', 1)).toEqual(['city', 'treasury']);
    expect(chainFor(policy, 'central', 'commune', 1)).toEqual(['commune']);
    expect(chainFor(policy, 'local', 'project-board', 1)).toEqual(['commune']);
  });

  it('puts the extra level first on a chain that lacks the anchor level', () => {
    const policy = editablePolicy();
    policy.chains = [{ levels: ['treasury'] }];

    expect(chainFor(policy, 'local', 'commune', AT_THRESHOLD)).toEqual(['district-leader', 'treasury']);
  });

  it('does not add a level the chain already has', () => {
    const policy = editablePolicy();
    policy.chains = [{ levels: ['district', 'district-leader', 'treasury'] }];

    expect(chainFor(policy, 'local', 'commune', AT_THRESHOLD)).toEqual([
      'district',
      'district-leader',
      'treasury',
    ]);
  });

  it('applies every threshold the amount reaches, each after its anchor', () => {
    const policy = editablePolicy();
    policy.levels['province-leader'] = { tier: 'province', group: 'approver-province' };
    policy.thresholds.push({ minAmountVnd: 5_000_000_000, addLevel: 'province-leader', after: 'province' });

    const between = chainFor(policy, 'central', 'commune', 4_999_999_999);
    const above = chainFor(policy, 'central', 'commune', 5_000_000_000);

    expect(between).toEqual(['district', 'district-leader', 'province', 'treasury']);
    expect(above).toEqual(['district', 'district-leader', 'province', 'province-leader', 'treasury']);
  });

  it('returns a new array each time, so a caller cannot change the policy through it', () => {
    const chain = chainFor(approvalPolicy, 'local', 'commune', 1);

    chain.push('province');

    expect(chainFor(approvalPolicy, 'local', 'commune', 1)).toEqual(['district', 'treasury']);
  });
});

describe('groupFor and groupForRequest', () => {
  it('fails for a level the policy does not define, or one named like an Object.prototype member', () => {
    expect(() => groupFor(approvalPolicy, 'ward')).toThrow(/no group for level "ward"/);
    expect(() => groupFor(approvalPolicy, 'constructor')).toThrow(/no group for level "constructor"/);
  });

  it('reads the group stored on the request, whatever the configuration says now', () => {
    const request = {
      fiscalYear: 2024,
      approvalLevels: [{ level: 'district', tier: 'district' as const, group: 'approver-province' }],
    };

    expect(groupForRequest(approvalPolicies, request, 'district')).toBe('approver-province');
    expect(groupForRequest(approvalPolicies, request, 'treasury')).toBeUndefined();
  });

  it('reads an older request (no stored levels) through the policy of its jurisdiction and year', () => {
    expect(groupForRequest(approvalPolicies, { fiscalYear: 2024 }, 'district-leader')).toBe(
      'approver-district-leader',
    );
    expect(groupForRequest(approvalPolicies, { jurisdiction: 'da-nang', fiscalYear: 2026 }, 'city')).toBe(
      'approver-province',
    );
    expect(groupForRequest(approvalPolicies, { fiscalYear: 2024 }, 'constructor')).toBeUndefined();
  });
});

describe('validatePolicy', () => {
  it('accepts the configured policies', () => {
    for (const policy of approvalPolicies.policies)
      expect(validatePolicy(structuredClone(policy))).toEqual(policy);
  });

  it('rejects a level at a tier the jurisdiction does not have in those years', () => {
    const policy = daNang();
    policy.levels.district = { tier: 'district', group: 'approver-district' };

    expect(() => validatePolicy(policy)).toThrow(
      'approval policy da-nang 2026+: level "district" sits at the district tier, which da-nang does not have in these years (tiers: province, commune)',
    );
  });

  it('rejects tiers that disagree with the unit data when it is given', () => {
    const tiersOf = () => ['province', 'district', 'commune'] as const;

    expect(() => validatePolicy(daNang(), tiersOf)).toThrow(
      /tiers are province, commune but the unit data has province, district, commune/,
    );
    expect(validatePolicy(daNang(), () => ['commune', 'province'])).toMatchObject({
      jurisdiction: 'da-nang',
    });
  });

  it('rejects a level decided by a group no token carries, naming the groups to use', () => {
    const policy = daNang();
    policy.levels.city = { tier: 'province', group: 'approver-city' };

    expect(() => validatePolicy(policy)).toThrow(
      /level "city" names the unknown group "approver-city"; use one of planner/,
    );
  });

  it.each([
    ['an empty chain', [], /chains\[1\] \(any line, commune\) chain is empty/],
    [
      'a repeated level',
      ['commune', 'treasury', 'commune'],
      /chains\[1\] \(any line, commune\) chain repeats a level/,
    ],
    [
      'an undefined level',
      ['commune', 'ward'],
      /names level "ward", which has no group; define it under levels/,
    ],
    ['a prototype member', ['toString'], /names level "toString", which has no group/],
  ])('rejects %s in a chain, naming the rule', (_, levels, message) => {
    const policy = daNang();
    (policy.chains[1] as { levels: string[] }).levels = levels;

    expect(() => validatePolicy(policy)).toThrow(message);
  });

  it('rejects a policy where a line and investor get no chain and there is no fallback', () => {
    const policy = daNang();
    policy.chains = policy.chains.filter((r) => r.investor !== 'provincial-agency');

    expect(() => validatePolicy(policy)).toThrow(
      /there is no chain for the central funding line with a provincial-agency investor; add a rule or a fallback/,
    );
    policy.fallback = ['city', 'treasury'];
    expect(validatePolicy(policy)).toBe(policy);
  });

  it('rejects a rule that an earlier, wider rule hides', () => {
    const policy = daNang();
    policy.chains.push({ fundingLine: 'local', investor: 'commune', levels: ['city'] });

    expect(() => validatePolicy(policy)).toThrow(
      /chains\[4\] \(local, commune\) is never used, chains\[1\] matches every request it would/,
    );
  });

  it('rejects a threshold that adds a level without a group', () => {
    const policy = editablePolicy();
    policy.thresholds = [{ minAmountVnd: 1, addLevel: 'minister', after: 'district' }];

    expect(() => validatePolicy(policy)).toThrow(/a threshold adds level "minister", which has no group/);
  });
});

describe('validatePolicies', () => {
  const both = (second: ApprovalPolicy): ApprovalPolicies => ({
    defaultJurisdiction: 'tay-giang',
    policies: [editablePolicy(), second],
  });

  it('rejects two policies of one jurisdiction that cover the same year', () => {
    const later = editablePolicy();
    later.fiscalYears = { from: 2026, to: 2027 };

    expect(() => validatePolicies(both(later))).toThrow(
      'approval policy tay-giang 2000+ and approval policy tay-giang 2026–2027 cover the same fiscal years; give each year one policy',
    );
  });

  it('accepts consecutive periods of one jurisdiction', () => {
    const early = editablePolicy();
    early.fiscalYears = { from: 2000, to: 2025 };
    const later = daNang();
    later.jurisdiction = 'tay-giang';

    expect(
      validatePolicies({ defaultJurisdiction: 'tay-giang', policies: [early, later] }).policies,
    ).toHaveLength(2);
  });

  it('rejects a default jurisdiction that has no policy', () => {
    expect(() => validatePolicies({ defaultJurisdiction: 'quang-nam', policies: [daNang()] })).toThrow(
      'approval policies: the default jurisdiction "quang-nam" has no policy',
    );
  });
});

describe('policy files', () => {
  it('lists every JSON file of the folder, so a new file cannot be forgotten', () => {
    const folder = new URL('../../shared/platform/config/approval-policies/', import.meta.url);
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));

    expect(Object.keys(approvalPolicyFiles).sort()).toEqual(files.sort());
  });

  it('gives the dashboard (which reads them unchecked, without zod) the same policies the server checks', () => {
    expect(uncheckedApprovalPolicies).toEqual(approvalPolicies);
  });

  it.each([
    [{ jurisdiction: 'X' }, /broken\.json: jurisdiction: must be a lower-case name/],
    [{ fundingLine: 'regional' }, /broken\.json: chains\.0\.fundingLine: Invalid option: expected one of/],
    [{ tiers: ['province', 'ward'] }, /broken\.json: tiers\.1: Invalid option/],
    [{ fiscalYears: { from: 2026, to: 2025 } }, /broken\.json: fiscalYears: to must not be before from/],
    [{ extra: true }, /broken\.json: \(the document\): Unrecognized key: "extra"/],
  ])('names the file and the field of a malformed document (%j)', (change, message) => {
    const json: Record<string, unknown> = structuredClone(approvalPolicyFiles['da-nang-2026.json']) as Record<
      string,
      unknown
    >;
    if ('fundingLine' in change)
      (json.chains as Record<string, unknown>[])[0] = { ...change, levels: ['commune'] };
    else Object.assign(json, change);

    expect(loadError(json)).toMatch(message);
  });

  it('names the file of a document that parses but does not hold together', () => {
    const json = structuredClone(approvalPolicyFiles['da-nang-2026.json']) as { tiers: string[] };
    json.tiers = ['province'];

    expect(loadError(json)).toMatch(
      /^approval policy file broken\.json: approval policy da-nang 2026\+: level "commune" sits at the commune tier/,
    );
  });
});
