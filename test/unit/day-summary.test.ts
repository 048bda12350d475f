import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellKey,
  cellKeysOfCommune,
  parseCellKey,
  seriesDayOf,
  seriesFromSummaries,
  summariseDay,
} from '../../shared/monitoring/domain/day-summary.ts';
import { disbursementSeries } from '../../shared/monitoring/domain/disbursement-series.ts';
import { addDays, vnDateOf, vnMidnight } from '../../shared/platform/vn-calendar.ts';

const J = 'da-nang';
const FY = 2026;
const AT = '2026-12-02T01:00:00.000Z';

type Kind = 'disbursement' | 'carry-in';
const entry = (
  allocationId: string,
  capitalType: 'investment' | 'recurrent',
  commune: string,
  amountVnd: number,
  postedAt: string,
  kind: Kind = 'disbursement',
) => ({ allocationId, capitalType, commune, amountVnd, postedAt, kind });

describe('a day summary', () => {
  it('adds up the day by capital type, carried-over capital apart, and commune', () => {
    const summary = summariseDay(
      { jurisdiction: J, fiscalYear: FY, date: '2026-03-02' },
      [
        entry('a1', 'investment', 'Hòa Vang', 100, '2026-03-02T01:00:00.000Z'),
        // 17:30 UTC on 1 March is 00:30 on 2 March in Vietnam.
        entry('a1', 'investment', 'Hòa Vang', 50, '2026-03-01T17:30:00.000Z'),
        entry('a2', 'recurrent', 'Hòa Vang', 7, '2026-03-02T02:00:00.000Z'),
        entry('c1', 'investment', 'Avương', 900, '2026-03-02T03:00:00.000Z', 'carry-in'),
      ],
      new Set(['c1']),
      AT,
    );

    expect(summary).toEqual({
      jurisdiction: J,
      fiscalYear: FY,
      date: '2026-03-02',
      cells: {
        'investment|0|Hòa Vang': [150, 2],
        'recurrent|0|Hòa Vang': [7, 1],
        // A carry-over moves capital and disburses nothing, but its day is a point of the series.
        'investment|1|Avương': [0, 1],
      },
      // The cells summed over communes: what a reader of the whole jurisdiction reads.
      totals: { 'investment|0': [150, 2], 'recurrent|0': [7, 1], 'investment|1': [0, 1] },
      entries: 4,
      summarisedAt: AT,
    });
  });

  it('refuses an entry posted on another Vietnam day', () => {
    expect(() =>
      summariseDay(
        { jurisdiction: J, fiscalYear: FY, date: '2026-03-02' },
        [entry('a1', 'investment', 'Hòa Vang', 100, '2026-03-02T17:00:00.000Z')],
        new Set(),
        AT,
      ),
    ).toThrow(/not of 2026-03-02/);
  });

  it('reads a cell key back, commune names with spaces and apostrophes included', () => {
    const cell = { capitalType: 'recurrent' as const, carriedOver: true, commune: "Ch'ơm" };
    expect(parseCellKey(cellKey(cell))).toEqual(cell);
    expect(parseCellKey('bogus|0|x')).toBeUndefined();
    expect(parseCellKey('investment|2|x')).toBeUndefined();
  });

  it('keeps its size to the cells, whatever the number of entries of the day', () => {
    const many = Array.from({ length: 5_000 }, (_, i) =>
      entry(`a${i % 40}`, i % 2 ? 'investment' : 'recurrent', `X${i % 3}`, 1, '2026-05-05T03:00:00.000Z'),
    );
    const summary = summariseDay(
      { jurisdiction: J, fiscalYear: FY, date: '2026-05-05' },
      many,
      new Set(),
      AT,
    );
    expect(Object.keys(summary.cells)).toHaveLength(6);
    expect(summary.entries).toBe(5_000);
  });
});

const allocations = [
  { id: 'a1', capitalType: 'investment' as const, commune: 'Hòa Vang', assignedVnd: 10_000, disbursedVnd: 0 },
  { id: 'a2', capitalType: 'recurrent' as const, commune: 'Hòa Vang', assignedVnd: 10_000, disbursedVnd: 0 },
  { id: 'a3', capitalType: 'investment' as const, commune: 'Avương', assignedVnd: 10_000, disbursedVnd: 0 },
  {
    id: 'c1',
    capitalType: 'investment' as const,
    commune: 'Avương',
    assignedVnd: 10_000,
    disbursedVnd: 0,
    carriedFrom: 'old',
  },
];

/** Summaries of every day up to `until` (inclusive), and the entries after it, as the series reads them. */
const split = (entries: ReturnType<typeof entry>[], until: string) => {
  const carried = new Set(['c1']);
  const days = [...new Set(entries.map((e) => vnDateOf(e.postedAt)))].filter((d) => d <= until).sort();
  const summaries = days.map((date) =>
    summariseDay(
      { jurisdiction: J, fiscalYear: FY, date },
      entries.filter((e) => vnDateOf(e.postedAt) === date),
      carried,
      AT,
    ),
  );
  return { summaries, later: entries.filter((e) => vnDateOf(e.postedAt) > until) };
};

const arbitraryEntry = fc
  .record({
    allocation: fc.constantFrom(...allocations),
    amountVnd: fc.integer({ min: 0, max: 1_000 }),
    day: fc.integer({ min: 0, max: 20 }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    kind: fc.constantFrom<Kind>('disbursement', 'disbursement', 'carry-in'),
  })
  .map(({ allocation, amountVnd, day, minute, kind }) =>
    entry(
      allocation.id,
      allocation.capitalType,
      allocation.commune,
      amountVnd,
      new Date(vnMidnight(addDays(`${FY}-03-01`, day)).getTime() + minute * 60_000).toISOString(),
      kind,
    ),
  );

describe('the series from day summaries', () => {
  it('equals the series from every entry, wherever the summarised days end', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryEntry, { maxLength: 60 }),
        fc.integer({ min: -1, max: 21 }),
        (entries, cut) => {
          const until = addDays(`${FY}-03-01`, cut);
          const { summaries, later } = split(entries, until);
          const expected = disbursementSeries(allocations, entries);
          expect(
            seriesFromSummaries(
              allocations,
              summaries.map((s) => seriesDayOf(s)),
              later,
            ),
          ).toEqual(expected);
          // A summary written before totals existed: its cells are summed instead.
          const older = summaries.map(({ totals: _, ...s }) => seriesDayOf(s));
          expect(seriesFromSummaries(allocations, older, later)).toEqual(expected);
        },
      ),
    );
  });

  it("gives a commune's reader the series of their commune's entries only", () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryEntry, { maxLength: 60 }),
        fc.integer({ min: -1, max: 21 }),
        (entries, cut) => {
          const { summaries, later } = split(entries, addDays(`${FY}-03-01`, cut));
          const mine = allocations.filter((a) => a.commune === 'Avương');
          expect(
            seriesFromSummaries(
              mine,
              // As the store reads them: the commune's cells only.
              summaries.map((s) =>
                seriesDayOf(
                  {
                    date: s.date,
                    cells: Object.fromEntries(
                      cellKeysOfCommune('Avương').flatMap((k) => (s.cells[k] ? [[k, s.cells[k]]] : [])),
                    ),
                  },
                  'Avương',
                ),
              ),
              later.filter((e) => e.commune === 'Avương'),
            ),
          ).toEqual(
            disbursementSeries(
              mine,
              entries.filter((e) => e.commune === 'Avương'),
            ),
          );
        },
      ),
    );
  });

  it('takes a left-out allocation back out of its cells, its days with it', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryEntry, { maxLength: 60 }),
        fc.integer({ min: -1, max: 21 }),
        (entries, cut) => {
          const until = addDays(`${FY}-03-01`, cut);
          const { summaries, later } = split(entries, until);
          const kept = allocations.filter((a) => a.id !== 'a1');
          const leftOut = entries.filter((e) => e.allocationId === 'a1' && vnDateOf(e.postedAt) <= until);
          expect(
            seriesFromSummaries(
              kept,
              summaries.map((s) => seriesDayOf(s)),
              later.filter((e) => e.allocationId !== 'a1'),
              { leftOut, leftOutCarried: new Set(['c1']) },
            ),
          ).toEqual(
            disbursementSeries(
              kept,
              entries.filter((e) => e.allocationId !== 'a1'),
            ),
          );
        },
      ),
    );
  });
});
