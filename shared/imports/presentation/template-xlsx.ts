import writeXlsxFile, { type Cell, type Row, type Sheet } from 'write-excel-file/node';
import {
  type ColumnSpec,
  columnsOf,
  EXAMPLE_MARK,
  NOTE_COLUMN,
  SHEET_NAMES,
} from '../domain/import-columns.ts';
import type { ImportKind } from '../domain/import-kind.ts';
import { IMPORT_LIMITS } from '../domain/import-limits.ts';
import type { SheetCell } from '../domain/sheet-table.ts';

/** The name of the guide sheet beside the data sheet. */
export const GUIDE_SHEET = 'Hướng dẫn';

const HEADER_STYLE = {
  fontWeight: 'bold',
  backgroundColor: '#DDEBF7',
  wrap: true,
  alignVertical: 'center',
} as const;
const EXAMPLE_STYLE = { fontStyle: 'italic', textColor: '#7F7F7F' } as const;

/** An example cell typed as its column reads it: amounts as numbers with `#,##0`, codes as text (`@`). */
const exampleCell = (spec: ColumnSpec, value: SheetCell): Cell => {
  if (value === null) return null;
  if (typeof value === 'number') {
    return {
      value,
      type: Number,
      ...(spec.field === 'fiscalYear' ? {} : { format: '#,##0' }),
      ...EXAMPLE_STYLE,
    };
  }
  return { value: String(value), type: String, format: '@', ...EXAMPLE_STYLE };
};

const dataSheet = (kind: ImportKind): Sheet<never> => {
  const specs = columnsOf(kind);
  const header: Row = [
    { value: NOTE_COLUMN.header, type: String, ...HEADER_STYLE },
    ...specs.map((s): Cell => ({ value: s.header, type: String, ...HEADER_STYLE })),
  ];
  const exampleCount = Math.max(...specs.map((s) => s.examples.length));
  const examples: Row[] = Array.from({ length: exampleCount }, (_, i) => [
    { value: `${EXAMPLE_MARK} ${i + 1} – dòng mẫu, không được nhập`, type: String, ...EXAMPLE_STYLE },
    ...specs.map((s) => exampleCell(s, s.examples[i] ?? null)),
  ]);
  return {
    sheet: SHEET_NAMES[kind],
    data: [header, ...examples],
    columns: [{ width: 30 }, ...specs.map((s) => ({ width: s.width }))],
    stickyRowsCount: 1,
  };
};

const text = (value: string, style: Record<string, unknown> = {}): Cell => ({
  value,
  type: String,
  ...style,
});

const guideSheet = (kind: ImportKind): Sheet<never> => {
  const specs = columnsOf(kind);
  const what =
    kind === 'allocations'
      ? 'kế hoạch vốn giao (mỗi dòng một khoản)'
      : 'đề nghị thanh toán (mỗi dòng một hồ sơ)';
  const notes = [
    `Mẫu nhập ${what}. Điền vào trang «${SHEET_NAMES[kind]}», từ dòng 2, giữ nguyên dòng tiêu đề (các cột có thể đổi thứ tự; cột thêm vào được bỏ qua).`,
    `Dòng có ô «${NOTE_COLUMN.header}» bắt đầu bằng «${EXAMPLE_MARK}» là dòng mẫu và không được nhập: xóa đi hoặc để nguyên đều được. Dòng trống được bỏ qua.`,
    'Số tiền ghi số nguyên đồng, không có phần lẻ: 40000000, 40.000.000 hoặc 40,000,000 đều được.',
    'Cả tệp được kiểm tra trước khi ghi: chỉ cần một ô sai là không dòng nào được ghi, và mỗi ô sai được báo theo trang, dòng, cột cùng cách sửa.',
    `Mỗi tệp tối đa ${IMPORT_LIMITS.maxRows} dòng dữ liệu và ${IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB. Nhận tệp .xlsx hoặc .csv (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy).`,
  ];
  const columnHeader: Row = [
    text('Cột', HEADER_STYLE),
    text('Phải có cột', HEADER_STYLE),
    text('Cách ghi', HEADER_STYLE),
  ];
  return {
    sheet: GUIDE_SHEET,
    data: [
      [text('Hướng dẫn', { fontWeight: 'bold', fontSize: 14 })],
      ...notes.map((n): Row => [text(n, { wrap: true })]),
      [null],
      columnHeader,
      ...specs.map(
        (s): Row => [text(s.header), text(s.required ? 'Có' : 'Không'), text(s.hint, { wrap: true })],
      ),
    ],
    columns: [{ width: 28 }, { width: 12 }, { width: 90 }],
  };
};

/**
 * The XLSX template of a kind (write-excel-file): the data sheet with Vietnamese headers, the header row
 * frozen, example rows marked "Ví dụ" in the note column (skipped by the reader), amounts as `#,##0`
 * and codes as text; a guide sheet says what each column takes. Every cell is a constant of the
 * column specs: no formula.
 */
export const importTemplateXlsx = async (kind: ImportKind): Promise<Buffer> =>
  writeXlsxFile([dataSheet(kind), guideSheet(kind)], { fontFamily: 'Calibri', fontSize: 11 }).toBuffer();
