import type { AuditStore } from '../../audit/app/ports.ts';
import { readAllEntries } from '../../audit/app/read-all-entries.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../platform/vn-calendar.ts';
import type { AllocationDayAmount } from '../domain/forecast-detector.ts';

/**
 * What a jurisdiction's fiscal year disbursed, per allocation and Vietnam day, from the day after `since`
 * on: a key range of the year's posting-date index, so the read grows with what was posted since, never
 * with the ledger before it. Entries that move capital (carry-over, reallocation) count as none.
 */
export const disbursedSince = async (
  audit: Pick<AuditStore, 'queryEntries'>,
  jurisdiction: string,
  fiscalYear: number,
  since: IsoDate,
): Promise<AllocationDayAmount[]> =>
  (
    await readAllEntries(audit, {
      jurisdiction,
      fiscalYear,
      from: vnMidnight(addDays(since, 1)).toISOString(),
    })
  )
    .map((e) => ({ allocationId: e.allocationId, date: vnDateOf(e.postedAt), amountVnd: disbursedBy(e) }))
    .filter((p) => p.amountVnd > 0);
