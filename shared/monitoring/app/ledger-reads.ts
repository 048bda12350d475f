import type { AuditStore, EntryQuery } from '../../audit/app/ports.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../platform/vn-calendar.ts';
import type { AllocationDayAmount } from '../domain/forecast-detector.ts';

/** Every entry a query matches, page after page (the posting-date index: one Query per page, no Scan). */
export const allEntries = async (
  audit: Pick<AuditStore, 'queryEntries'>,
  query: EntryQuery,
): Promise<LedgerEntry[]> => {
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await audit.queryEntries(query, 500, cursor);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
};

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
    await allEntries(audit, {
      jurisdiction,
      fiscalYear,
      from: vnMidnight(addDays(since, 1)).toISOString(),
    })
  )
    .map((e) => ({ allocationId: e.allocationId, date: vnDateOf(e.postedAt), amountVnd: disbursedBy(e) }))
    .filter((p) => p.amountVnd > 0);
