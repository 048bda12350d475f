import { INVESTOR_KINDS, type InvestorKind } from '../../ledger/domain/approval-policy.ts';
import { REQUEST_KINDS, type RequestKind } from '../../ledger/domain/disbursement-request.ts';
import {
  CAPITAL_TYPES,
  type CapitalType,
  FUNDING_LINES,
  type FundingLine,
} from '../../ledger/domain/funding-line.ts';
import { TERMS, term } from '../../platform/glossary/glossary.ts';
import type { Choice } from './cell-values.ts';
import type { ImportKind } from './import-kind.ts';
import type { SheetCell } from './sheet-table.ts';

/** What a column's cells hold, and so how they are read. */
export type CellType =
  /** A whole number: a numeric cell, or text with thousands dots or commas ("40.000.000"). */
  | { type: 'whole' }
  /** Free text (trimmed). */
  | { type: 'text' }
  /** A code of digits ("0070"): a numeric cell is padded back with the zeros a spreadsheet drops. */
  | { type: 'digits'; length: number }
  /** A value named by its code or a Vietnamese label; `labels` of the `local` line come from the jurisdiction. */
  | { type: 'choice'; choices: (context: ImportContext) => readonly Choice[] }
  /** A commune by the name the jurisdiction's units give it (matched without accents or case). */
  | { type: 'commune' }
  /** Outputs written "houses=1; km=2". */
  | { type: 'outputs' };

/**
 * One column of an import: the input field it fills (a dotted path), its Vietnamese header (and other
 * headers accepted), what a cell takes (the hint shown in the template and in errors), and examples.
 */
export type ColumnSpec = CellType & {
  field: string;
  header: string;
  aliases?: readonly string[];
  /** A file must have this column (its cells may still be blank where the row does not need them). */
  required: boolean;
  /** What to write, in Vietnamese: the template's guide and the end of every error on the column. */
  hint: string;
  /** Column width in the template, in characters. */
  width: number;
  /** The cells of the template's example rows. */
  examples: readonly SheetCell[];
};

/** What reading depends on beyond the file: the names the importer's jurisdiction gives its places and budget. */
export interface ImportContext {
  /** The `local` funding line as the jurisdiction's file names it (its `localBudget`). */
  localBudget: string;
  /** The jurisdiction's commune-level units, by name, every year's. */
  communes: readonly string[];
}

/** The column whose cell marks an example row: a row whose note starts with "Ví dụ" is skipped. */
export const NOTE_COLUMN = { header: 'Ghi chú', aliases: ['Ví dụ'] } as const;
/** What an example row's note starts with. */
export const EXAMPLE_MARK = 'Ví dụ';

const FUNDING_LINE_LABELS: Record<Exclude<FundingLine, 'local'>, readonly string[]> = {
  // The official term first (what templates and errors show), the words of earlier templates after it.
  central: [term('centralBudget'), ...TERMS.centralBudget.replaces, 'NSTW'],
  provincial: [term('provincialBudget'), ...TERMS.provincialBudget.replaces, 'NST'],
  community: [
    term('communityContributions'),
    ...TERMS.communityContributions.replaces,
    'Vốn cộng đồng',
    'Huy động cộng đồng',
  ],
};
const LOCAL_LABELS = ['Vốn đối ứng', 'Ngân sách địa phương', 'Vốn ngân sách địa phương'];

const fundingLineChoices = (context: ImportContext): Choice<FundingLine>[] =>
  FUNDING_LINES.map((value) => ({
    value,
    labels: value === 'local' ? [context.localBudget, ...LOCAL_LABELS] : FUNDING_LINE_LABELS[value],
  }));

const CAPITAL_TYPE_LABELS: Record<CapitalType, readonly string[]> = {
  investment: [term('investmentCapital'), 'Vốn đầu tư', 'Đầu tư', 'Đầu tư phát triển'],
  recurrent: [term('recurrentCapital'), 'Sự nghiệp', 'Kinh phí sự nghiệp'],
};
const capitalTypeChoices = (): Choice<CapitalType>[] =>
  CAPITAL_TYPES.map((value) => ({ value, labels: CAPITAL_TYPE_LABELS[value] }));

const INVESTOR_LABELS: Record<InvestorKind, readonly string[]> = {
  commune: ['UBND xã', 'Xã', 'Ủy ban nhân dân xã'],
  'project-board': ['Ban quản lý dự án', 'Ban QLDA', 'BQLDA'],
  'provincial-agency': ['Cơ quan cấp tỉnh', 'Sở, ngành cấp tỉnh'],
};
const investorChoices = (): Choice<InvestorKind>[] =>
  INVESTOR_KINDS.map((value) => ({ value, labels: INVESTOR_LABELS[value] }));

const REQUEST_KIND_LABELS: Record<RequestKind, readonly string[]> = {
  direct: ['Chi trực tiếp', 'Trực tiếp'],
  advance: ['Tạm ứng'],
  payment: ['Thanh toán', 'Thanh toán khối lượng hoàn thành'],
};
const requestKindChoices = (): Choice<RequestKind>[] =>
  REQUEST_KINDS.map((value) => ({ value, labels: REQUEST_KIND_LABELS[value] }));

/** The columns of a plan import: one allocation per row, as POST /allocations takes it. */
export const ALLOCATION_COLUMNS: readonly ColumnSpec[] = [
  {
    field: 'fiscalYear',
    header: term('planYear'),
    aliases: [...TERMS.planYear.replaces, 'Năm'],
    type: 'whole',
    required: true,
    hint: 'năm kế hoạch, 4 chữ số (ví dụ 2025)',
    width: 12,
    examples: [2025, 2025],
  },
  {
    field: 'fundingLine',
    header: 'Nguồn vốn',
    type: 'choice',
    choices: fundingLineChoices,
    required: true,
    hint: `${term('centralBudget')}, ${term('provincialBudget')}, ngân sách cấp của địa bàn (tên như địa bàn gọi, ví dụ Ngân sách xã, hoặc Vốn đối ứng) hoặc ${term('communityContributions')}`,
    width: 22,
    examples: [term('centralBudget'), term('centralBudget')],
  },
  {
    field: 'capitalType',
    header: 'Loại vốn',
    type: 'choice',
    choices: capitalTypeChoices,
    required: true,
    hint: `${term('investmentCapital')} hoặc ${term('recurrentCapital')}`,
    width: 16,
    examples: [term('recurrentCapital'), term('investmentCapital')],
  },
  {
    field: 'component',
    header: 'Dự án',
    aliases: ['Dự án thành phần', 'Mã dự án thành phần'],
    type: 'text',
    required: true,
    hint: 'mã dự án thành phần của chương trình, chữ và số không dấu (ví dụ DA1)',
    width: 10,
    examples: ['DA1', 'DA4'],
  },
  {
    field: 'commune',
    header: 'Xã',
    aliases: ['Xã, phường', 'Tên xã'],
    type: 'commune',
    required: true,
    hint: 'tên xã, phường của địa bàn như danh mục đơn vị hành chính ghi (ví dụ A Tiêng)',
    width: 18,
    examples: ['A Tiêng', 'A Tiêng'],
  },
  {
    field: 'investor',
    header: 'Chủ đầu tư',
    type: 'choice',
    choices: investorChoices,
    required: false,
    hint: 'UBND xã, Ban quản lý dự án hoặc Cơ quan cấp tỉnh; để trống: UBND xã',
    width: 20,
    examples: ['UBND xã', 'Ban quản lý dự án'],
  },
  {
    field: 'title',
    header: 'Nội dung',
    aliases: ['Tên dự án', 'Nội dung kế hoạch vốn'],
    type: 'text',
    required: true,
    hint: 'nội dung khoản vốn, tối đa 200 ký tự',
    width: 44,
    examples: ['Ví dụ: Hỗ trợ nhà ở cho hộ nghèo', 'Ví dụ: Đường giao thông nội thôn'],
  },
  {
    field: 'amountVnd',
    header: 'Kế hoạch vốn giao (đồng)',
    aliases: ['Kế hoạch vốn giao', 'Kế hoạch vốn', 'Số vốn giao (đồng)'],
    type: 'whole',
    required: true,
    hint: 'số nguyên đồng lớn hơn 0, không có phần lẻ (ví dụ 1.500.000.000)',
    width: 20,
    examples: [1_500_000_000, 2_000_000_000],
  },
  {
    field: 'budgetCodes.chapter',
    header: 'Chương',
    aliases: ['Mã chương'],
    type: 'digits',
    length: 3,
    required: false,
    hint: 'mã chương, 3 chữ số (ví dụ 805); để trống cả năm cột mã nếu chưa có',
    width: 9,
    examples: ['805', '805'],
  },
  {
    field: 'budgetCodes.sector',
    header: 'Loại–khoản',
    aliases: ['Loại khoản', 'Mã ngành kinh tế'],
    type: 'text',
    required: false,
    hint: 'mã loại và mã khoản, mỗi mã 3 chữ số, nối bằng dấu gạch (ví dụ 370-398)',
    width: 12,
    examples: ['370-398', '280-292'],
  },
  {
    field: 'budgetCodes.programme',
    header: 'Mã CTMTQG',
    aliases: ['Mã chương trình mục tiêu', 'Mã chương trình mục tiêu quốc gia'],
    type: 'digits',
    length: 4,
    required: false,
    hint: 'mã chương trình mục tiêu quốc gia, 4 chữ số (ví dụ 0070)',
    width: 12,
    examples: ['0070', '0070'],
  },
  {
    field: 'budgetCodes.project',
    header: 'Mã dự án',
    aliases: ['Mã dự án đầu tư'],
    type: 'digits',
    length: 7,
    required: false,
    hint: 'mã dự án đầu tư, 7 chữ số, chỉ khi dự án có mã; để trống nếu không có',
    width: 12,
    examples: [null, '7654321'],
  },
  {
    field: 'budgetCodes.source',
    header: 'Mã nguồn',
    aliases: ['Mã nguồn ngân sách'],
    type: 'digits',
    length: 2,
    required: false,
    hint: 'mã nguồn ngân sách, 2 chữ số (ví dụ 01)',
    width: 10,
    examples: ['01', '01'],
  },
];

/** The columns of a payment batch: one request per row, as POST /requests takes it. */
export const REQUEST_COLUMNS: readonly ColumnSpec[] = [
  {
    field: 'kind',
    header: 'Loại chi',
    type: 'choice',
    choices: requestKindChoices,
    required: false,
    hint: 'Chi trực tiếp, Tạm ứng hoặc Thanh toán (theo hợp đồng); để trống: Chi trực tiếp',
    width: 14,
    examples: ['Chi trực tiếp', 'Tạm ứng'],
  },
  {
    field: 'allocationId',
    header: 'Mã kế hoạch vốn',
    aliases: ['Kế hoạch vốn'],
    type: 'text',
    required: true,
    hint: 'mã của khoản kế hoạch vốn như hệ thống cấp (GET /allocations); chi tạm ứng, thanh toán theo hợp đồng: để trống',
    width: 38,
    examples: ['6f1c2a9e-0d3b-4c5a-9e8f-1a2b3c4d5e6f', null],
  },
  {
    field: 'contractId',
    header: 'Mã hợp đồng',
    type: 'text',
    required: false,
    hint: 'mã hợp đồng như hệ thống cấp (GET /contracts), chỉ cho tạm ứng hoặc thanh toán',
    width: 38,
    examples: [null, '0b7e5d4c-3a2f-4e1d-8c9b-7a6f5e4d3c2b'],
  },
  {
    field: 'payeeId',
    header: `Mã ${term('payee').toLocaleLowerCase('vi')}`,
    aliases: [term('payee'), 'Mã người nhận'],
    type: 'text',
    required: false,
    hint: 'mã đơn vị, người thụ hưởng trong danh mục (GET /payees), chỉ cho chi trực tiếp; tạm ứng, thanh toán trả cho bên nhận của hợp đồng',
    width: 38,
    examples: ['3d2c1b0a-9f8e-4d7c-b6a5-948372615a0b', null],
  },
  {
    field: 'purpose',
    header: term('purpose'),
    aliases: ['Nội dung', 'Nội dung chi'],
    type: 'text',
    required: true,
    hint: 'nội dung chi, tối đa 500 ký tự',
    width: 40,
    examples: ['Ví dụ: Hỗ trợ làm nhà ở cho hộ nghèo', 'Ví dụ: Tạm ứng hợp đồng thi công'],
  },
  {
    field: 'amountVnd',
    header: 'Số tiền (đồng)',
    aliases: ['Số tiền', 'Số tiền đề nghị (đồng)'],
    type: 'whole',
    required: true,
    hint: 'số nguyên đồng lớn hơn 0, không có phần lẻ (ví dụ 40.000.000)',
    width: 18,
    examples: [40_000_000, 300_000_000],
  },
  {
    field: 'recoveryVnd',
    header: 'Thu hồi tạm ứng (đồng)',
    aliases: ['Thu hồi tạm ứng'],
    type: 'whole',
    required: false,
    hint: 'chỉ cho Thanh toán: số tiền tạm ứng thu hồi, số nguyên đồng; để trống: 0',
    width: 18,
    examples: [null, null],
  },
  {
    field: 'budgetItem.item',
    header: 'Mục',
    type: 'digits',
    length: 4,
    required: false,
    hint: 'mã mục, 4 chữ số (ví dụ 7750); để trống cả mục và tiểu mục nếu chưa có',
    width: 8,
    examples: ['7750', null],
  },
  {
    field: 'budgetItem.subItem',
    header: 'Tiểu mục',
    type: 'digits',
    length: 4,
    required: false,
    hint: 'mã tiểu mục của mục, 4 chữ số (ví dụ 7756)',
    width: 10,
    examples: ['7756', null],
  },
  {
    field: 'outputs',
    header: 'Kết quả đầu ra',
    aliases: ['Sản phẩm đầu ra'],
    type: 'outputs',
    required: false,
    hint: 'mã chỉ tiêu = số lượng, cách nhau bằng dấu chấm phẩy (ví dụ houses=1); để trống nếu không có',
    width: 18,
    examples: ['houses=1', null],
  },
];

/** The columns of a kind. */
export const columnsOf = (kind: ImportKind): readonly ColumnSpec[] =>
  kind === 'allocations' ? ALLOCATION_COLUMNS : REQUEST_COLUMNS;

/** The name of the data sheet of a kind's template. */
export const SHEET_NAMES: Record<ImportKind, string> = {
  allocations: 'Kế hoạch vốn',
  requests: 'Đề nghị thanh toán',
};
