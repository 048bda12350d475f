import writeXlsxFile, { type Cell, type CellObject, type Row, type Sheet } from 'write-excel-file/node';
import { xlsxTextCell } from '../../platform/format/spreadsheet-cell.ts';
import type { DisbursementReportOutput } from '../app/disbursement-report.ts';
import {
  detailTable,
  type ReportNames,
  type ReportTable,
  type RowStyle,
  summaryTable,
} from './report-table.ts';

/** Whole đồng with thousands grouped: the spreadsheet shows them in the reader's locale. */
export const AMOUNT_FORMAT = '#,##0';
/** Rates are fractions shown as percentages with two decimals. */
export const RATE_FORMAT = '0.00%';

const BORDER = { borderStyle: 'thin', borderColor: '#999999' } as const;
const EMPHASIS: Record<RowStyle, Partial<CellObject>> = {
  line: {},
  project: { fontWeight: 'bold', backgroundColor: '#EEF3F8' },
  total: { fontWeight: 'bold', backgroundColor: '#DDE7F0' },
  breakdown: { fontStyle: 'italic' },
};

/** A text cell: a string (`@` format, never a formula), marked when it starts like a formula. */
const text = (value: string, style: Partial<CellObject> = {}): CellObject => ({
  value: xlsxTextCell(value),
  type: String,
  format: '@',
  ...style,
});

const sheetOf = (table: ReportTable): Sheet<Buffer> => {
  const width = table.columns.length;
  const titleRows: Row[] = table.title.map((line, i) => [
    text(line, { columnSpan: width, ...(i === 0 ? { fontWeight: 'bold', fontSize: 13 } : {}) }),
    ...Array.from({ length: width - 1 }, () => null),
  ]);
  const header: Row = table.columns.map((c) =>
    text(c.header, {
      fontWeight: 'bold',
      wrap: true,
      align: 'center',
      alignVertical: 'center',
      backgroundColor: '#D9E2EC',
      ...BORDER,
    }),
  );
  const body: Row[] = table.rows.map((row) => {
    const style = { ...EMPHASIS[row.style], ...BORDER };
    return row.cells.map((cell, c): Cell => {
      const column = table.columns[c];
      if (c === 1 && row.labelSpan) return text(String(cell ?? ''), { ...style, columnSpan: row.labelSpan });
      // Cells under a spanning label are left out, as the merge requires.
      if (row.labelSpan && c > 1 && c <= row.labelSpan) return null;
      if (cell === null) return { ...style, value: undefined };
      if (column?.kind === 'amount' && typeof cell === 'number')
        return { value: cell, type: Number, format: AMOUNT_FORMAT, ...style };
      if (column?.kind === 'rate' && typeof cell === 'number')
        return { value: cell, type: Number, format: RATE_FORMAT, ...style };
      return text(String(cell), style);
    });
  });
  return {
    sheet: table.name,
    data: [...titleRows, [], header, ...body],
    columns: table.columns.map((c) => ({ width: c.width })),
    // The title, the blank line and the header stay in view while the lines scroll.
    stickyRowsCount: titleRows.length + 2,
    orientation: 'landscape',
  };
};

/**
 * The report as an XLSX workbook: the form's sheet "Báo cáo" and the per-allocation sheet "Chi tiết",
 * each with its title lines, a frozen header, `#,##0` amounts and percentage rates, and its totals.
 */
export const reportXlsx = async (output: DisbursementReportOutput, names: ReportNames): Promise<Buffer> =>
  writeXlsxFile([sheetOf(summaryTable(output, names)), sheetOf(detailTable(output))], {
    fontFamily: 'Arial',
    fontSize: 10,
  }).toBuffer();
