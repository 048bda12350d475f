import { resolve } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { localSqsClient } from './aws-local.ts';
import { queueDepth } from './queue-depth.ts';
import { readRuntimeInfo } from './runtime.ts';

/**
 * `npm run -s dlq -- list [<queue>]`: the dead-letter queues of the running local system and how many
 * messages each holds (with a queue, the messages themselves).
 * `npm run -s dlq -- redrive <queue>`: moves every message of that queue's dead-letter queue back
 * onto the queue; the consumers apply them idempotently, so a re-driven approval posts at most once.
 */
const usage = 'usage: npm run -s dlq -- list [<queue>] | redrive <queue>';
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const [command, queueId] = process.argv.slice(2);
if (command !== 'list' && command !== 'redrive') fail(usage);
if (command === 'redrive' && !queueId) fail(`redrive needs a queue id\n${usage}`);

const dataDir = resolve(process.env.DATA_DIR ?? 'var');
let info: ReturnType<typeof readRuntimeInfo> | undefined;
try {
  info = readRuntimeInfo(dataDir);
} catch (error) {
  fail((error as Error).message);
}
const queues = info?.queues ?? [];
const sqs = localSqsClient(info?.sqsEndpoint ?? '');
const queue = queueId ? queues.find((q) => q.id === queueId) : undefined;
if (queueId && !queue)
  fail(`unknown queue ${queueId}; the queues are: ${queues.map((q) => q.id).join(', ')}`);

/** Dead letters waiting in a queue (those a `list` hides for a moment are not counted). */
const depth = (url: string) => queueDepth(sqs, url, { counts: ['visible'] });

/** Receives the dead letters of a queue, hidden for `hideSeconds` (0 to only look at them). */
const receive = async (url: string, hideSeconds: number): Promise<Message[]> => {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: hideSeconds,
      MessageAttributeNames: ['All'],
    }),
  );
  return out.Messages ?? [];
};

if (command === 'list') {
  for (const q of queue ? [queue] : queues)
    console.log(`${q.id}\t${await depth(q.deadLetterUrl)} dead letter(s)`);
  if (queue) {
    // Hidden while listing so each message shows once, then made visible again: they stay dead letters.
    const shown: Message[] = [];
    for (;;) {
      const batch = await receive(queue.deadLetterUrl, 30);
      if (batch.length === 0) break;
      for (const m of batch) console.log(`${m.MessageId}\t${m.Body}`);
      shown.push(...batch);
    }
    for (let i = 0; i < shown.length; i += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.deadLetterUrl,
          Entries: shown
            .slice(i, i + 10)
            .map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 })),
        }),
      );
    }
  }
} else if (queue) {
  let moved = 0;
  for (;;) {
    const batch = await receive(queue.deadLetterUrl, 30);
    if (batch.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    // Only what reached the queue leaves the dead-letter queue; a failed send stays for the next redrive.
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = batch.filter((_, i) => ok.has(String(i)));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.deadLetterUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    if (done.length < batch.length) fail(`${batch.length - done.length} message(s) could not be sent back`);
  }
  console.log(`${queue.id}: ${moved} message(s) re-driven from the dead-letter queue`);
}
sqs.destroy();
