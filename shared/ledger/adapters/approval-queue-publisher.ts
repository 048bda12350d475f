import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { correlationAttributes } from '../../platform/aws/logger.ts';
import type { ApprovalPublisher } from '../app/ports.ts';
import type { ApprovalEvent } from '../domain/disbursement-request.ts';
import type { FundingLine } from '../domain/funding-line.ts';

/** Publishes approval events to the SQS queue of their funding line. */
export class ApprovalQueuePublisher implements ApprovalPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Record<FundingLine, string>,
  ) {}

  async publish(event: ApprovalEvent): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrls[event.fundingLine],
        MessageBody: JSON.stringify(event),
        MessageAttributes: {
          requestId: { DataType: 'String', StringValue: event.requestId },
          eventId: { DataType: 'String', StringValue: event.eventId },
          ...correlationAttributes(),
        },
      }),
    );
  }
}
