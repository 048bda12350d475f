import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';

const ATTRIBUTES = {
  visible: 'ApproximateNumberOfMessages',
  inFlight: 'ApproximateNumberOfMessagesNotVisible',
  delayed: 'ApproximateNumberOfMessagesDelayed',
} as const satisfies Record<string, QueueAttributeName>;

export type QueueCount = keyof typeof ATTRIBUTES;

/**
 * How many messages a queue holds, by SQS's approximate counts: those waiting to be received
 * (`visible`), received and not yet deleted (`inFlight`) and sent with a delay (`delayed`); visible
 * and in flight by default. A count SQS leaves out counts as `missing` (a waiter passes 1, so that it
 * does not take a silent answer for an empty queue).
 */
export const queueDepth = async (
  sqs: SQSClient,
  url: string,
  options: { counts?: QueueCount[]; missing?: number } = {},
): Promise<number> => {
  const counts = options.counts ?? ['visible', 'inFlight'];
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: counts.map((c) => ATTRIBUTES[c]) }),
  );
  return counts.reduce((sum, c) => sum + Number(Attributes[ATTRIBUTES[c]] ?? options.missing ?? 0), 0);
};
