import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { invoke, type LoadedFunction } from './function-loader.ts';

export interface PollerOptions {
  sqs: SQSClient;
  fn: LoadedFunction;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  /** Long-poll wait; short keeps shutdown quick. */
  waitTimeSeconds?: number;
  /** Batches handled at once, as Lambda runs several invocations of a function (default 4). */
  concurrency?: number;
  log?: (line: string) => void;
  /**
   * Called when the queue does not exist (the SQS emulator restarted empty): re-creates the queues
   * under the same names, so the poller resumes on the same URL.
   */
  onQueueMissing?: () => Promise<void>;
}

/** The SQS error of a queue that is gone (the emulator keeps queues in memory only). */
export const isQueueMissing = (error: unknown): boolean => {
  const e = error as { name?: string; Code?: string };
  return e?.name === 'QueueDoesNotExist' || e?.Code === 'AWS.SimpleQueueService.NonExistentQueue';
};

export interface RunningPoller {
  stop: () => Promise<void>;
  /** Batches handled so far (for tests and progress output). */
  stats: () => { batches: number; records: number; failures: number };
}

/** The Lambda SQS record for a received message, as the event source mapping builds it. */
export const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp:
      message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [
      k,
      {
        stringValue: v.StringValue,
        dataType: v.DataType ?? 'String',
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ),
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'ap-southeast-1',
});

/**
 * Mimics Lambda's SQS event source mapping: receives batches, invokes the handler, deletes the
 * records that succeeded and leaves the ones listed in `batchItemFailures` (or the whole batch if the
 * handler throws) to reappear after the visibility timeout; the queue's redrive policy dead-letters
 * them after maxReceiveCount receives.
 */
export const startQueuePoller = (options: PollerOptions): RunningPoller => {
  const log = options.log ?? ((line: string) => console.log(line));
  let running = true;
  const stats = { batches: 0, records: 0, failures: 0 };
  const controller = new AbortController();

  const loop = async () => {
    while (running) {
      let messages: Message[] = [];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: controller.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (!running) return;
        log(`poller ${options.fn.spec.id}: receive failed (${String(error)}); retrying`);
        if (isQueueMissing(error) && options.onQueueMissing) {
          await options.onQueueMissing().catch((e: unknown) => {
            log(`poller ${options.fn.spec.id}: could not re-create the queues (${String(e)})`);
          });
        }
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueArn)) };
      let failed = new Set<string>(messages.map((m) => m.MessageId ?? ''));
      try {
        const result = (await invoke(options.fn, event)) as SQSBatchResponse | undefined;
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        log(`poller ${options.fn.spec.id}: handler threw (${String(error)}); the batch will be redelivered`);
      }
      stats.batches += 1;
      stats.records += messages.length;
      stats.failures += failed.size;
      const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
      if (done.length > 0) {
        try {
          await options.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
            }),
          );
        } catch (error) {
          // Not deleted: the messages come back after the visibility timeout and are applied idempotently.
          log(`poller ${options.fn.spec.id}: delete failed (${String(error)})`);
        }
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency ?? 4 }, () => loop()));
  return {
    stats: () => ({ ...stats }),
    stop: async () => {
      running = false;
      controller.abort();
      await done;
    },
  };
};
