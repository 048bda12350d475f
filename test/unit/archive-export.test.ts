import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { archiveHeader, signatureLine, writeArchiveBody } from '../../shared/audit/archive/archive-export.ts';
import { archiveLine } from '../../shared/audit/archive/archive-format.ts';
import { ArchiveReader } from '../../shared/audit/archive/archive-reader.ts';
import { aChainOfEntries, anAllocation } from './support/domain-fixtures.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const J = 'tay-giang';

describe('the archive export', () => {
  it('exports a year still open as of its start: an entry posted after its allocation was read waits for the next export', async () => {
    const allocation = anAllocation({ jurisdiction: J });
    // Three postings in April; the allocation was read after the second (its head and totals are seq 2's).
    const { entries } = aChainOfEntries([1_000_000, 2_000_000, 3_000_000], allocation);
    const second = entries[1];
    if (!second) throw new Error('no entry');
    const read = { ...allocation, headSeq: 2, headHash: second.hash, disbursedVnd: 3_000_000 };
    const asOf = new Date('2024-04-02T12:00:00.000Z');
    const lines: string[] = [];
    const body = await writeArchiveBody(
      {
        store: { listAllocations: async () => [read] },
        audit: {
          queryEntries: async () => ({ items: entries }),
          digestsOfAllocation: async () => [
            {
              date: '2024-04-01',
              allocationId: allocation.id,
              fiscalYear: 2024,
              seq: 1,
              hash: entries[0]?.hash ?? '',
              recordedAt: '2024-04-01T16:50:00.000Z',
            },
            {
              date: '2024-04-03',
              allocationId: allocation.id,
              fiscalYear: 2024,
              seq: 3,
              hash: entries[2]?.hash ?? '',
              recordedAt: '2024-04-03T16:50:00.000Z',
            },
          ],
        },
        documents: { listDocuments: async () => [] },
      },
      { jurisdiction: J, fiscalYear: 2024 },
      asOf,
      async (line) => {
        lines.push(line);
      },
    );
    expect(body.counts).toEqual({ allocations: 1, entries: 2, digests: 1, documents: 0 });
    const text = [archiveLine(archiveHeader({ jurisdiction: J, fiscalYear: 2024 }, asOf, body)), ...lines];
    const sha = createHash('sha256').update(text.join('')).digest('hex');
    const reader = new ArchiveReader(publicKey);
    for (const line of [...text, archiveLine(signatureLine(sha, privateKey))]) reader.accept(line.trimEnd());
    expect(reader.finish()).toMatchObject({ valid: true, problems: [] });
  });
});
