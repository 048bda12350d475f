import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { correlationAttributes } from '../../platform/aws/logger.ts';
import type { AlertPublisher } from '../app/ports.ts';
import type { Alert } from '../domain/alert.ts';

/** Publishes alerts to the alerts SQS queue, one message per alert. */
export class AlertQueuePublisher implements AlertPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(alert: Alert): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(alert),
        MessageAttributes: {
          alertId: { DataType: 'String', StringValue: alert.id },
          severity: { DataType: 'String', StringValue: alert.severity },
          ...correlationAttributes(),
        },
      }),
    );
  }
}
