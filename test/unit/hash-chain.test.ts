import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  GENESIS_HASH,
  hashOf,
  sha256Hex,
  verifyChain,
} from '../../shared/ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { aChainOfEntries } from './support/domain-fixtures.ts';

const AMOUNTS = [40_000_000, 20_000_000, 1_200_000_000, 7_500_000, 300_000_000];

/** The entry recomputed with a new hash, as a forger who knows the algorithm would write it. */
const rehashed = (entry: LedgerEntry): LedgerEntry => ({ ...entry, hash: hashOf<LedgerEntry>(entry) });

/** An object with the same keys and values inserted in reverse order, at every depth. */
const reversedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  );
};

const brokenSeqs = (result: ReturnType<typeof verifyChain>) =>
  [...new Set(result.broken.map((b) => b.seq))].sort((x, y) => x - y);

describe('canonicalJson', () => {
  it('writes the same text whatever order the keys were inserted in, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: 2, p: 3 }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: 3, q: 2 }] }, b: 1 };

    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":3,"q":2}]},"b":1}');
  });

  it('keeps the order of array elements', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('leaves out keys whose value is undefined, as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('is independent of key order and parses back to an equal value for any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const text = canonicalJson(value);

        expect(canonicalJson(reversedKeys(value))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('hashOf', () => {
  it('is the SHA-256 of the canonical body, without the hash field', () => {
    const [entry] = aChainOfEntries([40_000_000]).entries;
    if (!entry) throw new Error('arrange failed');
    const { hash, ...body } = entry;

    expect(hashOf(entry)).toBe(hash);
    expect(hash).toBe(sha256Hex(canonicalJson(body)));
  });

  it('changes when any single field of the entry changes', () => {
    const [entry] = aChainOfEntries([40_000_000]).entries;
    if (!entry) throw new Error('arrange failed');

    const variants = [
      { ...entry, amountVnd: entry.amountVnd + 1 },
      { ...entry, prevHash: 'f'.repeat(64) },
      { ...entry, seq: 2 },
      { ...entry, payee: { ...entry.payee, name: 'Someone else' } },
      { ...entry, approvals: [{ level: 'district', by: 'dist-1', at: entry.postedAt }] },
    ];

    for (const variant of variants) expect(hashOf(variant)).not.toBe(entry.hash);
  });

  it('uses the standard SHA-256 digest in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);

    const result = verifyChain(entries, head);

    expect(result).toEqual({ valid: true, checked: 5, headHash: head.hash, broken: [] });
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
  });

  it('accepts an allocation with no entries when its head is still at genesis', () => {
    const result = verifyChain([], { seq: 0, hash: GENESIS_HASH });

    expect(result).toEqual({ valid: true, checked: 0, headHash: GENESIS_HASH, broken: [] });
  });

  it('detects an edited amount and reports exactly that entry', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries[2] = { ...(entries[2] as LedgerEntry), amountVnd: 1 };

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken).toEqual([{ seq: 3, reason: 'hash does not match the entry content' }]);
  });

  it('detects an edited amount whose hash was recomputed at the link to the next entry', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries[2] = rehashed({ ...(entries[2] as LedgerEntry), amountVnd: 1 });

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken).toEqual([{ seq: 4, reason: 'prevHash does not match the previous entry' }]);
  });

  it('detects a rewritten tail, re-chained to the end, against the allocation head', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    let prevHash = (entries[1] as LedgerEntry).hash;
    for (let i = 2; i < entries.length; i++) {
      entries[i] = rehashed({ ...(entries[i] as LedgerEntry), amountVnd: 1, prevHash });
      prevHash = (entries[i] as LedgerEntry).hash;
    }

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken).toEqual([{ seq: 5, reason: 'chain head does not match the allocation head' }]);
  });

  it('detects a deleted entry in the middle and reports its seq first', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries.splice(2, 1);

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken[0]).toEqual({ seq: 3, reason: 'entry 3 is missing (found seq 4)' });
    expect(brokenSeqs(result)).toEqual([3, 4]);
  });

  it('detects a deleted first entry', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries.shift();

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken[0]).toEqual({ seq: 1, reason: 'entry 1 is missing (found seq 2)' });
  });

  it('detects a deleted last entry against the allocation head, reporting the head seq', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries.pop();

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken).toEqual([{ seq: 5, reason: 'chain head does not match the allocation head' }]);
  });

  it('cannot see a deleted last entry without the allocation head, which is why the head is passed', () => {
    const { entries } = aChainOfEntries(AMOUNTS);
    entries.pop();

    const result = verifyChain(entries);

    expect(result.valid).toBe(true);
    expect(result.checked).toBe(4);
  });

  it('detects two swapped entries and blames only the swapped pair and the link after them', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    const [second, third] = [entries[1] as LedgerEntry, entries[2] as LedgerEntry];
    entries[1] = third;
    entries[2] = second;

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken[0]?.seq).toBe(2);
    expect(brokenSeqs(result)).toEqual([2, 3, 4]);
  });

  it('detects two entries whose contents were swapped while keeping their seq numbers', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    const [second, third] = [entries[1] as LedgerEntry, entries[2] as LedgerEntry];
    entries[1] = { ...third, seq: 2 };
    entries[2] = { ...second, seq: 3 };

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken[0]?.seq).toBe(2);
    expect(brokenSeqs(result)).toEqual([2, 3, 4]);
  });

  it('detects a broken prevHash and reports exactly that entry', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries[3] = { ...(entries[3] as LedgerEntry), prevHash: 'a'.repeat(64) };

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(brokenSeqs(result)).toEqual([4]);
    expect(result.broken.map((b) => b.reason)).toContain('prevHash does not match the previous entry');
  });

  it('detects a first entry that does not start from the genesis hash', () => {
    const { entries, head } = aChainOfEntries(AMOUNTS);
    entries[0] = rehashed({ ...(entries[0] as LedgerEntry), prevHash: 'b'.repeat(64) });

    const result = verifyChain(entries, head);

    expect(result.valid).toBe(false);
    expect(result.broken[0]).toEqual({ seq: 1, reason: 'prevHash does not match the previous entry' });
  });

  it('reports exactly the edited seq for an edit of any entry of any chain', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 1, max: 1_000_000 }),
        (amounts, pick, delta) => {
          const { entries, head } = aChainOfEntries(amounts);
          const index = pick % entries.length;
          const edited = entries[index] as LedgerEntry;
          entries[index] = { ...edited, amountVnd: edited.amountVnd + delta };

          const result = verifyChain(entries, head);

          expect(result.valid).toBe(false);
          expect(brokenSeqs(result)).toEqual([index + 1]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reports the seq of a deleted entry first, for a deletion anywhere in any chain', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5_000_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (amounts, pick) => {
          const { entries, head } = aChainOfEntries(amounts);
          const index = pick % entries.length;
          entries.splice(index, 1);

          const result = verifyChain(entries, head);

          expect(result.valid).toBe(false);
          expect(result.broken[0]?.seq).toBe(index + 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
