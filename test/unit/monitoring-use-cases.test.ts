import { beforeEach, describe, expect, it } from 'vitest';
import {
  createAcknowledgementLinks,
  createConfirmationLinks,
} from '../../shared/monitoring/adapters/confirmation-links.ts';
import { emailContextFromConfig } from '../../shared/monitoring/adapters/from-env.ts';
import { acknowledgeAlert, listAlerts } from '../../shared/monitoring/app/alerts.ts';
import { deliverAlert } from '../../shared/monitoring/app/deliver-alert.ts';
import { progressReport } from '../../shared/monitoring/app/progress-report.ts';
import { runMonitor, startMonitorRun } from '../../shared/monitoring/app/run-monitor.ts';
import { DeliveriesPendingError } from '../../shared/monitoring/app/send-once.ts';
import {
  confirmSubscription,
  createSubscription,
  deleteSubscription,
  listOwnSubscriptions,
} from '../../shared/monitoring/app/subscriptions.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import type { Alert } from '../../shared/monitoring/domain/alert.ts';
import { subscriptionStatus } from '../../shared/monitoring/domain/subscription.ts';
import { workingCalendar } from '../../shared/platform/config/holidays/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/platform/errors.ts';
import { anActor, anAllocation } from './support/domain-fixtures.ts';
import { InMemoryMonitoring, RecordingMailer, RecordingPublisher } from './support/in-memory-monitoring.ts';

const at = (iso: string) => () => new Date(iso);
const links = createConfirmationLinks('k'.repeat(48));
const ackLinks = createAcknowledgementLinks('k'.repeat(48));
let confirmationMailer: RecordingMailer;
/** Subscription deps: `gov.vn` allow-listed, confirmation links e-mailed to a recording mailer. */
const subscriptionDeps = (now = '2024-09-01T00:00:00Z') => ({
  subscriptions: store,
  now: at(now),
  allowList: ['gov.vn'],
  links,
  confirmation: {
    links,
    mailer: confirmationMailer,
    sender: 'canh-bao@giai-ngan.local',
    contextOf: emailContextFromConfig(),
    origin: 'https://api.test',
  },
});
const inspector = anActor('insp-1', ['inspector']);
const tiengInspector = anActor('insp-tieng', ['inspector'], 'A Tiêng');

let store: InMemoryMonitoring;
let publisher: RecordingPublisher;
const monitor = (now = '2024-09-30T01:00:00Z') => ({
  progress: store,
  entries: store,
  alerts: store,
  publisher,
  config: monitoringConfig,
  calendar: workingCalendar,
  now: at(now),
  jurisdictions: ['tay-giang', 'da-nang'],
});

beforeEach(async () => {
  store = new InMemoryMonitoring();
  confirmationMailer = new RecordingMailer();
  publisher = new RecordingPublisher();
  for (const allocation of [
    anAllocation({
      id: 'tieng',
      commune: 'A Tiêng',
      component: 'DA1',
      assignedVnd: 1_000_000_000,
      disbursedVnd: 300_000_000,
    }),
    anAllocation({
      id: 'dang',
      commune: 'Dang',
      component: 'DA1',
      assignedVnd: 1_000_000_000,
      disbursedVnd: 700_000_000,
    }),
  ])
    await store.ledger.createAllocation(allocation);
});

describe('a monitoring run', () => {
  it('queues a forecast alert for each scope of a plan stalled at 40% by October, once a day', async () => {
    // 40% on 01/10 against about 60% expected: a lag warning (not critical), and forecast to miss.
    await store.ledger.createAllocation(
      anAllocation({
        id: 'late',
        commune: 'Lăng',
        component: 'DA4',
        disbursedVnd: 2_000_000_000,
        availableVnd: 3_000_000_000,
      }),
    );

    const first = await runMonitor(monitor('2024-10-01T02:00:00Z'), { asOf: '2024-10-01' });
    const second = await runMonitor(monitor('2024-10-01T03:00:00Z'), { asOf: '2024-10-01' });

    const ofLate = first.findings.filter(
      (f) => f.kind === 'forecast' && (f.scope.commune === 'Lăng' || f.scope.component === 'DA4'),
    );
    expect(ofLate.map((f) => f.scope.level).sort()).toEqual(['allocation', 'commune', 'component']);
    expect(ofLate.every((f) => f.queued && f.forecast?.targetPercent === 100)).toBe(true);
    expect(second.findings.filter((f) => f.kind === 'forecast' && f.queued)).toEqual([]);
    expect(publisher.published.filter((a) => a.kind === 'forecast').length).toBe(
      first.findings.filter((f) => f.kind === 'forecast').length,
    );
  });

  it('queues one alert per finding, for today in Vietnam when no date is given', async () => {
    // 20:00 UTC on 29/09 is already 30/09 in Vietnam.
    const run = await runMonitor(monitor('2024-09-29T20:00:00Z'));

    expect(run.asOf).toBe('2024-09-30');
    expect(run.fiscalYears).toEqual([2024]);
    expect(run.queued).toBe(run.findings.length);
    expect(publisher.published.map((a) => a.id)).toEqual(run.findings.map((f) => f.alertId));
    expect(publisher.published.every((a) => a.id.startsWith('2024-09-30-'))).toBe(true);
  });

  it('queues nothing new on a second run the same day, and again the next day', async () => {
    const first = await runMonitor(monitor(), { asOf: '2024-09-30' });
    const second = await runMonitor(monitor('2024-09-30T09:00:00Z'), { asOf: '2024-09-30' });
    const nextDay = await runMonitor(monitor('2024-10-01T01:00:00Z'), { asOf: '2024-10-01' });

    expect(first.queued).toBeGreaterThan(0);
    expect(second).toMatchObject({ queued: 0, alreadyQueued: first.queued });
    expect(nextDay.queued).toBe(first.queued);
    expect(publisher.published).toHaveLength(2 * first.queued);
  });

  it('queues again an alert a failed run recorded but never queued', async () => {
    const failing = { publish: async () => Promise.reject(new Error('queue down')) };
    await expect(runMonitor({ ...monitor(), publisher: failing }, { asOf: '2024-09-30' })).rejects.toThrow(
      'queue down',
    );

    const retry = await runMonitor(monitor(), { asOf: '2024-09-30' });

    expect(retry.queued).toBe(retry.findings.length);
  });

  it("confines a commune-scoped caller's run to the scopes about their commune", async () => {
    const dangPlanner = anActor('planner-dang', ['planner'], 'Dang');
    await store.ledger.createAllocation(
      anAllocation({ id: 'dang-2', commune: 'Dang', component: 'DA3', assignedVnd: 1_000_000_000 }),
    );

    const run = await startMonitorRun(monitor(), dangPlanner, { asOf: '2024-09-30' });
    const whole = await runMonitor(monitor(), { asOf: '2024-09-30' });

    expect(run.rows.map((r) => r.scope.commune)).toEqual(run.rows.map(() => 'Dang'));
    expect(run.findings.length).toBeGreaterThan(0);
    expect(run.findings.every((f) => f.scope.commune === 'Dang')).toBe(true);
    const scopedIds = run.findings.map((f) => f.alertId);
    expect(publisher.published.slice(0, scopedIds.length).map((a) => a.scope.commune)).toEqual(
      scopedIds.map(() => 'Dang'),
    );
    // The district-wide run finds the commune's alerts already queued: the same alerts, the same figures.
    expect(whole.alreadyQueued).toBe(run.queued);
    expect(whole.findings.filter((f) => !f.queued).map((f) => f.alertId)).toEqual(
      expect.arrayContaining(scopedIds),
    );
    expect(whole.findings.some((f) => f.scope.level === 'district')).toBe(true);
  });

  it('refuses a date that does not exist', async () => {
    await expect(runMonitor(monitor(), { asOf: '2023-02-29' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('measures a fiscal year given explicitly even after its window, against 100%', async () => {
    const run = await runMonitor(monitor('2025-03-01T01:00:00Z'), { asOf: '2025-03-01', fiscalYear: 2024 });

    expect(run.fiscalYears).toEqual([2024]);
    expect(run.rows.find((r) => r.scope.allocationId === 'tieng')).toMatchObject({
      expectedPercent: 100,
      lagPoints: 70,
    });
  });
});

/** The alert mailer's deps, with `gov.vn` allow-listed. */
const deliveryDeps = (mailer: RecordingMailer) => ({
  subscriptions: store,
  deliveries: store,
  mailer,
  sender: 'canh-bao@giai-ngan.local',
  allowList: ['gov.vn'],
  contextOf: emailContextFromConfig(),
  now: at('2024-09-30T01:00:00Z'),
  acknowledgementLinks: ackLinks,
  publicUrls: () => ({ dashboardUrl: 'https://dashboard.test', apiUrl: 'https://api.test' }),
});

describe('delivering an alert', () => {
  const anAlert = async () => {
    await runMonitor(monitor(), { asOf: '2024-09-30' });
    const alert = publisher.published.find(
      (a) => a.scope.level === 'commune' && a.scope.commune === 'A Tiêng',
    );
    if (!alert) throw new Error('expected a commune alert for A Tiêng');
    return alert;
  };

  it('e-mails every covering subscriber once per address, and nothing on a redelivery', async () => {
    const alert = await anAlert();
    const deps = subscriptionDeps();
    await createSubscription(deps, inspector, { email: 'Thanh.Tra@TayGiang.gov.vn', scope: {} });
    await createSubscription(deps, inspector, {
      email: 'thanh.tra@taygiang.gov.vn',
      scope: { commune: 'A Tiêng' },
    });
    await createSubscription(deps, tiengInspector, {
      email: 'xa@taygiang.gov.vn',
      scope: { commune: 'A Tiêng' },
    });
    await createSubscription(deps, inspector, { email: 'dang@taygiang.gov.vn', scope: { commune: 'Dang' } });
    const mailer = new RecordingMailer();

    const first = await deliverAlert(deliveryDeps(mailer), alert);
    const again = await deliverAlert(deliveryDeps(mailer), alert);

    expect(mailer.sent.map((m) => m.to)).toEqual(['thanh.tra@taygiang.gov.vn', 'xa@taygiang.gov.vn']);
    expect(first).toEqual({ recipients: 2, sent: 2, alreadySent: 0 });
    expect(again).toEqual({ recipients: 2, sent: 0, alreadySent: 2 });
  });

  it('serves every other subscriber, then asks for a redelivery, when another sender still holds one e-mail', async () => {
    const alert = await anAlert();
    const deps = subscriptionDeps();
    await createSubscription(deps, inspector, { email: 'a@taygiang.gov.vn', scope: {} });
    await createSubscription(deps, inspector, { email: 'b@taygiang.gov.vn', scope: {} });
    const mailer = new RecordingMailer();
    // A slow invocation of the same alert claimed b's e-mail a moment ago and is still at it.
    await store.claimDelivery('tay-giang', alert.id, 'b@taygiang.gov.vn', {
      at: '2024-09-30T00:59:59.000Z',
      staleBefore: '2000-01-01T00:00:00Z',
      claimant: 'the-slow-invocation',
    });

    const redelivery = deliverAlert(deliveryDeps(mailer), alert);

    await expect(redelivery).rejects.toBeInstanceOf(DeliveriesPendingError);
    expect(mailer.sent.map((m) => m.to)).toEqual(['a@taygiang.gov.vn']);
  });

  it('gives a failed send back so the redelivery sends it, without sending the others twice', async () => {
    const alert = await anAlert();
    const deps = subscriptionDeps();
    await createSubscription(deps, inspector, { email: 'a@taygiang.gov.vn', scope: {} });
    await createSubscription(deps, inspector, { email: 'b@taygiang.gov.vn', scope: {} });
    const mailer = new RecordingMailer();
    mailer.failFor.add('b@taygiang.gov.vn');

    await expect(deliverAlert(deliveryDeps(mailer), alert)).rejects.toThrow('unavailable');
    mailer.failFor.clear();
    await deliverAlert(deliveryDeps(mailer), alert);

    expect(mailer.sent.map((m) => m.to)).toEqual(['a@taygiang.gov.vn', 'b@taygiang.gov.vn']);
  });

  it('sends once when the record of a sent e-mail fails to be written, even after its claim goes stale', async () => {
    const alert = await anAlert();
    await createSubscription(subscriptionDeps(), inspector, { email: 'a@taygiang.gov.vn', scope: {} });
    const mailer = new RecordingMailer();
    // The first write of "sent" fails (a throttled or lost DynamoDB call); a claim is stale after 3 s.
    let failures = 1;
    const deliveries = {
      claimDelivery: store.claimDelivery.bind(store),
      releaseDelivery: store.releaseDelivery.bind(store),
      sentCount: store.sentCount.bind(store),
      completeDelivery: async (...args: Parameters<typeof store.completeDelivery>) => {
        if (failures-- > 0) throw new Error('ProvisionedThroughputExceededException');
        return store.completeDelivery(...args);
      },
    };
    let clock = Date.parse('2024-09-30T01:00:00Z');
    // A clock a second further on at each reading.
    const now = () => {
      clock += 1000;
      return new Date(clock);
    };
    const deps = { ...deliveryDeps(mailer), deliveries, now, claimTimeoutMs: 3000 };

    // The first delivery and the redelivery a failed one would get.
    await deliverAlert(deps, alert).catch(() => undefined);
    await deliverAlert(deps, alert).catch(() => undefined);

    expect(mailer.sent.map((m) => m.to)).toEqual(['a@taygiang.gov.vn']);
  });

  it("names the places of the jurisdiction its scope rolls up (as the queue carries it), not the upgrade default's", async () => {
    const tayGiang = await anAlert();
    const alert: Alert = {
      ...tayGiang,
      scope: { ...tayGiang.scope, jurisdiction: 'da-nang', commune: 'Avương', fundingLine: 'local' },
    };
    const daNangInspector = { sub: 'insp-dn', groups: ['inspector'], jurisdiction: 'da-nang' };
    await createSubscription(subscriptionDeps(), daNangInspector, { email: 'tt@danang.gov.vn', scope: {} });
    const mailer = new RecordingMailer();

    await deliverAlert(deliveryDeps(mailer), alert);

    const [mail] = mailer.sent;
    expect(mail?.subject).toContain('xã Avương · Ngân sách thành phố');
    expect(mail?.text).toContain('thành phố Đà Nẵng');
    expect(`${mail?.subject}${mail?.text}${mail?.html}`).not.toMatch(/huyện/i);
  });
});

describe('subscriptions', () => {
  const deps = () => subscriptionDeps();

  it('keeps one subscription when an inspector subscribes twice to the same thing', async () => {
    const first = await createSubscription(deps(), inspector, {
      email: 'A@b.vn',
      scope: { fundingLine: 'central' },
    });
    const second = await createSubscription(deps(), inspector, {
      email: 'a@b.vn',
      scope: { fundingLine: 'central' },
    });

    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.subscription).toEqual(first.subscription);
    expect((await listOwnSubscriptions(deps(), inspector)).items).toHaveLength(1);
  });

  it('lets a commune-scoped inspector watch only their commune', async () => {
    await expect(
      createSubscription(deps(), tiengInspector, { email: 'x@b.vn', scope: {} }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      createSubscription(deps(), tiengInspector, { email: 'x@b.vn', scope: { commune: 'Dang' } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(store.subscriptions.size).toBe(0);
  });

  it("lists and deletes only the caller's own subscriptions", async () => {
    const mine = await createSubscription(deps(), inspector, { email: 'a@b.vn', scope: {} });
    await createSubscription(deps(), tiengInspector, { email: 'x@b.vn', scope: { commune: 'A Tiêng' } });
    const id = mine.subscription.id;

    await expect(deleteSubscription(deps(), tiengInspector, id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deleteSubscription(deps(), inspector, 'sub-missing')).rejects.toBeInstanceOf(NotFoundError);
    expect((await listOwnSubscriptions(deps(), tiengInspector)).items.map((s) => s.email)).toEqual([
      'x@b.vn',
    ]);
    expect((await deleteSubscription(deps(), inspector, id)).id).toBe(id);
    expect(await store.getSubscription('tay-giang', id)).toBeUndefined();
  });
});

describe('subscribing an address outside the allow-listed domains', () => {
  const alertFor = async (commune: string) => {
    await runMonitor(monitor(), { asOf: '2024-09-30' });
    const alert = publisher.published.find((a) => a.scope.level === 'commune' && a.scope.commune === commune);
    if (!alert) throw new Error(`expected a commune alert for ${commune}`);
    return alert;
  };
  const deliver = (alert: Alert, mailer: RecordingMailer) => deliverAlert(deliveryDeps(mailer), alert);
  const tokenOf = (mail: { text: string } | undefined) =>
    decodeURIComponent(/confirm\?token=(\S+)/.exec(mail?.text ?? '')?.[1] ?? '');

  it('stores it pending, e-mails it a signed link, and sends it no alert until it follows the link', async () => {
    const created = await createSubscription(subscriptionDeps(), inspector, {
      email: 'Someone@Gmail.com',
      scope: { commune: 'A Tiêng' },
    });
    const alert = await alertFor('A Tiêng');
    const before = new RecordingMailer();
    await deliver(alert, before);

    expect(created).toMatchObject({ created: true, subscription: { email: 'someone@gmail.com' } });
    expect(subscriptionStatus(created.subscription, ['gov.vn'])).toBe('pending');
    expect(confirmationMailer.sent.map((m) => m.to)).toEqual(['someone@gmail.com']);
    expect(confirmationMailer.sent[0]?.text).toContain('https://api.test/subscriptions/confirm?token=');
    expect(before.sent).toEqual([]);

    const confirmed = await confirmSubscription(
      subscriptionDeps('2024-09-02T00:00:00Z'),
      tokenOf(confirmationMailer.sent[0]),
    );
    const again = await confirmSubscription(
      subscriptionDeps('2024-09-03T00:00:00Z'),
      tokenOf(confirmationMailer.sent[0]),
    );
    const after = new RecordingMailer();
    await deliver(alert, after);

    expect(subscriptionStatus(confirmed, ['gov.vn'])).toBe('confirmed');
    expect([confirmed.confirmedAt, again.confirmedAt]).toEqual([
      '2024-09-02T00:00:00.000Z',
      '2024-09-02T00:00:00.000Z',
    ]);
    expect(after.sent.map((m) => m.to)).toEqual(['someone@gmail.com']);
  });

  it('needs no confirmation for an address under an allow-listed domain', async () => {
    const created = await createSubscription(subscriptionDeps(), inspector, {
      email: 'giamsat@quangnam.gov.vn',
      scope: {},
    });
    const lookalike = await createSubscription(subscriptionDeps(), inspector, {
      email: 'x@evilgov.vn',
      scope: {},
    });

    expect(subscriptionStatus(created.subscription, ['gov.vn'])).toBe('allow-listed');
    expect(subscriptionStatus(lookalike.subscription, ['gov.vn'])).toBe('pending');
    expect(confirmationMailer.sent.map((m) => m.to)).toEqual(['x@evilgov.vn']);
  });

  it('refuses an altered, expired or stale link, and confirms nothing', async () => {
    await createSubscription(subscriptionDeps(), inspector, { email: 'a@gmail.com', scope: {} });
    const token = tokenOf(confirmationMailer.sent[0]);
    const [payload, signature] = token.split('.');
    const forged = `${Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString()
        .replace('a@gmail.com', 'b@gmail.com'),
    ).toString('base64url')}.${signature}`;

    const altered = await confirmSubscription(subscriptionDeps(), forged).catch((e) => e);
    const expired = await confirmSubscription(subscriptionDeps('2024-09-04T00:00:01Z'), token).catch(
      (e) => e,
    );
    // Deleted and subscribed again: the old link no longer confirms the new subscription.
    const id = [...store.subscriptions.values()][0]?.id ?? '';
    await deleteSubscription(subscriptionDeps(), inspector, id);
    await createSubscription(subscriptionDeps('2024-09-01T06:00:00Z'), inspector, {
      email: 'a@gmail.com',
      scope: {},
    });
    const stale = await confirmSubscription(subscriptionDeps('2024-09-01T07:00:00Z'), token).catch((e) => e);

    expect(altered).toMatchObject({ code: 'invalid_confirmation', status: 400 });
    expect(expired).toMatchObject({ code: 'invalid_confirmation', details: { reason: 'expired' } });
    expect(stale).toBeInstanceOf(NotFoundError);
    expect([...store.subscriptions.values()].every((s) => s.confirmedAt === undefined)).toBe(true);
  });
});

describe('subscriptions and confirmation links of two jurisdictions', () => {
  const daNangInspector = { sub: 'insp-dn', groups: ['inspector'], jurisdiction: 'da-nang' };
  const tokenOf = (mail: { text: string } | undefined) =>
    decodeURIComponent(/confirm\?token=(\S+)/.exec(mail?.text ?? '')?.[1] ?? '');
  /** The token with its signed payload rewritten by `edit` and its signature kept. */
  const repointed = (token: string, edit: (claim: Record<string, unknown>) => Record<string, unknown>) => {
    const [payload, signature] = token.split('.');
    const claim = edit(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()));
    return `${Buffer.from(JSON.stringify(claim)).toString('base64url')}.${signature}`;
  };

  it("confirms a Đà Nẵng address through its link, read in Đà Nẵng's partition; re-pointed at another jurisdiction, the link is refused", async () => {
    const { subscription } = await createSubscription(subscriptionDeps(), daNangInspector, {
      email: 'someone@gmail.com',
      scope: {},
    });
    const token = tokenOf(confirmationMailer.sent[0]);
    const elsewhere = repointed(token, (claim) => ({ ...claim, jurisdiction: 'tay-giang' }));
    const unnamed = repointed(token, ({ jurisdiction: _, ...claim }) => claim);

    const refused = await Promise.all(
      [elsewhere, unnamed].map((t) => confirmSubscription(subscriptionDeps(), t).catch((e) => e)),
    );
    const confirmed = await confirmSubscription(subscriptionDeps('2024-09-02T00:00:00Z'), token);

    expect(links.open(token)).toMatchObject({ jurisdiction: 'da-nang', subscriptionId: subscription.id });
    expect(refused).toMatchObject([{ code: 'invalid_confirmation' }, { code: 'invalid_confirmation' }]);
    expect(confirmed).toMatchObject({ id: subscription.id, ownerJurisdiction: 'da-nang' });
    expect(await store.getSubscription('da-nang', subscription.id)).toMatchObject({
      confirmedAt: '2024-09-02T00:00:00.000Z',
    });
    expect(await store.getSubscription('tay-giang', subscription.id)).toBeUndefined();
  });

  it("keeps a link e-mailed before links named their jurisdiction working: it confirms the upgrade default's subscription", async () => {
    const { subscription } = await createSubscription(subscriptionDeps(), inspector, {
      email: 'old.link@gmail.com',
      scope: {},
    });
    const { jurisdiction, ...before } = links.open(tokenOf(confirmationMailer.sent[0]));
    const oldLink = links.seal(before);

    const confirmed = await confirmSubscription(subscriptionDeps('2024-09-02T00:00:00Z'), oldLink);

    expect(jurisdiction).toBe('tay-giang');
    expect(confirmed).toMatchObject({ id: subscription.id, confirmedAt: '2024-09-02T00:00:00.000Z' });
  });

  it("lists and deletes an inspector's subscriptions in their own jurisdiction only", async () => {
    const mine = await createSubscription(subscriptionDeps(), daNangInspector, {
      email: 'tt@danang.gov.vn',
      scope: {},
    });
    // The same owner name in the upgrade default: another account, another partition.
    const namesake = { ...daNangInspector, jurisdiction: undefined };
    await createSubscription(subscriptionDeps(), namesake, { email: 'tt@taygiang.gov.vn', scope: {} });

    const listed = await listOwnSubscriptions(subscriptionDeps(), daNangInspector);
    const fromElsewhere = await deleteSubscription(subscriptionDeps(), namesake, mine.subscription.id).catch(
      (e) => e,
    );

    expect(listed.items.map((x) => x.email)).toEqual(['tt@danang.gov.vn']);
    expect(fromElsewhere).toBeInstanceOf(NotFoundError);
    expect(await store.getSubscription('da-nang', mine.subscription.id)).toBeDefined();
  });
});

describe('alerts of two jurisdictions', () => {
  const daNang = (sub: string, groups: string[]) => ({ sub, groups, jurisdiction: 'da-nang' });

  beforeEach(async () => {
    await store.ledger.createAllocation(
      anAllocation({
        id: 'dn-1',
        jurisdiction: 'da-nang',
        commune: 'Avương',
        component: 'DA1',
        assignedVnd: 1_000_000_000,
        disbursedVnd: 100_000_000,
      }),
    );
  });

  it("runs the monitor over each jurisdiction of the deployment apart, and keeps each one's alerts in its partition", async () => {
    const run = await runMonitor(monitor(), { asOf: '2024-09-30' });
    const daNangAlert = run.findings.find((f) => f.scope.jurisdiction === 'da-nang');
    const tayGiangAlert = run.findings.find((f) => f.scope.jurisdiction === 'tay-giang');
    if (!daNangAlert || !tayGiangAlert) throw new Error('expected alerts of both jurisdictions');

    const tayGiangList = await listAlerts(store, inspector, { fiscalYear: 2024 }, 50);
    const daNangList = await listAlerts(store, daNang('insp-dn', ['inspector']), { fiscalYear: 2024 }, 50);
    const ackElsewhere = await acknowledgeAlert(
      { alerts: store, now: at('2024-10-01T00:00:00Z') },
      inspector,
      daNangAlert.alertId,
    ).catch((e) => e);
    const acknowledged = await acknowledgeAlert(
      { alerts: store, now: at('2024-10-01T00:00:00Z') },
      daNang('insp-dn', ['inspector']),
      daNangAlert.alertId,
    );

    expect(tayGiangList.items.every((a) => a.scope.jurisdiction === 'tay-giang')).toBe(true);
    expect(daNangList.items.map((a) => a.id)).toContain(daNangAlert.alertId);
    expect(daNangList.items.every((a) => a.scope.jurisdiction === 'da-nang')).toBe(true);
    expect(ackElsewhere).toBeInstanceOf(NotFoundError);
    expect(acknowledged).toMatchObject({ id: daNangAlert.alertId, acknowledgedBy: 'insp-dn' });
    expect(await store.getAlert('tay-giang', daNangAlert.alertId)).toBeUndefined();
    expect(await store.getAlert('tay-giang', tayGiangAlert.alertId)).toMatchObject({ status: 'open' });
  });

  it("e-mails a Đà Nẵng alert to Đà Nẵng's subscribers only, its delivery recorded beside it", async () => {
    await runMonitor(monitor(), { asOf: '2024-09-30' });
    const alert = publisher.published.find((a) => a.scope.jurisdiction === 'da-nang');
    if (!alert) throw new Error('expected a Đà Nẵng alert');
    await createSubscription(subscriptionDeps(), daNang('insp-dn', ['inspector']), {
      email: 'tt@danang.gov.vn',
      scope: {},
    });
    await createSubscription(subscriptionDeps(), inspector, { email: 'tt@taygiang.gov.vn', scope: {} });
    const mailer = new RecordingMailer();

    const result = await deliverAlert(deliveryDeps(mailer), alert);
    const again = await deliverAlert(deliveryDeps(mailer), alert);

    expect(mailer.sent.map((m) => m.to)).toEqual(['tt@danang.gov.vn']);
    expect([result.sent, again.alreadySent]).toEqual([1, 1]);
    expect(
      await store.claimDelivery('tay-giang', alert.id, 'tt@danang.gov.vn', {
        at: '2024-10-01T00:00:00Z',
        staleBefore: '2000-01-01T00:00:00Z',
        claimant: 'another-attempt',
      }),
    ).toBe('claimed');
  });
});

describe('reading alerts and progress', () => {
  it('shows a commune-scoped reader only the alerts about their commune, and refuses them the others', async () => {
    await runMonitor(monitor(), { asOf: '2024-09-30' });
    const other = [...store.alerts.values()].find((a) => a.scope.commune === undefined);

    const page = await listAlerts(store, tiengInspector, { fiscalYear: 2024 }, 50);

    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((a) => a.scope.commune === 'A Tiêng')).toBe(true);
    await expect(
      acknowledgeAlert({ alerts: store, now: at('2024-10-01T00:00:00Z') }, tiengInspector, other?.id ?? ''),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('keeps the first acknowledgement of an alert', async () => {
    await runMonitor(monitor(), { asOf: '2024-09-30' });
    const id = [...store.alerts.values()][0]?.id ?? '';

    await acknowledgeAlert({ alerts: store, now: at('2024-10-01T00:00:00Z') }, inspector, id);
    const again = await acknowledgeAlert(
      { alerts: store, now: at('2024-10-02T00:00:00Z') },
      anActor('other', ['inspector']),
      id,
    );

    expect(again).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'insp-1',
      acknowledgedAt: '2024-10-01T00:00:00.000Z',
    });
  });

  it('rolls the progress report up over the reader’s commune only', async () => {
    const deps = { progress: store, config: monitoringConfig, now: at('2024-09-30T01:00:00Z') };

    const all = await progressReport(deps, inspector, { groupBy: 'district' });
    const tieng = await progressReport(deps, tiengInspector, { groupBy: 'district' });

    expect(all).toMatchObject({
      fiscalYear: 2024,
      asOf: '2024-09-30',
      rows: [{ key: 'district', rate: 0.5, expectedRate: 0.6 }],
    });
    expect(tieng.rows).toMatchObject([
      { key: 'district', assignedVnd: 1_000_000_000, rate: 0.3, lagPoints: 30, severity: 'critical' },
    ]);
  });
});
