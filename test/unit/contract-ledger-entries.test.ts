import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { entryFromCsvRecord, ledgerCsv } from '../../shared/audit/presentation/ledger-csv.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { advanceAccount, contractAccount, imbalance } from '../../shared/ledger/domain/ledger-entry.ts';
import { buildStatement } from '../../shared/ledger/domain/statement.ts';
import { aChainOfEntries, anAllocation } from './support/domain-fixtures.ts';

/** A direct support, an advance of 300 and a payment of 400 recovering 150, on one allocation's chain. */
const chain = aChainOfEntries([40_000_000, 300_000_000, 400_000_000], anAllocation(), (i) =>
  i === 0
    ? {}
    : {
        kind: i === 1 ? 'advance' : 'payment',
        contractId: 'c-1',
        payee: { name: 'Công ty Xây dựng A', kind: 'contractor' },
        ...(i === 2 ? { recoveryVnd: 150_000_000 } : {}),
      },
);
const [direct, advance, payment] = chain.entries;

describe('ledger entries of contract requests', () => {
  it('leaves a direct request’s entry as before: kind disbursement, two postings, no contract field', () => {
    expect(direct).toMatchObject({ kind: 'disbursement', amountVnd: 40_000_000 });
    expect(direct?.postings).toHaveLength(2);
    expect(Object.keys(direct ?? {})).not.toContain('contractId');
  });

  it('opens the receivable on an advance and closes part of it on a payment, every entry balanced', () => {
    expect(advance).toMatchObject({ kind: 'advance', contractId: 'c-1', amountVnd: 300_000_000 });
    expect(advance?.postings).toContainEqual({
      account: advanceAccount('c-1'),
      debitVnd: 300_000_000,
      creditVnd: 0,
    });
    expect(advance?.postings).toContainEqual({
      account: contractAccount('c-1'),
      debitVnd: 0,
      creditVnd: 300_000_000,
    });
    expect(payment).toMatchObject({
      kind: 'payment',
      amountVnd: 250_000_000,
      grossVnd: 400_000_000,
      recoveryVnd: 150_000_000,
    });
    expect(payment?.postings).toContainEqual({
      account: advanceAccount('c-1'),
      debitVnd: 0,
      creditVnd: 150_000_000,
    });
    for (const e of chain.entries) expect(imbalance(e)).toBe(0);
    const receivable = chain.entries
      .flatMap((e) => e.postings)
      .filter((p) => p.account === advanceAccount('c-1'))
      .reduce((s, p) => s + p.debitVnd - p.creditVnd, 0);
    expect(receivable).toBe(150_000_000);
  });

  it('shows the kinds apart in the statement', () => {
    const statement = buildStatement(anAllocation({ disbursedVnd: 590_000_000 }), chain.entries);
    expect(statement.lines.map((l) => l.kind)).toEqual(['disbursement', 'advance', 'payment']);
    expect(statement.totalsByKind).toEqual({
      directVnd: 40_000_000,
      advancesVnd: 300_000_000,
      paymentsNetVnd: 250_000_000,
      paymentsGrossVnd: 400_000_000,
      recoveriesVnd: 150_000_000,
    });
    expect(statement.agreesWithAllocation).toBe(true);
  });

  it('re-verifies from the CSV export, contract entries included, and from a copy made before the contract columns', () => {
    const records = parse(ledgerCsv(chain.entries), { bom: true, columns: true }) as Record<string, string>[];
    const fromFile = records.map(entryFromCsvRecord);
    expect(fromFile).toEqual(chain.entries);
    expect(verifyChain(fromFile, chain.head)).toMatchObject({ valid: true, checked: 3 });
    const { kind: _, contractId: __, grossVnd: ___, recoveryVnd: ____, ...older } = records[0] ?? {};
    expect(entryFromCsvRecord(older)).toEqual(direct);
  });
});
