import { describe, expect, it } from 'vitest';
import { ImportFileError } from '../../shared/imports/app/errors.ts';
import { type ImportReadDeps, readImport } from '../../shared/imports/app/read-import.ts';
import { ALLOCATION_COLUMNS, REQUEST_COLUMNS } from '../../shared/imports/domain/import-columns.ts';
import { IMPORT_LIMITS } from '../../shared/imports/domain/import-limits.ts';
import type { PayeeRegister } from '../../shared/payees/app/request-payee.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { CONTRACTOR, givenContract, inMemoryPayees } from '../support/contract-fixtures.ts';
import { actor, finance, givenAllocation, planner, testEnv } from '../support/fixtures.ts';
import { csvFile, xlsxFile } from './support/import-files.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const PLAN_HEADERS = ALLOCATION_COLUMNS.map((c) => c.header);
const BATCH_HEADERS = REQUEST_COLUMNS.map((c) => c.header);

const depsOf = (store = new InMemoryLedgerStore()): ImportReadDeps & { store: InMemoryLedgerStore } => ({
  store,
  catalogue: testEnv.catalogue,
  register: {
    // Name and kind are all a request reads of a register payee.
    payees: inMemoryPayees([
      CONTRACTOR,
      { id: 'payee-hh-1', kind: 'household', name: 'Hộ bà Bling' },
    ]) as unknown as PayeeRegister['payees'],
    supportRules: [],
  },
  now: testEnv.now,
});

/** A plan row in the header order: year, line, capital type, project, commune, investor, title, amount, codes. */
const planRow = (over: Partial<Record<(typeof PLAN_HEADERS)[number], unknown>> = {}) =>
  PLAN_HEADERS.map(
    (h) =>
      ({
        'Năm kế hoạch': 2024,
        'Nguồn vốn': 'Vốn trung ương',
        'Loại vốn': 'Vốn đầu tư',
        'Dự án': 'DA1',
        Xã: 'A Tiêng',
        'Chủ đầu tư': null,
        'Nội dung': 'Đường nội thôn Pơ Ning',
        'Kế hoạch vốn giao (đồng)': 1_500_000_000,
        ...over,
      })[h] ?? null,
  );

describe('reading a plan file', () => {
  it('gives each row the input POST /allocations takes, labels read as codes and text amounts as numbers', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [
        PLAN_HEADERS,
        planRow(),
        planRow({
          'Nguồn vốn': 'ngan sach huyen',
          'Loại vốn': 'VỐN SỰ NGHIỆP',
          Xã: 'a tieng',
          'Chủ đầu tư': 'Ban quản lý dự án',
          'Nội dung': 'Hỗ trợ sản xuất',
          'Kế hoạch vốn giao (đồng)': '40.000.000',
          Chương: 805,
          'Loại–khoản': '370-398',
          'Mã CTMTQG': 70,
          'Mã nguồn': 1,
        }),
      ],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(reading).toEqual({
      ok: true,
      rows: [
        {
          kind: 'allocations',
          sheet: 'Kế hoạch vốn',
          row: 2,
          input: {
            fiscalYear: 2024,
            fundingLine: 'central',
            capitalType: 'investment',
            component: 'DA1',
            commune: 'A Tiêng',
            title: 'Đường nội thôn Pơ Ning',
            amountVnd: 1_500_000_000,
          },
        },
        {
          kind: 'allocations',
          sheet: 'Kế hoạch vốn',
          row: 3,
          input: {
            fiscalYear: 2024,
            fundingLine: 'local',
            capitalType: 'recurrent',
            component: 'DA1',
            commune: 'A Tiêng',
            investor: 'project-board',
            title: 'Hỗ trợ sản xuất',
            amountVnd: 40_000_000,
            budgetCodes: { chapter: '805', sector: '370-398', programme: '0070', source: '01' },
          },
        },
      ],
    });
  });

  it('finds the headers in any order, in any case and without accents, below a title row, beside extra columns', async () => {
    const headers = [
      'Ghi chu ca nhan',
      'KE HOACH VON GIAO',
      'noi dung',
      'xa',
      'du an',
      'loai von',
      'nguon von',
      'nam ke hoach',
    ];
    const file = xlsxFile({
      'Trang 1': [
        ['KẾ HOẠCH VỐN NĂM 2024'],
        headers,
        ['mine', '1,000,000', 'Nhà văn hóa', 'Dang', 'DA5', 'Vốn đầu tư', 'Vốn tỉnh', '2024'],
      ],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(reading.ok && reading.rows.map((r) => [r.row, r.input])).toEqual([
      [
        3,
        {
          fiscalYear: 2024,
          fundingLine: 'provincial',
          capitalType: 'investment',
          component: 'DA5',
          commune: 'Dang',
          title: 'Nhà văn hóa',
          amountVnd: 1_000_000,
        },
      ],
    ]);
  });

  it('skips blank rows and the rows whose note starts with "Ví dụ"', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [
        ['Ghi chú', ...PLAN_HEADERS],
        ['Ví dụ 1 – dòng mẫu', ...planRow({ 'Nội dung': 'mẫu' })],
        [],
        [null, ...planRow()],
      ],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(reading.ok && reading.rows.map((r) => r.row)).toEqual([4]);
  });

  it('reports every bad cell with its sheet, row and column letter, in Vietnamese, and no rows', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [
        PLAN_HEADERS,
        planRow({ 'Kế hoạch vốn giao (đồng)': 1500.5 }),
        planRow({ 'Nguồn vốn': 'Vốn ngoài nước', 'Nội dung': null }),
        planRow({
          Xã: 'Hội An',
          Chương: '999',
          'Loại–khoản': '370-398',
          'Mã CTMTQG': '0070',
          'Mã nguồn': '01',
        }),
        planRow({ 'Kế hoạch vốn giao (đồng)': '40.000,5', 'Năm kế hoạch': 1999 }),
      ],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(reading.ok).toBe(false);
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.map((e) => [e.sheet, e.row, e.column, e.code])).toEqual([
      ['Kế hoạch vốn', 2, 'H', 'fraction'],
      ['Kế hoạch vốn', 3, 'B', 'unknown_choice'],
      ['Kế hoạch vốn', 3, 'G', 'required'],
      ['Kế hoạch vốn', 4, 'E', 'unknown_commune'],
      ['Kế hoạch vốn', 5, 'A', 'invalid_value'],
      ['Kế hoạch vốn', 5, 'H', 'fraction'],
    ]);
    expect(errors[0]?.message).toContain('Cột «Kế hoạch vốn giao (đồng)»: 1500.5 có phần lẻ');
    expect(errors[1]?.message).toContain('«Ngân sách trung ương»');
    expect(errors[2]?.message).toBe(
      'Cột «Nội dung»: ô trống. Cần ghi: nội dung khoản vốn, tối đa 200 ký tự.',
    );
    expect(errors[3]?.message).toContain(
      '«Hội An» không phải tên xã, phường của địa bàn; chọn một trong: A Nông, A Tiêng',
    );
  });

  it('says a text is too long and a number too small in Vietnamese, with the rule', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [PLAN_HEADERS, planRow({ 'Nội dung': 'a'.repeat(201), 'Kế hoạch vốn giao (đồng)': 0 })],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(reading.ok ? [] : reading.errors.map((e) => [e.column, e.message])).toEqual([
      [
        'G',
        'Cột «Nội dung»: quá dài (must be at most 200 characters). Cần ghi: nội dung khoản vốn, tối đa 200 ký tự.',
      ],
      [
        'H',
        'Cột «Kế hoạch vốn giao (đồng)»: quá nhỏ (must be greater than 0). Cần ghi: số nguyên đồng lớn hơn 0, không có phần lẻ (ví dụ 1.500.000.000).',
      ],
    ]);
  });

  it('reports a budget code outside the year’s catalogue on its own column, once the row is otherwise good', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [
        PLAN_HEADERS,
        planRow({ Chương: '999', 'Loại–khoản': '370-398', 'Mã CTMTQG': '0070', 'Mã nguồn': '01' }),
        planRow({ 'Nội dung': 'khác', Chương: '805', 'Loại–khoản': '370-398', 'Mã CTMTQG': '0070' }),
      ],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'I', 'invalid_budget_code'],
      [3, 'M', 'required'],
    ]);
    expect(errors[0]?.message).toContain('mã «999» không có trong danh mục mã năm 2024');
  });

  it('refuses a row repeating an earlier one, naming it', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [PLAN_HEADERS, planRow(), planRow({ 'Nội dung': '  đường nội thôn PƠ NING ' })],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(reading.ok ? [] : reading.errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'G',
        code: 'duplicate_row',
        message: expect.stringContaining('trùng với dòng 2'),
      }),
    ]);
  });

  it('reads every sheet with the headers, in sheet order, and names the other sheet of a duplicate', async () => {
    const file = xlsxFile({
      'Hướng dẫn': [
        ['Cột', 'Cách ghi'],
        ['Xã', 'tên xã'],
      ],
      'A Tiêng': [PLAN_HEADERS, planRow()],
      Dang: [
        ['Ghi chú', ...PLAN_HEADERS],
        [null, ...planRow({ Xã: 'Dang' })],
        [null, ...planRow()],
      ],
    });
    const reading = await readImport(depsOf(), planner, 'allocations', file);
    expect(
      reading.ok ? [] : reading.errors.map((e) => [e.sheet, e.row, e.column, e.code, e.message]),
    ).toEqual([
      ['Dang', 3, 'H', 'duplicate_row', expect.stringContaining('trùng với dòng 2 trang «A Tiêng»')],
    ]);
    const good = xlsxFile({
      'A Tiêng': [PLAN_HEADERS, planRow()],
      Dang: [PLAN_HEADERS, planRow({ Xã: 'Dang' })],
    });
    const rows = await readImport(depsOf(), planner, 'allocations', good);
    expect(
      rows.ok && rows.rows.map((r) => [r.sheet, r.row, r.kind === 'allocations' && r.input.commune]),
    ).toEqual([
      ['A Tiêng', 2, 'A Tiêng'],
      ['Dang', 2, 'Dang'],
    ]);
  });

  it('refuses rows of a closed year, reading the year’s close once', async () => {
    const store = new InMemoryLedgerStore();
    let reads = 0;
    const counting = Object.assign(Object.create(store), {
      getFiscalYearClose: async (j: string, y: number) => {
        reads++;
        return y === 2023
          ? { fiscalYear: 2023, jurisdiction: j, decisionNumber: '12/QĐ-UBND', status: 'closed' as const }
          : undefined;
      },
    });
    const file = xlsxFile({
      'Kế hoạch vốn': [
        PLAN_HEADERS,
        ...[1, 2, 3].map((n) => planRow({ 'Năm kế hoạch': 2023, 'Nội dung': `Khoản ${n}` })),
      ],
    });
    const reading = await readImport({ ...depsOf(), store: counting }, planner, 'allocations', file);
    expect(reading.ok ? [] : reading.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'A', 'fiscal_year_closed'],
      [3, 'A', 'fiscal_year_closed'],
      [4, 'A', 'fiscal_year_closed'],
    ]);
    expect(reads).toBe(1);
  });

  it('refuses a commune outside a commune-scoped planner’s reach', async () => {
    const communePlanner = { ...actor('planner-x', 'planner'), commune: 'Dang' };
    const file = xlsxFile({ 'Kế hoạch vốn': [PLAN_HEADERS, planRow()] });
    const reading = await readImport(depsOf(), communePlanner, 'allocations', file);
    expect(reading.ok ? [] : reading.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'E', 'forbidden'],
    ]);
  });
});

describe('file-level problems', () => {
  it('names the missing columns of the closest sheet', async () => {
    const file = xlsxFile({ 'Kế hoạch vốn': [PLAN_HEADERS.filter((h) => h !== 'Xã' && h !== 'Nội dung')] });
    const error = await readImport(depsOf(), planner, 'allocations', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({
      code: 'missing_columns',
      status: 422,
      details: { sheet: 'Kế hoạch vốn', missing: ['Xã', 'Nội dung'] },
    });
  });

  it('refuses a file whose only rows are examples', async () => {
    const file = xlsxFile({
      'Kế hoạch vốn': [
        ['Ghi chú', ...PLAN_HEADERS],
        ['Ví dụ', ...planRow()],
      ],
    });
    await expect(readImport(depsOf(), planner, 'allocations', file)).rejects.toMatchObject({
      code: 'no_rows',
    });
  });

  it('refuses more data rows than the limit, counting neither blank nor example rows', async () => {
    const rows = Array.from({ length: IMPORT_LIMITS.maxRows + 1 }, (_, i) =>
      planRow({ 'Nội dung': `K${i}` }),
    );
    const file = csvFile([PLAN_HEADERS, ...rows]);
    await expect(readImport(depsOf(), planner, 'allocations', file)).rejects.toMatchObject({
      code: 'too_many_rows',
      details: { rows: IMPORT_LIMITS.maxRows + 1, maxRows: IMPORT_LIMITS.maxRows },
    });
  });
});

/** A batch row in the header order: kind, allocation, contract, payee, purpose, amount, recovery, item, sub-item, outputs. */
const batchRow = (over: Partial<Record<(typeof BATCH_HEADERS)[number], unknown>>) =>
  BATCH_HEADERS.map((h) => ({ 'Nội dung thanh toán': 'Hỗ trợ làm nhà', ...over })[h] ?? null);

describe('reading a payment batch', () => {
  const setUp = async () => {
    const deps = depsOf();
    const allocation = await givenAllocation(deps.store, {
      amountVnd: 100_000_000,
      capitalType: 'recurrent',
    });
    return { deps, allocation };
  };

  it('gives each row the input POST /requests takes', async () => {
    const { deps, allocation } = await setUp();
    const file = csvFile([
      BATCH_HEADERS,
      batchRow({
        'Mã kế hoạch vốn': allocation.id,
        'Mã đơn vị thụ hưởng': 'payee-hh-1',
        'Số tiền (đồng)': '40.000.000',
        Mục: '7750',
        'Tiểu mục': '7756',
        'Kết quả đầu ra': 'houses=1',
      }),
    ]);
    const reading = await readImport(deps, finance, 'requests', file);
    expect(reading).toEqual({
      ok: true,
      rows: [
        {
          kind: 'requests',
          sheet: 'ke-hoach',
          row: 2,
          input: {
            allocationId: allocation.id,
            payeeId: 'payee-hh-1',
            purpose: 'Hỗ trợ làm nhà',
            amountVnd: 40_000_000,
            budgetItem: { item: '7750', subItem: '7756' },
            outputs: { houses: 1 },
          },
        },
      ],
    });
  });

  it('refuses the row where the file’s sum for an allocation passes what it has left, naming the earlier rows', async () => {
    const { deps, allocation } = await setUp();
    const row = (n: number, amount: number) =>
      batchRow({
        'Mã kế hoạch vốn': allocation.id,
        'Mã đơn vị thụ hưởng': 'payee-hh-1',
        'Nội dung thanh toán': `Đợt ${n}`,
        'Số tiền (đồng)': amount,
      });
    const file = xlsxFile({
      'Đề nghị thanh toán': [BATCH_HEADERS, row(1, 60_000_000), row(2, 30_000_000), row(3, 20_000_000)],
    });
    const reading = await readImport(deps, finance, 'requests', file);
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[4, 'F', 'insufficient_funds']]);
    expect(errors[0]?.message).toContain(
      'còn 10.000.000 đồng sau dòng 2, dòng 3 của tệp, dòng này cần 20.000.000 đồng',
    );
  });

  it('refuses an unknown allocation, an unknown payee and a kind’s missing contract on their own cells', async () => {
    const { deps, allocation } = await setUp();
    const file = xlsxFile({
      'Đề nghị thanh toán': [
        BATCH_HEADERS,
        batchRow({
          'Mã kế hoạch vốn': 'no-such-allocation',
          'Mã đơn vị thụ hưởng': 'payee-hh-1',
          'Số tiền (đồng)': 1,
        }),
        batchRow({ 'Mã kế hoạch vốn': allocation.id, 'Mã đơn vị thụ hưởng': 'nobody', 'Số tiền (đồng)': 1 }),
        batchRow({ 'Loại chi': 'Tạm ứng', 'Số tiền (đồng)': 1 }),
      ],
    });
    const reading = await readImport(deps, finance, 'requests', file);
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'B', 'not_found'],
      [3, 'D', 'unknown_payee'],
      [4, 'C', 'invalid_value'],
    ]);
    expect(errors[2]?.message).toContain('tạm ứng, thanh toán phải ghi mã hợp đồng');
  });

  it('says in Vietnamese that an allocation is not found, and refuses rows no approval policy covers', async () => {
    const { deps, allocation } = await setUp();
    const file = xlsxFile({
      'Đề nghị thanh toán': [
        BATCH_HEADERS,
        batchRow({ 'Mã kế hoạch vốn': 'khong-co', 'Mã đơn vị thụ hưởng': 'payee-hh-1', 'Số tiền (đồng)': 1 }),
        batchRow({
          'Mã kế hoạch vốn': allocation.id,
          'Mã đơn vị thụ hưởng': 'payee-hh-1',
          'Số tiền (đồng)': 1,
        }),
      ],
    });
    const withoutPolicies = { ...deps, policies: { ...approvalPolicies, policies: [] } };
    const reading = await readImport(withoutPolicies, finance, 'requests', file);
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'B', 'not_found'],
      [3, 'B', 'no_approval_policy'],
    ]);
    expect(errors[0]?.message).toContain('không tìm thấy mã này trong phạm vi tài khoản của bạn');
    // With the deployment's policies the same allocation's row is good.
    const good = await readImport({ ...deps, policies: approvalPolicies }, finance, 'requests', {
      ...file,
    });
    expect(good.ok ? [] : good.errors.map((e) => [e.row, e.code])).toEqual([[2, 'not_found']]);
  });

  it('refuses a second housing support for the same household in one file, as the register’s rule says', async () => {
    const deps = { ...depsOf(), register: { ...depsOf().register, supportRules } } as ImportReadDeps;
    const allocation = await givenAllocation(deps.store, { component: 'DA5', amountVnd: 500_000_000 });
    const row = (n: number) =>
      batchRow({
        'Mã kế hoạch vốn': allocation.id,
        'Mã đơn vị thụ hưởng': 'payee-hh-1',
        'Nội dung thanh toán': `Hỗ trợ nhà ở đợt ${n}`,
        'Số tiền (đồng)': 40_000_000,
        'Kết quả đầu ra': 'houses=1',
      });
    const reading = await readImport(
      deps,
      finance,
      'requests',
      xlsxFile({ S: [BATCH_HEADERS, row(1), row(2)] }),
    );
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'D', 'already_supported']]);
    expect(errors[0]?.message).toContain('ở dòng 2, mà mỗi đối tượng chỉ được hỗ trợ một lần');
  });

  it('holds a contract’s advances in the file to its advance limit, row after row', async () => {
    const deps = depsOf();
    const allocation = await givenAllocation(deps.store, { amountVnd: 2_000_000_000 });
    const contract = await givenContract({ store: deps.store, ...testEnv }, allocation.id);
    const advance = (n: number, amount: number) =>
      batchRow({
        'Loại chi': 'Tạm ứng',
        'Mã hợp đồng': contract.id,
        'Nội dung thanh toán': `Tạm ứng đợt ${n}`,
        'Số tiền (đồng)': amount,
      });
    const limit = contract.advanceLimitVnd;
    const withOutputs = BATCH_HEADERS.map((h, i) => (h === 'Kết quả đầu ra' ? 'houses=2' : advance(3, 5)[i]));
    const file = xlsxFile({
      'Đề nghị thanh toán': [BATCH_HEADERS, advance(1, limit - 5), withOutputs, advance(2, 1)],
    });
    const reading = await readImport(deps, finance, 'requests', file);
    // Row 3's outputs are checked against its contract's allocation's year: good.
    expect(reading.ok ? [] : reading.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, 'C', 'advance_limit_exceeded'],
    ]);
  });

  it('reads the store in bulk: one list of allocations, whatever the number of rows', async () => {
    const { deps, allocation } = await setUp();
    let lists = 0;
    let gets = 0;
    const store = Object.assign(Object.create(deps.store), {
      listAllocations: async (filter: never) => {
        lists++;
        return deps.store.listAllocations(filter);
      },
      getAllocation: async (j: string, id: string) => {
        gets++;
        return deps.store.getAllocation(j, id);
      },
    });
    const rows = Array.from({ length: 50 }, (_, i) =>
      batchRow({
        'Mã kế hoạch vốn': allocation.id,
        'Mã đơn vị thụ hưởng': 'payee-hh-1',
        'Nội dung thanh toán': `Hộ ${i}`,
        'Số tiền (đồng)': 1000,
      }),
    );
    const reading = await readImport(
      { ...deps, store },
      finance,
      'requests',
      csvFile([BATCH_HEADERS, ...rows], ','),
    );
    expect(reading.ok && reading.rows.length).toBe(50);
    expect([lists, gets]).toEqual([1, 0]);
  });
});
