import { describe, expect, it } from 'vitest';
import { digestJurisdictions, recordDailyDigest } from '../../shared/audit/app/ledger-audit.ts';
import type { DigestRecord } from '../../shared/audit/app/ports.ts';
import { JURISDICTIONS, jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import type { AllocationFilter } from '../../shared/ledger/app/ports.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { actor, givenAllocation, testEnv } from '../support/fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

describe('the daily digest job (no caller)', () => {
  it('reads the allocations of every configured jurisdiction, one at a time, and keeps each digest in its own', async () => {
    const ledger = new InMemoryLedgerStore();
    // 2025 in both: Tây Giang district's communes until 30 June, Đà Nẵng's new ones from 1 July.
    const a = await givenAllocation(ledger, { fiscalYear: 2025 });
    const daNangPlanner = { ...actor('planner-dn', 'planner'), jurisdiction: 'da-nang' };
    const b = await givenAllocation(ledger, { fiscalYear: 2025, commune: 'Hùng Sơn' }, daNangPlanner);
    const reads: AllocationFilter[] = [];
    const written: DigestRecord[] = [];
    const result = await recordDailyDigest({
      ...testEnv,
      store: {
        listAllocations: (filter) => {
          reads.push(filter);
          return ledger.listAllocations(filter);
        },
      },
      audit: { putDigests: async (records) => written.push(...records) },
    });

    expect(reads.map((f) => f.jurisdiction).sort()).toEqual(JURISDICTIONS.map((j) => j.id).sort());
    expect(written.map((d) => [d.allocationId, d.jurisdiction])).toEqual(
      expect.arrayContaining([
        [a.id, UPGRADE_DEFAULT_JURISDICTION],
        [b.id, 'da-nang'],
      ]),
    );
    expect(written).toHaveLength(2);
    expect(result).toMatchObject({
      allocations: 2,
      byJurisdiction: { [UPGRADE_DEFAULT_JURISDICTION]: 1, 'da-nang': 1 },
    });
  });

  it('covers the upgrade default even when the configuration no longer lists it, once', () => {
    expect(
      digestJurisdictions(jurisdictionCatalog).filter((j) => j === UPGRADE_DEFAULT_JURISDICTION),
    ).toHaveLength(1);
    expect(digestJurisdictions({ jurisdictions: [], upgradeDefault: 'old-one' })).toEqual(['old-one']);
  });
});
