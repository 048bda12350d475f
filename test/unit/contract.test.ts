import { describe, expect, it } from 'vitest';
import {
  AdvanceLimitExceededError,
  advancePercentFor,
  amendValue,
  BelowPaidError,
  type Contract,
  type ContractPolicy,
  ContractValueExceededError,
  cashOutVnd,
  claimOf,
  commitClaim,
  postClaim,
  RecoveryInvalidError,
  releaseClaim,
  requiredRecoveryVnd,
} from '../../shared/ledger/domain/contract.ts';
import { contractPolicy, loadContractPolicy } from '../../shared/platform/config/contract-policy/index.ts';
import { caught } from './support/caught.ts';
import { aSignedContract } from './support/contract-builders.ts';

const policy: ContractPolicy = {
  advanceLimits: {
    construction: [{ upToValueVnd: 10_000_000_000, maxPercent: 20 }, { maxPercent: 15 }],
    goods: [{ maxPercent: 30 }],
    services: [{ maxPercent: 30 }],
    consulting: [{ maxPercent: 25 }],
  },
  recoveryCompleteAtPercent: 80,
  advanceGuaranteeRequiredByDefault: true,
};

/** A 1,000,000,000 VND goods contract (30% advance limit), overridden where a test cares. */
const aContract = (overrides: Partial<Contract> = {}): Contract => aSignedContract(policy, {}, overrides);

const advance = (amountVnd: number) => ({ kind: 'advance' as const, amountVnd, recoveryVnd: 0 });
const payment = (amountVnd: number, recoveryVnd: number) => ({
  kind: 'payment' as const,
  amountVnd,
  recoveryVnd,
});

describe('contract policy', () => {
  it('takes the advance percent of the band the value falls in, the last band above every other', () => {
    expect(advancePercentFor(policy, 'construction', 10_000_000_000)).toBe(20);
    expect(advancePercentFor(policy, 'construction', 10_000_000_001)).toBe(15);
    expect(advancePercentFor(policy, 'consulting', 1)).toBe(25);
  });

  it('loads the shipped file: 30% for every kind, recovered in full at 80%', () => {
    for (const kind of ['construction', 'goods', 'services', 'consulting'] as const) {
      expect(advancePercentFor(contractPolicy, kind, 5_000_000_000)).toBe(30);
    }
    expect(contractPolicy.recoveryCompleteAtPercent).toBe(80);
  });

  it('refuses a broken file naming the field and the fix', () => {
    const broken = {
      source: 'x',
      advanceLimits: { construction: [{ maxPercent: 130 }], goods: [], services: [{ maxPercent: 1 }] },
      recoveryCompleteAtPercent: 0,
      advanceGuaranteeRequiredByDefault: true,
    };
    const error = caught(() => loadContractPolicy(broken, 'bad.json'));
    expect(error.message).toMatch(/bad\.json/);
    expect(error.message).toMatch(/advanceLimits\.construction\.0\.maxPercent: must be at most 100/);
    expect(error.message).toMatch(/advanceLimits\.goods: must list at least one band/);
    expect(error.message).toMatch(/advanceLimits\.consulting/);
    expect(error.message).toMatch(/recoveryCompleteAtPercent: must be greater than 0/);
  });
});

describe('advances', () => {
  it('sets the limit at the percent of the value, rounded down to the đồng', () => {
    expect(aContract().advanceLimitVnd).toBe(300_000_000);
    expect(aSignedContract(policy, { valueVnd: 999 }).advanceLimitVnd).toBe(299);
  });

  it('accepts advances up to the limit, counting those still pending', () => {
    const once = commitClaim(aContract(), advance(200_000_000));
    const twice = commitClaim(once, advance(100_000_000));
    expect(twice.pendingAdvanceVnd).toBe(300_000_000);
  });

  it('refuses an advance past the limit with advance_limit_exceeded, saying how much more fits', () => {
    const contract = aContract({ advancedVnd: 250_000_000 });
    const error = caught(() => commitClaim(contract, advance(50_000_001)));
    expect(error).toBeInstanceOf(AdvanceLimitExceededError);
    expect(error).toMatchObject({ code: 'advance_limit_exceeded', status: 422 });
    expect((error as AdvanceLimitExceededError).details).toMatchObject({ maxAdvanceVnd: 50_000_000 });
  });
});

describe('payments and the recovery rule', () => {
  // 300,000,000 advanced on 1,000,000,000: recovered in full once payments reach 800,000,000.
  const advanced = () => aContract({ advancedVnd: 300_000_000 });

  it('asks for the advance in proportion to payments, in full at 80% of the value, rounded down', () => {
    const c = advanced();
    expect(requiredRecoveryVnd(c, 0)).toBe(0);
    expect(requiredRecoveryVnd(c, 400_000_000)).toBe(150_000_000);
    expect(requiredRecoveryVnd(c, 1)).toBe(0);
    expect(requiredRecoveryVnd(c, 3)).toBe(1);
    expect(requiredRecoveryVnd(c, 799_999_999)).toBe(299_999_999);
    expect(requiredRecoveryVnd(c, 800_000_000)).toBe(300_000_000);
    expect(requiredRecoveryVnd(c, 1_000_000_000)).toBe(300_000_000);
  });

  it('accepts a recovery from the rule’s minimum up to what is outstanding', () => {
    expect(commitClaim(advanced(), payment(400_000_000, 150_000_000)).pendingRecoveryVnd).toBe(150_000_000);
    expect(commitClaim(advanced(), payment(400_000_000, 300_000_000)).pendingRecoveryVnd).toBe(300_000_000);
  });

  it('refuses a recovery below the rule with recovery_invalid, naming the range that fits', () => {
    const error = caught(() => commitClaim(advanced(), payment(400_000_000, 149_999_999)));
    expect(error).toBeInstanceOf(RecoveryInvalidError);
    expect((error as RecoveryInvalidError).details).toMatchObject({
      minRecoveryVnd: 150_000_000,
      maxRecoveryVnd: 300_000_000,
    });
    expect(error.message).toMatch(/recoveryVnd must be from 150000000 to 300000000 VND/);
  });

  it('refuses a recovery above what is outstanding, counting recoveries still pending', () => {
    const pending = commitClaim(advanced(), payment(400_000_000, 250_000_000));
    const error = caught(() => commitClaim(pending, payment(100_000_000, 60_000_000)));
    expect(error).toBeInstanceOf(RecoveryInvalidError);
    expect((error as RecoveryInvalidError).details).toMatchObject({ outstandingVnd: 50_000_000 });
  });

  it('refuses a recovery when nothing was advanced, and a recovery as large as the payment', () => {
    expect(caught(() => commitClaim(aContract(), payment(100_000_000, 1)))).toBeInstanceOf(
      RecoveryInvalidError,
    );
    const c = aContract({ advancedVnd: 300_000_000, paidVnd: 700_000_000, recoveredVnd: 262_500_000 });
    // 100,000,000 more reaches 80%: 37,500,000 is required and fits below the gross.
    expect(commitClaim(c, payment(100_000_000, 37_500_000)).pendingRecoveryVnd).toBe(37_500_000);
    const small = aContract({ advancedVnd: 300_000_000, paidVnd: 790_000_000, recoveredVnd: 296_250_000 });
    expect(caught(() => commitClaim(small, payment(3_000_000, 3_000_000))).message).toMatch(
      /must pay something in cash/,
    );
  });

  it('asks for the whole rest of the advance when a payment jumps past 80%', () => {
    const c = aContract({ advancedVnd: 300_000_000, paidVnd: 400_000_000, recoveredVnd: 150_000_000 });
    expect(caught(() => commitClaim(c, payment(500_000_000, 149_999_999)))).toBeInstanceOf(
      RecoveryInvalidError,
    );
    expect(commitClaim(c, payment(500_000_000, 150_000_000)).pendingRecoveryVnd).toBe(150_000_000);
  });

  it('refuses cumulative payments past the value with contract_value_exceeded, pending ones counted', () => {
    const c = aContract({ paidVnd: 600_000_000, pendingPaymentVnd: 300_000_000 });
    const error = caught(() => commitClaim(c, payment(100_000_001, 0)));
    expect(error).toBeInstanceOf(ContractValueExceededError);
    expect(error).toMatchObject({ code: 'contract_value_exceeded', status: 422 });
    expect((error as ContractValueExceededError).details).toMatchObject({ maxPaymentVnd: 100_000_000 });
    expect(commitClaim(c, payment(100_000_000, 0)).pendingPaymentVnd).toBe(400_000_000);
  });

  it('walks an advance to full recovery: pending, posted, and released back', () => {
    let c: Contract = aContract();
    c = { ...c, ...postClaim(commitClaim(c, advance(300_000_000)), advance(300_000_000)) };
    c = {
      ...c,
      ...postClaim(commitClaim(c, payment(400_000_000, 150_000_000)), payment(400_000_000, 150_000_000)),
    };
    const rejected = payment(200_000_000, 75_000_000);
    c = { ...c, ...releaseClaim(commitClaim(c, rejected), rejected) };
    c = {
      ...c,
      ...postClaim(commitClaim(c, payment(400_000_000, 150_000_000)), payment(400_000_000, 150_000_000)),
    };
    expect(c).toMatchObject({
      advancedVnd: 300_000_000,
      paidVnd: 800_000_000,
      recoveredVnd: 300_000_000,
      pendingPaymentVnd: 0,
      pendingRecoveryVnd: 0,
      pendingAdvanceVnd: 0,
    });
  });

  it('counts the cash out: an advance in full, a payment net of its recovery, a direct request as is', () => {
    expect(cashOutVnd({ kind: 'advance', amountVnd: 10 })).toBe(10);
    expect(cashOutVnd({ kind: 'payment', amountVnd: 10, recoveryVnd: 4 })).toBe(6);
    expect(cashOutVnd({ amountVnd: 10 })).toBe(10);
    expect(claimOf({ amountVnd: 10 })).toBeUndefined();
    expect(claimOf({ kind: 'payment', contractId: 'c', amountVnd: 10, recoveryVnd: 4 })).toEqual({
      kind: 'payment',
      contractId: 'c',
      amountVnd: 10,
      recoveryVnd: 4,
    });
  });
});

describe('amendments', () => {
  it('changes the value and the advance limit with it', () => {
    const amended = amendValue(aContract(), 2_000_000_000);
    expect(amended).toMatchObject({ valueVnd: 2_000_000_000, advanceLimitVnd: 600_000_000 });
  });

  it('refuses a value below what is paid or pending payment with below_paid', () => {
    const c = aContract({ paidVnd: 500_000_000, pendingPaymentVnd: 100_000_000 });
    const error = caught(() => amendValue(c, 599_999_999));
    expect(error).toBeInstanceOf(BelowPaidError);
    expect(error).toMatchObject({ code: 'below_paid', status: 409 });
    expect(amendValue(c, 600_000_000).valueVnd).toBe(600_000_000);
  });
});
