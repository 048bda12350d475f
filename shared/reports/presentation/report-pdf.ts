import PDFDocument from 'pdfkit';
import type { DisbursementReportOutput } from '../app/disbursement-report.ts';
import {
  amountText,
  type ReportNames,
  type ReportTable,
  type RowStyle,
  rateText,
  summaryTable,
  type TableRow,
  vnDay,
} from './report-table.ts';

/**
 * The TrueType fonts the PDF embeds (subsets of the glyphs used): pdfkit's own standard fonts cover
 * no Vietnamese, and are read from AFM files a bundle does not carry, so none of them is ever loaded.
 */
export interface ReportFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
const MARGIN = 28;
const PAD = 2.5;
const BODY_SIZE = 7;
const FOOTER = 16;

const FILL: Record<RowStyle, string | undefined> = {
  line: undefined,
  project: '#EEF3F8',
  total: '#DDE7F0',
  breakdown: undefined,
};

interface Cell {
  text: string;
  x: number;
  width: number;
  align: 'left' | 'right' | 'center';
  /** A figure stays on one line: written smaller when it would not fit its column. */
  figure?: boolean;
}

/**
 * The report as a PDF: A4 landscape, DejaVu Sans embedded, the form's table with its title lines, the
 * header repeated on every page, subtotals and totals, and "Trang i/n" at the foot of each page.
 */
export const reportPdf = (
  output: DisbursementReportOutput,
  names: ReportNames,
  fonts: ReportFonts,
): Promise<Buffer> => {
  const table = summaryTable(output, names);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    // No default font: pdfkit would load Helvetica from its AFM data files; ours are registered below.
    font: null as unknown as string,
    info: {
      Title: table.title[0] ?? '',
      Author: 'giai-ngan',
      Subject: `${output.places.unit.vi} · ${output.report.fiscalYear}`,
      CreationDate: new Date(`${output.report.asOf}T00:00:00+07:00`),
    },
  });
  doc.registerFont(REGULAR, Buffer.from(fonts.regular));
  doc.registerFont(BOLD, Buffer.from(fonts.bold));
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const contentWidth = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - FOOTER;
  const scale = contentWidth / table.columns.reduce((sum, c) => sum + c.points, 0);
  const widths = table.columns.map((c) => c.points * scale);
  const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((a, b) => a + b, 0));

  const cellsOf = (row: TableRow): Cell[] => {
    const cells: Cell[] = [];
    for (let c = 0; c < row.cells.length; c++) {
      const column = table.columns[c];
      const value = row.cells[c] ?? null;
      const span = c === 1 && row.labelSpan ? row.labelSpan : 1;
      const width = widths.slice(c, c + span).reduce((a, b) => a + b, 0);
      const text =
        value === null
          ? ''
          : column?.kind === 'amount' && typeof value === 'number'
            ? amountText(value)
            : column?.kind === 'rate' && typeof value === 'number'
              ? rateText(value)
              : String(value);
      cells.push({
        text,
        x: xs[c] ?? left,
        width,
        align: column?.kind === 'text' ? (c === 0 ? 'center' : 'left') : 'right',
        ...(column?.kind === 'text' ? {} : { figure: true }),
      });
      c += span - 1;
    }
    return cells;
  };

  const heightOf = (cells: Cell[], font: string, size: number): number =>
    Math.max(
      ...cells.map((cell) =>
        cell.text === '' || cell.figure
          ? doc.font(font).fontSize(size).currentLineHeight()
          : doc
              .font(font)
              .fontSize(size)
              .heightOfString(cell.text, { width: cell.width - 2 * PAD }),
      ),
    ) +
    2 * PAD;

  /** The size a figure is written at: the row's, or smaller until it fits its column on one line. */
  const fitted = (cell: Cell, font: string, size: number): number => {
    let fit = size;
    while (fit > 4 && doc.font(font).fontSize(fit).widthOfString(cell.text) > cell.width - 2 * PAD)
      fit -= 0.25;
    return fit;
  };

  const drawRow = (cells: Cell[], y: number, height: number, font: string, size: number, fill?: string) => {
    for (const cell of cells) {
      if (fill) doc.rect(cell.x, y, cell.width, height).fill(fill);
      doc.lineWidth(0.4).strokeColor('#888888').rect(cell.x, y, cell.width, height).stroke();
      doc
        .fillColor('#000000')
        .font(font)
        .fontSize(cell.figure ? fitted(cell, font, size) : size)
        .text(cell.text, cell.x + PAD, y + PAD, {
          width: cell.width - 2 * PAD,
          align: cell.align,
          ...(cell.figure ? { lineBreak: false } : {}),
        });
    }
  };

  const header: Cell[] = table.columns.map((c, i) => ({
    text: c.header,
    x: xs[i] ?? left,
    width: widths[i] ?? 0,
    align: 'center',
  }));
  const headerHeight = heightOf(header, BOLD, BODY_SIZE);
  const drawHeader = (y: number): number => {
    drawRow(header, y, headerHeight, BOLD, BODY_SIZE, '#D9E2EC');
    return y + headerHeight;
  };

  let y = drawTitle(doc, table, left, contentWidth);
  y = drawHeader(y + 4);
  for (const row of table.rows) {
    const cells = cellsOf(row);
    const font = row.style === 'line' || row.style === 'breakdown' ? REGULAR : BOLD;
    const height = heightOf(cells, font, BODY_SIZE);
    if (y + height > bottom()) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    drawRow(cells, y, height, font, BODY_SIZE, FILL[row.style]);
    y += height;
  }

  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: pdfkit would start a page for text there unless the margin is lifted.
    doc.page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(7)
      .fillColor('#444444')
      .text(
        `${output.places.unit.vi} · Năm ${output.report.fiscalYear} · Số liệu đến ${vnDay(output.report.asOf)} · Trang ${i + 1}/${count}`,
        left,
        doc.page.height - MARGIN - 8,
        { width: contentWidth, align: 'right', lineBreak: false },
      );
  }
  doc.end();
  return done;
};

/** The title lines: the report's name in bold, then who, which period and the form it follows. */
const drawTitle = (doc: PDFKit.PDFDocument, table: ReportTable, left: number, width: number): number => {
  const [first = '', ...rest] = table.title;
  doc.font(BOLD).fontSize(11).fillColor('#000000').text(first, left, MARGIN, { width, align: 'center' });
  doc.moveDown(0.3);
  for (const line of rest) doc.font(REGULAR).fontSize(8).text(line, left, doc.y, { width, align: 'center' });
  return doc.y;
};
