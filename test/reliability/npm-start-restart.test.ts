import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localSqsClient } from '../../local/aws-local.ts';
import { readRuntimeInfo } from '../../local/runtime.ts';
import { idempotencyScope } from '../../shared/platform/idempotency.ts';
import { type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { reliabilityRun } from './support/reliability-run.ts';
import {
  approvalQueueUrls,
  checkNothingLost,
  holdBack,
  noteCounter,
  queued,
  RELAY_ENV,
  relayCountOf,
  relayed,
  restartClient,
} from './support/restart-scenario.ts';

const run = reliabilityRun('npm-start-restart');
const count = noteCounter(run);
afterAll(() => run.save());

describe('`npm start` stopped and started again on the same data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'giai-ngan-restart-'));
  const namespace = `restart-${randomUUID().slice(0, 8)}`;
  let rt: Runtime | undefined;
  afterAll(async () => {
    await rt?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('relays after start the approval events still queued when it stopped, and keeps every record', async () => {
    const start = () =>
      startRuntime({ servers: 'own', dataDir, namespace, keepDataDir: true, env: RELAY_ENV });
    rt = await start();
    let c = restartClient(run, rt);
    const allocation = await c.s.createAllocation({ fundingLine: 'central' });
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(() => c.submit(allocation.id)));
    const sqs = localSqsClient(readRuntimeInfo(rt.dataDir).sqsEndpoint);
    const urls = approvalQueueUrls(rt);
    try {
      await holdBack(sqs, urls);
      await Promise.all(ids.map((id) => c.decide(id, 'district')));
      expect(await queued(sqs, urls)).toBe(ids.length);
    } finally {
      sqs.destroy();
    }
    const accepted = c.accepted;
    await rt.stop();
    rt = undefined;
    count('events queued when npm start stopped', ids.length);
    run.figures.faultsInjected += 1 + ids.length;

    rt = await start();
    c = restartClient(run, rt);
    c.accepted.push(...accepted);
    for (const id of ids) await c.waitPast(id, 'district');
    for (const id of ids) await c.approveAll(id);
    await checkNothingLost(run, rt, c, ids);
    // Each lost event was re-published once by the relay of the new run, from its record on disk.
    for (const decision of accepted) {
      const { scope } = idempotencyScope(
        'decide-request',
        { sub: decision.sub },
        decision.key,
        decision.requestId,
      );
      expect(await relayCountOf(rt, scope), decision.eventId).toBe(1);
    }
    count('events re-published after npm start restarted', relayed(rt));
  }, 180_000);
});
