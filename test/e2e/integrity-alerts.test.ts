import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTaxCode } from '../../local/demo-payees.ts';
import { steps } from './support/api-steps.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';
import { mailbox } from './support/mailbox.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
});
afterAll(async () => {
  await rt?.stop();
});

const INSPECTOR_EMAIL = 'liemchinh@taygiang.gov.vn';

interface RunAlert {
  id: string;
  kind: string;
  rule?: string;
  queued: boolean;
}

describe('integrity alerts through the monitor run (local runtime)', () => {
  it('raises a splitting and a shared-account alert, lists them under kind=integrity, e-mails them once', async () => {
    const inspector = await s.as('insp-integrity', 'inspector');
    const subscribed = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: INSPECTOR_EMAIL, scope: {} },
    });
    expect(subscribed.status).toBe(201);

    // A contractor paid 600 + 500 million on one road the same day: each under 1 billion, together over it.
    const firm = await s.registerPayee({
      kind: 'contractor',
      name: 'Công ty TNHH Xây dựng Alăng',
      citizenId: undefined,
      taxCode: demoTaxCode(17),
      bankAccount: { number: '1200000017', bankCode: '970418' },
    });
    // Two people registered under their own citizen IDs, paid into one account.
    const owner = await s.registerPayee({
      name: 'Hộ ông Briu Văn Dư',
      citizenId: '099911110001',
      bankAccount: { number: '3900111122223', bankCode: '970405' },
    });
    const alias = await s.registerPayee({
      kind: 'individual',
      name: 'Briu Văn Pai',
      citizenId: '099911110002',
      bankAccount: { number: '3900111122223', bankCode: '970405' },
    });
    for (const res of [firm, owner, alias]) expect(res.status, JSON.stringify(res.body)).toBe(201);
    const road = await s.createAllocation({ amountVnd: 3_000_000_000 });
    const submitted = [
      await s.submit(road.id, 600_000_000, 'finance-lan', undefined, {
        payee: undefined,
        payeeId: firm.body.id,
      }),
      await s.submit(road.id, 500_000_000, 'finance-lan', undefined, {
        payee: undefined,
        payeeId: firm.body.id,
      }),
      await s.submit(road.id, 20_000_000, 'finance-lan', undefined, {
        payee: undefined,
        payeeId: alias.body.id,
        purpose: 'Hỗ trợ sinh kế',
      }),
    ];
    for (const res of submitted) expect(res.status, JSON.stringify(res.body)).toBe(201);

    const planner = await s.as('planner-integrity', 'planner');
    const run = await rt.call('POST', '/monitor/runs', { token: planner, body: { fiscalYear: 2024 } });

    expect(run.status).toBe(202);
    const integrity = (run.body.alerts as RunAlert[]).filter((a) => a.kind === 'integrity');
    expect(integrity.map((a) => [a.rule, a.queued]).sort()).toEqual([
      ['shared-account', true],
      ['splitting', true],
    ]);

    const listed = await rt.call('GET', '/alerts?kind=integrity&fiscalYear=2024', { token: inspector });
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(2);
    const splitting = listed.body.items.find(
      (a: { integrity?: { rule: string } }) => a.integrity?.rule === 'splitting',
    );
    expect(splitting).toMatchObject({
      kind: 'integrity',
      severity: 'critical',
      scope: { level: 'allocation', allocationId: road.id },
      integrity: { totalVnd: 1_100_000_000, thresholdVnd: 1_000_000_000, addedLevel: 'district-leader' },
    });
    expect(splitting.integrity.requests.map((r: { requestId: string }) => r.requestId)).toEqual([
      submitted[0]?.body.id,
      submitted[1]?.body.id,
    ]);
    expect(splitting.integrity.payees).toEqual([
      expect.objectContaining({ payeeId: firm.body.id, name: 'Công ty TNHH Xây dựng Alăng' }),
    ]);
    const shared = listed.body.items.find(
      (a: { integrity?: { rule: string } }) => a.integrity?.rule === 'shared-account',
    );
    expect(shared.integrity.payees.map((p: { payeeId: string }) => p.payeeId).sort()).toEqual(
      [owner.body.id, alias.body.id].sort(),
    );
    const lagOnly = await rt.call('GET', '/alerts?kind=lag&fiscalYear=2024', { token: inspector });
    expect(lagOnly.body.items.every((a: { kind: string }) => a.kind === 'lag')).toBe(true);

    // The e-mails: one per case, with the explanation and the facts.
    const mail = mailbox(rt.dataDir);
    const integrityMails = () => mail.to(INSPECTOR_EMAIL).filter((f) => f.includes('-integrity-'));
    await eventually(
      'the integrity e-mails',
      async () => integrityMails(),
      (files) => files.length >= 2,
    );
    const texts = await Promise.all(integrityMails().map(async (f) => (await mail.parse(f)).text ?? ''));
    const splitMail = texts.find((t) => t.includes('Chia nhỏ hồ sơ dưới ngưỡng phê duyệt')) ?? '';
    expect(splitMail).toContain('mỗi hồ sơ dưới ngưỡng 1.000.000.000 ₫');
    expect(splitMail).toContain(`600.000.000 ₫ · Công ty TNHH Xây dựng Alăng`);
    expect(splitMail).toContain(`mã hồ sơ ${submitted[0]?.body.id}`);
    const sharedMail = texts.find((t) => t.includes('Nhiều đơn vị thụ hưởng chung một tài khoản')) ?? '';
    expect(sharedMail).toContain('Hộ ông Briu Văn Dư');
    expect(sharedMail).toContain('2223 (NH 970405)');
    expect(sharedMail).not.toContain('3900111122223');

    // The same cases the next day are the alerts already recorded: nothing queued or e-mailed again.
    const next = await rt.call('POST', '/monitor/runs', {
      token: planner,
      body: { fiscalYear: 2024, asOf: '2024-10-02' },
    });
    const again = (next.body.alerts as RunAlert[]).filter((a) => a.kind === 'integrity');
    expect(again.map((a) => [a.id, a.queued]).sort()).toEqual(integrity.map((a) => [a.id, false]).sort());
    await new Promise((r) => setTimeout(r, 1000));
    expect(integrityMails()).toHaveLength(2);
  });

  it('refuses an unknown alert kind with a 400 naming the field', async () => {
    const res = await rt.call('GET', '/alerts?kind=fraud', {
      token: await s.as('insp-integrity', 'inspector'),
    });

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^query\.kind: /);
  });
});
