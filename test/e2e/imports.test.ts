import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { steps } from './support/api-steps.ts';
import { givenPayee } from './support/contract-steps.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';
import { assertContract } from './support/openapi-contract.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let rt: Runtime;
let s: ReturnType<typeof steps>;

beforeAll(async () => {
  // Queued imports run up to 40 s per message: the default 2 s visibility would hand the message to
  // a second poller while the first still applies it (harmless, the rows replay, but not the test here).
  rt = await startRuntime({ visibilityTimeoutSeconds: 120 });
  s = steps(rt);
});
afterAll(async () => {
  await rt?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered.
  body: any;
  bytes: Buffer;
}

/** A call whose body may be a file and whose answer may be one, checked against the OpenAPI document. */
const send = async (
  method: string,
  path: string,
  token: string,
  file?: { bytes: Buffer | string; type: string; name?: string },
): Promise<Answer> => {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (file) headers['content-type'] = file.type;
  if (file?.name) headers['x-file-name'] = encodeURIComponent(file.name);
  const res = await fetch(`${rt.url}${path}`, { method, headers, ...(file ? { body: file.bytes } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
  const text = isJson ? bytes.toString('utf8') : bytes.length > 0 ? '<binary>' : '';
  assertContract(method, path, { status: res.status, headers: res.headers, text });
  return { status: res.status, headers: res.headers, body: isJson ? JSON.parse(text) : undefined, bytes };
};

const importFile = (token: string, query: string, bytes: Buffer | string, type = XLSX_TYPE, name?: string) =>
  send('POST', `/imports?${query}`, token, { bytes, type, ...(name ? { name } : {}) });

/** Where the template's header row is: the sheet and row holding `header`, and each header's column. */
const headerRowOf = (book: XLSX.WorkBook, header: string) => {
  for (const name of book.SheetNames) {
    const sheet = book.Sheets[name] as XLSX.WorkSheet;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, blankrows: true, defval: null });
    const r = rows.findIndex((row) => row.some((v) => v === header));
    if (r >= 0) {
      const columns = new Map((rows[r] ?? []).map((v, c) => [String(v ?? ''), c]));
      return { name, sheet, headerRow: r, columns, lastRow: rows.length - 1 };
    }
  }
  throw new Error(`no sheet with the header ${header}`);
};

/**
 * The template filled as a person would, with SheetJS (a writer independent of the project's): rows
 * given by header appended under the template's own rows (its examples stay: they are marked to be
 * skipped). Answers the file and each row's spreadsheet row number (1-based), and the columns' letters.
 */
const fill = (template: Buffer, rows: Record<string, unknown>[]) => {
  const book = XLSX.read(template, { type: 'buffer' });
  const first = Object.keys(rows[0] ?? {})[0] ?? '';
  const { name, sheet, columns, lastRow } = headerRowOf(book, first);
  const width = Math.max(...columns.values()) + 1;
  const aoa = rows.map((row) => {
    const line: unknown[] = Array.from({ length: width }, () => null);
    for (const [header, value] of Object.entries(row)) {
      const c = columns.get(header);
      if (c === undefined) throw new Error(`the template has no column ${header}`);
      line[c] = value;
    }
    return line;
  });
  XLSX.utils.sheet_add_aoa(sheet, aoa, { origin: { r: lastRow + 1, c: 0 } });
  const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  const rowNumbers = rows.map((_, i) => lastRow + 2 + i);
  const letter = (header: string) => XLSX.utils.encode_col(columns.get(header) ?? -1);
  return { bytes, sheet: name, rowNumbers, letter };
};

const plannerToken = () => s.as('import-planner', 'planner');
const financeToken = () => s.as('import-finance', 'finance');

let allocationTemplate: Buffer;

/** A plan row of the template, by its Vietnamese headers. */
const planRow = (
  component: string,
  commune: string,
  amountVnd: number | string,
  title = 'Đường nội thôn',
) => ({
  'Năm kế hoạch': 2024,
  'Nguồn vốn': 'Vốn trung ương',
  'Loại vốn': 'Vốn đầu tư',
  'Dự án': component,
  Xã: commune,
  'Nội dung': title,
  'Kế hoạch vốn giao (đồng)': amountVnd,
});

/** The allocations of a component code, as the API lists them. */
const allocationsOf = async (component: string) => {
  const res = await rt.call('GET', `/allocations?fiscalYear=2024&component=${component}`, {
    token: await s.as('import-auditor', 'auditor'),
  });
  expect(res.status).toBe(200);
  return res.body.items as { id: string; commune: string; assignedVnd: number; title: string }[];
};

describe('importing a plan from the XLSX template', () => {
  let first: Answer;
  let file: Buffer;

  beforeAll(async () => {
    const template = await send('GET', '/imports/templates/allocations.xlsx', await plannerToken());
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toBe(XLSX_TYPE);
    allocationTemplate = template.bytes;
    file = fill(allocationTemplate, [
      planRow('IMP1', 'A Tiêng', 1_500_000_000, 'Hỗ trợ nhà ở'),
      planRow('IMP1', 'A Nông', '2.000.000.000'),
      planRow('IMP1', 'Lăng', 750_000_000),
    ]).bytes;
    first = await importFile(await plannerToken(), 'kind=allocations', file, XLSX_TYPE, 'kế hoạch 2024.xlsx');
  });

  it('answers 201 with the counts, and the allocations are there for GET /allocations', async () => {
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.import).toMatchObject({
      kind: 'allocations',
      fileName: 'kế hoạch 2024.xlsx',
      status: 'applied',
      counts: { rows: 3, created: 3, replayed: 0 },
      progress: { done: 3, total: 3 },
      createdBy: 'import-planner',
    });
    const listed = await allocationsOf('IMP1');
    expect(listed.map((a) => [a.commune, a.assignedVnd]).sort()).toEqual([
      ['A Nông', 2_000_000_000],
      ['A Tiêng', 1_500_000_000],
      ['Lăng', 750_000_000],
    ]);
  });

  it('answers the same file again with the same answer, marked a replay, and writes nothing more', async () => {
    const again = await importFile(await plannerToken(), 'kind=allocations', file);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(again.body.import.id).toBe(first.body.import.id);
    expect(again.body.import.counts).toEqual(first.body.import.counts);
    expect(await allocationsOf('IMP1')).toHaveLength(3);
  });

  it('shows the import at GET /imports/{id}, applied', async () => {
    const read = await send(
      'GET',
      `/imports/${first.body.import.id}`,
      await s.as('import-auditor', 'auditor'),
    );
    expect(read.status).toBe(200);
    expect(read.body.import).toEqual(first.body.import);
  });
});

describe('a plan with bad cells', () => {
  it('is refused whole with 422 import_invalid naming each bad cell, and nothing is written', async () => {
    const filled = fill(allocationTemplate, [
      planRow('IMP2', 'A Tiêng', 1_000_000),
      planRow('IMP2', 'Không có xã này', 1_000_000),
      planRow('IMP2', 'A Xan', 'một triệu'),
    ]);
    const res = await importFile(await plannerToken(), 'kind=allocations', filled.bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('import_invalid');
    const cells = (res.body.error.details.errors as { sheet: string; row: number; column: string }[]).map(
      (e) => `${e.sheet}!${e.column}${e.row}`,
    );
    expect(cells).toEqual(
      expect.arrayContaining([
        `${filled.sheet}!${filled.letter('Xã')}${filled.rowNumbers[1]}`,
        `${filled.sheet}!${filled.letter('Kế hoạch vốn giao (đồng)')}${filled.rowNumbers[2]}`,
      ]),
    );
    expect(cells).toHaveLength(2);
    for (const e of res.body.error.details.errors) expect(e.message.length).toBeGreaterThan(10);
    expect(await allocationsOf('IMP2')).toEqual([]);
  });
});

describe('a dry run', () => {
  it('answers 200 with what the file would import and writes nothing, so the real import still applies it', async () => {
    const filled = fill(allocationTemplate, [
      planRow('IMP3', 'Dang', 5_000_000),
      planRow('IMP3', 'Ga Ri', 6_000_000),
    ]);
    const dry = await importFile(await plannerToken(), 'kind=allocations&dryRun=true', filled.bytes);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, kind: 'allocations', counts: { rows: 2, created: 0 } });
    expect(await allocationsOf('IMP3')).toEqual([]);
    const real = await importFile(await plannerToken(), 'kind=allocations&dryRun=false', filled.bytes);
    expect(real.status).toBe(201);
    expect(real.headers.get('idempotent-replay')).toBeNull();
    expect(await allocationsOf('IMP3')).toHaveLength(2);
  });
});

describe('a plan as CSV', () => {
  it('imports a UTF-8 CSV with a BOM and ; separators, as Excel saves one in Vietnam', async () => {
    const header = Object.keys(planRow('', '', 0));
    const rows = [planRow('IMP4', "Ch'ơm", 12_000_000), planRow('IMP4', 'Bha Lê', 13_000_000)];
    const csv = `\uFEFF${[header, ...rows.map((r) => Object.values(r))].map((r) => r.join(';')).join('\r\n')}\r\n`;
    const res = await importFile(await plannerToken(), 'kind=allocations', csv, 'text/csv', 'ke-hoach.csv');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.import.counts).toMatchObject({ rows: 2, created: 2 });
    expect((await allocationsOf('IMP4')).map((a) => a.commune).sort()).toEqual(['Bha Lê', "Ch'ơm"]);
  });

  it('takes a CSV labelled application/vnd.ms-excel, as a browser on Windows sends one', async () => {
    const header = Object.keys(planRow('', '', 0));
    const csv = [header, Object.values(planRow('IMP9', 'Dang', 9_000_000))]
      .map((r) => r.join(','))
      .join('\n');
    const res = await importFile(await plannerToken(), 'kind=allocations', csv, 'application/vnd.ms-excel');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await allocationsOf('IMP9')).toHaveLength(1);
  });
});

describe('a payment batch', () => {
  it('is imported by finance from the requests template: each row a request waiting for approval', async () => {
    const allocation = await s.createAllocation({ component: 'IMP5', amountVnd: 500_000_000 });
    const payeeId = await givenPayee(rt, { kind: 'household', name: 'Hộ ông Alăng Bhơ' });
    const template = await send('GET', '/imports/templates/requests.xlsx', await financeToken());
    expect(template.status).toBe(200);
    const row = (amountVnd: number, purpose: string) => ({
      'Mã kế hoạch vốn': allocation.id,
      'Mã đơn vị thụ hưởng': payeeId,
      'Nội dung thanh toán': purpose,
      'Số tiền (đồng)': amountVnd,
    });
    const filled = fill(template.bytes, [
      row(20_000_000, 'Hỗ trợ giống cây'),
      row(30_000_000, 'Hỗ trợ phân bón'),
    ]);
    const res = await importFile(await financeToken(), 'kind=requests', filled.bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.import.counts).toMatchObject({ rows: 2, created: 2 });
    const listed = await rt.call('GET', `/requests?allocationId=${allocation.id}`, {
      token: await s.as('import-auditor', 'auditor'),
    });
    expect(
      listed.body.items.map((r: { amountVnd: number; status: string }) => [r.amountVnd, r.status]).sort(),
    ).toEqual([
      [20_000_000, 'pending_approval'],
      [30_000_000, 'pending_approval'],
    ]);
    expect((await s.getAllocation(allocation.id)).reservedVnd).toBe(50_000_000);
  });
});

describe('a large plan', () => {
  it('answers 202 with the import’s Location, and the worker applies every row', async () => {
    const communes = [
      'A Nông',
      'A Tiêng',
      'A Vương',
      'A Xan',
      'Bha Lê',
      "Ch'ơm",
      'Dang',
      'Ga Ri',
      'Lăng',
      "Tr'Hy",
    ];
    const rows = Array.from({ length: 250 }, (_, i) =>
      planRow('IMP6', communes[i % communes.length] ?? 'A Tiêng', 1_000_000 + i, `Công trình số ${i + 1}`),
    );
    const filled = fill(allocationTemplate, rows);
    const started = Date.now();
    const res = await importFile(await plannerToken(), 'kind=allocations', filled.bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.import.id;
    expect(res.headers.get('location')).toBe(`/imports/${id}`);
    expect(res.body.import).toMatchObject({ status: 'queued', progress: { done: 0, total: 250 } });
    const token = await plannerToken();
    const seen = new Set<number>();
    const done = await eventually(
      'the queued import applied',
      async () => (await send('GET', `/imports/${id}`, token)).body.import,
      (i) => {
        seen.add(i.progress.done);
        return i.status === 'applied' || i.status === 'failed';
      },
      240_000,
    );
    const seconds = (Date.now() - started) / 1000;
    console.info(`imports e2e: 250 rows queued and applied in ${seconds.toFixed(1)} s`);
    expect(done).toMatchObject({ status: 'applied', counts: { rows: 250 }, progress: { done: 250 } });
    expect(done.counts.created + done.counts.replayed).toBe(250);
    expect(await allocationsOf('IMP6')).toHaveLength(250);
    const again = await importFile(token, 'kind=allocations', filled.bytes);
    expect(again.status).toBe(202);
    expect(again.body.import.status).toBe('applied');
  }, 300_000);
});

describe('who may import, and where', () => {
  it('refuses finance a plan, and a planner a payment batch, with 403', async () => {
    const filled = fill(allocationTemplate, [planRow('IMP7', 'A Tiêng', 1_000_000)]);
    const byFinance = await importFile(await financeToken(), 'kind=allocations', filled.bytes);
    expect(byFinance.status).toBe(403);
    const byPlanner = await importFile(await plannerToken(), 'kind=requests', filled.bytes);
    expect(byPlanner.status).toBe(403);
    const byAuditor = await importFile(
      await s.as('import-auditor', 'auditor'),
      'kind=allocations',
      filled.bytes,
    );
    expect(byAuditor.status).toBe(403);
    expect(await allocationsOf('IMP7')).toEqual([]);
  });

  it('does not show an import to another jurisdiction: 404, not its figures', async () => {
    const filled = fill(allocationTemplate, [planRow('IMP8', 'A Tiêng', 1_000_000)]);
    const mine = await importFile(await plannerToken(), 'kind=allocations', filled.bytes);
    expect(mine.status).toBe(201);
    const daNang = await rt.token('import-da-nang', ['planner'], { jurisdiction: 'da-nang' });
    const theirs = await send('GET', `/imports/${mine.body.import.id}`, daNang);
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(theirs.body)).not.toContain('import-planner');
  });
});
