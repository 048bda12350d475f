import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsEnv } from '../../local/aws-local.ts';
import { loadFunction } from '../../local/function-loader.ts';
import { freePort } from '../../local/ports.ts';
import type { ProvisionedQueue } from '../../local/provision.ts';
import { type RunningPoller, startQueuePoller } from '../../local/queue-poller.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { type Alert, alertJurisdiction, toAlert } from '../../shared/monitoring/domain/alert.ts';
import { subscriptionId } from '../../shared/monitoring/domain/subscription.ts';
import { SUBSCRIPTION_CONFIRM_SECRET_ENV } from '../../shared/monitoring/topology.ts';
import { TABLE_NAME_ENV } from '../../shared/platform/topology.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
import { freshQueues, freshTable } from '../support/local-aws.ts';

let repo: DynamoMonitoringRepository;
let sqs: SQSClient;
let working: ProvisionedQueue;
let failing: ProvisionedQueue;
let mailDir: string;
const pollers: RunningPoller[] = [];

const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const anAlert = (day: string, commune = 'A Tiêng'): Alert =>
  toAlert(
    {
      kind: 'lag',
      severity: 'critical',
      fiscalYear: 2024,
      day,
      scope: { level: 'commune', capitalType: 'investment', commune },
      progress: {
        assignedVnd: 4_872_000_000,
        reservedVnd: 0,
        disbursedVnd: 1_578_000_000,
        ratePercent: 32.39,
        expectedPercent: 60,
        lagPoints: 27.61,
      },
      laggingAllocations: [
        {
          allocationId: '2024-da1-central-a-tieng',
          capitalType: 'investment',
          fundingLine: 'central',
          commune,
          component: 'DA1',
          title: `Hạ tầng thiết yếu xã ${commune}`,
          assignedVnd: 4_200_000_000,
          disbursedVnd: 1_344_000_000,
          ratePercent: 32,
          lagPoints: 28,
        },
      ],
      stalledRequests: [],
      stalledTotal: 0,
    },
    `${day}T00:00:00.000Z`,
  );

const mailsOf = (alertId: string) => readdirSync(mailDir).filter((f) => f.includes(alertId));
const send = (queue: ProvisionedQueue, alert: Alert) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(alert) }));

beforeAll(async () => {
  const table = await freshTable('alert-mailer');
  repo = new DynamoMonitoringRepository(table.db, table.tableName);
  mailDir = mkdtempSync(join(tmpdir(), 'giai-ngan-mail-'));
  const provisioned = await freshQueues('alert-mailer', { visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
  const other = await freshQueues('alert-mailer-failing', {
    visibilityTimeoutSeconds: 1,
    maxReceiveCount: 2,
  });
  sqs = provisioned.sqs;
  const alertsQueue = (queues: ProvisionedQueue[]) => {
    const found = queues.find((q) => q.spec.id === 'alerts');
    if (!found) throw new Error('the topology declares no alerts queue');
    return found;
  };
  working = alertsQueue(provisioned.queues);
  failing = alertsQueue(other.queues);
  Object.assign(process.env, localAwsEnv(inject('dynamoEndpoint'), inject('sqsEndpoint')), {
    [TABLE_NAME_ENV]: table.tableName,
    MAIL_DIR: mailDir,
    SENDER_EMAIL: 'Giám sát giải ngân <canh-bao@giai-ngan.local>',
    ALERT_EMAIL_DOMAINS: 'gov.vn',
    // The key that signs each e-mail's acknowledge link (a secret file of the data folder locally).
    [SUBSCRIPTION_CONFIRM_SECRET_ENV]: 'a-test-key-for-acknowledge-links',
    DASHBOARD_URL: 'http://localhost:3000',
    API_URL: 'http://localhost:3000',
  });
  const spec = FUNCTIONS.find((f) => f.id === 'alert-mailer');
  if (!spec) throw new Error('no alert-mailer function in the topology');
  // The same handler, once as configured and once with an SMTP server that refuses every connection.
  const closedPort = await freePort();
  const functions = [
    { fn: await loadFunction(spec), queue: working },
    {
      fn: await loadFunction({
        ...spec,
        id: 'alert-mailer-failing',
        environment: { SMTP_URL: `smtp://127.0.0.1:${closedPort}` },
      }),
      queue: failing,
    },
  ];
  for (const { fn, queue } of functions) {
    pollers.push(
      startQueuePoller({ sqs, fn, queueUrl: queue.url, queueArn: queue.arn, batchSize: 5, log: () => {} }),
    );
  }
  for (const [owner, email, commune] of [
    ['insp-huyen', 'thanhtra.huyen@taygiang.gov.vn', undefined],
    ['insp-tieng', 'giamsat.atieng@taygiang.gov.vn', 'A Tiêng'],
    ['insp-dang', 'giamsat.dang@taygiang.gov.vn', 'Dang'],
  ] as const) {
    const scope = commune ? { commune } : {};
    await repo.putSubscription({
      id: subscriptionId(owner, email, scope),
      owner,
      ...(commune ? { ownerCommune: commune } : {}),
      email,
      scope,
      createdAt: '2024-09-01T00:00:00.000Z',
    });
  }
});

afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  rmSync(mailDir, { recursive: true, force: true });
});

describe('the alert mailer behind the alerts queue', () => {
  it('writes one RFC 5322 .eml file per covering subscriber, Vietnamese intact and amounts in đồng', async () => {
    const alert = anAlert('2024-09-30');

    await send(working, alert);
    await until('two e-mails', () => mailsOf(alert.id).length === 2);

    const files = mailsOf(alert.id).sort();
    // The district inspector and A Tiêng's; not Dang's.
    expect(files.map((f) => f.split('_').slice(-2).join('_'))).toEqual([
      'giamsat.atieng_taygiang.gov.vn.eml',
      'thanhtra.huyen_taygiang.gov.vn.eml',
    ]);
    const raw = readFileSync(join(mailDir, files[0] ?? ''));
    const headerBlock = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    const email = await PostalMime.parse(raw);
    expect(headerBlock).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    expect([...headerBlock].every((c) => c.charCodeAt(0) < 128)).toBe(true);
    expect(email.subject).toBe(
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm tiến độ · xã A Tiêng: đạt 32%, yêu cầu 60%',
    );
    expect(email.from).toMatchObject({ name: 'Giám sát giải ngân', address: 'canh-bao@giai-ngan.local' });
    expect(email.to?.[0]?.address).toBe('giamsat.atieng@taygiang.gov.vn');
    expect(email.messageId).toMatch(new RegExp(`^<${alert.id}\\.[0-9a-f]{12}@giai-ngan\\.alerts>$`));
    expect(email.headers.find((h) => h.key === 'x-giai-ngan-alert')?.value).toBe(alert.id);
    expect(email.text).toContain(
      'Tiến độ giải ngân của xã A Tiêng đang chậm so với tiến độ yêu cầu của năm kế hoạch 2024',
    );
    expect(email.text).toContain('4.872.000.000 ₫');
    expect(email.text).toContain('1.578.000.000 ₫');
    expect(email.text).toContain('27,6 điểm phần trăm');
    expect(email.text).toContain(
      'English summary: CRITICAL: disbursement lag in A Tiêng commune (public investment)',
    );
    expect(email.html).toContain('<td>4.872.000.000 ₫</td>');
  });

  it('sends once although the same alert is delivered twice', async () => {
    const alert = anAlert('2024-10-01', 'Dang');
    const recordsBefore = pollers[0]?.stats().records ?? 0;

    await send(working, alert);
    await send(working, alert);
    await until('both copies handled', () => (pollers[0]?.stats().records ?? 0) >= recordsBefore + 2);

    // The district inspector and Dang's: one e-mail each, whatever the copies.
    expect(
      mailsOf(alert.id)
        .map((f) => f.split('_').slice(-2).join('_'))
        .sort(),
    ).toEqual(['giamsat.dang_taygiang.gov.vn.eml', 'thanhtra.huyen_taygiang.gov.vn.eml']);
  });

  it('retries an alert whose e-mail cannot be sent, then leaves it in the dead-letter queue', async () => {
    const alert = anAlert('2024-10-02');

    await send(failing, alert);
    let dead: string | undefined;
    await until('dead-lettering', async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: failing.deadLetterUrl, WaitTimeSeconds: 1 }),
      );
      dead = out.Messages?.[0]?.Body;
      return dead !== undefined;
    });

    expect(JSON.parse(dead ?? '{}').id).toBe(alert.id);
    expect(pollers[1]?.stats().failures).toBeGreaterThanOrEqual(2);
    expect(mailsOf(alert.id)).toEqual([]);
    // The claims were given back: a later redelivery (after a fix) would send the e-mails.
    expect(
      await repo.claimDelivery(alertJurisdiction(alert), alert.id, 'thanhtra.huyen@taygiang.gov.vn', {
        at: '2024-10-02T05:00:00Z',
        staleBefore: '2000-01-01',
        claimant: 'after-a-fix',
      }),
    ).toBe('claimed');
  });
});
