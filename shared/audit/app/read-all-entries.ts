import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import type { AuditStore, EntryQuery } from './ports.ts';

/** Every entry a ledger query matches, in posting order, read page by page (500 a page). */
export const readAllEntries = async (
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
