import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { ROLES } from '../../shared/platform/roles.ts';
import { allocationKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';
import { mailbox } from './support/mailbox.ts';

let rt: Runtime;

beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const ROUTES = [
  { method: 'POST', path: '/monitor/runs', body: { asOf: '2024-09-30' }, allowed: ['planner'], ok: 202 },
  {
    method: 'POST',
    path: '/subscriptions',
    body: { email: 'matrix@taygiang.gov.vn', scope: {} },
    allowed: ['inspector'],
    ok: 201,
  },
  // Auditors list and delete their own (daily ledger digest) subscriptions; their POST of alerts is refused (403).
  { method: 'GET', path: '/subscriptions', allowed: ['inspector', 'auditor'], ok: 200 },
  { method: 'DELETE', path: '/subscriptions/sub-unknown', allowed: ['inspector', 'auditor'], ok: 404 },
  { method: 'GET', path: '/alerts?fiscalYear=2024', allowed: ['inspector', 'auditor', 'planner'], ok: 200 },
  { method: 'POST', path: '/alerts/2024-09-30-lag-warning-0/ack', allowed: ['inspector'], ok: 404 },
  {
    method: 'GET',
    path: '/reports/progress?fiscalYear=2024&asOf=2024-09-30&groupBy=commune',
    allowed: ['inspector', 'auditor', 'planner'],
    ok: 200,
  },
] as const;

describe('who may call the monitoring routes', () => {
  it.each(
    ROUTES.map(
      (r) => [`${r.method} ${r.path.split('?')[0]} lets in ${r.allowed.join(', ')} only`, r] as const,
    ),
  )('%s', async (_, route) => {
    const statuses: Record<string, number> = {};
    for (const role of ROLES) {
      const res = await rt.call(route.method, route.path, {
        token: await rt.token(`matrix-${role}`, [role]),
        ...('body' in route ? { body: route.body } : {}),
      });
      statuses[role] = res.status;
    }
    const anonymous = await rt.call(route.method, route.path, 'body' in route ? { body: route.body } : {});

    expect(statuses).toEqual(
      Object.fromEntries(
        ROLES.map((r) => [r, (route.allowed as readonly string[]).includes(r) ? route.ok : 403]),
      ),
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes every monitoring route with its request schema', async () => {
    const doc = await rt.call('GET', '/openapi.json', { token: await rt.token('reader', ['auditor']) });

    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/monitor/runs',
        '/subscriptions',
        '/subscriptions/{id}',
        '/subscriptions/confirm',
        '/alerts',
        '/alerts/{id}/ack',
        '/reports/progress',
      ]),
    );
    expect(doc.body.paths['/subscriptions/{id}'].delete).toBeDefined();
    expect(doc.body.paths['/subscriptions/confirm'].get.security).toEqual([]);
    expect(
      doc.body.paths['/subscriptions'].post.requestBody.content['application/json'].schema,
    ).toBeDefined();
  });
});

describe('bad input to the monitoring routes', () => {
  it('refuses a bad subscription with a 400 naming the field, and stores nothing', async () => {
    const token = await rt.token('insp-bad', ['inspector']);
    const bodies = [
      { email: 'not-an-address', scope: {} },
      { email: 'a@b.vn', scope: { commune: 'Hội An' } },
      { email: 'a@b.vn', scope: { province: 'Quảng Nam' } },
      { email: 'a@b.vn' },
    ];

    const answers = [];
    for (const body of bodies) answers.push(await rt.call('POST', '/subscriptions', { token, body }));
    const stored = await rt.call('GET', '/subscriptions', { token });

    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual(
      Array(4).fill([400, 'invalid_request']),
    );
    expect(answers[0]?.body.error.message).toMatch(/^body\.email: /);
    expect(answers[1]?.body.error.message).toMatch(
      /^body\.scope\.commune: must be the name of a commune of a jurisdiction/,
    );
    expect(answers[2]?.body.error.message).toMatch(/unknown field\(s\) "province"/);
    expect(stored.body).toEqual({ items: [] });
  });

  it('refuses dates that do not exist and unknown groupings', async () => {
    const planner = await rt.token('planner-bad', ['planner']);

    const run = await rt.call('POST', '/monitor/runs', { token: planner, body: { asOf: '2023-02-29' } });
    const report = await rt.call('GET', '/reports/progress?groupBy=province', { token: planner });
    const cursor = await rt.call('GET', '/alerts?cursor=bm90LWEtY3Vyc29y', { token: planner });

    expect([run.status, run.body.error.message]).toEqual([
      400,
      'body.asOf: must be a calendar date written YYYY-MM-DD, in Vietnam time',
    ]);
    expect(report.status).toBe(400);
    expect(report.body.error.message).toMatch(/^query\.groupBy: /);
    expect([cursor.status, cursor.body.error.code]).toEqual([400, 'invalid_cursor']);
  });

  it('runs the monitor on an empty plan with an empty body and finds nothing', async () => {
    const res = await rt.call('POST', '/monitor/runs', {
      token: await rt.token('planner-x', ['planner']),
      body: {},
    });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ findings: 0, queued: 0, alerts: [], rows: [] });
  });
});

describe('a commune-scoped inspector', () => {
  it('may watch only their commune', async () => {
    const token = await rt.token('insp-dang', ['inspector'], { commune: 'Dang' });

    const other = await rt.call('POST', '/subscriptions', {
      token,
      body: { email: 'd@b.vn', scope: { commune: 'Lăng' } },
    });
    const district = await rt.call('POST', '/subscriptions', { token, body: { email: 'd@b.vn', scope: {} } });
    const own = await rt.call('POST', '/subscriptions', {
      token,
      body: { email: 'd@b.vn', scope: { commune: 'Dang' } },
    });
    const again = await rt.call('POST', '/subscriptions', {
      token,
      body: { email: 'D@b.vn', scope: { commune: 'Dang' } },
    });

    expect([other.status, district.status, own.status, again.status]).toEqual([403, 403, 201, 200]);
    expect(again.body.id).toBe(own.body.id);
  });

  it("cannot delete another inspector's subscription", async () => {
    const owner = await rt.token('insp-owner', ['inspector']);
    const intruder = await rt.token('insp-intruder', ['inspector']);
    const created = await rt.call('POST', '/subscriptions', {
      token: owner,
      body: { email: 'o@b.vn', scope: { fundingLine: 'central' } },
    });

    const refused = await rt.call('DELETE', `/subscriptions/${created.body.id}`, { token: intruder });
    const kept = await rt.call('GET', '/subscriptions', { token: owner });
    const deleted = await rt.call('DELETE', `/subscriptions/${created.body.id}`, { token: owner });

    expect(refused.status).toBe(403);
    expect(kept.body.items.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    expect(deleted).toMatchObject({ status: 200, body: { id: created.body.id } });
  });
});

describe("a commune-scoped planner's monitor run", () => {
  /** The alert ids of the .eml files written so far, by recipient (file name `<at>_<alert id>_<to>.eml`). */
  const mailed = () => {
    const dir = join(rt.dataDir, 'mail');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    return files.map((f) => ({ alertId: f.split('_')[1] ?? '', to: f.split('_').slice(2).join('_') }));
  };

  it('sees, records, queues and e-mails only the findings about its commune', async () => {
    // 2023, so the other tests' runs (2024) cannot mix in: nothing disbursed, far behind the curve.
    const planner = await rt.token('planner-plan', ['planner']);
    for (const [commune, fundingLine] of [
      ['A Tiêng', 'central'],
      ['A Tiêng', 'local'],
      ['Dang', 'central'],
    ] as const) {
      const res = await rt.call('POST', '/allocations', {
        token: planner,
        body: {
          fiscalYear: 2023,
          fundingLine,
          capitalType: 'investment',
          component: 'DA1',
          commune,
          title: 'Đường liên thôn',
          amountVnd: 1_000_000_000,
        },
      });
      expect(res.status).toBe(201);
    }
    const district = await rt.token('scope-district', ['inspector']);
    const dang = await rt.token('scope-dang', ['inspector'], { commune: 'Dang' });
    for (const [token, body] of [
      [district, { email: 'scope.huyen@taygiang.gov.vn', scope: {} }],
      [dang, { email: 'scope.dang@taygiang.gov.vn', scope: { commune: 'Dang' } }],
    ] as const) {
      expect((await rt.call('POST', '/subscriptions', { token, body })).status).toBe(201);
    }

    const scoped = await rt.call('POST', '/monitor/runs', {
      token: await rt.token('planner-a-tieng', ['planner'], { commune: 'A Tiêng' }),
      body: { asOf: '2023-09-30', fiscalYear: 2023 },
    });

    expect(scoped.status).toBe(202);
    // Its commune roll-up and its two allocations; no district, line or component roll-up of others' money.
    expect(scoped.body.rows.map((r: { scope: { level: string } }) => r.scope.level).sort()).toEqual([
      'allocation',
      'allocation',
      'commune',
    ]);
    expect(
      scoped.body.rows.every((r: { scope: { commune?: string } }) => r.scope.commune === 'A Tiêng'),
    ).toBe(true);
    expect(
      scoped.body.rows.find((r: { scope: { level: string } }) => r.scope.level === 'commune'),
    ).toMatchObject({ assignedVnd: 2_000_000_000, disbursedVnd: 0 });
    const ids: string[] = scoped.body.alerts.map((a: { id: string }) => a.id);
    // Each of the three scopes lags critically (nothing paid by 30/09): a lag alert each, and no forecast
    // alert beside a critical lag (docs/monitoring.md, Forecast alerts).
    expect(scoped.body).toMatchObject({ findings: 3, queued: 3, alreadyQueued: 0 });
    expect(scoped.body.alerts.map((a: { kind: string }) => a.kind)).toEqual(['lag', 'lag', 'lag']);
    expect(
      scoped.body.alerts.every((a: { scope: { commune?: string } }) => a.scope.commune === 'A Tiêng'),
    ).toBe(true);
    const stored = await rt.call('GET', '/alerts?fiscalYear=2023&limit=100', {
      token: await rt.token('scope-auditor', ['auditor']),
    });
    expect(stored.body.items.map((a: { id: string }) => a.id).sort()).toEqual([...ids].sort());

    // The e-mails: the district-wide inspector gets A Tiêng's three alerts, Dang's inspector nothing.
    const ofRun = () => mailed().filter((m) => m.alertId.startsWith('2023-'));
    const to = (who: string) => (m: { to: string }) => m.to === `${who.replace('@', '_')}.eml`;
    await eventually(
      "the scoped run's e-mails",
      async () => ofRun().filter(to('scope.huyen@taygiang.gov.vn')),
      (found) => found.length >= 3,
    );
    await new Promise((r) => setTimeout(r, 1500)); // anything else would have been written by now
    expect(
      ofRun()
        .filter(to('scope.huyen@taygiang.gov.vn'))
        .map((m) => m.alertId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(ofRun().filter(to('scope.dang@taygiang.gov.vn'))).toEqual([]);
    expect(ofRun().every((m) => ids.includes(m.alertId))).toBe(true);

    // A district-wide run the same day adds the other scopes; A Tiêng's alerts are the same, not re-sent.
    const whole = await rt.call('POST', '/monitor/runs', {
      token: planner,
      body: { asOf: '2023-09-30', fiscalYear: 2023 },
    });
    expect(whole.body.alreadyQueued).toBe(3);
    expect(
      whole.body.alerts
        .filter((a: { queued: boolean }) => !a.queued)
        .map((a: { id: string }) => a.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(whole.body.rows.some((r: { scope: { level: string } }) => r.scope.level === 'district')).toBe(
      true,
    );
  });
});

describe('subscribing an address outside the allow-listed domains (locally: gov.vn)', () => {
  const mailsTo = (address: string) => {
    const dir = join(rt.dataDir, 'mail');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(`_${address.replace('@', '_')}.eml`))
          .sort()
      : [];
  };
  /** How many of a run's queued alerts are about Lăng (what a Lăng subscription covers). */
  const aboutLang = (run: { alerts: { queued: boolean; scope: { commune?: string } }[] }) =>
    run.alerts.filter((a) => a.queued && a.scope.commune === 'Lăng').length;
  const alertMailsTo = (address: string, year: string) =>
    mailsTo(address).filter((f) => f.split('_')[1]?.startsWith(`${year}-`));

  it('mails it a signed link, sends it no alert until it follows the link, then sends it alerts', async () => {
    // 2022, so no other test's run mixes in: one lagging allocation of Lăng.
    await rt.call('POST', '/allocations', {
      token: await rt.token('planner-sub', ['planner']),
      body: {
        fiscalYear: 2022,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        commune: 'Lăng',
        title: 'Đường liên thôn',
        amountVnd: 1_000_000_000,
      },
    });
    const inspector = await rt.token('insp-lang', ['inspector'], { commune: 'Lăng' });
    const outside = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: 'Someone.Lang@Gmail.com', scope: { commune: 'Lăng' } },
    });
    const inside = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: 'giamsat.lang@taygiang.gov.vn', scope: { commune: 'Lăng' } },
    });
    expect(outside).toMatchObject({
      status: 201,
      body: { email: 'someone.lang@gmail.com', status: 'pending' },
    });
    expect(inside).toMatchObject({ status: 201, body: { status: 'allow-listed' } });
    expect(mailsTo('giamsat.lang@taygiang.gov.vn')).toEqual([]); // no confirmation for an allow-listed one

    const [confirmation] = mailsTo('someone.lang@gmail.com');
    expect(confirmation).toContain(`_confirm-${outside.body.id}_`);
    const mail = await PostalMime.parse(readFileSync(join(rt.dataDir, 'mail', confirmation ?? '')));
    const link = /http:\/\/localhost:\d+\/subscriptions\/confirm\?token=\S+/.exec(mail.text ?? '')?.[0] ?? '';
    expect(link.startsWith(`${rt.url}/subscriptions/confirm?token=`)).toBe(true);
    expect(mail.headers.find((h) => h.key === 'x-giai-ngan-subscription')?.value).toBe(outside.body.id);

    const planner = await rt.token('planner-sub', ['planner']);
    const first = await rt.call('POST', '/monitor/runs', {
      token: planner,
      body: { asOf: '2022-09-30', fiscalYear: 2022 },
    });
    expect(aboutLang(first.body)).toBeGreaterThan(0);
    await eventually(
      'the allow-listed address has the alerts',
      async () => alertMailsTo('giamsat.lang@taygiang.gov.vn', '2022').length,
      (n) => n === aboutLang(first.body),
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(alertMailsTo('someone.lang@gmail.com', '2022')).toEqual([]);

    const path = link.slice(rt.url.length);
    const tampered = await rt.call('GET', `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    const confirmed = await rt.call('GET', path);
    const listed = await rt.call('GET', '/subscriptions', { token: inspector });
    expect(tampered).toMatchObject({ status: 400, body: { error: { code: 'invalid_confirmation' } } });
    expect(confirmed).toMatchObject({ status: 200, body: { id: outside.body.id, status: 'confirmed' } });
    expect(
      listed.body.items.map((s: { email: string; status: string }) => [s.email, s.status]).sort(),
    ).toEqual([
      ['giamsat.lang@taygiang.gov.vn', 'allow-listed'],
      ['someone.lang@gmail.com', 'confirmed'],
    ]);

    const next = await rt.call('POST', '/monitor/runs', {
      token: planner,
      body: { asOf: '2022-10-01', fiscalYear: 2022 },
    });
    await eventually(
      'the confirmed address has the next day’s alerts',
      async () => alertMailsTo('someone.lang@gmail.com', '2022').length,
      (n) => n === aboutLang(next.body),
    );
  });

  it("names the places of the subscriber's own jurisdiction: a Đà Nẵng inspector's e-mail says xã Avương and thành phố Đà Nẵng, never huyện", async () => {
    const inspector = await rt.token('insp-dn', ['inspector'], { jurisdiction: 'da-nang' });
    const res = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: 'someone.avuong@gmail.com', scope: { commune: 'Avương', fundingLine: 'local' } },
    });
    expect(res).toMatchObject({ status: 201, body: { status: 'pending' } });

    const [file] = mailsTo('someone.avuong@gmail.com');
    const mail = await PostalMime.parse(readFileSync(join(rt.dataDir, 'mail', file ?? '')));
    expect(mail.subject).toBe('[Giám sát giải ngân] Xác nhận nhận cảnh báo: Xã Avương · Ngân sách thành phố');
    expect(mail.text).toContain('hệ thống giám sát giải ngân thành phố Đà Nẵng đã đăng ký');
    expect(mail.text).toContain('giai-ngan, thành phố Đà Nẵng. Mã đăng ký');
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/huyện/i);
  });
});

describe('recurrent and carried-over capital judged against their own curves (issue 16)', () => {
  // 2021, so no other test's run mixes in. Housing support (DA5) is recurrent capital ("vốn sự nghiệp").
  const create = async (body: Record<string, unknown>) => {
    const res = await rt.call('POST', '/allocations', {
      token: await rt.token('planner-curves', ['planner']),
      body: {
        fiscalYear: 2021,
        fundingLine: 'central',
        component: 'DA5',
        commune: 'Bha Lê',
        amountVnd: 2_000_000_000,
        ...body,
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('raises an alert for a recurrent allocation that lags, queued and e-mailed like an investment lag', async () => {
    const housing = await create({ capitalType: 'recurrent', title: 'Hỗ trợ nhà ở hộ nghèo' });
    const inspector = await rt.token('insp-bha-le', ['inspector'], { commune: 'Bha Lê' });
    const subscribed = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: 'giamsat.bhale@taygiang.gov.vn', scope: { commune: 'Bha Lê' } },
    });
    expect(subscribed.status).toBe(201);

    const run = await rt.call('POST', '/monitor/runs', {
      token: await rt.token('planner-curves', ['planner']),
      body: { asOf: '2021-09-30', fiscalYear: 2021 },
    });

    expect(run.status).toBe(202);
    const lag = run.body.alerts.find(
      (a: { kind: string; scope: { level: string } }) => a.kind === 'lag' && a.scope.level === 'allocation',
    );
    expect(lag).toMatchObject({
      severity: 'critical',
      queued: true,
      scope: { capitalType: 'recurrent', commune: 'Bha Lê', component: 'DA5', allocationId: housing },
    });
    expect(
      run.body.rows.find((r: { scope: { allocationId?: string } }) => r.scope.allocationId === housing),
    ).toMatchObject({
      capitalType: 'recurrent',
      carriedOver: false,
      rate: 0,
      expectedRate: 0.6,
      lagPoints: 60,
    });

    const mail = mailbox(rt.dataDir);
    const file = await eventually(
      'the recurrent lag e-mail',
      async () => mail.alertsTo('giamsat.bhale@taygiang.gov.vn', 2021).find((f) => f.includes(lag.id)),
      (f) => f !== undefined,
    );
    const parsed = await mail.parse(file ?? '');
    expect(parsed.subject).toBe(
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã Bha Lê · Ngân sách trung ương · DA5 · Vốn sự nghiệp: đạt 0%, yêu cầu 60%',
    );
    expect(parsed.text).toMatch(/Loại vốn:\s+Vốn sự nghiệp/);
  });

  it('reports capital carried over from an earlier year apart from the year’s own, judged against the carried-over curve', async () => {
    const carried = await create({
      capitalType: 'investment',
      component: 'DA1',
      title: 'Đường (vốn 2020 chuyển sang)',
    });
    // What the year-end close will write: the allocation's origin. No route sets it yet.
    const db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
    await db.send(
      new UpdateCommand({
        TableName: `${rt.namespace}-ledger`,
        Key: allocationKeys.key(UPGRADE_DEFAULT_JURISDICTION, carried),
        UpdateExpression: 'SET carriedFrom = :origin',
        ExpressionAttributeValues: { ':origin': '2020-da1-central-bha-le' },
      }),
    );
    db.destroy();
    const reader = await rt.token('auditor-curves', ['auditor']);

    const report = await rt.call('GET', '/reports/progress?fiscalYear=2021&asOf=2021-09-30&groupBy=commune', {
      token: reader,
    });
    const allocation = await rt.call('GET', `/allocations/${carried}`, { token: reader });

    expect(report.status).toBe(200);
    const bhaLe = report.body.rows
      .filter((r: { key: string }) => r.key === 'Bha Lê')
      .map((r: { capitalType: string; carriedOver: boolean; expectedRate: number }) => [
        r.capitalType,
        r.carriedOver,
        r.expectedRate,
      ]);
    // 30/9 on the default curves: 60% for the year's own capital, 75% for capital carried over.
    expect(bhaLe).toEqual([
      ['investment', true, 0.75],
      ['recurrent', false, 0.6],
    ]);
    expect(allocation.body.carriedFrom).toBe('2020-da1-central-bha-le');
  });
});
