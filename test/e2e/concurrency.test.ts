import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { imbalance } from '../../shared/ledger/domain/ledger-entry.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { steps, voucherFieldsFor } from './support/api-steps.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let rt: Runtime;
let s: ReturnType<typeof steps>;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
});
afterAll(async () => {
  await rt?.stop();
});

describe('concurrent traffic against one allocation', () => {
  it('accepts exactly 10 of 50 concurrent submissions when the allocation fits 10, then posts all 10 once', async () => {
    const amount = 7_000_000;
    const allocation = await s.createAllocation({ fundingLine: 'central', amountVnd: 10 * amount });

    const submissions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => s.submit(allocation.id, amount, `finance-${i % 5}`)),
    );
    const accepted = submissions.filter((r) => r.status === 201);
    const refused = submissions.filter((r) => r.status === 409);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(refused.every((r) => r.body.error.code === 'insufficient_funds')).toBe(true);
    expect(await s.getAllocation(allocation.id)).toMatchObject({ reservedVnd: 10 * amount, availableVnd: 0 });

    // Every level of all ten requests decided concurrently; the postings race for the chain head.
    const ids: string[] = accepted.map((r) => r.body.id);
    for (const level of ['district', 'province', 'treasury']) {
      const token = await s.as(`${level}-approver`, s.approver[level] ?? level);
      const decisions = await Promise.all(
        accepted.map(({ body }) =>
          s.decide(body.id, token, 'approve', undefined, voucherFieldsFor(body, level)),
        ),
      );
      expect(decisions.every((d) => d.status === 202)).toBe(true);
      await Promise.all(ids.map((id) => s.waitPast(id, level)));
    }

    const allocationAfter = await eventually(
      'all postings',
      () => s.getAllocation(allocation.id),
      (a) => a.disbursedVnd === 10 * amount,
    );
    const entries = await rt.store.listEntries(J, allocation.id);
    expect(allocationAfter).toMatchObject({ reservedVnd: 0, availableVnd: 0, headSeq: 10 });
    expect(entries).toHaveLength(10);
    expect(new Set(entries.map((e) => e.requestId)).size).toBe(10);
    expect(entries.reduce((sum, e) => sum + e.amountVnd, 0)).toBe(allocationAfter.disbursedVnd);
    expect(entries.every((e) => imbalance(e) === 0)).toBe(true);
    expect(verifyChain(entries, { seq: allocationAfter.headSeq, hash: allocationAfter.headHash }).valid).toBe(
      true,
    );
  });
});
