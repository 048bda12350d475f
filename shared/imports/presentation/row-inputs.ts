import type * as z from 'zod';
import type { NewAllocation } from '../../ledger/app/allocations.ts';
import type { NewRequest } from '../../ledger/app/requests.ts';
import { CreateAllocationBody, SubmitRequestBody } from '../../ledger/http/schemas.ts';
import type { CellErrorCode } from '../../platform/error-catalogue.ts';
import type { CellError } from '../domain/cell-error.ts';
import type { ColumnSpec } from '../domain/import-columns.ts';
import type { ImportKind } from '../domain/import-kind.ts';
import { cellMessage, type HeaderLayout, letterOf, type RawRow } from '../domain/sheet-rows.ts';

// A file's row is another form of the route's body: read here, at the edge, through the route's own
// schema (CreateAllocationBody, SubmitRequestBody) so that the rules live once; use cases (app/) never
// import an http/ module.

/** A row whose cells passed the route's own schema: the input POST /allocations or POST /requests takes. */
export type ValidRow =
  | { kind: 'allocations'; sheet: string; row: number; input: NewAllocation }
  | { kind: 'requests'; sheet: string; row: number; input: NewRequest };

/** What the request schema's own rules (requestKindRules) say, in Vietnamese, by field and English opening. */
const KIND_RULES: readonly { field: string; starts: string; problem: string }[] = [
  { field: 'allocationId', starts: 'is required', problem: 'chi trực tiếp phải ghi mã kế hoạch vốn' },
  {
    field: 'payeeId',
    starts: 'name the payee',
    problem: 'chi trực tiếp phải ghi mã đơn vị thụ hưởng trong danh mục',
  },
  {
    field: 'contractId',
    starts: 'is for an advance',
    problem: 'mã hợp đồng chỉ dùng cho Tạm ứng hoặc Thanh toán: ghi Loại chi, hoặc xóa mã hợp đồng',
  },
  { field: 'contractId', starts: 'is required', problem: 'tạm ứng, thanh toán phải ghi mã hợp đồng' },
  {
    field: 'payeeId',
    starts: 'must be left out',
    problem: 'tạm ứng, thanh toán trả cho bên nhận của hợp đồng: xóa mã đơn vị thụ hưởng',
  },
  { field: 'recoveryVnd', starts: 'is for a payment', problem: 'thu hồi tạm ứng chỉ ghi cho Thanh toán' },
];

/** What is wrong with a cell, in Vietnamese, from a schema issue (the English rule kept in brackets). */
const problemOf = (issue: z.core.$ZodIssue, field: string): { code: CellErrorCode; problem: string } => {
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return { code: 'required', problem: 'ô trống' };
  if (issue.code === 'custom') {
    const rule = KIND_RULES.find((r) => r.field === field && issue.message.startsWith(r.starts));
    if (rule) return { code: 'invalid_value', problem: rule.problem };
  }
  // Size issues say what they measured: a string's length, a number's value.
  const text = 'origin' in issue && issue.origin === 'string';
  const said: Partial<Record<z.core.$ZodIssue['code'], string>> = {
    too_big: text ? 'quá dài' : 'quá lớn',
    too_small: text ? 'trống' : 'quá nhỏ',
    invalid_value: 'không có trong danh sách',
    invalid_format: 'không đúng dạng',
    invalid_type: 'không đúng kiểu',
  };
  return { code: 'invalid_value', problem: `${said[issue.code] ?? 'không hợp lệ'} (${issue.message})` };
};

/** The column of an issue's path: the deepest field the columns know ("budgetCodes.chapter", else "budgetCodes"). */
const specOf = (specs: readonly ColumnSpec[], path: readonly PropertyKey[]): ColumnSpec | undefined => {
  for (let n = path.length; n > 0; n--) {
    const field = path.slice(0, n).map(String).join('.');
    const spec = specs.find((s) => s.field === field);
    if (spec) return spec;
  }
  // An object-wide issue on a group of columns (budgetCodes): its first column.
  const head = String(path[0] ?? '');
  return specs.find((s) => s.field.startsWith(`${head}.`));
};

/** The schema issues of a row as errors on its cells; a column the sheet lacks is named so it can be added. */
export const issueErrors = (
  layout: HeaderLayout,
  specs: readonly ColumnSpec[],
  raw: Pick<RawRow, 'sheet' | 'row'>,
  issues: readonly z.core.$ZodIssue[],
): CellError[] =>
  issues.map((issue) => {
    const spec = specOf(specs, issue.path);
    const field = spec?.field ?? issue.path.map(String).join('.');
    const { code, problem } = problemOf(issue, field);
    const absent = spec !== undefined && !layout.columns.has(spec.field);
    const message = spec
      ? `${absent ? `Tệp thiếu cột «${spec.header}»: hãy thêm cột này. ` : ''}${cellMessage(spec, problem)}`
      : `Dòng không hợp lệ: ${field} ${problem}.`;
    return { sheet: raw.sheet, row: raw.row, column: letterOf(layout, field), code, message };
  });

/**
 * Each read row through the route's own schema (CreateAllocationBody, SubmitRequestBody), so the rules
 * live once: the valid rows with their inputs, and every bad cell (those the reader could not read,
 * then the schema's).
 */
export const validateRows = (
  kind: ImportKind,
  layout: HeaderLayout,
  specs: readonly ColumnSpec[],
  rows: readonly RawRow[],
): { valid: ValidRow[]; errors: CellError[] } => {
  const valid: ValidRow[] = [];
  const errors: CellError[] = [];
  for (const raw of rows) {
    const parsed =
      kind === 'allocations'
        ? CreateAllocationBody.safeParse(raw.fields)
        : SubmitRequestBody.safeParse(raw.fields);
    // A cell the reader refused is absent from the fields: the schema's word on it would only repeat it.
    const unread = new Set(raw.errors.map((e) => e.column));
    const schemaErrors = parsed.success
      ? []
      : issueErrors(layout, specs, raw, parsed.error.issues).filter((e) => !unread.has(e.column));
    if (raw.errors.length > 0 || schemaErrors.length > 0) {
      errors.push(...raw.errors, ...schemaErrors);
    } else if (parsed.success) {
      const where = { sheet: raw.sheet, row: raw.row };
      valid.push(
        kind === 'allocations'
          ? { kind, ...where, input: parsed.data as NewAllocation }
          : { kind, ...where, input: parsed.data as NewRequest },
      );
    }
  }
  return { valid, errors };
};
