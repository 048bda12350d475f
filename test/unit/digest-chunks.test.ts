import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkBound,
  cutIntoChunks,
  distinctMembers,
  isLongMember,
  MEMBER_BYTES,
  memberBytes,
  planChunks,
} from '../../shared/monitoring/domain/integrity/digest-chunks.ts';
import {
  type DigestMember,
  encodeMember,
} from '../../shared/monitoring/domain/integrity/integrity-digest.ts';
import { MAX_AMOUNT_VND } from '../../shared/platform/money.ts';

/** A member with an id of `idLength` characters (UUIDs are 36). */
const member = (n: number, idLength = 36): string =>
  encodeMember({
    id: `r${String(n).padStart(idLength - 1, '0')}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    amountVnd: 1_000_000 + n,
    fundingLine: 'local',
    investor: 'commune',
  });

const bytesOf = (chunk: readonly string[]) => chunk.reduce((s, m) => s + memberBytes(m), 0);

describe('integrity digest chunks (issue 20): items of bounded size', () => {
  it('counts a member at its longest within MEMBER_BYTES for an id of up to 185 bytes', () => {
    const longest: DigestMember = {
      id: 'x'.repeat(185),
      createdAt: '2026-12-31T16:59:59.999Z',
      amountVnd: MAX_AMOUNT_VND,
      fundingLine: 'provincial',
      investor: 'provincial-agency',
    };
    expect(memberBytes(encodeMember(longest))).toBe(MEMBER_BYTES);
    expect(isLongMember(encodeMember(longest))).toBe(false);
    expect(isLongMember(encodeMember({ ...longest, id: 'x'.repeat(186) }))).toBe(true);
    // A UUID's member is about 110 bytes: 500 to a chunk is ~55 KB.
    expect(memberBytes(member(1))).toBeLessThan(120);
  });

  it('cuts members into chunks of at most the bound, in members and in bytes, in order', () => {
    const bound = chunkBound(3);
    // Short ids, then ids long enough that two of them pass the bound's bytes (3 × 256).
    const members = [
      ...Array.from({ length: 7 }, (_, i) => member(i)),
      ...Array.from({ length: 3 }, (_, i) => member(100 + i, 400)),
      member(200),
    ];
    const chunks = cutIntoChunks(members, bound);
    expect(chunks.flat()).toEqual(members);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 2, 1, 2]);
    for (const c of chunks) expect(c.length === 1 || bytesOf(c) <= bound.bytes).toBe(true);
    // A member larger than the bound sits alone.
    expect(cutIntoChunks([member(1), member(2, 2_000), member(3)], bound)).toEqual([
      [member(1)],
      [member(2, 2_000)],
      [member(3)],
    ]);
  });

  it('plans a write that keeps every open member, seals full chunks and leaves the rest for later', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 20, max: 500 }), { maxLength: 80 }),
        (size, openCount, freshCount, maxSeals, idLengths) => {
          const bound = chunkBound(size);
          const at = (i: number) => member(i, idLengths[i % Math.max(1, idLengths.length)] ?? 36);
          const open = Array.from({ length: openCount }, (_, i) => at(i));
          const fresh = Array.from({ length: freshCount }, (_, i) => at(1_000 + i));
          const plan = planChunks(open, fresh, bound, maxSeals);
          // Nothing lost, nothing twice, in order; what is left is fresh only.
          expect([...plan.sealing.flat(), ...plan.open, ...plan.left]).toEqual([...open, ...fresh]);
          expect(open.every((m) => !plan.left.includes(m))).toBe(true);
          // Every chunk sealed within the bound, at most `maxSeals` at once; the open chunk never empty,
          // and within the bound unless it is the rest of an open chunk split in turns (nothing new added).
          const splitting = cutIntoChunks(open, bound).length - 1 > maxSeals;
          expect(plan.sealing.length).toBeLessThanOrEqual(maxSeals);
          expect(plan.open.length).toBeGreaterThan(0);
          for (const c of splitting ? plan.sealing : [...plan.sealing, plan.open]) {
            expect(c.length).toBeGreaterThan(0);
            expect(c.length).toBeLessThanOrEqual(bound.members);
            expect(c.length === 1 || bytesOf(c) <= bound.bytes).toBe(true);
          }
          if (splitting) expect(plan.left).toEqual(fresh);
          if (plan.left.length > 0) expect(plan.sealing.length).toBe(maxSeals);
        },
      ),
    );
  });

  it('reads members each request once, its first encoding kept', () => {
    const a = member(1);
    const changed = `${a.slice(0, a.lastIndexOf('|'))}|project-board`;
    expect(distinctMembers([a, member(2), changed]).map((m) => [m.id, m.investor])).toEqual([
      [a.slice(0, a.indexOf('|')), 'commune'],
      [member(2).slice(0, member(2).indexOf('|')), 'commune'],
    ]);
  });
});
