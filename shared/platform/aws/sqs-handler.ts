import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { type ProjectLog, recordLogger } from './logger.ts';
import { reportRecordFailure } from './metrics.ts';
import { observability } from './observability.ts';
import { processBatch } from './sqs-batch.ts';

/** One queue consumer: what its messages are, which of them keep their order, and what it does with one. */
export interface SqsConsumer<M> {
  /** The message schema (a feature's `messages.ts`); a record that fails it is retried, then dead-lettered. */
  schema: z.ZodType<M>;
  /** Records whose messages share a key are processed in the batch's order; other keys concurrently. */
  orderKey: (message: M) => string;
  /** Processes one message; throws to have SQS redeliver its record. */
  process: (message: M, log: ProjectLog, record: SQSRecord) => Promise<void>;
  /** Keys on each of a record's log entries (e.g. the funding line). */
  logKeys?: Record<string, unknown>;
  /** Dimensions of the `MessagesDeadLettered` count. */
  dimensions?: Record<string, string>;
}

/**
 * The Lambda handler of an SQS consumer: observability, then the batch worked through by
 * `processBatch` (./sqs-batch.ts), each record logged under the correlation id its publisher gave it
 * and each failure reported per record (`batchItemFailures`, with `ReportBatchItemFailures` on the
 * event source), so only those records are redelivered, then dead-lettered.
 */
export const sqsHandler = <M>(consumer: SqsConsumer<M>) =>
  middy<SQSEvent, SQSBatchResponse>()
    .use(observability<SQSEvent>())
    .handler(async (event) => ({
      batchItemFailures: await processBatch(event.Records, {
        open: (record) => recordLogger(record, consumer.logKeys),
        read: (body) => consumer.schema.parse(body),
        orderKey: consumer.orderKey,
        process: consumer.process,
        failed: (error, log, record) => reportRecordFailure(log, record, error, consumer.dimensions),
      }),
    }));
