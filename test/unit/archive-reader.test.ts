import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureLine } from '../../shared/audit/archive/archive-export.ts';
import { type ArchiveLine, archiveLine, type BodyLine } from '../../shared/audit/archive/archive-format.ts';
import { ArchiveReader } from '../../shared/audit/archive/archive-reader.ts';
import type { DossierDocument } from '../../shared/documents/domain/dossier-document.ts';
import { aChainOfEntries, anAllocation } from './support/domain-fixtures.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const J = 'tay-giang';
const SHA = 'a'.repeat(64);

const allocation = anAllocation({ jurisdiction: J });
const { entries, head } = aChainOfEntries([1_000_000, 2_000_000, 3_000_000], allocation);
const restored = { ...allocation, headSeq: head.seq, headHash: head.hash, disbursedVnd: 6_000_000 };

const aDocument = (overrides: Partial<DossierDocument> = {}): DossierDocument => ({
  id: 'd1',
  jurisdiction: J,
  requestId: 'req-1',
  commune: 'A Tiêng',
  type: 'payment-request',
  fileName: 'x.pdf',
  contentType: 'application/pdf',
  sizeBytes: 10,
  sha256: SHA,
  objectKey: `${J}/req-1/d1`,
  status: 'verified',
  uploadedBy: 'finance-1',
  createdAt: '2024-04-01T00:00:00.000Z',
  ...overrides,
});

const body = (): BodyLine[] => [
  { record: 'allocation', allocation: restored },
  {
    record: 'digest',
    digest: {
      date: '2024-04-02',
      allocationId: allocation.id,
      fiscalYear: 2024,
      jurisdiction: J,
      seq: 2,
      hash: entries[1]?.hash ?? '',
      recordedAt: '2024-04-02T16:50:00.000Z',
    },
  },
  ...entries.map((entry): BodyLine => ({ record: 'entry', entry })),
];

/** The lines of a whole archive: a header counting `lines`, them, and a signature over both. */
const archiveOf = (lines: BodyLine[], counts?: Partial<Record<string, number>>): string[] => {
  const count = (r: string) => lines.filter((l) => l.record === r).length;
  const header: ArchiveLine = {
    record: 'header',
    format: 'giai-ngan/ledger-archive',
    version: 1,
    jurisdiction: J,
    fiscalYear: 2024,
    createdAt: '2025-02-01T00:00:00.000Z',
    counts: {
      allocations: count('allocation'),
      entries: count('entry'),
      digests: count('digest'),
      documents: count('document'),
      ...counts,
    },
    totals: {
      assignedVnd: lines.reduce((s, l) => s + (l.record === 'allocation' ? l.allocation.assignedVnd : 0), 0),
      disbursedVnd: lines.reduce(
        (s, l) => s + (l.record === 'allocation' ? l.allocation.disbursedVnd : 0),
        0,
      ),
    },
  };
  const text = [header, ...lines].map(archiveLine);
  const sha = createHash('sha256').update(text.join('')).digest('hex');
  return [...text, archiveLine(signatureLine(sha, privateKey))].map((l) => l.trimEnd());
};

const read = (lines: string[]) => {
  const reader = new ArchiveReader(publicKey);
  const blocks = lines.map((l) => reader.accept(l)).filter((b) => b !== undefined);
  return { report: reader.finish(), blocks };
};

describe('the archive reader', () => {
  it('accepts a whole, signed archive and hands back each allocation’s verified block', () => {
    const { report, blocks } = read(archiveOf(body()));
    expect(report).toMatchObject({
      valid: true,
      problems: [],
      counts: { allocations: 1, entries: 3, digests: 1 },
    });
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('refuses an entry that hashes a document the archive does not hold verified', () => {
    const lines = body();
    const first = entries[0];
    if (!first) throw new Error('no entry');
    const withDocument = { ...first, documents: [{ type: 'payment-request', sha256: SHA }] };
    const { report } = read(
      archiveOf([...lines.slice(0, 2), { record: 'entry', entry: withDocument }, ...lines.slice(3)]),
    );
    // The changed entry breaks its chain too; the missing document is reported on its own.
    expect(report.problems.map((p) => p.code)).toContain('document_missing');
    // The document there, but only pending: still missing.
    const pending = [
      ...lines.slice(0, 2),
      { record: 'entry' as const, entry: withDocument },
      { record: 'document' as const, document: aDocument({ status: 'pending' }) },
      ...lines.slice(3),
    ];
    expect(read(archiveOf(pending)).report.problems.map((p) => p.code)).toContain('document_missing');
    // A document of request 1 after the entry of request 2: not that entry's dossier.
    const misplaced = [
      ...lines.slice(0, 4),
      { record: 'document' as const, document: aDocument() },
      ...lines.slice(4),
    ];
    expect(read(archiveOf(misplaced)).report.problems).toEqual([
      expect.objectContaining({ code: 'wrong_scope', line: 6, seq: 2 }),
    ]);
  });

  it('refuses a digest after the entries, a record of another year, and a header that miscounts', () => {
    const lines = body();
    const late = [lines[0], ...lines.slice(2), lines[1]] as BodyLine[];
    expect(read(archiveOf(late)).report.problems).toContainEqual(
      expect.objectContaining({ code: 'out_of_order', line: 6 }),
    );
    const otherYear = [
      { record: 'allocation' as const, allocation: { ...restored, fiscalYear: 2023 } },
      ...lines.slice(1),
    ];
    expect(read(archiveOf(otherYear)).report.problems.map((p) => p.code)).toContain('wrong_scope');
    expect(read(archiveOf(lines, { entries: 4 })).report.problems.map((p) => p.code)).toEqual([
      'count_mismatch',
    ]);
  });

  it('refuses a file cut before its signature, and one with anything after it', () => {
    const whole = archiveOf(body());
    expect(read(whole.slice(0, -1)).report.problems.map((p) => p.code)).toEqual(['signature_missing']);
    expect(read([...whole, '{}']).report.problems.map((p) => p.code)).toEqual(['out_of_order']);
  });

  it('refuses a file without a header', () => {
    expect(read(archiveOf(body()).slice(1)).report.problems.map((p) => p.code)).toContain('bad_header');
  });
});
