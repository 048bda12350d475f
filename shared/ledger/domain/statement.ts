import type { Allocation } from './allocation.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import { disbursedBy } from './year-end-close.ts';

/** One line of an allocation statement: an entry and the cumulative disbursed balance after it. */
export interface StatementLine {
  seq: number;
  postedAt: string;
  requestId: string;
  payee: LedgerEntry['payee'];
  purpose: string;
  kind: LedgerEntry['kind'];
  contractId?: string;
  grossVnd?: number;
  recoveryVnd?: number;
  /** The cash out of the allocation. */
  amountVnd: number;
  balanceVnd: number;
  /** Item and sub-item, when the entry carries them. */
  budgetItem?: LedgerEntry['budgetItem'];
  /** The Treasury's voucher, when the entry carries one. */
  treasuryVoucher?: LedgerEntry['treasuryVoucher'];
  /** A reallocation's decision and counterpart allocation, on its entries. */
  reallocation?: LedgerEntry['reallocation'];
}

/** A period's lines by kind: direct support, advances, payments (net and gross) and the advance they recovered. */
export const totalsByKind = (
  lines: readonly Pick<StatementLine, 'kind' | 'amountVnd' | 'grossVnd' | 'recoveryVnd'>[],
) => {
  const sum = (kind: StatementLine['kind'], value: (l: (typeof lines)[number]) => number) =>
    lines.filter((l) => l.kind === kind).reduce((s, l) => s + value(l), 0);
  return {
    directVnd: sum('disbursement', (l) => l.amountVnd),
    advancesVnd: sum('advance', (l) => l.amountVnd),
    paymentsNetVnd: sum('payment', (l) => l.amountVnd),
    paymentsGrossVnd: sum('payment', (l) => l.grossVnd ?? l.amountVnd),
    recoveriesVnd: sum('payment', (l) => l.recoveryVnd ?? 0),
  };
};

/**
 * Statement of an allocation's account (debited by every disbursement): opening balance, each
 * entry with its running balance, closing balance — and whether the ledger agrees with the
 * allocation's own running total.
 */
export const buildStatement = (
  allocation: Allocation,
  entries: readonly LedgerEntry[],
  period: { from?: string; to?: string } = {},
) => {
  const inPeriod = (e: LedgerEntry) =>
    (period.from === undefined || e.postedAt >= period.from) &&
    (period.to === undefined || e.postedAt < period.to);
  const before = entries.filter((e) => period.from !== undefined && e.postedAt < period.from);
  const openingBalanceVnd = before.reduce((sum, e) => sum + disbursedBy(e), 0);
  let balance = openingBalanceVnd;
  const lines: StatementLine[] = entries.filter(inPeriod).map((e) => {
    // A carry-over's or reallocation's entry is listed with its amount but disburses nothing: the balance is what was paid.
    balance += disbursedBy(e);
    return lineOf(e, balance);
  });
  const ledgerTotalVnd = entries.reduce((sum, e) => sum + disbursedBy(e), 0);
  return {
    ...accountOf(allocation),
    openingBalanceVnd,
    lines,
    totalsByKind: totalsByKind(lines),
    closingBalanceVnd: balance,
    ledgerTotalVnd,
    agreesWithAllocation: ledgerTotalVnd === allocation.disbursedVnd,
  };
};

/**
 * The account a statement (whole or a page) is of: the allocation, its budget codes and totals; the
 * year-end close's figures, once its year is closed; the capital it came from, when carried over.
 */
export const accountOf = (allocation: Allocation) => ({
  allocationId: allocation.id,
  ...(allocation.budgetCodes ? { budgetCodes: allocation.budgetCodes } : {}),
  assignedVnd: allocation.assignedVnd,
  disbursedVnd: allocation.disbursedVnd,
  ...(allocation.closing ? { closing: allocation.closing } : {}),
  ...(allocation.carriedFrom !== undefined ? { carriedFrom: allocation.carriedFrom } : {}),
});

/** An entry as a statement line with the balance after it. */
const lineOf = (e: LedgerEntry, balanceVnd: number): StatementLine => ({
  seq: e.seq,
  postedAt: e.postedAt,
  requestId: e.requestId,
  payee: e.payee,
  purpose: e.purpose,
  kind: e.kind,
  ...(e.contractId !== undefined ? { contractId: e.contractId } : {}),
  ...(e.grossVnd !== undefined ? { grossVnd: e.grossVnd } : {}),
  ...(e.recoveryVnd !== undefined ? { recoveryVnd: e.recoveryVnd } : {}),
  amountVnd: e.amountVnd,
  balanceVnd,
  ...(e.budgetItem ? { budgetItem: e.budgetItem } : {}),
  ...(e.treasuryVoucher ? { treasuryVoucher: e.treasuryVoucher } : {}),
  ...(e.reallocation ? { reallocation: e.reallocation } : {}),
});

/**
 * One page of a statement: the lines of `newestFirst` (consecutive entries, newest first, as the
 * allocation's partition reads backwards), listed in posting order like the full statement, with
 * balances counted back from `closingBalanceVnd` — the balance after the page's newest entry: the
 * allocation's `disbursedVnd` on the first page (equal to its entries' sum by invariant 1), the
 * previous page's opening balance after it. Reads no other entry, so it costs the same at any ledger
 * size; the ledger-total check stays with the full statement ({@link buildStatement}, GET /ledger/verify).
 */
export const statementPage = (newestFirst: readonly LedgerEntry[], closingBalanceVnd: number) => {
  let balance = closingBalanceVnd;
  const lines: StatementLine[] = [];
  for (const e of newestFirst) {
    lines.push(lineOf(e, balance));
    balance -= disbursedBy(e);
  }
  lines.reverse();
  return { openingBalanceVnd: balance, lines, totalsByKind: totalsByKind(lines), closingBalanceVnd };
};
