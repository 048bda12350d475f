import { checkNewAllocation, type NewAllocation } from '../../ledger/app/allocations.ts';
import { contractTarget, type ResolvedTarget } from '../../ledger/app/contracts.ts';
import type { LedgerStore } from '../../ledger/app/ports.ts';
import {
  approvalOf,
  assertOutputsDeclared,
  assertTakesRequest,
  type NewRequest,
} from '../../ledger/app/requests.ts';
import {
  type Allocation,
  type AllocationTotals,
  checkedTotals,
  reserve,
} from '../../ledger/domain/allocation.ts';
import type { ApprovalPolicies } from '../../ledger/domain/approval-policy.ts';
import { type Contract, cashOutVnd } from '../../ledger/domain/contract.ts';
import { assertYearTakesAllocations } from '../../ledger/domain/year-end-close.ts';
import { type PayeeRegister, requestPayeeFields } from '../../payees/app/request-payee.ts';
import type { Payee } from '../../payees/domain/payee.ts';
import { AlreadySupportedError } from '../../payees/errors.ts';
import { type Actor, jurisdictionOfScope, restrictFilter, scopeOf } from '../../platform/access.ts';
import { AppError, InsufficientFundsError, NotFoundError } from '../../platform/errors.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { OutputCatalogue } from '../../targets/app/ports.ts';
import type { CellError } from '../domain/cell-error.ts';
import { folded } from '../domain/folded-text.ts';
import type { ColumnSpec } from '../domain/import-columns.ts';
import { cellMessage, type HeaderLayout, letterOf } from '../domain/sheet-rows.ts';

/** Where a row is, as the checks report it: its sheet, row number and the sheet's columns. */
interface At {
  sheet: string;
  row: number;
  layout: HeaderLayout;
}

const place = ({ sheet, row }: At) => ({ sheet, row });

/** A row as a message names it: "dòng 4", with its sheet when that is not the reader's own. */
const rowLabel = (row: At, from: At) =>
  row.sheet === from.sheet ? `dòng ${row.row}` : `dòng ${row.row} trang «${row.sheet}»`;

/** What the store checks read: the ledger, the plan's output keys, the payee register, the approval policies. */
export interface CheckDeps {
  store: LedgerStore;
  catalogue: OutputCatalogue;
  register?: PayeeRegister;
  /** A payment batch's rows must each have an approval chain (no_approval_policy otherwise); unchecked when absent. */
  policies?: ApprovalPolicies;
  now: () => Date;
}

/** How many reads of the register run at once (one per distinct payee, never one per row). */
const READS_AT_ONCE = 8;

const money = (vnd: number) => `${vnd.toLocaleString('vi-VN')} đồng`;
const listed = (values: readonly unknown[], max = 15) =>
  values.length > max ? `${values.slice(0, max).join(', ')}, …` : values.join(', ');

/** The input field a domain error names in its details ("body.budgetCodes.chapter" → "budgetCodes.chapter"). */
const fieldOf = (error: AppError): string | undefined => {
  const field = error.details?.field;
  return typeof field === 'string' ? field.replace(/^body\./, '').split(' ')[0] : undefined;
};

/** What a domain error says, in Vietnamese, for the person fixing the cell. */
const problemOf = (error: AppError): string => {
  const d = error.details ?? {};
  switch (error.code) {
    case 'invalid_budget_code':
      return Array.isArray(d.allowed) && d.allowed.length > 0
        ? `mã «${String(d.value)}» không có trong danh mục mã năm ${String(d.fiscalYear)} (Thông tư ${String(d.circular)}); dùng một trong: ${listed(d.allowed)}`
        : `chưa có danh mục mã ngân sách cho năm ${String(d.fiscalYear)}: để trống các cột mã`;
    case 'forbidden':
      return 'ngoài phạm vi tài khoản của bạn (địa bàn, xã): chỉ nhập cho nơi tài khoản được giao';
    case 'fiscal_year_closed':
      return `năm kế hoạch ${String(d.fiscalYear)} đã khóa sổ (quyết định ${String(d.decisionNumber)}): không nhận thêm`;
    case 'disbursement_period_closed':
      return `kế hoạch vốn đã hết thời hạn giải ngân (ngày cuối ${String(d.deadline)}): cần quyết định kéo dài trước`;
    case 'already_supported':
      return error.message;
    case 'unknown_payee':
      return `không có đơn vị thụ hưởng mã ${String(d.payeeId)} trong danh mục của địa bàn: đăng ký trước (POST /payees) hoặc sửa mã`;
    case 'advance_limit_exceeded':
      return `tạm ứng vượt mức tạm ứng tối đa của hợp đồng, kể cả các dòng trước của tệp (${error.message})`;
    case 'contract_value_exceeded':
      return `thanh toán vượt giá trị hợp đồng, kể cả các dòng trước của tệp (${error.message})`;
    case 'recovery_invalid':
      return `số thu hồi tạm ứng không hợp lệ (${error.message})`;
    case 'not_found':
      return 'không tìm thấy mã này trong phạm vi tài khoản của bạn: kiểm tra lại mã (GET /allocations, GET /contracts)';
    case 'no_approval_policy':
      return `chưa có quy trình phê duyệt cho địa bàn, năm và nguồn vốn của kế hoạch vốn này: đề nghị quản trị hệ thống bổ sung cấu hình (${error.message})`;
    case 'amount_out_of_range':
      return `số liệu của kế hoạch vốn vượt giới hạn 10^15 đồng hoặc bị lưu sai (${error.message})`;
    case 'invalid_request':
      if (fieldOf(error) === 'commune' && Array.isArray(d.allowed))
        return `«${String(d.commune)}» không phải xã, phường của địa bàn năm ${String(d.fiscalYear)}; chọn một trong: ${listed(d.allowed, 40)}`;
      if (fieldOf(error) === 'outputs' && Array.isArray(d.allowed))
        return d.allowed.length > 0
          ? `mã «${String(d.key)}» không phải chỉ tiêu của kế hoạch năm; dùng một trong: ${listed(d.allowed)}`
          : 'kế hoạch năm chưa khai báo mã chỉ tiêu nào: để trống ô này';
      if (fieldOf(error) === 'allocationId' && typeof d.allocationId === 'string')
        return `hợp đồng thuộc kế hoạch vốn ${d.allocationId}: để trống hoặc ghi đúng mã đó`;
      return `không hợp lệ (${error.message})`;
    default:
      return `không hợp lệ (${error.message})`;
  }
};

/** Turns what a check throws into an error on the cell of the field it names (else `fallback`'s). */
const cellErrorOf = (specs: readonly ColumnSpec[], at: At, error: unknown, fallback: string): CellError => {
  if (!(error instanceof AppError)) throw error;
  const named = fieldOf(error);
  const spec =
    specs.find((s) => s.field === named) ??
    specs.find((s) => named !== undefined && s.field.startsWith(`${named}.`)) ??
    specs.find((s) => s.field === fallback);
  const field = spec?.field ?? fallback;
  const problem = problemOf(error);
  return {
    ...place(at),
    column: letterOf(at.layout, field),
    code: error.code,
    message: spec ? cellMessage(spec, problem) : problem,
  };
};

/** Runs a check; what it throws becomes a cell error. True when it passed. */
const checked = (errors: CellError[], toError: (e: unknown) => CellError, check: () => void): boolean => {
  try {
    check();
    return true;
  } catch (error) {
    errors.push(toError(error));
    return false;
  }
};

/** The second and later rows with the same key: an error on the `field` column naming the first. */
const duplicates = <R extends At>(
  rows: readonly R[],
  keyOf: (r: R) => string,
  report: (r: R, first: R) => CellError,
): CellError[] => {
  const seen = new Map<string, R>();
  const errors: CellError[] = [];
  for (const r of rows) {
    const key = keyOf(r);
    const first = seen.get(key);
    if (first) errors.push(report(r, first));
    else seen.set(key, r);
  }
  return errors;
};

const duplicateError = (specs: readonly ColumnSpec[], field: string, r: At, first: At): CellError => {
  const spec = specs.find((s) => s.field === field);
  const problem = `dòng này trùng với ${rowLabel(first, r)}: xóa một trong hai dòng, hoặc sửa cho khác nhau`;
  return {
    ...place(r),
    column: letterOf(r.layout, field),
    code: 'duplicate_row',
    message: spec ? cellMessage(spec, problem) : problem,
  };
};

/**
 * The plan's rows against the rules POST /allocations applies (checkNewAllocation: reach, commune of
 * the year, budget codes of the year's catalogue) and the store: each year's close read once. Rows
 * repeating another (same year, line, capital type, project, commune and title) are refused.
 */
export const checkAllocationRows = async (
  store: Pick<LedgerStore, 'getFiscalYearClose'>,
  actor: Actor,
  specs: readonly ColumnSpec[],
  rows: readonly (At & { input: NewAllocation })[],
): Promise<CellError[]> => {
  const errors = duplicates(
    rows,
    ({ input: i }) =>
      JSON.stringify([i.fiscalYear, i.fundingLine, i.capitalType, i.component, i.commune, folded(i.title)]),
    (r, first) => duplicateError(specs, 'title', r, first),
  );
  const jurisdiction = jurisdictionOfScope(scopeOf(actor));
  const years = [...new Set(rows.map((r) => r.input.fiscalYear))];
  const closes = new Map(
    await Promise.all(years.map(async (y) => [y, await store.getFiscalYearClose(jurisdiction, y)] as const)),
  );
  for (const r of rows) {
    const toError = (field: string) => (e: unknown) => cellErrorOf(specs, r, e, field);
    if (checked(errors, toError('commune'), () => checkNewAllocation(actor, r.input))) {
      checked(errors, toError('fiscalYear'), () =>
        assertYearTakesAllocations(closes.get(r.input.fiscalYear)),
      );
    }
  }
  return errors;
};

/** Reads in groups of {@link READS_AT_ONCE}. */
const inGroups = async <T, U>(items: readonly T[], read: (item: T) => Promise<U>): Promise<U[]> => {
  const out: U[] = [];
  for (let i = 0; i < items.length; i += READS_AT_ONCE) {
    out.push(...(await Promise.all(items.slice(i, i + READS_AT_ONCE).map(read))));
  }
  return out;
};

/**
 * The batch's rows against the rules POST /requests applies, with the store read in bulk: the
 * allocations and (when rows name any) contracts in the caller's reach in one list each, each
 * distinct payee and each year's output keys once. Rows are taken in file order on the allocations
 * and contracts as the earlier rows leave them, so the sum the file asks of an allocation stays within
 * what it has left, and a contract's advances and payments within its limits (the same domain rules:
 * reserve, contractTarget, assertTakesRequest, requestPayeeFields, assertOutputsDeclared).
 */
export const checkRequestRows = async (
  deps: CheckDeps,
  actor: Actor,
  specs: readonly ColumnSpec[],
  rows: readonly (At & { input: NewRequest })[],
): Promise<CellError[]> => {
  const errors = duplicates(
    rows,
    ({ input: i }) =>
      JSON.stringify([
        i.kind ?? 'direct',
        i.allocationId,
        i.contractId,
        i.payeeId,
        i.amountVnd,
        folded(i.purpose),
      ]),
    (r, first) => duplicateError(specs, 'purpose', r, first),
  );
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const now = deps.now().toISOString();
  const allocations = new Map(
    (await deps.store.listAllocations(restrictFilter(scope, {}))).map((a) => [a.id, a]),
  );
  const contracts = new Map<string, Contract>(
    rows.some((r) => r.input.contractId !== undefined)
      ? (await deps.store.listContracts(restrictFilter(scope, {}))).map((c) => [c.id, c])
      : [],
  );
  // The register's payees the rows name, each read once; requestPayeeFields then reads this copy.
  const payeeIds = [...new Set(rows.flatMap((r) => (r.input.payeeId ? [r.input.payeeId] : [])))];
  const payees = new Map<string, Payee | undefined>(
    await inGroups(
      payeeIds,
      async (id) => [id, await deps.register?.payees.getPayee(jurisdiction, id)] as const,
    ),
  );
  const register: PayeeRegister = {
    payees: { getPayee: async (_j, id) => payees.get(id) },
    supportRules: deps.register?.supportRules ?? [],
  };
  const yearsWithOutputs = [
    ...new Set(
      rows.flatMap(({ input }) => {
        // A contract's request draws on the contract's allocation.
        const id = input.contractId ? contracts.get(input.contractId)?.allocationId : input.allocationId;
        const a = id === undefined ? undefined : allocations.get(id);
        return a && input.outputs ? [a.fiscalYear] : [];
      }),
    ),
  ];
  const declared = new Map(
    await Promise.all(
      yearsWithOutputs.map(
        async (y) => [y, await deps.catalogue.declaredOutputKeys(y, jurisdiction)] as const,
      ),
    ),
  );
  const totals = new Map<string, AllocationTotals>();
  const drawnBy = new Map<string, string[]>();
  const claimedBy = new Map<string, At>();
  const ruleLabel = (id: string) => register.supportRules.find((rule) => rule.id === id)?.label.vi ?? id;
  for (const r of rows) {
    const toError = (field: string) => (e: unknown) => cellErrorOf(specs, r, e, field);
    const { input } = r;
    let target: ResolvedTarget | undefined;
    let allocation: Allocation | undefined;
    const ok =
      checked(errors, toError('contractId'), () => {
        if (input.contractId === undefined || (input.kind ?? 'direct') === 'direct') {
          target = { allocationId: input.allocationId ?? '', fields: input.kind ? { kind: input.kind } : {} };
          return;
        }
        const contract = contracts.get(input.contractId);
        if (!contract) throw new NotFoundError(`No contract with id ${input.contractId}.`);
        target = contractTarget(contract, input, now);
      }) &&
      checked(errors, toError('allocationId'), () => {
        allocation = target && allocations.get(target.allocationId);
        if (!allocation) throw new NotFoundError(`No allocation with id ${target?.allocationId}.`);
        checkedTotals(allocation);
        assertTakesRequest(allocation, now, input);
        if (deps.policies) approvalOf(deps.policies, allocation, input.amountVnd);
      }) &&
      checked(errors, toError('outputs'), () => {
        if (allocation)
          assertOutputsDeclared(declared.get(allocation.fiscalYear) ?? [], allocation, input.outputs);
      });
    if (!ok || !target || !allocation) continue;
    let claims: string[] = [];
    try {
      if (!target.payee) {
        const fields = await requestPayeeFields(register, jurisdictionOf(allocation), input, {
          component: allocation.component,
          outputs: input.outputs,
        });
        claims = (fields.supportClaims ?? []).map((rule) => `${fields.payeeId}#${rule}`);
        // Support a rule allows once per payee (housing): twice in one file is refused here, as the store would.
        const twice = claims.find((c) => claimedBy.has(c));
        if (twice !== undefined) {
          const [payeeId = '', rule = ''] = twice.split('#');
          const first = claimedBy.get(twice) as At;
          throw new AlreadySupportedError(
            `đơn vị thụ hưởng ${payeeId} đã được đề nghị hỗ trợ «${ruleLabel(rule)}» ở ${rowLabel(first, r)}, mà mỗi đối tượng chỉ được hỗ trợ một lần: bỏ một trong hai dòng`,
            { rule, payeeId },
          );
        }
      }
    } catch (error) {
      errors.push(toError('payeeId')(error));
      continue;
    }
    const before = totals.get(allocation.id) ?? checkedTotals(allocation);
    const earlier = drawnBy.get(allocation.id) ?? [];
    const cash = cashOutVnd({ ...target.fields, amountVnd: input.amountVnd });
    try {
      totals.set(allocation.id, reserve(before, cash));
    } catch (error) {
      if (!(error instanceof InsufficientFundsError)) {
        errors.push(toError('amountVnd')(error));
        continue;
      }
      const spec = specs.find((s) => s.field === 'amountVnd');
      const after = earlier.length > 0 ? ` sau ${earlier.join(', ')} của tệp` : '';
      const problem = `kế hoạch vốn ${allocation.id} còn ${money(before.availableVnd)}${after}, dòng này cần ${money(cash)}: giảm số tiền hoặc tách sang kế hoạch vốn khác`;
      errors.push({
        ...place(r),
        column: letterOf(r.layout, 'amountVnd'),
        code: error.code,
        message: spec ? cellMessage(spec, problem) : problem,
      });
      continue;
    }
    drawnBy.set(allocation.id, [...earlier, rowLabel(r, r)]);
    for (const claim of claims) claimedBy.set(claim, r);
    if (target.commitment && input.contractId) contracts.set(input.contractId, target.commitment.committed);
  }
  return errors;
};
