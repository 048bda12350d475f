import { describe, expect, it } from 'vitest';
import {
  type ApprovalPolicy,
  chainFor,
  groupFor,
  validatePolicy,
} from '../../shared/ledger/domain/approval-policy.ts';
import { FUNDING_LINES } from '../../shared/ledger/domain/funding-line.ts';
import { approvalPolicy } from '../../shared/platform/config/index.ts';

const BELOW_THRESHOLD = 999_999_999;
const AT_THRESHOLD = 1_000_000_000;

/** A copy of the default policy that a test may change without touching the shared one. */
const editablePolicy = (): ApprovalPolicy => structuredClone(approvalPolicy);

describe('the default approval policy', () => {
  it.each([
    ['community', ['commune', 'district']],
    ['local', ['district', 'treasury']],
    ['provincial', ['district', 'province', 'treasury']],
    ['central', ['district', 'province', 'treasury']],
  ] as const)('gives the %s line the chain %j below 1,000,000,000 VND', (line, expected) => {
    const chain = chainFor(approvalPolicy, line, BELOW_THRESHOLD);

    expect(chain).toEqual(expected);
  });

  it.each([
    ['community', ['commune', 'district', 'district-leader']],
    ['local', ['district', 'district-leader', 'treasury']],
    ['provincial', ['district', 'district-leader', 'province', 'treasury']],
    ['central', ['district', 'district-leader', 'province', 'treasury']],
  ] as const)(
    'adds district-leader right after district on the %s line at 1,000,000,000 VND',
    (line, expected) => {
      const chain = chainFor(approvalPolicy, line, AT_THRESHOLD);

      expect(chain).toEqual(expected);
    },
  );

  it('adds district-leader to amounts far above the threshold too', () => {
    const chain = chainFor(approvalPolicy, 'central', 250_000_000_000);

    expect(chain).toEqual(['district', 'district-leader', 'province', 'treasury']);
  });

  it('does not add district-leader at 999,999,999 VND on any line', () => {
    const chains = FUNDING_LINES.map((line) => chainFor(approvalPolicy, line, BELOW_THRESHOLD));

    for (const chain of chains) expect(chain).not.toContain('district-leader');
  });

  it('returns a new array each time, so a caller cannot change the policy through it', () => {
    const chain = chainFor(approvalPolicy, 'local', 1);

    chain.push('province');

    expect(chainFor(approvalPolicy, 'local', 1)).toEqual(['district', 'treasury']);
    expect(approvalPolicy.chains.local).toEqual(['district', 'treasury']);
  });

  it('maps every level to the token group of DESIGN §6', () => {
    const groups = ['commune', 'district', 'district-leader', 'province', 'treasury'].map((level) =>
      groupFor(approvalPolicy, level),
    );

    expect(groups).toEqual([
      'approver-commune',
      'approver-district',
      'approver-district-leader',
      'approver-province',
      'treasury',
    ]);
  });

  it('passes its own validation', () => {
    const policy = editablePolicy();

    expect(validatePolicy(policy)).toBe(policy);
  });
});

describe('chainFor with configured thresholds', () => {
  it('puts the extra level first on a line whose chain lacks the anchor level', () => {
    const policy = editablePolicy();
    policy.chains.local = ['treasury'];

    const chain = chainFor(policy, 'local', AT_THRESHOLD);

    expect(chain).toEqual(['district-leader', 'treasury']);
  });

  it('does not add a level the chain already has', () => {
    const policy = editablePolicy();
    policy.chains.local = ['district', 'district-leader', 'treasury'];

    const chain = chainFor(policy, 'local', AT_THRESHOLD);

    expect(chain).toEqual(['district', 'district-leader', 'treasury']);
  });

  it('applies every threshold the amount reaches, each after its anchor', () => {
    const policy = editablePolicy();
    policy.levels['province-leader'] = 'approver-province';
    policy.thresholds.push({ minAmountVnd: 5_000_000_000, addLevel: 'province-leader', after: 'province' });

    const between = chainFor(policy, 'central', 4_999_999_999);
    const above = chainFor(policy, 'central', 5_000_000_000);

    expect(between).toEqual(['district', 'district-leader', 'province', 'treasury']);
    expect(above).toEqual(['district', 'district-leader', 'province', 'province-leader', 'treasury']);
  });
});

describe('groupFor', () => {
  it('fails for a level the policy does not define', () => {
    expect(() => groupFor(approvalPolicy, 'ward')).toThrow(/no group for level "ward"/);
  });

  it('fails for a level named like an Object.prototype member', () => {
    expect(() => groupFor(approvalPolicy, 'constructor')).toThrow(/no group for level "constructor"/);
  });
});

describe('validatePolicy', () => {
  it('rejects an empty chain, naming the line', () => {
    const policy = editablePolicy();
    policy.chains.provincial = [];

    expect(() => validatePolicy(policy)).toThrow(/provincial chain is empty/);
  });

  it('rejects a chain level that has no group', () => {
    const policy = editablePolicy();
    policy.chains.community = ['commune', 'ward'];

    expect(() => validatePolicy(policy)).toThrow(/no group for level "ward"/);
  });

  it('rejects a threshold that adds a level without a group', () => {
    const policy = editablePolicy();
    policy.thresholds = [{ minAmountVnd: 1, addLevel: 'minister', after: 'district' }];

    expect(() => validatePolicy(policy)).toThrow(/no group for level "minister"/);
  });

  it('rejects a chain that repeats a level', () => {
    const policy = editablePolicy();
    policy.chains.local = ['district', 'treasury', 'district'];

    expect(() => validatePolicy(policy)).toThrow(/local chain repeats a level/);
  });

  it('rejects a policy with no chain for one of the four funding lines', () => {
    const policy = editablePolicy();
    delete (policy.chains as Partial<ApprovalPolicy['chains']>).community;

    expect(() => validatePolicy(policy)).toThrow(/no chain for the community funding line/);
  });

  it('rejects a chain level named like an Object.prototype member', () => {
    const policy = editablePolicy();
    policy.chains.central = ['district', 'toString', 'treasury'];

    expect(() => validatePolicy(policy)).toThrow(/no group for level "toString"/);
  });
});
