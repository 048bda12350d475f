import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { requestKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { checkInvariants, scanTable } from '../reliability/support/invariant-checker.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';
import { monitorCli } from './support/monitor-cli.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let rt: Runtime;
let mailDir: string;
const emails = () =>
  existsSync(mailDir)
    ? readdirSync(mailDir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];
const parse = (file: string) => PostalMime.parse(readFileSync(join(mailDir, file)));

beforeAll(async () => {
  rt = await startRuntime({ seed: true });
  mailDir = join(rt.dataDir, 'mail');
}, 300_000);
afterAll(async () => {
  await rt?.stop();
});

describe('the start banner of the seeded demos', () => {
  it('counts the posted payments, the waiting and the rejected requests as the ledger holds them', async () => {
    const requests = (await scanTable(localDynamoClient(rt.dynamoEndpoint), `${rt.namespace}-ledger`)).filter(
      (i) => requestKeys.idOf(i) !== undefined,
    );
    // One line per demo (Tây Giang 2024, Đà Nẵng 2026), as `npm start` prints them.
    const said = [
      ...rt
        .logs()
        .matchAll(/(\d+) requests \((\d+) payments posted, (\d+) waiting for approval, (\d+) rejected\)/g),
    ];
    expect(said).toHaveLength(2);
    const sum = (i: number) => said.reduce((n, m) => n + Number(m[i]), 0);
    const having = (...statuses: string[]) =>
      requests.filter((r) => statuses.includes(String(r.status))).length;
    expect(sum(1)).toBe(requests.length);
    expect(sum(2)).toBe(having('disbursed'));
    expect(sum(3)).toBe(having('pending_approval', 'approved'));
    expect(sum(4)).toBe(having('rejected'));
    expect(sum(2)).toBeGreaterThan(0);
    expect(sum(3)).toBeGreaterThan(0);
  });
});

describe('the Tây Giang 2024 demo on 30/09/2024', () => {
  let first: Awaited<ReturnType<typeof monitorCli>>;

  beforeAll(async () => {
    first = await monitorCli(rt, '--as-of', '2024-09-30');
  }, 60_000);

  it('prints the progress table and how many alerts it queued', () => {
    expect(first.code, first.stderr).toBe(0);
    const row = (scope: string) => first.stdout.split('\n').find((l) => l.includes(` ${scope} `)) ?? '';
    expect(first.stdout).toContain('Monitor run as of 2024-09-30 (Asia/Ho_Chi_Minh), fiscal year(s) 2024');
    expect(first.stdout).toMatch(/Scope\s+Assigned\s+Disbursed\s+Rate\s+Expected\s+Lag \(pts\)\s+Severity/);
    expect(row('commune A Tiêng')).toMatch(
      /4\.872\.000\.000 ₫\s+1\.578\.000\.000 ₫\s+32\.39%\s+60\.00%\s+27\.61\s+CRITICAL/,
    );
    expect(row("commune Ch'ơm")).toMatch(/CRITICAL/);
    expect(row('commune A Xan')).toMatch(/warning/);
    expect(row('commune Lăng')).toMatch(/warning/);
    expect(row('commune Dang')).toMatch(/-4\.18\s+-/);
    expect(row('line provincial')).toMatch(/45\.86%\s+60\.00%\s+14\.14\s+warning/);
    expect(row('all of Tây Giang district')).toMatch(/investment/);
    // Recurrent capital is judged too (issue 16): the 451 houses (DA5) lag their curve a little, Ch'ơm's far.
    expect(row('component DA5')).toMatch(
      /recurrent\s+component DA5\s+20\.295\.000\.000 ₫\s+9\.810\.000\.000 ₫\s+48\.34%\s+60\.00%\s+11\.66\s+warning/,
    );
    expect(first.stdout).toMatch(
      /recurrent\s+commune Ch'ơm\s+2\.779\.200\.000 ₫\s+650\.000\.000 ₫\s+23\.39%\s+60\.00%\s+36\.61\s+CRITICAL/,
    );
    // A programme has paid part of its recurrent funds by September: on-track roll-ups raise nothing.
    for (const scope of ['line provincial', 'component DA2', 'component DA6', 'component DA7']) {
      expect(first.stdout).toMatch(new RegExp(`recurrent\\s+${scope}\\s.*\\s-\\s*$`, 'm'));
    }
    expect(first.stdout).toContain(
      'Dang · central · DA5 (recurrent): 1 request(s), the longest waiting 14 working days — CRITICAL',
    );
    expect(first.stdout).toContain(
      'A Xan · central · DA1 (investment): 1 request(s), the longest waiting 7 working days — warning',
    );
    // The planted integrity cases (local/demo-history.ts, illustrative), and nothing else of the rules.
    expect(first.stdout).toContain('splitting: Bha Lê · central · DA1 — CRITICAL');
    expect(first.stdout).toContain('shared-account: commune Lăng — warning');
    expect(first.stdout).toContain('Findings: 76 (18 critical, 58 warning). Alerts queued: 76');
    expect(first.stdout).toMatch(/E-mails: 120 written to /);
  });

  it('e-mails each seeded inspector exactly the lagging scopes they watch', async () => {
    const mails = await Promise.all(emails().map(parse));
    const forecast = (subject: string) =>
      subject.includes('Dự báo không đạt') || subject.startsWith('[Cảnh báo liêm chính');
    // Lag and stalled-approval alerts; the forecast and integrity alerts (issue 17) are counted apart below.
    const subjectsOf = (who: string) =>
      mails
        .filter((m) => m.to?.[0]?.address === who && !forecast(m.subject ?? ''))
        .map((m) => m.subject ?? '')
        .sort();

    expect(mails).toHaveLength(120);
    // The integrity cases: splitting to the district's and the central line's inspectors, the shared account to the district's.
    expect(
      mails
        .filter((m) => m.subject?.startsWith('[Cảnh báo liêm chính'))
        .map((m) => m.to?.[0]?.address)
        .sort(),
    ).toEqual([
      'giamsat.vontrunguong@quangnam.gov.vn',
      'thanhtra.huyen@taygiang.gov.vn',
      'thanhtra.huyen@taygiang.gov.vn',
    ]);
    // Forecast warnings: scopes forecast to end short of 100% by 31/01/2025, unless their lag is critical.
    expect(mails.filter((m) => m.subject?.includes('Dự báo không đạt'))).toHaveLength(43);
    expect(
      mails.filter(
        (m) =>
          m.to?.[0]?.address === 'thanhtra.huyen@taygiang.gov.vn' && m.subject?.includes('Dự báo không đạt'),
      ),
    ).toHaveLength(29);
    expect([...new Set(mails.map((m) => m.to?.[0]?.address))].sort()).toEqual([
      'giamsat.atieng@taygiang.gov.vn',
      'giamsat.dang@taygiang.gov.vn',
      'giamsat.vontrunguong@quangnam.gov.vn',
      'thanhtra.huyen@taygiang.gov.vn',
    ]);
    expect(subjectsOf('giamsat.atieng@taygiang.gov.vn')).toEqual([
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng · Ngân sách trung ương · DA1: đạt 32%, yêu cầu 60%',
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng · Ngân sách trung ương · DA2 · Vốn sự nghiệp: đạt 25%, yêu cầu 60%',
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng · Ngân sách trung ương · DA5 · Vốn sự nghiệp: đạt 32%, yêu cầu 60%',
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng · Ngân sách tỉnh · DA1: đạt 30%, yêu cầu 60%',
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng · Ngân sách tỉnh · DA2 · Vốn sự nghiệp: đạt 25%, yêu cầu 60%',
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng · Đóng góp của người dân và vốn huy động hợp pháp khác · DA5 · Vốn sự nghiệp: đạt 32%, yêu cầu 60%',
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng: đạt 32%, yêu cầu 60%',
      '[Cảnh báo giải ngân] Chậm tiến độ · xã A Tiêng · Ngân sách huyện · DA1: đạt 45%, yêu cầu 60%',
      '[Cảnh báo giải ngân] Chậm tiến độ · xã A Tiêng · Ngân sách trung ương · DA3 · Vốn sự nghiệp: đạt 44%, yêu cầu 60%',
      '[Cảnh báo giải ngân] Chậm tiến độ · xã A Tiêng · Ngân sách trung ương · DA4 · Vốn sự nghiệp: đạt 47%, yêu cầu 60%',
      '[Cảnh báo giải ngân] Chậm tiến độ · xã A Tiêng · Vốn sự nghiệp: đạt 41%, yêu cầu 60%',
    ]);
    // Dang's public investment and recurrent funds are on track: only its stalled housing request.
    expect(subjectsOf('giamsat.dang@taygiang.gov.vn')).toEqual([
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm phê duyệt · xã Dang · Ngân sách trung ương · DA5 · Vốn sự nghiệp: 1 hồ sơ, lâu nhất 14 ngày làm việc',
    ]);
    expect(subjectsOf('giamsat.vontrunguong@quangnam.gov.vn')).toHaveLength(17);
    const district = subjectsOf('thanhtra.huyen@taygiang.gov.vn');
    expect(district).toHaveLength(45);
    expect(district).toContain(
      '[Cảnh báo giải ngân] Chậm tiến độ · toàn huyện Tây Giang · Ngân sách tỉnh: đạt 46%, yêu cầu 60%',
    );
    // The housing lag (DA5, recurrent) is mailed like an investment lag.
    expect(district).toContain(
      '[Cảnh báo giải ngân] Chậm tiến độ · toàn huyện Tây Giang · DA5 · Vốn sự nghiệp: đạt 48%, yêu cầu 60%',
    );
    // On-track scopes are never mailed: these communes' public investment is on its curve.
    expect(
      district.some(
        (s) =>
          /[Xx]ã (Dang|A Nông|A Vương|Bha Lê|Ga Ri|Tr'Hy)(:| ·)/.test(s) &&
          !s.includes('Chậm phê duyệt') &&
          !s.includes('Vốn sự nghiệp'),
      ),
    ).toBe(false);
  });

  it('writes readable Vietnamese with an English summary line and amounts in đồng', async () => {
    const file = emails().find((f) => f.includes('lag-critical') && f.includes('giamsat.atieng'));
    const raw = readFileSync(join(mailDir, file ?? '')).toString('utf8');
    const mail = await PostalMime.parse(raw);

    expect(raw).toContain('Content-Transfer-Encoding: 8bit');
    expect(mail.text).toMatch(/(?:Kế hoạch vốn giao|Dự toán được giao):\s+\d{1,3}(\.\d{3})+ ₫/);
    expect(mail.text).toContain('Kính gửi cán bộ giám sát,');
    expect(mail.text?.split('\n').filter((l) => l.startsWith('English summary: '))).toHaveLength(1);
    expect(mail.html).toContain('<html lang="vi">');
  });

  it('queues nothing and sends nothing on a second run the same day', async () => {
    const before = emails().length;

    const second = await monitorCli(rt, '--as-of', '2024-09-30');
    await new Promise((r) => setTimeout(r, 1500));

    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Alerts queued: 0 (76 already queued earlier today, not sent again)');
    expect(emails()).toHaveLength(before);
  });

  it('lists the alerts, lets an inspector acknowledge one, and left the seeded ledger verifiable', async () => {
    const inspector = await rt.token('thanh-tra-huyen', ['inspector']);
    const list = await rt.call('GET', '/alerts?fiscalYear=2024&severity=critical&limit=100', {
      token: inspector,
    });
    const id = list.body.items[0]?.id as string;

    const ack = await rt.call('POST', `/alerts/${id}/ack`, { token: inspector });
    const entries = await rt.store.listEntries(J, '2024-da1-central-a-tieng');
    const allocation = await rt.store.getAllocation(J, '2024-da1-central-a-tieng');

    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(18); // 16 lag, 1 stalled, 1 integrity (splitting)
    expect(ack).toMatchObject({
      status: 200,
      body: { id, status: 'acknowledged', acknowledgedBy: 'thanh-tra-huyen' },
    });
    expect(
      verifyChain(entries, { seq: allocation?.headSeq ?? -1, hash: allocation?.headHash ?? '' }).valid,
    ).toBe(true);
    expect(entries.every((e) => e.postedAt.startsWith('2024-'))).toBe(true);
  });

  it('shows the six indicators of the plan, with the outputs of the seeded payments counted', async () => {
    const res = await rt.call('GET', '/targets?fiscalYear=2024', {
      token: await rt.token('thanh-tra-huyen', ['inspector']),
    });

    expect(res.status).toBe(200);
    expect(
      res.body.items.map((i: { code: string; target: unknown; actual: number | null; status: string }) => [
        i.code,
        i.target,
        i.actual,
        i.status,
      ]),
    ).toEqual([
      ['poorHouseholds', { min: 270, max: 330 }, null, 'no_data'],
      ['investmentDisbursed', { min: 100, max: 100 }, 50.9, 'in_progress'],
      ['models', { min: 25 }, 16, 'in_progress'],
      ['works', { min: 40 }, 22, 'in_progress'],
      ['workers', { min: 300 }, 157, 'in_progress'],
      ['houses', { min: 451, max: 451 }, 218, 'in_progress'],
    ]);
    const workers = res.body.items.find((i: { code: string }) => i.code === 'workers');
    expect(workers.breakdown).toEqual([
      expect.objectContaining({ code: 'workersAbroad', actual: 31, target: { min: 50 } }),
    ]);
  });

  it('pays the DA1 works through contracts: advances, recoveries by the rule, one amended, some fully recovered', async () => {
    const auditor = await rt.token('kiem-toan', ['auditor']);
    const contract = (id: string) =>
      rt.call('GET', `/contracts/${id}`, { token: auditor }).then((r) => r.body);
    const recovered = await contract('2024-da1-local-a-nong-hd');
    const amended = await contract('2024-da1-central-a-nong-hd');
    const waiting = await contract('2024-da1-central-a-xan-hd');
    const dossier = await rt.call('GET', '/requests/2024-da1-central-a-xan-r3/documents', { token: auditor });
    const entries = await rt.call(
      'GET',
      '/ledger/entries?fiscalYear=2024&allocationId=2024-da1-central-a-tieng',
      {
        token: auditor,
      },
    );

    expect(recovered).toMatchObject({ advanceOutstandingVnd: 0 });
    expect(recovered.recoveredVnd).toBe(recovered.advancedVnd);
    // Signed at 90% of its value and advanced 20% of that, before an amendment raised the value.
    expect(amended.advancedVnd / amended.valueVnd).toBeCloseTo(0.18, 2);
    expect(waiting.advanceOutstandingVnd).toBeGreaterThan(0);
    // A Xan's third payment waits at the province with its recovery reserved on the contract.
    expect(waiting.pendingPaymentVnd).toBe(300_000_000);
    expect(dossier.body).toMatchObject({ kind: 'payment', missing: [] });
    // A Tiêng's central works: an advance, then two payments net of their recovery, 1,344,000,000 ₫ in cash.
    expect(entries.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'advance',
      'payment',
      'payment',
    ]);
    expect(entries.body.items.reduce((s: number, e: { amountVnd: number }) => s + e.amountVnd, 0)).toBe(
      1_344_000_000,
    );
  });

  it('raises the planted integrity cases by rule, and counts every finding by kind', async () => {
    const inspector = await rt.token('thanh-tra-huyen', ['inspector']);
    const of = (kind: string) =>
      rt
        .call('GET', `/alerts?fiscalYear=2024&kind=${kind}&limit=100`, { token: inspector })
        .then((r) => r.body);
    const [lag, stalled, forecast, integrity] = await Promise.all(
      ['lag', 'stalled', 'forecast', 'integrity'].map(of),
    );

    expect([lag.total, stalled.total, forecast.total, integrity.total]).toEqual([43, 2, 29, 2]);
    const byRule = Object.fromEntries(
      integrity.items.map((a: { integrity: { rule: string } }) => [a.integrity.rule, a]),
    );
    expect(Object.keys(byRule).sort()).toEqual(['shared-account', 'splitting']);
    expect(byRule.splitting).toMatchObject({
      severity: 'critical',
      integrity: { totalVnd: 1_123_000_000, thresholdVnd: 1_000_000_000, addedLevel: 'district-leader' },
    });
    expect(byRule.splitting.integrity.requests).toHaveLength(3);
    expect(byRule['shared-account'].severity).toBe('warning');
    expect(byRule['shared-account'].integrity.explanation).toContain('Hợp tác xã nông nghiệp Lăng');
  });

  it('lists the demo reallocation, with its entries on both chains, and forecasts the communes', async () => {
    const planner = await rt.token('ke-hoach', ['planner']);
    const list = await rt.call('GET', '/reallocations?fiscalYear=2024', { token: planner });
    const kinds = async (id: string) =>
      (await rt.store.listEntries(J, id)).map((e) => `${e.kind} ${e.amountVnd}`);
    const forecasts = await rt.call('GET', '/forecasts?fiscalYear=2024&groupBy=commune&asOf=2024-09-30', {
      token: planner,
    });

    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        decisionNumber: '312/QĐ-UBND',
        status: 'applied',
        totalVnd: 600_000_000,
        communes: ['A Nông', "Ch'ơm"],
      }),
    ]);
    expect((await kinds('2024-da1-central-ch-om')).at(-1)).toBe('reallocation-out 600000000');
    expect((await kinds('2024-da1-central-a-nong')).at(-1)).toBe('reallocation-in 600000000');
    // The demo's allocations were recorded before their requests: the forecast reads them all (was a 500).
    expect(forecasts.status, JSON.stringify(forecasts.body)).toBe(200);
  });

  it('pays housing to households of the register, each once, and passes the invariant checker', async () => {
    const finance = await rt.token('ke-toan', ['finance']);
    const households = await rt.call('GET', '/payees?q=ho%20ong&limit=100', { token: finance });
    const house = await rt.call('GET', '/requests/2024-da5-central-a-tieng-r1', { token: finance });
    const report = await checkInvariants(localDynamoClient(rt.dynamoEndpoint), `${rt.namespace}-ledger`);

    expect(households.status).toBe(200);
    expect(households.body.items.length).toBeGreaterThan(50);
    expect(households.body.items[0]).toMatchObject({
      kind: 'household',
      citizenId: expect.stringMatching(/^0999\d{8}$/),
    });
    expect(house.body).toMatchObject({
      payeeId: 'tg-ho-a-tieng-1',
      amountVnd: 40_000_000,
      outputs: { houses: 1 },
    });
    expect(report.violations).toEqual([]);
    expect(report.counts.contracts).toBe(37); // 30 here, 7 in the Đà Nẵng demo
    const amendments = (
      await scanTable(localDynamoClient(rt.dynamoEndpoint), `${rt.namespace}-ledger`)
    ).filter((i) => i.type === 'contract-amendment');
    expect(amendments).toEqual([expect.objectContaining({ contractId: '2024-da1-central-a-nong-hd' })]);
  });
});
