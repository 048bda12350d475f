import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationStatementPage } from '../../shared/audit/app/ledger-audit.ts';
import type { AuditStore } from '../../shared/audit/app/ports.ts';
import type { LedgerEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { buildStatement, statementPage } from '../../shared/ledger/domain/statement.ts';
import { disbursedBy } from '../../shared/ledger/domain/year-end-close.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { aChainOfEntries, anAllocation } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const KINDS = ['disbursement', 'advance', 'payment', 'carry-out', 'carry-in', 'reallocation-out'] as const;

/** An allocation's entries of the given amounts and kinds, and the allocation as it stands after them. */
const ledgerOf = (lines: readonly { amountVnd: number; kind: (typeof KINDS)[number] }[]) => {
  const chain = aChainOfEntries(lines.map((l) => l.amountVnd));
  const entries: LedgerEntry[] = chain.entries.map((e, i) => ({ ...e, kind: lines[i]?.kind ?? e.kind }));
  const full = buildStatement(anAllocation(), entries);
  // Invariant 1: the allocation's disbursedVnd is its entries' sum.
  const allocation = anAllocation({ disbursedVnd: full.ledgerTotalVnd, headSeq: chain.head.seq });
  return { entries, allocation, full: buildStatement(allocation, entries) };
};

/** Every page, newest first, as the store hands them out: each page starts at the previous one's opening. */
const allPages = (entries: readonly LedgerEntry[], disbursedVnd: number, limit: number) => {
  const newestFirst = [...entries].reverse();
  const pages: ReturnType<typeof statementPage>[] = [];
  let closing = disbursedVnd;
  for (let at = 0; at < newestFirst.length; at += limit) {
    const page = statementPage(newestFirst.slice(at, at + limit), closing);
    pages.push(page);
    closing = page.openingBalanceVnd;
  }
  return pages;
};

const ledgerLines = fc.array(
  fc.record({ amountVnd: fc.integer({ min: 1, max: 2_000_000_000 }), kind: fc.constantFrom(...KINDS) }),
  { minLength: 0, maxLength: 40 },
);

describe('a statement page', () => {
  it('shows the same lines and balances as the whole statement, for any page size', () => {
    fc.assert(
      fc.property(ledgerLines, fc.integer({ min: 1, max: 45 }), (lines, limit) => {
        const { entries, allocation, full } = ledgerOf(lines);
        const pages = allPages(entries, allocation.disbursedVnd, limit);
        // Oldest page first, each page in posting order: the whole statement's lines.
        expect(
          pages
            .slice()
            .reverse()
            .flatMap((p) => p.lines),
        ).toEqual(full.lines);
        expect(pages[0]?.closingBalanceVnd ?? allocation.disbursedVnd).toBe(full.closingBalanceVnd);
        expect(pages.at(-1)?.openingBalanceVnd ?? 0).toBe(full.openingBalanceVnd);
      }),
    );
  });

  it('counts a page cut anywhere back to the balances of the whole statement', () => {
    fc.assert(
      fc.property(ledgerLines, fc.nat(), fc.nat(), (lines, a, b) => {
        const { entries, allocation, full } = ledgerOf(lines);
        const newerCut = entries.length === 0 ? 0 : a % (entries.length + 1);
        const olderCut = newerCut === 0 ? 0 : b % (newerCut + 1);
        // The entries newer than the page only give it its closing balance (a cursor carries it).
        const closing =
          allocation.disbursedVnd - entries.slice(newerCut).reduce((sum, e) => sum + disbursedBy(e), 0);
        const page = statementPage(entries.slice(olderCut, newerCut).reverse(), closing);
        expect(page.lines).toEqual(full.lines.slice(olderCut, newerCut));
        expect(page.openingBalanceVnd).toBe(olderCut === 0 ? 0 : full.lines[olderCut - 1]?.balanceVnd);
      }),
    );
  });

  it('lists the page in posting order with its kinds totalled', () => {
    const { entries, allocation } = ledgerOf([
      { amountVnd: 100, kind: 'disbursement' },
      { amountVnd: 300, kind: 'advance' },
      { amountVnd: 50, kind: 'carry-out' },
    ]);
    const page = statementPage(entries.slice(1).reverse(), allocation.disbursedVnd);
    expect(page.lines.map((l) => [l.seq, l.balanceVnd])).toEqual([
      [2, 400],
      [3, 400],
    ]);
    expect(page).toMatchObject({ openingBalanceVnd: 100, closingBalanceVnd: 400 });
    expect(page.totalsByKind).toMatchObject({ directVnd: 0, advancesVnd: 300 });
  });
});

describe('a statement page read from the stores', () => {
  const auditor = { sub: 'kt-1', groups: ['auditor'] };
  /** An allocation read after two postings, and a partition that already holds a third. */
  const setting = () => {
    const { entries } = aChainOfEntries([100, 200, 400]);
    const store = new InMemoryLedgerStore();
    store.allocations.set('alloc-1', anAllocation({ disbursedVnd: 300, headSeq: 2 }));
    const reads: (string | undefined)[] = [];
    const audit = {
      entriesNewestFirst: async (_j: string, _id: string, limit: number, cursor?: string) => {
        reads.push(cursor);
        const from = cursor === undefined ? 0 : Number(cursor);
        const newestFirst = [...entries].reverse();
        const items = newestFirst.slice(from, from + limit);
        return from + limit < newestFirst.length ? { items, nextCursor: String(from + limit) } : { items };
      },
    } as unknown as AuditStore;
    return { deps: { store, audit, ...systemEnv }, reads };
  };

  it('leaves out an entry posted after the allocation was read, and carries the opening balance on', async () => {
    const { deps, reads } = setting();
    const first = await allocationStatementPage(deps, auditor, 'alloc-1', 2);
    const next = await allocationStatementPage(deps, auditor, 'alloc-1', 2, first.nextCursor);
    expect(first.lines.map((l) => [l.seq, l.balanceVnd])).toEqual([[2, 300]]);
    expect(first).toMatchObject({ openingBalanceVnd: 100, closingBalanceVnd: 300, nextCursor: '100.2' });
    expect(next.lines.map((l) => [l.seq, l.balanceVnd])).toEqual([[1, 100]]);
    expect(next).toMatchObject({ openingBalanceVnd: 0, closingBalanceVnd: 100 });
    expect(next.nextCursor).toBeUndefined();
    expect(reads).toEqual([undefined, '2']);
  });

  it('refuses a position without its balance with 400 invalid_cursor', async () => {
    const { deps } = setting();
    await expect(allocationStatementPage(deps, auditor, 'alloc-1', 2, '2')).rejects.toMatchObject({
      code: 'invalid_cursor',
      status: 400,
    });
  });
});
