import type { KeyObject } from 'node:crypto';
import type { DocumentStore } from '../../documents/app/ports.ts';
import type { LedgerStore } from '../../ledger/app/ports.ts';
import type { AuditStore } from '../app/ports.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type ArchiveCounts,
  type ArchiveHeader,
  archiveLine,
  type SignatureLine,
} from './archive-format.ts';
import { publicKeyText, signDigest } from './archive-signature.ts';

/** What an export reads: the allocations of the year, each one's entries page by page, digests and documents. */
export interface ArchiveSource {
  store: Pick<LedgerStore, 'listAllocations'>;
  audit: Pick<AuditStore, 'queryEntries' | 'digestsOfAllocation'>;
  documents: Pick<DocumentStore, 'listDocuments'>;
}

export interface ArchiveScope {
  jurisdiction: string;
  fiscalYear: number;
}

/** Entries read a page at a time: an allocation's chain is streamed, never held whole. */
const ENTRY_PAGE = 500;

/**
 * Writes the body of a year's archive (every line between the header and the signature), allocation by
 * allocation, in the archive's order (archive-format.ts), and returns what the header will count. Only
 * the allocations list (one item per allocation, not per entry) and one page of entries are in memory.
 * The archive is the year as of `asOf` (its header's `createdAt`): an entry posted on an allocation
 * after the allocation was read, or a digest recorded after `asOf`, waits for the next export, so a
 * year still open exports a consistent snapshot (each chain ends at the head read with its totals).
 */
export const writeArchiveBody = async (
  source: ArchiveSource,
  scope: ArchiveScope,
  asOf: Date,
  write: (line: string) => Promise<void>,
  progress: (counts: ArchiveCounts, allocationsInYear: number) => void = () => {},
): Promise<{ counts: ArchiveCounts; totals: ArchiveHeader['totals'] }> => {
  const { jurisdiction, fiscalYear } = scope;
  const allocations = (await source.store.listAllocations({ jurisdiction, fiscalYear })).sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const counts: ArchiveCounts = { allocations: 0, entries: 0, digests: 0, documents: 0 };
  const totals = { assignedVnd: 0, disbursedVnd: 0 };
  for (const allocation of allocations) {
    await write(archiveLine({ record: 'allocation', allocation }));
    counts.allocations += 1;
    totals.assignedVnd += allocation.assignedVnd;
    totals.disbursedVnd += allocation.disbursedVnd;
    const digests = (await source.audit.digestsOfAllocation(jurisdiction, allocation.id))
      .filter((d) => d.recordedAt <= asOf.toISOString())
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const digest of digests) {
      await write(archiveLine({ record: 'digest', digest }));
      counts.digests += 1;
    }
    let cursor: string | undefined;
    do {
      const page = await source.audit.queryEntries(
        { jurisdiction, fiscalYear, allocationId: allocation.id },
        ENTRY_PAGE,
        cursor,
      );
      for (const entry of page.items) {
        // Posted since the allocation was read: not in this snapshot (an older one beyond the head is kept,
        // and refused by the import's verification, as GET /ledger/verify reports it).
        if (entry.seq > allocation.headSeq && entry.postedAt >= asOf.toISOString()) continue;
        await write(archiveLine({ record: 'entry', entry }));
        counts.entries += 1;
        // The dossier the entry hashes: its documents' records (SHA-256 and object key), not the files.
        if ((entry.documents?.length ?? 0) === 0) continue;
        const documents = (await source.documents.listDocuments(jurisdiction, entry.requestId)).sort(
          (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );
        for (const document of documents) {
          await write(archiveLine({ record: 'document', document }));
          counts.documents += 1;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    progress(counts, allocations.length);
  }
  return { counts, totals };
};

export const archiveHeader = (
  scope: ArchiveScope,
  createdAt: Date,
  body: { counts: ArchiveCounts; totals: ArchiveHeader['totals'] },
): ArchiveHeader => ({
  record: 'header',
  format: ARCHIVE_FORMAT,
  version: ARCHIVE_VERSION,
  jurisdiction: scope.jurisdiction,
  fiscalYear: scope.fiscalYear,
  createdAt: createdAt.toISOString(),
  counts: body.counts,
  totals: body.totals,
});

/** The last line: the SHA-256 of every byte before it, signed. */
export const signatureLine = (sha256: string, privateKey: KeyObject): SignatureLine => ({
  record: 'signature',
  algorithm: 'Ed25519',
  sha256,
  publicKey: publicKeyText(privateKey),
  signature: signDigest(sha256, privateKey),
});
