import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient, localS3Client } from '../../local/aws-local.ts';
import { digestObjectKey } from '../../shared/audit/domain/anchored-digest.ts';
import { hashOf, sha256Hex } from '../../shared/ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { stripKeys } from '../../shared/platform/aws/dynamo-items.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { allocationKeys, digestKeys, entryKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { steps } from './support/api-steps.ts';
import { mailbox } from './support/mailbox.ts';

/**
 * The digests anchored outside the table, end to end on the local runtime in this process: the
 * scheduled digest job writes each jurisdiction's day once to the S3-compatible server, and
 * `GET /ledger/verify` checks the table against those copies, so an entry edited together with its
 * in-table digest (raw writes to DynamoDB Local) is still reported, by allocation and day.
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
const J = UPGRADE_DEFAULT_JURISDICTION;
const DAY_ONE = new Date('2024-10-14T09:00:00+07:00');
const DAY_TWO = new Date('2024-10-15T09:00:00+07:00');

beforeAll(async () => {
  rt = await startInProcessRuntime({ clock: DAY_ONE });
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  setSystemClock(undefined);
});

const db = () => createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
const s3 = () => localS3Client(rt.local.s3Endpoint);
const bucket = () => `${rt.namespace}-digest-anchors`;
const anchoredKeys = async () =>
  (
    (await s3().send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: `ledger-digests/${J}/` })))
      .Contents ?? []
  )
    .map((o) => o.Key)
    .sort();

/** An allocation with two posted payments. */
const postedAllocation = async () => {
  const s = steps(rt);
  const allocation = await s.createAllocation({ fundingLine: 'local', amountVnd: 500_000_000 });
  for (const amount of [12_000_000, 34_000_000]) {
    const submitted = await s.submit(allocation.id, amount);
    await s.approveAll(submitted.body.id);
  }
  return allocation.id as string;
};

/**
 * The double tamper: entry 2 gets a smaller amount, re-hashed; the allocation's head and total and the
 * in-table digests of `dates` are moved to match, so the table alone is consistent again.
 */
const rewriteEntryAndDigests = async (allocationId: string, dates: string[]) => {
  const client = db();
  const tableName = rt.local.tableName;
  const stored = (
    await client.send(new GetCommand({ TableName: tableName, Key: entryKeys.key(J, allocationId, 2) }))
  ).Item as LedgerEntry & Record<string, unknown>;
  const { hash: _, ...body } = stripKeys<LedgerEntry>(stored);
  const forged = { ...body, amountVnd: body.amountVnd - 10_000_000 };
  const hash = hashOf<LedgerEntry>(forged);
  await client.send(new PutCommand({ TableName: tableName, Item: { ...stored, ...forged, hash } }));
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: allocationKeys.key(J, allocationId),
      UpdateExpression:
        'SET headHash = :h, disbursedVnd = disbursedVnd - :r, availableVnd = availableVnd + :r',
      ExpressionAttributeValues: { ':h': hash, ':r': 10_000_000 },
    }),
  );
  for (const date of dates) {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: (({ pk, sk }) => ({ pk, sk }))(digestKeys.item(J, { allocationId, date })),
        UpdateExpression: 'SET #h = :h',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#h': 'hash' },
        ExpressionAttributeValues: { ':h': hash },
      }),
    );
  }
};

describe('digests anchored outside the table', () => {
  it('anchors a day once however often the job runs, and verify then finds the chain intact', async () => {
    setSystemClock(DAY_ONE);
    const allocationId = await postedAllocation();
    await rt.local.runScheduled('ledger-digest');
    await rt.local.runScheduled('ledger-digest');
    const date = vnDateOf(DAY_ONE);
    expect(await anchoredKeys()).toEqual([digestObjectKey(J, date)]);
    const auditor = await steps(rt).as('auditor-an', 'auditor');
    const report = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}`, { token: auditor });
    expect(report.body).toMatchObject({ valid: true, checked: 2, broken: [] });
  });

  it('reports an entry edited together with its in-table digest, naming the allocation and the day', async () => {
    setSystemClock(DAY_ONE);
    const allocationId = await postedAllocation();
    await rt.local.runScheduled('ledger-digest');
    // The object of the day was written by the first test's run; this allocation is in the next day's.
    setSystemClock(DAY_TWO);
    await rt.local.runScheduled('ledger-digest');
    const dayTwo = vnDateOf(DAY_TWO);
    await rewriteEntryAndDigests(allocationId, [vnDateOf(DAY_ONE), dayTwo]);

    const auditor = await steps(rt).as('auditor-an', 'auditor');
    const report = await rt.call('GET', '/ledger/verify?fiscalYear=2024', { token: auditor });
    expect(report.status).toBe(200);
    expect(report.body.valid).toBe(false);
    expect(report.body.broken).toEqual([
      {
        allocationId,
        seq: 2,
        date: dayTwo,
        reason: `entry 2 differs from the anchored digest of ${dayTwo}: the chain was rewritten`,
      },
    ]);
  });

  it('reports a day the table says was digested whose anchored copy is gone', async () => {
    setSystemClock(DAY_TWO);
    const dayTwo = vnDateOf(DAY_TWO);
    const allocationId = await postedAllocation();
    // The table records a digest of day two for it (a run after the day's object was written) ...
    await rt.local.runScheduled('ledger-digest');
    // ... and the day's object is deleted (the local server enforces no Object Lock; AWS refuses this).
    await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: digestObjectKey(J, dayTwo) }));
    const auditor = await steps(rt).as('auditor-an', 'auditor');
    const report = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}`, { token: auditor });
    expect(report.body.valid).toBe(false);
    expect(report.body.broken).toContainEqual({
      allocationId,
      seq: 2,
      date: dayTwo,
      code: 'anchor_missing',
      reason: `the table holds a digest of ${dayTwo} but no anchored copy of that day exists`,
    });
  });

  it('e-mails the day’s digest once to each subscribed auditor, with the hash of the stored document', async () => {
    const DAY_THREE = new Date('2024-10-16T09:00:00+07:00');
    setSystemClock(DAY_THREE);
    const s = steps(rt);
    const auditor = await s.as('auditor-mail', 'auditor');
    const inspector = await s.as('inspector-mail', 'inspector');
    const digestOnly = await rt.call('POST', '/subscriptions', {
      token: auditor,
      body: { email: 'kiem.toan@taygiang.gov.vn', scope: {}, kind: 'ledger-digest' },
    });
    const alertsOnly = await rt.call('POST', '/subscriptions', {
      token: inspector,
      body: { email: 'thanh.tra@taygiang.gov.vn', scope: {} },
    });
    const auditorForAlerts = await rt.call('POST', '/subscriptions', {
      token: auditor,
      body: { email: 'kiem.toan@taygiang.gov.vn', scope: {} },
    });
    expect(digestOnly.status).toBe(201);
    expect(digestOnly.body).toMatchObject({ kind: 'ledger-digest', status: 'allow-listed' });
    expect(alertsOnly.body).toMatchObject({ kind: 'alerts' });
    expect(auditorForAlerts.status).toBe(403);

    await rt.local.runScheduled('ledger-digest');
    await rt.local.runScheduled('ledger-digest');

    const day = vnDateOf(DAY_THREE);
    const key = digestObjectKey(J, day);
    const stored = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    const body = (await stored.Body?.transformToString('utf-8')) ?? '';
    const box = mailbox(rt.dataDir);
    const mails = box.to('kiem.toan@taygiang.gov.vn');
    expect(mails).toHaveLength(1);
    expect(box.to('thanh.tra@taygiang.gov.vn').filter((f) => f.includes('ledger-digest'))).toEqual([]);
    const mail = await box.parse(mails[0] as string);
    expect(mail.subject).toBe(
      `[Giám sát giải ngân] Bản chốt sổ cái hằng ngày · huyện Tây Giang · 16/10/2024`,
    );
    expect(mail.text).toContain(`Mã băm SHA-256 của bản chốt: ${sha256Hex(body)}`);
    expect(mail.text).toContain(`Khóa lưu trữ: ${key}`);
    expect(mail.text).toContain(`Số chuỗi sổ cái (kế hoạch vốn): ${JSON.parse(body).heads.length}`);
    expect(mail.text).toContain('Đơn vị: Huyện Tây Giang (mã tay-giang)');
  });
});
