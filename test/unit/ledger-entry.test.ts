import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { entryFromCsvRecord, ledgerCsv } from '../../shared/audit/presentation/ledger-csv.ts';
import { GENESIS_HASH, hashOf, verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import {
  allocationAccount,
  buildDisbursementEntry,
  imbalance,
  type LedgerEntry,
  payeeAccount,
  transferEntry,
} from '../../shared/ledger/domain/ledger-entry.ts';
import { anAllocation, aRequest } from './support/domain-fixtures.ts';

const POSTED_AT = '2024-06-30T07:00:00.000Z';
const HEAD_HASH = 'c'.repeat(64);

/** A request of 1.2 billion VND approved once at each level of its chain. */
const approvedRequest = () =>
  aRequest({
    id: 'req-7',
    amountVnd: 1_200_000_000,
    payee: { name: 'HTX Dệt thổ cẩm Za Ra', kind: 'cooperative' },
    status: 'disbursed',
    approvals: [
      {
        level: 'district',
        decision: 'approve',
        by: 'dist-1',
        at: '2024-06-01T00:00:00.000Z',
        eventId: 'e1',
        comment: 'ok',
      },
      {
        level: 'district-leader',
        decision: 'approve',
        by: 'lead-1',
        at: '2024-06-02T00:00:00.000Z',
        eventId: 'e2',
      },
      { level: 'province', decision: 'approve', by: 'prov-1', at: '2024-06-03T00:00:00.000Z', eventId: 'e3' },
      {
        level: 'treasury',
        decision: 'approve',
        by: 'treas-1',
        at: '2024-06-04T00:00:00.000Z',
        eventId: 'e4',
      },
    ],
  });

describe('buildDisbursementEntry', () => {
  it('debits the allocation and credits the payee with the request amount', () => {
    const entry = buildDisbursementEntry(anAllocation({ id: 'alloc-9' }), approvedRequest(), POSTED_AT);

    expect(entry.postings).toEqual([
      { account: 'allocation:alloc-9', debitVnd: 1_200_000_000, creditVnd: 0 },
      { account: 'payee:cooperative:HTX Dệt thổ cẩm Za Ra', debitVnd: 0, creditVnd: 1_200_000_000 },
    ]);
  });

  it('balances: total debits equal total credits, so the imbalance is zero', () => {
    const entry = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT);

    const debits = entry.postings.reduce((sum, p) => sum + p.debitVnd, 0);
    const credits = entry.postings.reduce((sum, p) => sum + p.creditVnd, 0);

    expect(debits).toBe(credits);
    expect(debits).toBe(entry.amountVnd);
    expect(imbalance(entry)).toBe(0);
  });

  it('takes seq one past the allocation head and chains to the head hash', () => {
    const allocation = anAllocation({ headSeq: 41, headHash: HEAD_HASH });

    const entry = buildDisbursementEntry(allocation, approvedRequest(), POSTED_AT);

    expect(entry.seq).toBe(42);
    expect(entry.prevHash).toBe(HEAD_HASH);
    expect(entry.entryId).toBe('alloc-1#42');
  });

  it('carries a hash over all of its content', () => {
    const entry = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT);

    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf<LedgerEntry>(entry)).toBe(entry.hash);
  });

  it('copies the allocation dimensions and the request facts an auditor filters and reads', () => {
    const allocation = anAllocation({
      id: 'alloc-9',
      fundingLine: 'provincial',
      commune: 'Dang',
      component: 'DA2',
    });

    const entry = buildDisbursementEntry(allocation, approvedRequest(), POSTED_AT);

    expect(entry).toMatchObject({
      kind: 'disbursement',
      allocationId: 'alloc-9',
      fiscalYear: 2024,
      fundingLine: 'provincial',
      capitalType: 'investment',
      component: 'DA2',
      commune: 'Dang',
      requestId: 'req-7',
      amountVnd: 1_200_000_000,
      submittedBy: 'maker-1',
      postedAt: POSTED_AT,
    });
  });

  it('records who approved at each level, without event ids or comments', () => {
    const entry = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT);

    expect(entry.approvals).toEqual([
      { level: 'district', by: 'dist-1', at: '2024-06-01T00:00:00.000Z' },
      { level: 'district-leader', by: 'lead-1', at: '2024-06-02T00:00:00.000Z' },
      { level: 'province', by: 'prov-1', at: '2024-06-03T00:00:00.000Z' },
      { level: 'treasury', by: 'treas-1', at: '2024-06-04T00:00:00.000Z' },
    ]);
  });

  it('leaves out reject decisions from the recorded approvals', () => {
    const request = approvedRequest();
    request.approvals.push({
      level: 'treasury',
      decision: 'reject',
      by: 'treas-2',
      at: POSTED_AT,
      eventId: 'e5',
    });

    const entry = buildDisbursementEntry(anAllocation(), request, POSTED_AT);

    expect(entry.approvals.map((a) => a.by)).not.toContain('treas-2');
  });

  it('builds entries that verify as a chain when each is posted after the previous head', () => {
    let allocation = anAllocation();
    const entries: LedgerEntry[] = [];
    for (const id of ['r1', 'r2', 'r3']) {
      const entry = buildDisbursementEntry(allocation, aRequest({ id, status: 'disbursed' }), POSTED_AT);
      entries.push(entry);
      allocation = { ...allocation, headSeq: entry.seq, headHash: entry.hash };
    }

    const result = verifyChain(entries, { seq: allocation.headSeq, hash: allocation.headHash });

    expect(result.valid).toBe(true);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('imbalance', () => {
  it('is debits minus credits, so a lopsided entry shows its difference', () => {
    const postings = [
      { account: 'allocation:a', debitVnd: 100, creditVnd: 0 },
      { account: 'payee:household:x', debitVnd: 0, creditVnd: 70 },
    ];

    expect(imbalance({ postings })).toBe(30);
  });
});

describe('account names', () => {
  it('name the allocation account and the payee account by kind and name', () => {
    expect(allocationAccount('a-1')).toBe('allocation:a-1');
    expect(payeeAccount({ name: 'Hộ Alăng Thị B', kind: 'household' })).toBe(
      'payee:household:Hộ Alăng Thị B',
    );
  });
});

describe('buildDisbursementEntry with dossier documents', () => {
  const documents = [
    { type: 'completed-work-statement', sha256: 'a'.repeat(64) },
    { type: 'payment-request', sha256: 'b'.repeat(64) },
  ];

  it('hashes an entry without documents exactly as before dossiers existed', () => {
    const without = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT);
    const empty = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT, []);

    expect(without).not.toHaveProperty('documents');
    expect(empty).toEqual(without);
  });

  it('carries the documents and hashes them, so another file’s hash breaks the chain', () => {
    const entry = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT, documents);
    const swapped: LedgerEntry = {
      ...entry,
      documents: [{ type: 'completed-work-statement', sha256: 'f'.repeat(64) }, documents[1] as never],
    };

    expect(entry.documents).toEqual(documents);
    expect(entry.hash).not.toBe(buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT).hash);
    expect(verifyChain([entry])).toMatchObject({ valid: true });
    expect(verifyChain([swapped])).toMatchObject({ valid: false });
  });

  it('re-verifies from the ledger CSV with its documents, and the file’s swapped hash shows', () => {
    const entry = buildDisbursementEntry(anAllocation(), approvedRequest(), POSTED_AT, documents);
    const csv = ledgerCsv([entry]);
    const [record] = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    if (!record) throw new Error('no record');
    const fromFile = entryFromCsvRecord(record);

    expect(fromFile).toEqual(entry);
    expect(verifyChain([fromFile])).toMatchObject({ valid: true });
    const swapped = { ...record, documents: record.documents?.replace('a'.repeat(64), 'f'.repeat(64)) ?? '' };
    expect(verifyChain([entryFromCsvRecord(swapped)])).toMatchObject({ valid: false });
  });
});

describe('entries that move capital, in the ledger CSV (issues 16–17)', () => {
  it('re-verifies a carry-over and a reallocation from the CSV: transit postings and decision come back', () => {
    const origin = anAllocation({ id: 'origin', headSeq: 0, headHash: GENESIS_HASH });
    const carryOut = transferEntry(origin, {
      kind: 'carry-out',
      out: true,
      transit: 'carry-over:2024:origin',
      requestId: 'carry:origin',
      amountVnd: 300_000_000,
      payee: { name: 'Allocation next', kind: 'agency' },
      purpose: 'Chuyển nguồn sang năm 2025',
      submittedBy: 'planner-1',
      approvals: [],
      postedAt: POSTED_AT,
    });
    const reallocationIn = transferEntry(
      { ...origin, headSeq: carryOut.seq, headHash: carryOut.hash },
      {
        kind: 'reallocation-in',
        out: false,
        transit: 'reallocation:r-1',
        requestId: 'reallocation:r-1:0:in',
        amountVnd: 50_000_000,
        payee: { name: 'Allocation other', kind: 'agency' },
        purpose: 'Điều chỉnh tăng kế hoạch vốn',
        submittedBy: 'planner-1',
        approvals: [],
        reallocation: {
          reallocationId: 'r-1',
          decisionNumber: '12/QĐ-UBND',
          decidedOn: '2024-10-01',
          move: 0,
          counterpartAllocationId: 'other',
        },
        postedAt: POSTED_AT,
      },
    );
    const entries = [carryOut, reallocationIn];

    const records = parse(ledgerCsv(entries), { bom: true, columns: true }) as Record<string, string>[];
    const fromFile = records.map(entryFromCsvRecord);

    expect(fromFile).toEqual(entries);
    expect(verifyChain(fromFile, { seq: 2, hash: reallocationIn.hash })).toMatchObject({
      valid: true,
      checked: 2,
    });
    expect(records[0]?.transferPostings).toContain('carry-over:2024:origin');
    expect(records[0]?.reallocation).toBe('');
  });
});
