import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { TEST_CLOCK_START } from '../support/fixtures.ts';
import { ARTIFACTS, expectAccessible, launchChromium, openScreen, signIn } from './support/browser.ts';

/** Issue 18 on the dashboard: the import screen and the report files, against the seeded demo. */
let rt: Runtime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ seed: true }), launchChromium()]);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});
let cspViolations: string[] = [];
beforeEach(async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    acceptDownloads: true,
  });
  await context.clock.setSystemTime(new Date(TEST_CLOCK_START));
  page = await context.newPage();
  cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});
afterEach(() => {
  expect(cspViolations).toEqual([]);
});

/** A file the screen sends: its name, media type and bytes, as the file picker gives them. */
const csvFile = (name: string, lines: string[]) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'),
});

/** A plan of the demo's jurisdiction for 2024, in the template's columns A–G. */
const HEADER = 'Năm kế hoạch,Nguồn vốn,Loại vốn,Dự án,Xã,Nội dung,Kế hoạch vốn giao (đồng)';

/** The template the screen downloaded, filled below its example rows (as SheetJS writes it back). */
const filledTemplate = (template: Buffer, rows: (string | number)[][]) => {
  const book = XLSX.read(template, { type: 'buffer' });
  const sheet = book.Sheets['Kế hoạch vốn'];
  if (!sheet) throw new Error(`no sheet Kế hoạch vốn in the template: ${book.SheetNames.join(', ')}`);
  const table = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null });
  const headerRow = table.findIndex((r) => r.includes('Năm kế hoạch'));
  const headers = (table[headerRow] ?? []).map(String);
  const at = (name: string) => headers.indexOf(name);
  const columns = HEADER.split(',');
  const lines = rows.map((row) => {
    const line: unknown[] = headers.map(() => null);
    for (const [i, name] of columns.entries()) line[at(name)] = row[i];
    return line;
  });
  XLSX.utils.sheet_add_aoa(sheet, lines, { origin: -1 });
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
};

const download = async (click: () => Promise<void>) => {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
};

describe('importing from Excel on the dashboard (issue 18)', () => {
  it('shows the import screen to planners and finance only, each with the kinds they may import', async () => {
    await signIn(page, rt.url, await rt.token('tho', ['inspector']));
    await expect(
      page.getByRole('navigation').getByRole('link', { name: 'Nhập từ Excel' }).count(),
    ).resolves.toBe(0);

    await signIn(page, rt.url, await rt.token('lan', ['finance']));
    await openScreen(page, 'Nhập từ Excel', /Nhập dữ liệu từ tệp Excel/);
    await expect(page.locator('#import-kind option').allTextContents()).resolves.toEqual([
      'Hồ sơ đề nghị thanh toán',
    ]);
  });

  it("lists a bad file's cells in a table (scrolling with a cue on a phone), then imports the filled template and shows its counts", async () => {
    const planner = await rt.token('an', ['planner']);
    await signIn(page, rt.url, planner);
    await openScreen(page, 'Nhập từ Excel', /Nhập dữ liệu từ tệp Excel/);
    await expect(page.locator('#import-kind option').allTextContents()).resolves.toEqual(['Kế hoạch vốn']);

    const template = await download(() =>
      page.getByRole('button', { name: 'Tải tệp mẫu: Kế hoạch vốn' }).click(),
    );
    expect(template.name).toBe('allocations.xlsx');
    expect(template.bytes.subarray(0, 2).toString()).toBe('PK');

    // Row 2: a negative amount (G2); row 3: a commune the jurisdiction does not have (E3).
    const bad = csvFile('ke-hoach-loi.csv', [
      HEADER,
      '2024,Vốn trung ương,Vốn đầu tư,DA1,A Tiêng,Đường nội thôn (nhập),-5',
      '2024,Vốn trung ương,Vốn đầu tư,DA1,Xã Không Có,Nhà văn hóa thôn (nhập),300000000',
    ]);
    await page.getByLabel('Tệp dữ liệu (.xlsx hoặc .csv)').setInputFiles(bad);
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    const errors = page.getByRole('table', { name: 'Các ô cần sửa' });
    await errors.waitFor();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/Tệp có 2 lỗi/);
    await expect(errors.locator('thead th').allTextContents()).resolves.toEqual([
      'Trang tính',
      'Dòng',
      'Cột',
      'Lỗi',
    ]);
    const cells = await errors
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) =>
          Array.from((r as unknown as { cells: { textContent: string }[] }).cells, (c) => c.textContent),
        ),
      );
    expect(cells.map(([, row, column]) => `${column}${row}`)).toEqual(['G2', 'E3']);
    expect(cells.every(([, , , message]) => (message ?? '').length > 10)).toBe(true);
    await expectAccessible(page, 'the import screen with a refused file');

    // On a phone the table scrolls sideways, and says so.
    await page.setViewportSize({ width: 390, height: 844 });
    const wrap = page.locator('.import-errors .table-wrap');
    await expect
      .poll(() => wrap.evaluate((el) => el.scrollWidth > el.clientWidth), { timeout: 5_000 })
      .toBe(true);
    await expect(page.getByText('kéo ngang để xem các cột khác').isVisible()).resolves.toBe(true);
    await expect(page.locator('.import-errors .scroll-cue').getAttribute('data-overflows')).resolves.toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'imports-errors-390.png'), fullPage: true });
    await expectAccessible(page, 'the refused file on a phone');
    await page.setViewportSize({ width: 1280, height: 1000 });

    // The template, filled: checked first (nothing written), then imported.
    const title = `Cầu treo thôn Aur (nhập ${Date.now()})`;
    const good = filledTemplate(template.bytes, [
      [2024, 'Vốn trung ương', 'Vốn đầu tư', 'DA1', 'A Tiêng', title, 1_200_000_000],
      [2024, 'Vốn tỉnh', 'Vốn sự nghiệp', 'DA4', 'Bha Lê', `${title} – đợt 2`, 300_000_000],
    ]);
    await page.getByLabel('Tệp dữ liệu (.xlsx hoặc .csv)').setInputFiles({
      name: 'ke-hoach-2024.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: good,
    });
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.getByText('Tệp hợp lệ: 2 dòng, chưa ghi gì.').waitFor();
    const before = await rt.call('GET', '/allocations?fiscalYear=2024', { token: planner });
    expect(JSON.stringify(before.body)).not.toContain(title);

    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await page.getByText('Đã nhập 2 dòng: 2 dòng mới, 0 dòng đã có từ trước.').waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'the import screen after an import');
    const after = await rt.call('GET', '/allocations?fiscalYear=2024', { token: planner });
    expect(after.status).toBe(200);
    const imported = (after.body.items as { title: string; assignedVnd: number }[]).filter((a) =>
      a.title.startsWith(title),
    );
    expect(imported.map((a) => a.assignedVnd).sort((a, b) => a - b)).toEqual([300_000_000, 1_200_000_000]);
  });
});

describe('report files on the overview (issue 18)', () => {
  it("downloads the disbursement result report as XLSX and PDF for the overview's year and day", async () => {
    await page.goto(`${rt.url}/?fiscalYear=2024&asOf=2024-09-30`);
    await signIn(page, rt.url, await rt.token('an', ['planner']));
    const section = page.getByRole('region', { name: 'Báo cáo kết quả giải ngân' });
    await expect(section.textContent()).resolves.toContain('đánh giá đến 30/09/2024');

    const xlsx = await download(() => section.getByRole('button', { name: 'Tải Excel (.xlsx)' }).click());
    expect(xlsx.name).toBe('ket-qua-giai-ngan-2024-2024-09-30.xlsx');
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    const book = XLSX.read(xlsx.bytes, { type: 'buffer' });
    expect(book.SheetNames.length).toBeGreaterThan(0);
    const text = XLSX.utils.sheet_to_csv(book.Sheets[book.SheetNames[0] ?? ''] as XLSX.WorkSheet);
    expect(text).toMatch(/DA1/);

    const pdf = await download(() => section.getByRole('button', { name: 'Tải PDF' }).click());
    expect(pdf.name).toBe('ket-qua-giai-ngan-2024-2024-09-30.pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.bytes.length).toBeGreaterThan(2_000);
    await expect(section.getByRole('status').textContent()).resolves.toBe(
      'Đã tải tệp ket-qua-giai-ngan-2024-2024-09-30.pdf.',
    );
    await expectAccessible(page, 'the overview after a report download');
  });
});
