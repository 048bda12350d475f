import type { KeyObject } from 'node:crypto';
import type { DossierDocument } from '../../documents/domain/dossier-document.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import type { DigestRecord } from '../app/ports.ts';
import type { ArchiveCounts } from './archive-format.ts';
import { ArchiveReader, type ArchiveReport, type VerifiedBlock } from './archive-reader.ts';

/**
 * The record of a restore of one jurisdiction's fiscal year from an archive, written before anything
 * else and marked `restored` after everything else: a store holding `restoring` is half-restored.
 */
export interface RestoreMarker {
  jurisdiction: string;
  fiscalYear: number;
  /** The archive's SHA-256 (what its signature signs): only the same archive may resume a restore. */
  archiveSha256: string;
  status: 'restoring' | 'restored';
  counts: ArchiveCounts;
  startedAt: string;
  finishedAt?: string;
}

/** Records of one kind or several, written together in batches. */
export interface RestoreRecords {
  allocations?: Allocation[];
  entries?: LedgerEntry[];
  digests?: DigestRecord[];
  documents?: DossierDocument[];
}

/** Where an import writes: the table, through its own keys (platform/table/keys.ts). */
export interface RestoreStore {
  restoreMarker(jurisdiction: string, fiscalYear: number): Promise<RestoreMarker | undefined>;
  /** Whether the jurisdiction holds any allocation or ledger entry of the year. */
  holdsYear(jurisdiction: string, fiscalYear: number): Promise<boolean>;
  /** Writes the `restoring` marker unless one exists; false when one does. */
  beginRestore(marker: RestoreMarker): Promise<boolean>;
  /** Writes the records (puts: writing the same record twice is harmless). */
  writeRecords(jurisdiction: string, records: RestoreRecords): Promise<number>;
  /** Marks the restore `restored`, conditional on it being this archive's and still `restoring`. */
  finishRestore(marker: RestoreMarker): Promise<void>;
}

export type ImportOutcome =
  | { outcome: 'restored'; resumed: boolean; report: ArchiveReport; written: number }
  | { outcome: 'already-restored'; report: ArchiveReport }
  | { outcome: 'refused'; report: ArchiveReport; reason?: { vi: string; en: string } };

export interface ImportOptions {
  /** The file's lines, exact bytes without their newline, read afresh on each call (two passes). */
  lines: () => AsyncIterable<string>;
  trustedKey: KeyObject | undefined;
  store: RestoreStore;
  now: () => Date;
  progress?: (stage: 'verify' | 'write', lines: number) => void;
}

const readAll = async (
  options: Pick<ImportOptions, 'lines' | 'trustedKey' | 'progress'>,
  stage: 'verify' | 'write',
  onBlock: (block: VerifiedBlock) => Promise<void> = async () => {},
) => {
  const reader = new ArchiveReader(options.trustedKey);
  let n = 0;
  for await (const text of options.lines()) {
    const block = reader.accept(text);
    if (block) await onBlock(block);
    n += 1;
    if (n % 10_000 === 0) options.progress?.(stage, n);
  }
  return reader.finish();
};

/** Verifies an archive (signature, chains, digests, documents, counts) and writes nothing. */
export const verifyArchive = (options: Pick<ImportOptions, 'lines' | 'trustedKey' | 'progress'>) =>
  readAll(options, 'verify');

/**
 * Restores a signed archive into a store that holds nothing of its jurisdiction-year. First pass: the
 * signature, every chain, digest, document and count (nothing written when anything fails). Then the
 * `restoring` marker; second pass: each allocation's entries, digests and documents, written once its
 * block verifies again (the file is re-read, not trusted from the first pass); then, when the second
 * pass hashed to the same SHA-256, the allocations (till then the restored entries are unreachable: no
 * posting can land on a half-restored year) and the `restored` marker. A crash midway leaves the
 * marker `restoring`: running the import of the same archive again resumes it (puts are idempotent); any
 * other archive is refused there.
 */
export const importArchive = async (options: ImportOptions): Promise<ImportOutcome> => {
  const report = await readAll(options, 'verify');
  if (!report.valid || !report.header) return { outcome: 'refused', report };
  const { jurisdiction, fiscalYear } = report.header;
  const marker = await options.store.restoreMarker(jurisdiction, fiscalYear);
  if (marker && marker.archiveSha256 !== report.sha256) {
    return {
      outcome: 'refused',
      report,
      reason: {
        vi: `${jurisdiction} năm ${fiscalYear} đã ${marker.status === 'restored' ? 'được khôi phục' : 'đang được khôi phục dở'} từ một tệp lưu trữ khác (SHA-256 ${marker.archiveSha256.slice(0, 16)}…): không ghi gì.`,
        en: `${jurisdiction} ${fiscalYear} was ${marker.status === 'restored' ? 'restored' : 'half-restored'} from another archive (SHA-256 ${marker.archiveSha256.slice(0, 16)}…): nothing written.`,
      },
    };
  }
  if (marker?.status === 'restored') return { outcome: 'already-restored', report };
  const resumed = marker !== undefined;
  const begun: RestoreMarker = marker ?? {
    jurisdiction,
    fiscalYear,
    archiveSha256: report.sha256,
    status: 'restoring',
    counts: report.counts,
    startedAt: options.now().toISOString(),
  };
  if (!resumed) {
    if (await options.store.holdsYear(jurisdiction, fiscalYear)) {
      return {
        outcome: 'refused',
        report,
        reason: {
          vi: `Kho dữ liệu đã có khoản vốn hoặc bút toán của ${jurisdiction} năm ${fiscalYear}: chỉ khôi phục vào kho trống (một bảng mới). Không ghi gì.`,
          en: `The store already holds allocations or entries of ${jurisdiction} ${fiscalYear}: an archive is restored only into an empty store (a new table). Nothing written.`,
        },
      };
    }
    if (!(await options.store.beginRestore(begun))) {
      return {
        outcome: 'refused',
        report,
        reason: {
          vi: 'Một lần khôi phục khác vừa bắt đầu trên cùng địa bàn và năm: chạy lại lệnh sau khi nó xong.',
          en: 'Another restore of the same jurisdiction and year has just begun: run the import again once it ends.',
        },
      };
    }
  }
  const allocations: Allocation[] = [];
  let written = 0;
  const second = await readAll(options, 'write', async ({ allocation, entries, digests, documents }) => {
    written += await options.store.writeRecords(jurisdiction, { entries, digests, documents });
    allocations.push(allocation);
  });
  if (!second.valid || second.sha256 !== report.sha256) {
    return {
      outcome: 'refused',
      report: second,
      reason: {
        vi: 'Tệp đã thay đổi giữa hai lượt đọc: khôi phục dừng lại, chưa ghi khoản vốn nào; chạy lại với tệp đúng để tiếp tục.',
        en: 'The file changed between the two readings: the restore stopped before any allocation was written; run it again with the right file to resume.',
      },
    };
  }
  written += await options.store.writeRecords(jurisdiction, { allocations });
  await options.store.finishRestore({
    ...begun,
    status: 'restored',
    finishedAt: options.now().toISOString(),
  });
  return { outcome: 'restored', resumed, report, written };
};
