import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { localSqsClient } from '../../local/aws-local.ts';
import type { LoadedFunction } from '../../local/function-loader.ts';
import { ensureQueues } from '../../local/provision.ts';
import { isQueueMissing, type RunningPoller, startQueuePoller } from '../../local/queue-poller.ts';
import { type RunningServer, startSqsEmulator } from '../../local/servers.ts';
import { FUNCTIONS } from '../../shared/topology.ts';

let server: RunningServer | undefined;
let poller: RunningPoller | undefined;
afterAll(async () => {
  await poller?.stop();
  await server?.stop();
});

const until = async (what: string, check: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('a queue poller when the SQS emulator restarts empty', () => {
  it('re-creates the queues under the same URL and goes on receiving', async () => {
    server = await startSqsEmulator({});
    const sqs = localSqsClient(server.endpoint);
    const provision = async () => {
      const queues = await ensureQueues(sqs, 'restart', { visibilityTimeoutSeconds: 1 });
      const central = queues.find((q) => q.spec.id === 'approvals-central');
      if (!central) throw new Error('no approvals-central queue');
      return central;
    };
    const queue = await provision();
    const bodies: string[] = [];
    const spec = FUNCTIONS.find((f) => f.id === 'approval-consumer-central');
    if (!spec) throw new Error('no central consumer');
    const fn: LoadedFunction = {
      spec,
      handler: async (event: SQSEvent) => {
        for (const r of event.Records) bodies.push(r.body);
        return { batchItemFailures: [] };
      },
    };
    let reprovisions = 0;
    poller = startQueuePoller({
      sqs,
      fn,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 10,
      log: () => {},
      onQueueMissing: async () => {
        await provision();
        reprovisions += 1;
      },
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'before' }));
    await until('the first message', () => bodies.includes('before'));

    await server.stop();
    server = await startSqsEmulator({ port: server.port });
    const missing = await sqs
      .send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'too early' }))
      .catch((error: unknown) => error);
    await until('the queues re-created', () => reprovisions > 0);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'after' }));
    await until('the message sent after the restart', () => bodies.includes('after'));

    // Unless the poller re-created them first, the emulator came back without the queue.
    if (missing instanceof Error) expect(isQueueMissing(missing)).toBe(true);
    expect((await provision()).url).toBe(queue.url);
    sqs.destroy();
  });
});
