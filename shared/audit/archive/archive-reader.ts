import { createHash, type Hash, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import type { DossierDocument } from '../../documents/domain/dossier-document.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import { verifyChain } from '../../ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { DigestRecord } from '../app/ports.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type ArchiveCounts,
  type ArchiveHeader,
  type ArchiveProblem,
  type ArchiveProblemCode,
  type SignatureLine,
} from './archive-format.ts';
import { parsePublicKey, publicKeyText, verifyDigest } from './archive-signature.ts';

const vnd = z.number().int().nonnegative();
const sha = z.string().regex(/^[0-9a-f]{64}$/);

const headerSchema = z.object({
  record: z.literal('header'),
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  jurisdiction: z.string().min(1),
  fiscalYear: z.number().int(),
  createdAt: z.string(),
  counts: z.object({ allocations: vnd, entries: vnd, digests: vnd, documents: vnd }),
  totals: z.object({ assignedVnd: vnd, disbursedVnd: vnd }),
});

/** The fields the checks read; the rest of each record is carried as it is (and hashed, for entries). */
const bodySchema = z.discriminatedUnion('record', [
  z.object({
    record: z.literal('allocation'),
    allocation: z.looseObject({
      id: z.string().min(1),
      fiscalYear: z.number().int(),
      jurisdiction: z.string().optional(),
      assignedVnd: vnd,
      disbursedVnd: vnd,
      headSeq: z.number().int().nonnegative(),
      headHash: sha,
    }),
  }),
  z.object({
    record: z.literal('digest'),
    digest: z.looseObject({
      allocationId: z.string(),
      date: z.string(),
      seq: z.number().int().nonnegative(),
      hash: sha,
    }),
  }),
  z.object({
    record: z.literal('entry'),
    entry: z.looseObject({
      allocationId: z.string(),
      fiscalYear: z.number().int(),
      jurisdiction: z.string().optional(),
      requestId: z.string(),
      amountVnd: vnd,
      seq: z.number().int().positive(),
      prevHash: z.string(),
      hash: z.string(),
      documents: z.array(z.object({ type: z.string(), sha256: z.string() })).optional(),
    }),
  }),
  z.object({
    record: z.literal('document'),
    document: z.looseObject({
      jurisdiction: z.string(),
      requestId: z.string(),
      type: z.string(),
      sha256: sha,
      objectKey: z.string(),
      status: z.string(),
    }),
  }),
  z.object({
    record: z.literal('signature'),
    algorithm: z.literal('Ed25519'),
    sha256: sha,
    publicKey: z.string(),
    signature: z.string(),
  }),
]);

/** One allocation's block, read and verified: what an import writes. */
export interface VerifiedBlock {
  allocation: Allocation;
  digests: DigestRecord[];
  entries: LedgerEntry[];
  documents: DossierDocument[];
}

interface OpenBlock extends VerifiedBlock {
  line: number;
  /** The line each entry was read on, by seq. */
  entryLines: Map<number, number>;
}

export interface ArchiveReport {
  valid: boolean;
  /** Problems in the order a person fixes them: the signature's first, then by line. */
  problems: ArchiveProblem[];
  /** Problems found beyond those listed (the list stops at a limit). */
  moreProblems: number;
  header?: ArchiveHeader;
  counts: ArchiveCounts;
  /** SHA-256 of every byte before the signature line. */
  sha256: string;
  /** The fingerprint-ready public key the archive says it was signed with. */
  signedWith?: string;
}

const SIGNATURE_CODES: readonly ArchiveProblemCode[] = [
  'signature_missing',
  'signature_invalid',
  'untrusted_key',
];

/**
 * Reads an archive line by line and verifies it as it goes, holding one allocation's block at a time,
 * never the year: the order of the records, that every record is of the header's jurisdiction and year,
 * each allocation's hash chain from seq 1 to its head against its digests (the audit's own verifier,
 * hash-chain.ts), its disbursed total against its entries, every document an entry hashes, the header's
 * counts and totals, and the signature over the SHA-256 of every line before it with `trustedKey`.
 * {@link accept} hands back each allocation's block once verified, as long as nothing was found before.
 */
export class ArchiveReader {
  private readonly hash: Hash = createHash('sha256');
  private readonly problems: ArchiveProblem[] = [];
  private dropped = 0;
  private lineNumber = 0;
  private header: ArchiveHeader | undefined;
  private signature: SignatureLine | undefined;
  private block: OpenBlock | undefined;
  private lastAllocationId = '';
  private lastRecord: string | undefined;
  private readonly counts: ArchiveCounts = { allocations: 0, entries: 0, digests: 0, documents: 0 };
  private readonly totals = { assignedVnd: 0, disbursedVnd: 0 };

  constructor(
    private readonly trustedKey: KeyObject | undefined,
    private readonly maxProblems = 50,
  ) {}

  private problem(code: ArchiveProblemCode, vi: string, en: string, at: Partial<ArchiveProblem> = {}) {
    if (this.problems.length >= this.maxProblems) {
      this.dropped += 1;
      return;
    }
    this.problems.push({ code, ...at, vi, en });
  }

  /** Reads the next line (its bytes without the newline); the block it completes, when verified clean. */
  accept(text: string): VerifiedBlock | undefined {
    this.lineNumber += 1;
    const line = this.lineNumber;
    if (this.signature) {
      this.problem('out_of_order', 'Có dữ liệu sau dòng chữ ký.', 'There is data after the signature line.', {
        line,
      });
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.hash.update(`${text}\n`);
      this.problem('unreadable_line', 'Dòng không phải JSON hợp lệ.', 'The line is not valid JSON.', {
        line,
      });
      return undefined;
    }
    const record = (json as { record?: unknown } | null)?.record;
    if (record !== 'signature') this.hash.update(`${text}\n`);
    if (line === 1) {
      this.readHeader(json);
      return undefined;
    }
    const parsed = bodySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') ?? '';
      this.problem(
        'unreadable_line',
        `Bản ghi thiếu hoặc sai trường ${path}.`,
        `The record has a missing or wrong field ${path}: ${issue?.message ?? 'invalid'}.`,
        { line },
      );
      return undefined;
    }
    const body = parsed.data;
    let completed: OpenBlock | undefined;
    switch (body.record) {
      case 'allocation':
        completed = this.closeBlock();
        this.openBlock(body.allocation as unknown as Allocation, line);
        break;
      case 'digest':
        this.readDigest(body.digest as unknown as DigestRecord, line);
        break;
      case 'entry':
        this.readEntry(body.entry as unknown as LedgerEntry, line);
        break;
      case 'document':
        this.readDocument(body.document as unknown as DossierDocument, line);
        break;
      case 'signature':
        completed = this.closeBlock();
        this.signature = body;
        break;
    }
    this.lastRecord = body.record;
    return completed && this.problems.length === 0 ? completed : undefined;
  }

  private readHeader(json: unknown) {
    const parsed = headerSchema.safeParse(json);
    if (!parsed.success) {
      this.problem(
        'bad_header',
        `Dòng đầu không phải tiêu đề của tệp lưu trữ sổ (${ARCHIVE_FORMAT}, phiên bản ${ARCHIVE_VERSION}).`,
        `The first line is not the header of a ledger archive (${ARCHIVE_FORMAT}, version ${ARCHIVE_VERSION}).`,
        { line: 1 },
      );
      return;
    }
    this.header = parsed.data as ArchiveHeader;
  }

  private outOfOrder(line: number, what: string, vi: string) {
    this.problem('out_of_order', vi, `${what} is out of place.`, { line });
  }

  private openBlock(allocation: Allocation, line: number) {
    this.counts.allocations += 1;
    this.totals.assignedVnd += allocation.assignedVnd;
    this.totals.disbursedVnd += allocation.disbursedVnd;
    if (allocation.id <= this.lastAllocationId) {
      this.outOfOrder(
        line,
        `Allocation ${allocation.id}`,
        `Khoản vốn ${allocation.id} lặp lại hoặc sai thứ tự.`,
      );
    }
    this.lastAllocationId = allocation.id;
    if (
      this.header &&
      (allocation.fiscalYear !== this.header.fiscalYear ||
        jurisdictionOf(allocation) !== this.header.jurisdiction)
    ) {
      this.problem(
        'wrong_scope',
        `Khoản vốn thuộc ${jurisdictionOf(allocation)} năm ${allocation.fiscalYear}, không phải phạm vi của tệp.`,
        `The allocation belongs to ${jurisdictionOf(allocation)} ${allocation.fiscalYear}, not to the archive's jurisdiction and year.`,
        { line, allocationId: allocation.id },
      );
    }
    this.block = { allocation, digests: [], entries: [], documents: [], line, entryLines: new Map() };
  }

  /** The open block, or a problem when a record comes before any allocation or names another one. */
  private blockFor(allocationId: string, line: number, what: string): OpenBlock | undefined {
    if (!this.block) {
      this.outOfOrder(line, what, 'Bản ghi đứng trước mọi khoản vốn.');
      return undefined;
    }
    if (allocationId !== this.block.allocation.id) {
      this.outOfOrder(
        line,
        `${what} of allocation ${allocationId}`,
        `Bản ghi của khoản vốn ${allocationId} nằm trong khối của khoản vốn ${this.block.allocation.id}.`,
      );
      return undefined;
    }
    return this.block;
  }

  private readDigest(digest: DigestRecord, line: number) {
    this.counts.digests += 1;
    const block = this.blockFor(digest.allocationId, line, 'A digest');
    if (!block) return;
    if (block.entries.length > 0) {
      this.outOfOrder(line, 'A digest after the entries', 'Bản tóm lược ngày phải đứng trước các bút toán.');
      return;
    }
    block.digests.push(digest);
  }

  private readEntry(entry: LedgerEntry, line: number) {
    this.counts.entries += 1;
    const block = this.blockFor(entry.allocationId, line, 'An entry');
    if (!block) return;
    if (
      this.header &&
      (entry.fiscalYear !== this.header.fiscalYear || jurisdictionOf(entry) !== this.header.jurisdiction)
    ) {
      this.problem(
        'wrong_scope',
        'Bút toán không thuộc địa bàn và năm của tệp.',
        "The entry is not of the archive's jurisdiction and year.",
        { line, allocationId: entry.allocationId, seq: entry.seq },
      );
    }
    block.entries.push(entry);
    if (!block.entryLines.has(entry.seq)) block.entryLines.set(entry.seq, line);
  }

  private readDocument(document: DossierDocument, line: number) {
    this.counts.documents += 1;
    const block = this.block;
    const entry = block?.entries.at(-1);
    if (!block || (this.lastRecord !== 'entry' && this.lastRecord !== 'document') || !entry) {
      this.outOfOrder(line, 'A document', 'Chứng từ phải đứng ngay sau bút toán của hồ sơ.');
      return;
    }
    if (document.requestId !== entry.requestId || document.jurisdiction !== this.header?.jurisdiction) {
      this.problem(
        'wrong_scope',
        `Chứng từ thuộc hồ sơ ${document.requestId}, không phải hồ sơ của bút toán trước nó.`,
        `The document belongs to request ${document.requestId}, not to the entry before it.`,
        { line, allocationId: entry.allocationId, seq: entry.seq },
      );
      return;
    }
    block.documents.push(document);
  }

  /** Verifies the open block's chain, total and documents; returns it (problems, if any, are recorded). */
  private closeBlock(): OpenBlock | undefined {
    const block = this.block;
    this.block = undefined;
    if (!block) return undefined;
    const { allocation, entries, digests } = block;
    const result = verifyChain(
      entries,
      { seq: allocation.headSeq, hash: allocation.headHash },
      digests.map((d) => ({ seq: d.seq, hash: d.hash, label: `digest of ${d.date}` })),
    );
    for (const b of result.broken) {
      this.problem(
        'chain_broken',
        `Chuỗi băm không khớp tại bút toán số ${b.seq}: bút toán bị sửa, thiếu, đổi chỗ hoặc khác bản tóm lược ngày.`,
        `The hash chain breaks at seq ${b.seq}: ${b.reason}.`,
        {
          line: block.entryLines.get(b.seq) ?? block.line,
          allocationId: allocation.id,
          seq: b.seq,
        },
      );
    }
    const total = entries.reduce((sum, e) => sum + disbursedBy(e), 0);
    if (total !== allocation.disbursedVnd) {
      this.problem(
        'totals_differ',
        `Các bút toán cộng lại ${total} đồng nhưng khoản vốn ghi đã giải ngân ${allocation.disbursedVnd} đồng.`,
        `The entries add up to ${total} VND but the allocation shows ${allocation.disbursedVnd} VND disbursed.`,
        { line: block.line, allocationId: allocation.id },
      );
    }
    for (const entry of entries) {
      for (const hashed of entry.documents ?? []) {
        const found = block.documents.some(
          (d) =>
            d.requestId === entry.requestId &&
            d.type === hashed.type &&
            d.sha256 === hashed.sha256 &&
            d.status === 'verified',
        );
        if (!found) {
          this.problem(
            'document_missing',
            `Thiếu chứng từ ${hashed.type} (SHA-256 ${hashed.sha256.slice(0, 12)}…) mà bút toán ghi nhận.`,
            `The verified ${hashed.type} document (SHA-256 ${hashed.sha256.slice(0, 12)}…) the entry hashes is not in the archive.`,
            {
              line: block.entryLines.get(entry.seq) ?? block.line,
              allocationId: allocation.id,
              seq: entry.seq,
            },
          );
        }
      }
    }
    return block;
  }

  /** Ends the reading: counts, totals and the signature checked; every problem found, signature's first. */
  finish(): ArchiveReport {
    if (this.block) this.closeBlock();
    const sha256 = this.hash.digest('hex');
    const header = this.header;
    if (header) {
      for (const key of ['allocations', 'entries', 'digests', 'documents'] as const) {
        if (header.counts[key] !== this.counts[key]) {
          this.problem(
            'count_mismatch',
            `Tiêu đề ghi ${header.counts[key]} ${key} nhưng tệp có ${this.counts[key]}: có dòng bị thêm hoặc bị xoá.`,
            `The header counts ${header.counts[key]} ${key} but the file holds ${this.counts[key]}: lines were added or removed.`,
          );
        }
      }
      for (const key of ['assignedVnd', 'disbursedVnd'] as const) {
        if (header.totals[key] !== this.totals[key]) {
          this.problem(
            'totals_differ',
            `Tiêu đề ghi tổng ${key} ${header.totals[key]} đồng nhưng các khoản vốn cộng lại ${this.totals[key]} đồng.`,
            `The header's total ${key} is ${header.totals[key]} VND but the allocations add up to ${this.totals[key]} VND.`,
          );
        }
      }
    }
    this.checkSignature(sha256);
    const rank = (p: ArchiveProblem) => (SIGNATURE_CODES.includes(p.code) ? 0 : 1);
    const problems = [...this.problems].sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
    return {
      valid: problems.length === 0 && this.dropped === 0,
      problems,
      moreProblems: this.dropped,
      ...(header ? { header } : {}),
      counts: { ...this.counts },
      sha256,
      ...(this.signature ? { signedWith: this.signature.publicKey } : {}),
    };
  }

  private checkSignature(sha256: string) {
    const signature = this.signature;
    if (!signature) {
      this.problem(
        'signature_missing',
        'Tệp không có dòng chữ ký ở cuối: tệp bị cắt hoặc chưa ký.',
        'The file has no signature line at its end: it was cut short or never signed.',
      );
      return;
    }
    const line = this.lineNumber;
    if (!this.trustedKey) {
      this.problem(
        'untrusted_key',
        'Không có khoá công khai để kiểm tra chữ ký: truyền --public-key.',
        'No public key to check the signature with: pass --public-key.',
        { line },
      );
      return;
    }
    const claimed = parsePublicKey(signature.publicKey);
    if (!claimed || publicKeyText(claimed) !== publicKeyText(this.trustedKey)) {
      this.problem(
        'untrusted_key',
        'Tệp được ký bằng một khoá khác khoá công khai được tin cậy.',
        'The file was signed with another key than the trusted public key.',
        { line },
      );
      return;
    }
    if (signature.sha256 !== sha256 || !verifyDigest(sha256, signature.signature, this.trustedKey)) {
      this.problem(
        'signature_invalid',
        'Chữ ký không khớp nội dung tệp: tệp đã bị thay đổi sau khi ký.',
        'The signature does not match the content: the file was changed after it was signed.',
        { line },
      );
    }
  }
}
