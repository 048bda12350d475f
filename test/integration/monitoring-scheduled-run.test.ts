import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localAwsEnv } from '../../local/aws-local.ts';
import { invoke, type LoadedFunction, loadFunction } from '../../local/function-loader.ts';
import type { ProvisionedQueue } from '../../local/provision.ts';
import { ALERTS_QUEUE_URL_ENV } from '../../shared/monitoring/topology.ts';
import { TABLE_NAME_ENV } from '../../shared/platform/topology.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
import { givenAllocation } from '../support/fixtures.ts';
import { freshQueues, freshTable } from '../support/local-aws.ts';

let monitor: LoadedFunction;
let sqs: SQSClient;
let alerts: ProvisionedQueue;

beforeAll(async () => {
  const table = await freshTable('scheduled-monitor');
  const provisioned = await freshQueues('scheduled-monitor', { visibilityTimeoutSeconds: 30 });
  sqs = provisioned.sqs;
  const found = provisioned.queues.find((q) => q.spec.id === 'alerts');
  if (!found) throw new Error('the topology declares no alerts queue');
  alerts = found;
  Object.assign(process.env, localAwsEnv(inject('dynamoEndpoint'), inject('sqsEndpoint')), {
    [TABLE_NAME_ENV]: table.tableName,
    [ALERTS_QUEUE_URL_ENV]: alerts.url,
  });
  // Nothing disbursed on a 2024 investment allocation: every roll-up lags critically on 30/09/2024, a
  // lag alert for each of the five scopes (and no forecast alert beside a critical lag).
  await givenAllocation(table.store, { commune: 'Ga Ri', amountVnd: 2_000_000_000 });
  const spec = FUNCTIONS.find((f) => f.id === 'monitor');
  if (spec?.trigger.kind !== 'schedule') throw new Error('no scheduled monitor in the topology');
  monitor = await loadFunction(spec);
});

const queued = async () => {
  const ids: string[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: alerts.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (!out.Messages?.length) return ids.sort();
    ids.push(...out.Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { id: string }).id));
  }
};

describe('the scheduled monitor function', () => {
  it('is declared daily at 07:00, to be read in Vietnam time by the CDK app', () => {
    expect(monitor.spec.trigger).toMatchObject({ kind: 'schedule', expression: 'cron(0 7 * * ? *)' });
  });

  it('runs for the day a local scheduler event carries and queues one alert per finding', async () => {
    const summary = await invoke(monitor, {
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      detail: { asOf: '2024-09-30' },
    });

    expect(summary).toEqual({
      asOf: '2024-09-30',
      fiscalYears: [2024],
      findings: 5,
      queued: 5,
      alreadyQueued: 0,
    });
    expect(await queued()).toHaveLength(5);
  });

  it('runs for today in Vietnam when EventBridge Scheduler sends no input', async () => {
    const summary = (await invoke(monitor, {})) as { asOf: string };

    expect([vnDateOf(new Date(Date.now() - 60_000)), vnDateOf(new Date())]).toContain(summary.asOf);
  });

  it('fails, so the scheduler retries, on an input it cannot read', async () => {
    await expect(invoke(monitor, { asOf: 'yesterday' })).rejects.toThrow(/calendar date/);
  });
});
