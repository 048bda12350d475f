import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { correlationAttributes } from '../../platform/aws/logger.ts';
import type { ImportJob, ImportQueue } from '../app/ports.ts';

/** Sends import jobs to the imports SQS queue, one message per job, under the call's correlation id. */
export class ImportQueuePublisher implements ImportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: ImportJob): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        MessageAttributes: {
          importId: { DataType: 'String', StringValue: job.importId },
          ...correlationAttributes(),
        },
      }),
    );
  }
}
