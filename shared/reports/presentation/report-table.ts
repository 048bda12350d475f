import type { CapitalType } from '../../ledger/domain/funding-line.ts';
import {
  capitalized,
  capitalTypeLabel,
  carriedOverLabel,
  fundingLineLabel,
} from '../../monitoring/presentation/scope-label.ts';
import { formatCount } from '../../platform/format/vnd-format.ts';
import { term } from '../../platform/glossary/glossary.ts';
import type { DisbursementReportOutput } from '../app/disbursement-report.ts';
import type { ReportFigures } from '../domain/disbursement-report.ts';

/**
 * The report's tables as both files show them (XLSX and PDF draw the same rows): the layout adapted
 * from the programme's periodic form (docs/reports.md), Vietnamese headers, amounts in đồng.
 */

/** How a column's cells are written: text, an amount of VND, or a rate (a fraction). */
export type ColumnKind = 'text' | 'amount' | 'rate';

export interface TableColumn {
  header: string;
  kind: ColumnKind;
  /** Width in characters (XLSX). */
  width: number;
  /** Width in points on an A4 landscape page (PDF). */
  points: number;
}

/** A cell: text, a number (amount or rate, by its column) or nothing. */
export type TableCell = string | number | null;

/** How a row stands out: a line of the form, a project's subtotal, a total, a breakdown of the total. */
export type RowStyle = 'line' | 'project' | 'total' | 'breakdown';

export interface TableRow {
  style: RowStyle;
  cells: TableCell[];
  /** The row's label spans this many columns from its second (the label of a subtotal or total). */
  labelSpan?: number;
}

export interface ReportTable {
  /** The sheet's name. */
  name: string;
  /** Title lines above the table: what, who, which period and day, the form it follows. */
  title: string[];
  columns: TableColumn[];
  rows: TableRow[];
}

/** The names a report is written with, besides the jurisdiction's places. */
export interface ReportNames {
  /** The programme's projects by component code (config: shared/reports/config). */
  projects: Readonly<Record<string, string>>;
}

const REPORT_TITLE = 'BÁO CÁO KẾT QUẢ GIẢI NGÂN VỐN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG';
const FORM_NOTE =
  'Mẫu điều chỉnh từ Biểu số 02, Phụ lục III, Thông tư 10/2022/TT-BLĐTBXH (minh họa, không phải biểu mẫu chính thức) · Đơn vị tính: đồng';

/** A day written as Vietnamese forms do: dd/mm/yyyy. */
export const vnDay = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** An amount as the PDF writes it: `1.234.567` (no sign: the unit is in the title). */
export const amountText = (vnd: number): string => formatCount(vnd, 'vi');

/** A rate as the PDF writes it: `32,50%`; nothing when there is no rate. */
export const rateText = (fraction: number | null): string =>
  fraction === null ? '' : `${(fraction * 100).toFixed(2).replace('.', ',')}%`;

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
const roman = (n: number): string => ROMAN[n - 1] ?? String(n);

const FIGURE_COLUMNS: TableColumn[] = [
  { header: 'Kế hoạch vốn năm', kind: 'amount', width: 17, points: 70 },
  { header: 'Vốn năm trước chuyển sang', kind: 'amount', width: 17, points: 70 },
  { header: 'Tổng kế hoạch vốn', kind: 'amount', width: 17, points: 70 },
  { header: 'Đã giải ngân', kind: 'amount', width: 17, points: 70 },
  { header: 'Trong đó: tạm ứng', kind: 'amount', width: 17, points: 70 },
  { header: 'Trong đó: thanh toán', kind: 'amount', width: 17, points: 70 },
  { header: 'Tỷ lệ giải ngân', kind: 'rate', width: 10, points: 34 },
  { header: 'Dự báo giải ngân đến 31/12', kind: 'amount', width: 17, points: 70 },
  { header: 'Tỷ lệ dự báo', kind: 'rate', width: 10, points: 34 },
];

const figureCells = (f: ReportFigures): TableCell[] => [
  f.planVnd,
  f.carriedOverVnd,
  f.assignedVnd,
  f.disbursedVnd,
  f.advancedVnd,
  f.paymentsVnd,
  f.rate,
  f.forecastVnd,
  f.forecastRate,
];

const titleOf = (output: DisbursementReportOutput, what: string): string[] => {
  const { report, places, commune } = output;
  return [
    what,
    `Đơn vị báo cáo: ${capitalized(places.address.vi)}${commune ? ` · Phạm vi: ${places.commune(commune, 'vi')}` : ''}`,
    `${term('planYear')} ${report.fiscalYear} · Kỳ báo cáo: từ ${vnDay(`${report.fiscalYear}-01-01`)} đến hết ngày ${vnDay(report.asOf)} · Số liệu tính đến ngày ${vnDay(report.asOf)}`,
    report.forecast
      ? 'Dự báo: trung vị (p50) của dự báo tỷ lệ giải ngân đến 31/12 của từng phân bổ, từ số liệu đến ngày báo cáo'
      : 'Không có dự báo: chỉ dự báo được từ một ngày trong năm kế hoạch, không sau hôm nay',
    FORM_NOTE,
  ];
};

/** The form's sheet ("Báo cáo"): one line per project × funding line × commune × capital type. */
export const summaryTable = (output: DisbursementReportOutput, names: ReportNames): ReportTable => {
  const { report, places } = output;
  const capital = (t: CapitalType) => capitalTypeLabel(t, 'vi');
  const columns: TableColumn[] = [
    { header: 'STT', kind: 'text', width: 6, points: 22 },
    { header: 'Dự án', kind: 'text', width: 8, points: 30 },
    { header: 'Nguồn vốn', kind: 'text', width: 22, points: 56 },
    { header: 'Đơn vị cấp xã', kind: 'text', width: 20, points: 54 },
    { header: 'Loại vốn', kind: 'text', width: 16, points: 44 },
    ...FIGURE_COLUMNS,
  ];
  const rows: TableRow[] = [];
  report.projects.forEach((project, p) => {
    const name = names.projects[project.component];
    rows.push({
      style: 'project',
      cells: [
        roman(p + 1),
        name ? `${project.component} · ${name}` : project.component,
        null,
        null,
        null,
        ...figureCells(project.subtotal),
      ],
      labelSpan: 4,
    });
    project.lines.forEach((line, i) => {
      rows.push({
        style: 'line',
        cells: [
          String(i + 1),
          line.component,
          fundingLineLabel(line.fundingLine, 'vi', places),
          places.commune(line.commune, 'vi'),
          capital(line.capitalType),
          ...figureCells(line),
        ],
      });
    });
  });
  rows.push({
    style: 'total',
    cells: ['', 'TỔNG CỘNG', null, null, null, ...figureCells(report.total)],
    labelSpan: 4,
  });
  for (const { capitalType, figures } of report.byCapitalType) {
    rows.push({
      style: 'breakdown',
      cells: ['', `Trong đó: ${capital(capitalType)}`, null, null, null, ...figureCells(figures)],
      labelSpan: 4,
    });
  }
  return {
    name: 'Báo cáo',
    title: titleOf(output, REPORT_TITLE),
    columns,
    rows,
  };
};

/** The detail sheet ("Chi tiết"): one row per allocation, with its id and title. */
export const detailTable = (output: DisbursementReportOutput): ReportTable => {
  const { report, places } = output;
  const columns: TableColumn[] = [
    { header: 'STT', kind: 'text', width: 6, points: 24 },
    { header: 'Mã phân bổ', kind: 'text', width: 38, points: 90 },
    { header: 'Tên phân bổ', kind: 'text', width: 40, points: 120 },
    { header: 'Dự án', kind: 'text', width: 8, points: 34 },
    { header: 'Nguồn vốn', kind: 'text', width: 22, points: 70 },
    { header: 'Đơn vị cấp xã', kind: 'text', width: 20, points: 64 },
    { header: 'Loại vốn', kind: 'text', width: 16, points: 50 },
    { header: carriedOverLabel('vi'), kind: 'text', width: 12, points: 40 },
    ...FIGURE_COLUMNS.filter(
      (c) => c.header !== 'Vốn năm trước chuyển sang' && c.header !== 'Kế hoạch vốn năm',
    ),
  ];
  const rows: TableRow[] = report.details.map((d, i) => ({
    style: 'line',
    cells: [
      String(i + 1),
      d.allocationId,
      d.title,
      d.component,
      fundingLineLabel(d.fundingLine, 'vi', places),
      places.commune(d.commune, 'vi'),
      capitalTypeLabel(d.capitalType, 'vi'),
      d.carriedOver ? 'Có' : '',
      d.assignedVnd,
      d.disbursedVnd,
      d.advancedVnd,
      d.paymentsVnd,
      d.rate,
      d.forecastVnd,
      d.forecastRate,
    ],
  }));
  const t = report.total;
  rows.push({
    style: 'total',
    cells: [
      '',
      'TỔNG CỘNG',
      null,
      null,
      null,
      null,
      null,
      null,
      t.assignedVnd,
      t.disbursedVnd,
      t.advancedVnd,
      t.paymentsVnd,
      t.rate,
      t.forecastVnd,
      t.forecastRate,
    ],
    labelSpan: 7,
  });
  return {
    name: 'Chi tiết',
    title: titleOf(output, `${REPORT_TITLE} · CHI TIẾT THEO PHÂN BỔ`),
    columns,
    rows,
  };
};
