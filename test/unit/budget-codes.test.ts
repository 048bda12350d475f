import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryFromCsvRecord, ledgerCsv } from '../../shared/audit/presentation/ledger-csv.ts';
import {
  assertBudgetCodes,
  assertBudgetItem,
  type BudgetCatalogue,
  catalogueFor,
  InvalidBudgetCodeError,
} from '../../shared/ledger/domain/budget-codes.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { buildDisbursementEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { buildStatement } from '../../shared/ledger/domain/statement.ts';
import {
  assertVoucherFits,
  InvalidValueDateError,
  tierForRequest,
  VoucherNotExpectedError,
  VoucherRequiredError,
  valueDateWindow,
} from '../../shared/ledger/domain/treasury-voucher.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { budgetCatalogueFiles, budgetCatalogues } from '../../shared/platform/config/budget-codes/index.ts';
import { loadBudgetCatalogues } from '../../shared/platform/config/budget-codes/load.ts';
import { cellValues, openInSpreadsheet } from '../support/spreadsheet-reader.ts';
import { caught } from './support/caught.ts';
import { anAllocation, aRequest } from './support/domain-fixtures.ts';

const CODES = { chapter: '805', sector: '370-398', programme: '0070', source: '01' };
const file = (overrides: Partial<BudgetCatalogue> & Record<string, unknown> = {}) => ({
  circular: 'TEST',
  fiscalYears: { from: 2030, to: 2031 },
  chapters: { '805': 'x' },
  sectors: { '370-398': 'x' },
  programmes: { '0070': 'x' },
  sources: { '01': 'x' },
  items: { '7750': { name: 'x', capitalType: 'recurrent', subItems: { '7756': 'x' } } },
  ...overrides,
});

describe('the budget-code catalogues of config', () => {
  it('lists every JSON file of the folder, so a new circular period cannot be forgotten', () => {
    const folder = new URL('../../shared/platform/config/budget-codes/', import.meta.url);
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    expect(Object.keys(budgetCatalogueFiles).sort()).toEqual(files.sort());
  });

  it('gives each fiscal year the catalogue of the circular in force: 324/2016 for 2017–2025, a provisional one from 2026, none before 2017', () => {
    expect(catalogueFor(budgetCatalogues, 2017)?.circular).toBe('324/2016/TT-BTC');
    expect(catalogueFor(budgetCatalogues, 2024)?.circular).toBe('324/2016/TT-BTC');
    expect(catalogueFor(budgetCatalogues, 2026)?.circular).toMatch(/provisional/);
    expect(catalogueFor(budgetCatalogues, 2040)?.circular).toMatch(/provisional/);
    expect(catalogueFor(budgetCatalogues, 2016)).toBeUndefined();
  });

  it('refuses a file with a code of the wrong shape, naming the file and the fix', () => {
    expect(() => loadBudgetCatalogues({ 'bad.json': file({ chapters: { '8050': 'x' } }) })).toThrow(
      /chapter "8050" must look like "805"/,
    );
    expect(() => loadBudgetCatalogues({ 'bad.json': file({ surprise: 1 }) })).toThrow(/bad\.json/);
  });

  it('refuses a sub-item outside its item’s range and two files covering one year', () => {
    expect(() =>
      loadBudgetCatalogues({
        'bad.json': file({ items: { '7750': { name: 'x', subItems: { '7801': 'x' } } } }),
      }),
    ).toThrow(/sub-item 7801 is not inside item 7750/);
    expect(() =>
      loadBudgetCatalogues({ 'a.json': file(), 'b.json': file({ fiscalYears: { from: 2031 } }) }),
    ).toThrow(/cover the same fiscal years/);
  });
});

describe('budget codes checked against the catalogue of the year', () => {
  it('accepts the programme’s codes in 2024 and in 2026, with or without a project code', () => {
    expect(() => assertBudgetCodes(budgetCatalogues, 2024, CODES)).not.toThrow();
    expect(() => assertBudgetCodes(budgetCatalogues, 2026, { ...CODES, project: '7000001' })).not.toThrow();
  });

  it('refuses a code the catalogue lacks with invalid_budget_code, naming the field and the allowed codes', () => {
    const error = caught(() => assertBudgetCodes(budgetCatalogues, 2024, { ...CODES, programme: '9999' }));
    expect(error).toBeInstanceOf(InvalidBudgetCodeError);
    expect(error.message).toMatch(/body\.budgetCodes\.programme: "9999" is not in the 2024 catalogue.*0070/);
    expect((error as InvalidBudgetCodeError).details).toMatchObject({
      field: 'body.budgetCodes.programme',
      allowed: expect.arrayContaining(['0070']),
    });
  });

  it('refuses codes for a year no catalogue covers, saying how to fix it', () => {
    expect(caught(() => assertBudgetCodes(budgetCatalogues, 2010, CODES)).message).toMatch(
      /no budget-code catalogue covers fiscal year 2010/,
    );
  });

  it('refuses an investment item on recurrent capital, a sub-item of another item, and an inherited name', () => {
    const recurrent = { fiscalYear: 2024, capitalType: 'recurrent' as const };
    expect(
      caught(() => assertBudgetItem(budgetCatalogues, recurrent, { item: '9300', subItem: '9303' })).message,
    ).toMatch(/item \(recurrent capital\): "9300" is not in the 2024 catalogue/);
    expect(
      caught(() => assertBudgetItem(budgetCatalogues, recurrent, { item: '7750', subItem: '7199' })).message,
    ).toMatch(/subItem \(of item 7750\): "7199"/);
    expect(
      caught(() => assertBudgetItem(budgetCatalogues, recurrent, { item: 'constructor', subItem: '7756' })),
    ).toBeInstanceOf(InvalidBudgetCodeError);
    expect(() =>
      assertBudgetItem(
        budgetCatalogues,
        { fiscalYear: 2024, capitalType: 'investment' },
        { item: '9300', subItem: '9303' },
      ),
    ).not.toThrow();
  });
});

describe('the Treasury voucher of a decision', () => {
  const request = { id: 'r1', fiscalYear: 2024, createdAt: '2024-03-01T20:00:00.000Z' };
  const DECIDED = '2024-03-20T03:00:00.000Z';
  const atTreasury = {
    tier: 'treasury' as const,
    level: 'treasury',
    decision: 'approve' as const,
    decidedAt: DECIDED,
  };

  it('is required with the Treasury level’s approval and refused with any other decision', () => {
    expect(caught(() => assertVoucherFits(request, atTreasury, undefined))).toBeInstanceOf(
      VoucherRequiredError,
    );
    const voucher = { number: 'UNC-1', valueDate: '2024-03-02' };
    expect(
      caught(() => assertVoucherFits(request, { ...atTreasury, decision: 'reject' }, voucher)),
    ).toBeInstanceOf(VoucherNotExpectedError);
    expect(
      caught(() =>
        assertVoucherFits(
          request,
          { tier: 'district', level: 'district', decision: 'approve', decidedAt: DECIDED },
          voucher,
        ),
      ),
    ).toBeInstanceOf(VoucherNotExpectedError);
    expect(() =>
      assertVoucherFits(
        request,
        { tier: 'district', level: 'district', decision: 'approve', decidedAt: DECIDED },
        undefined,
      ),
    ).not.toThrow();
    expect(() => assertVoucherFits(request, atTreasury, voucher)).not.toThrow();
  });

  it('takes a value date from the request’s creation day to the decision’s day (Vietnam time)', () => {
    // Created at 20:00 UTC on 1 March: already 2 March in Vietnam; decided 18:00 UTC on 20 March: the 21st.
    expect(valueDateWindow(request, '2024-03-20T18:00:00.000Z')).toEqual({
      from: '2024-03-02',
      to: '2024-03-21',
    });
    expect(valueDateWindow({ fiscalYear: 2025, createdAt: '2024-12-01T00:00:00.000Z' }, DECIDED).from).toBe(
      '2025-01-01',
    );
    for (const valueDate of ['2024-03-01', '2024-03-21'])
      expect(caught(() => assertVoucherFits(request, atTreasury, { number: 'A', valueDate }))).toBeInstanceOf(
        InvalidValueDateError,
      );
    expect(() =>
      assertVoucherFits(request, atTreasury, { number: 'A', valueDate: '2024-03-20' }),
    ).not.toThrow();
  });

  it('finds the tier of a level on the request, else in the policy of its jurisdiction and year', () => {
    const stored = {
      fiscalYear: 2024,
      approvalLevels: [{ level: 'kbnn', tier: 'treasury' as const, group: 'treasury' }],
    };
    expect(tierForRequest(approvalPolicies, stored, 'kbnn')).toBe('treasury');
    expect(tierForRequest(approvalPolicies, { fiscalYear: 2024 }, 'treasury')).toBe('treasury');
    expect(tierForRequest(approvalPolicies, { fiscalYear: 2024 }, 'district')).toBe('district');
  });
});

describe('codes and voucher in the ledger entry, its CSV and the statement', () => {
  const allocation = anAllocation({ budgetCodes: { ...CODES, project: '7000001' } });
  const request = aRequest({
    status: 'disbursed',
    budgetItem: { item: '9300', subItem: '9303' },
    approvals: [
      {
        level: 'treasury',
        decision: 'approve',
        by: 't',
        at: '2024-03-05T00:00:00.000Z',
        eventId: 'e',
        treasuryVoucher: { number: '0012', valueDate: '2024-03-05' },
      },
    ],
  });

  it('hashes an entry without codes or voucher exactly as before they existed', () => {
    const plain = buildDisbursementEntry(
      anAllocation(),
      aRequest({ status: 'disbursed' }),
      '2024-03-05T00:00:00.000Z',
    );
    expect(plain).not.toHaveProperty('budgetCodes');
    expect(plain).not.toHaveProperty('treasuryVoucher');
    // Pinned: the hash this entry had before issue 15 (computed on the code before the change).
    expect(plain.hash).toBe(PLAIN_HASH);
  });

  it('carries the allocation’s codes, the request’s item and the Treasury’s voucher, covered by the hash', () => {
    const entry = buildDisbursementEntry(allocation, request, '2024-03-05T00:00:00.000Z');
    expect(entry).toMatchObject({
      budgetCodes: { ...CODES, project: '7000001' },
      budgetItem: { item: '9300', subItem: '9303' },
      treasuryVoucher: { number: '0012', valueDate: '2024-03-05' },
    });
    const swapped = { ...entry, treasuryVoucher: { number: '0013', valueDate: '2024-03-05' } };
    expect(verifyChain([swapped]).broken).toEqual([
      { seq: 1, reason: 'hash does not match the entry content' },
    ]);
  });

  it('writes them in new last columns that a verifier reads back (leading zeros kept), and in the statement', () => {
    const entry = buildDisbursementEntry(allocation, request, '2024-03-05T00:00:00.000Z');
    const csv = ledgerCsv([entry]);
    expect(
      csv
        .split('\r\n')[0]
        ?.endsWith(
          ',budgetChapter,budgetSector,budgetProgramme,budgetProject,budgetSource,budgetItem,budgetSubItem,treasuryVoucher,documents,transferPostings,reallocation,postedDate',
        ),
    ).toBe(true);
    const [fromCopy] = cellValues(openInSpreadsheet(csv)).map(entryFromCsvRecord);
    expect(fromCopy).toEqual(entry);
    expect(verifyChain([fromCopy as typeof entry]).valid).toBe(true);
    const statement = buildStatement({ ...allocation, disbursedVnd: entry.amountVnd }, [entry]);
    expect(statement.budgetCodes).toEqual(allocation.budgetCodes);
    expect(statement.lines[0]).toMatchObject({
      budgetItem: { item: '9300', subItem: '9303' },
      treasuryVoucher: { number: '0012', valueDate: '2024-03-05' },
    });
  });
});

const PLAIN_HASH = 'a39a2605dae38ad2515e94bc34dce3d905ba1ea63ad6a5c055ea6a80e109b892';
