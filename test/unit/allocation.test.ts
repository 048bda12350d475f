import { describe, expect, it } from 'vitest';
import {
  type AllocationTotals,
  adjust,
  disburse,
  release,
  reserve,
  totals,
} from '../../shared/ledger/domain/allocation.ts';
import { BelowCommittedError, InsufficientFundsError } from '../../shared/platform/errors.ts';
import { caught } from './support/caught.ts';
import { anAllocation } from './support/domain-fixtures.ts';

const someTotals = (assigned: number, reserved: number, disbursed: number): AllocationTotals => ({
  assignedVnd: assigned,
  reservedVnd: reserved,
  disbursedVnd: disbursed,
  availableVnd: assigned - reserved - disbursed,
});

describe('allocation totals', () => {
  it('takes only the four running totals from an allocation', () => {
    const allocation = anAllocation({
      assignedVnd: 900,
      reservedVnd: 100,
      disbursedVnd: 300,
      availableVnd: 500,
    });

    const result = totals(allocation);

    expect(result).toEqual({ assignedVnd: 900, reservedVnd: 100, disbursedVnd: 300, availableVnd: 500 });
  });
});

describe('reserve', () => {
  it('moves the amount from available to reserved', () => {
    const before = someTotals(1_000, 100, 200);

    const after = reserve(before, 300);

    expect(after).toEqual({ assignedVnd: 1_000, reservedVnd: 400, disbursedVnd: 200, availableVnd: 400 });
  });

  it('reserves exactly the whole available amount', () => {
    const before = someTotals(1_000, 100, 200);

    const after = reserve(before, 700);

    expect(after.availableVnd).toBe(0);
    expect(after.reservedVnd + after.disbursedVnd).toBe(after.assignedVnd);
  });

  it('refuses one đồng more than is available with insufficient_funds naming both amounts', () => {
    const before = someTotals(1_000, 100, 200);

    const error = caught(() => reserve(before, 701));

    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect(error).toMatchObject({
      code: 'insufficient_funds',
      details: { availableVnd: 700, amountVnd: 701 },
    });
  });

  it('leaves its input unchanged', () => {
    const before = someTotals(1_000, 0, 0);

    reserve(before, 10);

    expect(before).toEqual(someTotals(1_000, 0, 0));
  });
});

describe('release', () => {
  it('gives a reservation back to available', () => {
    const before = someTotals(1_000, 400, 200);

    const after = release(before, 300);

    expect(after).toEqual({ assignedVnd: 1_000, reservedVnd: 100, disbursedVnd: 200, availableVnd: 700 });
  });

  it('refuses to release more than is reserved', () => {
    const before = someTotals(1_000, 400, 200);

    expect(() => release(before, 401)).toThrow(RangeError);
  });
});

describe('disburse', () => {
  it('moves a reservation to disbursed and leaves available unchanged', () => {
    const before = someTotals(1_000, 400, 200);

    const after = disburse(before, 300);

    expect(after).toEqual({ assignedVnd: 1_000, reservedVnd: 100, disbursedVnd: 500, availableVnd: 400 });
  });

  it('refuses to disburse more than is reserved, even when enough is available', () => {
    const before = someTotals(10_000, 400, 0);

    expect(() => disburse(before, 401)).toThrow(RangeError);
  });
});

describe('adjust', () => {
  it('raises assigned and available by a positive delta', () => {
    const before = someTotals(1_000, 400, 200);

    const after = adjust(before, 500);

    expect(after).toEqual({ assignedVnd: 1_500, reservedVnd: 400, disbursedVnd: 200, availableVnd: 900 });
  });

  it('cuts assigned down to exactly reserved plus disbursed', () => {
    const before = someTotals(1_000, 400, 200);

    const after = adjust(before, -400);

    expect(after).toEqual({ assignedVnd: 600, reservedVnd: 400, disbursedVnd: 200, availableVnd: 0 });
  });

  it('refuses a cut below reserved plus disbursed with below_committed and the largest allowed cut', () => {
    const before = someTotals(1_000, 400, 200);

    const error = caught(() => adjust(before, -401));

    expect(error).toBeInstanceOf(BelowCommittedError);
    expect(error).toMatchObject({
      code: 'below_committed',
      details: { committedVnd: 600, maxCutVnd: 400, deltaVnd: -401 },
    });
  });
});
