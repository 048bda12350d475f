import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps } from './support/api-steps.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';
import { mailbox } from './support/mailbox.ts';
import { monitorCli } from './support/monitor-cli.ts';

/**
 * Issue 14, "done when": both jurisdictions work end to end (submit → approve → ledger → monitor →
 * e-mail → audit), and `npm start`'s seed shows each its own demo and none of the other's.
 */
let rt: Runtime;
let mail: ReturnType<typeof mailbox>;
/**
 * A runtime without the demo seed, for the worlds: each posts in a year whose ledger holds only its
 * own entry, and its inspectors subscribe as a user would.
 */
let bare: Runtime;
let bareMail: ReturnType<typeof mailbox>;
beforeAll(async () => {
  // The bare runtime's clock reads 15/01/2026: Đà Nẵng's 2026 plan pays (its vouchers valued in 2026)
  // while Tây Giang's 2025 plan is still before its deadline (31/01/2026).
  [rt, bare] = await Promise.all([
    startRuntime({ seed: true }),
    startRuntime({ seed: false, clock: '2026-01-15T09:00:00+07:00' }),
  ]);
  mail = mailbox(rt.dataDir);
  bareMail = mailbox(bare.dataDir);
  for (const [email, claims] of [
    [TAY_GIANG_INSPECTOR, {}],
    [DA_NANG_INSPECTOR, DA_NANG],
  ] as const) {
    const res = await bare.call('POST', '/subscriptions', {
      token: await bare.token(`inspector-${email}`, ['inspector'], { ...claims, email }),
      body: { email, scope: {} },
    });
    if (res.status >= 300) throw new Error(`subscription refused: ${JSON.stringify(res.body)}`);
  }
}, 300_000);
afterAll(async () => {
  await Promise.all([rt?.stop(), bare?.stop()]);
});

const TAY_GIANG_INSPECTOR = 'thanhtra.huyen@taygiang.gov.vn';
const DA_NANG_INSPECTOR = 'thanhtra@danang.gov.vn';
const DA_NANG = { jurisdiction: 'da-nang' };

/** Each world: its users' claims, a year of its own, and the chain and names its e-mails use. */
const WORLDS = [
  {
    world: 'tay-giang, three tiers (a token without the claim)',
    claims: {},
    fiscalYear: 2025,
    commune: 'A Tiêng',
    fundingLine: 'local',
    chain: ['district', 'treasury'],
    inspector: TAY_GIANG_INSPECTOR,
    otherInspector: DA_NANG_INSPECTOR,
    names: /huyện Tây Giang/,
  },
  {
    world: 'da-nang, two tiers: a chain without a district level',
    claims: DA_NANG,
    // A current year: a plan's capital is paid within its own year (the Treasury voucher's value date).
    fiscalYear: 2026,
    commune: 'Hùng Sơn',
    fundingLine: 'central',
    chain: ['commune', 'treasury'],
    inspector: DA_NANG_INSPECTOR,
    otherInspector: TAY_GIANG_INSPECTOR,
    names: /thành phố Đà Nẵng/,
  },
] as const;

describe.each(WORLDS)('end to end in $world', (w) => {
  it('submits, approves, posts to the ledger, monitors, e-mails its own inspector only and audits', async () => {
    const s = steps(bare, w.claims);
    const other = steps(bare, w.claims === DA_NANG ? {} : DA_NANG);
    const allocation = await s.createAllocation({
      fiscalYear: w.fiscalYear,
      fundingLine: w.fundingLine,
      commune: w.commune,
      amountVnd: 1_000_000_000,
    });

    // Submit, and every level of the jurisdiction's chain approves.
    const submitted = await s.submit(allocation.id, 100_000_000);
    expect(submitted.status).toBe(201);
    expect(submitted.body.chain).toEqual(w.chain);
    const final = await s.approveAll(submitted.body.id);
    expect(final.status).toBe('disbursed');
    expect(final.approvals.map((a: { level: string }) => a.level)).toEqual(w.chain);

    // Ledger and audit: the year's one entry, its chain verified; the other jurisdiction sees neither.
    const auditor = await s.as('auditor-w', 'auditor');
    const entries = await bare.call('GET', `/ledger/entries?fiscalYear=${w.fiscalYear}`, { token: auditor });
    const verify = await bare.call('GET', `/ledger/verify?fiscalYear=${w.fiscalYear}`, { token: auditor });
    const foreignAuditor = await other.as('auditor-o', 'auditor');
    const foreignEntries = await bare.call('GET', `/ledger/entries?fiscalYear=${w.fiscalYear}`, {
      token: foreignAuditor,
    });
    const foreignVerify = await bare.call('GET', `/ledger/verify?fiscalYear=${w.fiscalYear}`, {
      token: foreignAuditor,
    });
    expect(entries.status).toBe(200);
    expect(entries.body.items).toHaveLength(1);
    expect(entries.body.items[0]).toMatchObject({
      allocationId: allocation.id,
      seq: 1,
      amountVnd: 100_000_000,
      commune: w.commune,
    });
    expect(entries.body.items[0].approvals.map((a: { level: string }) => a.level)).toEqual(w.chain);
    expect(verify.body).toMatchObject({ valid: true, checked: 1, broken: [] });
    expect(foreignEntries.body.items).toEqual([]);
    expect(foreignVerify.body).toMatchObject({ valid: true, checked: 0 });

    // Monitor on 30/09: 10% paid against 60% expected is critical, alerted to the jurisdiction's inspector.
    const run = await bare.call('POST', '/monitor/runs', {
      token: await s.as('planner-w', 'planner'),
      body: { asOf: `${w.fiscalYear}-09-30`, fiscalYear: w.fiscalYear },
    });
    expect(run.status).toBe(202);
    expect(run.body.queued).toBeGreaterThan(0);
    expect(run.body.alerts.map((a: { scope: { commune?: string } }) => a.scope.commune)).toContain(w.commune);
    const files = await eventually(
      `the alert e-mails of ${w.fiscalYear} to ${w.inspector}`,
      async () => bareMail.alertsTo(w.inspector, w.fiscalYear),
      (f) => f.length === run.body.queued,
    );
    const mails = await Promise.all(files.map(bareMail.parse));
    expect(mails.map((m) => m.subject)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\[Cảnh báo giải ngân · Nghiêm trọng\\] Chậm tiến độ · xã ${w.commune}`),
      ),
    );
    expect(mails.some((m) => w.names.test(m.text ?? ''))).toBe(true);
    if (w.claims === DA_NANG) {
      expect(mails.map((m) => `${m.subject}${m.text}${m.html}`).join('')).not.toMatch(/huyện/i);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(bareMail.alertsTo(w.otherInspector, w.fiscalYear)).toEqual([]);
  });
});

describe('the seeded demos of npm start', () => {
  const daNangAuditor = () => rt.token('dn-auditor', ['auditor'], DA_NANG);
  const tayGiangAuditor = () => rt.token('tg-auditor', ['auditor']);

  it('shows a da-nang user the illustrative 2026 plan of the three communes, with no district anywhere', async () => {
    const token = await daNangAuditor();
    const res = await rt.call('GET', '/allocations?fiscalYear=2026', { token });

    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(16);
    expect(new Set(res.body.items.map((a: { commune: string }) => a.commune))).toEqual(
      new Set(['Avương', 'Tây Giang', 'Hùng Sơn']),
    );
    expect(new Set(res.body.items.map((a: { fundingLine: string }) => a.fundingLine))).toEqual(
      new Set(['central', 'local', 'community']),
    );
    expect(new Set(res.body.items.map((a: { component: string }) => a.component))).toEqual(
      new Set(['DA1', 'DA2', 'DA5']),
    );
    expect(res.body.items.every((a: { jurisdiction: string }) => a.jurisdiction === 'da-nang')).toBe(true);
  });

  it('has the da-nang requests in various states, paid ones posted with verifiable chains, none through a district', async () => {
    const token = await daNangAuditor();
    const requests = await rt.call('GET', '/requests?limit=100', { token });
    const verify = await rt.call('GET', '/ledger/verify?fiscalYear=2026', { token });
    const entries = await rt.call('GET', '/ledger/entries?fiscalYear=2026', { token });

    const seeded = requests.body.items.filter((r: { id: string }) => r.id.startsWith('da-nang-2026-'));
    const count = (status: string) => seeded.filter((r: { status: string }) => r.status === status).length;
    const kinds = seeded.map((r: { kind?: string }) => r.kind ?? 'direct');
    // 7 works under contracts (7 advances, 8 payments, 1 of them rejected); 75 households housed and 1 waiting; 1 livelihood model.
    expect(seeded).toHaveLength(93);
    expect([count('disbursed'), count('pending_approval'), count('rejected')]).toEqual([90, 2, 1]);
    expect([
      kinds.filter((k: string) => k === 'advance').length,
      kinds.filter((k: string) => k === 'payment').length,
    ]).toEqual([7, 9]);
    expect(seeded.flatMap((r: { chain: string[] }) => r.chain)).not.toContain('district');
    expect(new Set(seeded.map((r: { chain: string[] }) => r.chain.join(' → ')))).toEqual(
      new Set(['commune → treasury', 'commune → city → treasury', 'city → treasury']),
    );
    expect(entries.body.items).toHaveLength(90);
    expect(verify.body).toMatchObject({ valid: true, checked: 90, broken: [] });
  });

  it('pays the da-nang works through contracts: one advance fully recovered, the others still outstanding, each posted request with its verified dossier', async () => {
    const token = await daNangAuditor();
    const recovered = await rt.call('GET', '/contracts/da-nang-2026-da1-local-avuong-hd', { token });
    const outstanding = await rt.call('GET', '/contracts/da-nang-2026-da1-central-hung-son-hd', { token });
    const dossier = await rt.call('GET', '/requests/da-nang-2026-da1-central-hung-son-r2/documents', {
      token,
    });
    const household = await rt.call('GET', '/requests/da-nang-2026-da5-central-hung-son-r1', { token });

    expect(recovered.body).toMatchObject({ advanceOutstandingVnd: 0, pendingPaymentVnd: 0 });
    expect(recovered.body.recoveredVnd).toBe(recovered.body.advancedVnd);
    expect(recovered.body.paidVnd).toBeGreaterThanOrEqual(recovered.body.valueVnd * 0.8);
    expect(outstanding.body.advanceOutstandingVnd).toBeGreaterThan(0);
    expect(dossier.body).toMatchObject({ kind: 'payment', missing: [] });
    expect(dossier.body.required).toEqual(['payment-request', 'completed-work-statement']);
    expect(household.body).toMatchObject({ status: 'disbursed', payee: { kind: 'household' } });
    expect(household.body.payeeId).toMatch(/^dn-ho-hung-son-\d+$/);
  });

  // Another jurisdiction's record is not in the caller's partitions at all: not found, not refused.
  it('hides the da-nang demo from a tay-giang user and the tay-giang demo from a da-nang user', async () => {
    const tg = await tayGiangAuditor();
    const dn = await daNangAuditor();
    const tgSees2026 = await rt.call('GET', '/allocations?fiscalYear=2026', { token: tg });
    const tgReads = await rt.call('GET', '/allocations/da-nang-2026-da1-central-hung-son', { token: tg });
    const tgRejected = await rt.call('GET', '/requests?status=rejected&limit=100', { token: tg });
    const tgEntries = await rt.call('GET', '/ledger/entries?fiscalYear=2026', { token: tg });
    const dnSees2024 = await rt.call('GET', '/allocations?fiscalYear=2024', { token: dn });
    const dnReads = await rt.call('GET', '/allocations/2024-da5-central-dang', { token: dn });
    const tgSees2024 = await rt.call('GET', '/allocations?fiscalYear=2024', { token: tg });

    expect(tgSees2026.body.items).toEqual([]);
    expect(tgReads.status).toBe(404);
    expect(tgRejected.body.items.filter((r: { id: string }) => r.id.startsWith('da-nang-'))).toEqual([]);
    expect(tgEntries.body.items).toEqual([]);
    expect(dnSees2024.body.items).toEqual([]);
    expect(dnReads.status).toBe(404);
    expect(tgSees2024.body.items).toHaveLength(74); // the Tây Giang 2024 demo, unchanged
  });

  it('e-mails the seeded da-nang inspectors the lags and the stalled request of 30/09/2026', async () => {
    const run = await rt.call('POST', '/monitor/runs', {
      token: await rt.token('dn-planner', ['planner'], DA_NANG),
      body: { asOf: '2026-09-30', fiscalYear: 2026 },
    });
    const severityOf = (commune: string, capitalType = 'investment') =>
      run.body.alerts
        .filter((a: { kind: string; scope: { commune?: string; level: string; capitalType: string } }) => {
          return (
            a.kind === 'lag' &&
            a.scope.level === 'commune' &&
            a.scope.commune === commune &&
            a.scope.capitalType === capitalType
          );
        })
        .map((a: { severity: string }) => a.severity);

    expect(run.status).toBe(202);
    expect(severityOf('Hùng Sơn')).toEqual(['critical']);
    // Recurrent capital is judged too (issue 16): Hùng Sơn's lags as well.
    expect(severityOf('Hùng Sơn', 'recurrent')).toEqual(['critical']);
    expect(severityOf('Tây Giang')).toEqual(['warning']);
    expect(severityOf('Avương')).toEqual([]);
    const aboutHungSon = run.body.alerts.filter(
      (a: { queued: boolean; scope: { commune?: string } }) => a.queued && a.scope.commune === 'Hùng Sơn',
    ).length;
    const files = await eventually(
      'the Hùng Sơn inspector’s e-mails',
      async () => mail.alertsTo('giamsat.hungson@danang.gov.vn', 2026),
      (f) => f.length === aboutHungSon,
    );
    const subjects = (await Promise.all(files.map(mail.parse))).map((m) => m.subject);
    expect(subjects).toContainEqual(
      expect.stringMatching(
        /^\[Cảnh báo giải ngân · Nghiêm trọng\] Chậm tiến độ · xã Hùng Sơn: đạt 2\d%, yêu cầu 60%$/,
      ),
    );
    expect(subjects).toContainEqual(
      expect.stringMatching(/^\[Cảnh báo giải ngân · Nghiêm trọng\] Chậm phê duyệt · xã Hùng Sơn/),
    );
    expect(mail.alertsTo(TAY_GIANG_INSPECTOR, 2026)).toEqual([]);
  });

  it('has the monitor command run as a da-nang planner with --jurisdiction, and refuse an unknown one', async () => {
    const daNang = await monitorCli(rt, '--jurisdiction', 'da-nang', '--as-of', '2026-09-30', '--no-wait');
    const unknown = await monitorCli(rt, '--jurisdiction', 'ha-noi');

    expect(daNang.code, daNang.stderr).toBe(0);
    expect(daNang.stdout).toContain('fiscal year(s) 2026');
    expect(daNang.stdout).toMatch(/ commune Hùng Sơn .*CRITICAL/);
    // The whole jurisdiction's row by its own name, never as a district.
    expect(daNang.stdout).toContain('all of Đà Nẵng city');
    expect(daNang.stdout).not.toMatch(/district/);
    expect(daNang.stdout).not.toMatch(/A Tiêng|Dang/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown jurisdiction "ha-noi"; use one of: tay-giang, da-nang');
  });

  it('says in the start-up banner how to act as a da-nang user and where its demo is on the dashboard', () => {
    expect(rt.logs()).toContain('npm run -s token -- --sub an-dn --groups planner --jurisdiction da-nang');
    expect(rt.logs()).toContain(`${rt.url}/?fiscalYear=2026&asOf=2026-09-30`);
    expect(rt.logs()).toMatch(
      /seeded the Đà Nẵng 2026 demo plan \(illustrative\): 16 allocations, 81 payees in the register, 7 contracts, 93 requests \(\d+ payments posted, \d+ waiting for approval, \d+ rejected\) with \d+ verified documents/,
    );
  });
});
