import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSecret } from '../../local/local-secret.ts';
import { createAcknowledgementLinks } from '../../shared/monitoring/adapters/confirmation-links.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';
import { mailbox } from './support/mailbox.ts';

let rt: Runtime;

beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const ADDRESS = 'giamsat.ack@taygiang.gov.vn';

/** The form post the page's button sends: no body, the signed token in the page's own address. */
const pressTheButton = (link: string) =>
  fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });

describe("an alert e-mail's links", () => {
  let alertId = '';
  let dashboardLink = '';
  let ackLink = '';

  beforeAll(async () => {
    // 2021, so no other test's alert mixes in: one lagging allocation of A Xan.
    const planner = await rt.token('planner-ack', ['planner']);
    const created = await rt.call('POST', '/allocations', {
      token: planner,
      body: {
        fiscalYear: 2021,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        commune: 'A Xan',
        title: 'Đường liên thôn',
        amountVnd: 1_000_000_000,
      },
    });
    expect(created.status).toBe(201);
    const inspector = await rt.token('insp-ack', ['inspector'], { commune: 'A Xan' });
    const subscribed = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: ADDRESS, scope: { commune: 'A Xan' } },
    });
    expect(subscribed.status).toBe(201);
    const run = await rt.call('POST', '/monitor/runs', {
      token: planner,
      body: { asOf: '2021-09-30', fiscalYear: 2021 },
    });
    expect(run.status).toBe(202);
    const box = mailbox(rt.dataDir);
    const [file] = await eventually(
      'the alert e-mail',
      async () => box.alertsTo(ADDRESS, 2021),
      (found) => found.length > 0,
    );
    alertId = file?.split('_')[1] ?? '';
    const mail = await box.parse(file ?? '');
    dashboardLink = /^ {2}(http\S+#\/alerts\/\S+)$/m.exec(mail.text ?? '')?.[1] ?? '';
    ackLink = /^ {2}(http\S+\/alerts\/acknowledge\?token=\S+)$/m.exec(mail.text ?? '')?.[1] ?? '';
  });

  const stored = async () => {
    const list = await rt.call('GET', '/alerts?fiscalYear=2021&limit=100', {
      token: await rt.token('auditor-ack', ['auditor']),
    });
    return list.body.items.find((a: { id: string }) => a.id === alertId);
  };

  it('link to the alert on the dashboard, its year preset', () => {
    expect(dashboardLink).toBe(`${rt.url}/?fiscalYear=2021#/alerts/${encodeURIComponent(alertId)}`);
  });

  it('open a page that shows the alert and acknowledges nothing, however often it is fetched', async () => {
    expect(ackLink.startsWith(`${rt.url}/alerts/acknowledge?token=`)).toBe(true);
    for (let i = 0; i < 2; i++) {
      const page = await fetch(ackLink);
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(html).toContain('<form method="post">');
      expect(html).toContain(alertId);
    }
    expect(await stored()).toMatchObject({ status: 'open' });
  });

  it('refuse a forged or cut token with a 4xx, writing nothing', async () => {
    const token = new URL(ackLink).searchParams.get('token') ?? '';
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [tampered, token.slice(0, token.length / 2), 'x']) {
      const url = `${rt.url}/alerts/acknowledge?${new URLSearchParams({ token: bad })}`;
      for (const res of [await fetch(url), await pressTheButton(url)]) {
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_confirmation');
      }
    }
    const noToken = await pressTheButton(`${rt.url}/alerts/acknowledge`);
    expect(noToken.status).toBe(400);
    expect(await stored()).toMatchObject({ status: 'open' });
  });

  it("refuse a genuine token pointed at another jurisdiction's alert (404) or expired (400), writing nothing", async () => {
    // Signed with the runtime's own key: only the claim differs from a real link's.
    const links = createAcknowledgementLinks(
      loadOrCreateSecret(join(rt.dataDir, 'keys', 'subscription_confirm_secret')),
    );
    const claim = {
      jurisdiction: 'tay-giang',
      alertId,
      email: ADDRESS,
      expiresAt: '2999-01-01T00:00:00.000Z',
    };
    const at = (c: typeof claim) =>
      `${rt.url}/alerts/acknowledge?${new URLSearchParams({ token: links.seal(c) })}`;

    for (const [c, status, code] of [
      [{ ...claim, jurisdiction: 'da-nang' }, 404, 'not_found'],
      [{ ...claim, expiresAt: '2020-01-01T00:00:00.000Z' }, 400, 'invalid_confirmation'],
    ] as const) {
      for (const res of [await fetch(at(c)), await pressTheButton(at(c))]) {
        expect(res.status).toBe(status);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
      }
    }
    expect(await stored()).toMatchObject({ status: 'open' });
    // The same claim in its own jurisdiction is a working link: the key and the claim are right.
    expect((await fetch(at(claim))).status).toBe(200);
  });

  it("acknowledge the alert once with the page's button, in the recipient's name", async () => {
    const first = await pressTheButton(ackLink);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain(`Đã xác nhận</strong> bởi ${ADDRESS}`);
    const after = await stored();
    expect(after).toMatchObject({ status: 'acknowledged', acknowledgedBy: `email:${ADDRESS}` });

    const again = await pressTheButton(ackLink);
    expect(again.status).toBe(200);
    expect(await stored()).toEqual(after);
    // The page now says so, and offers no button.
    expect(await (await fetch(ackLink)).text()).not.toContain('<form');
  });
});
