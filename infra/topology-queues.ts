import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../shared/platform/topology.ts';
import { constructId } from './construct-id.ts';

/** Fewest receives before a message is dead-lettered: enough to ride out throttling and conflicts. */
export const MIN_MAX_RECEIVE_COUNT = 5;

/** The queues of the topology, each with its dead-letter queue, encrypted and reachable over TLS only. */
export class TopologyQueues extends Construct {
  /** Queues by their topology id. */
  readonly byId: ReadonlyMap<string, sqs.Queue>;
  /** Dead-letter queues by the topology id of the queue they serve. */
  readonly deadLetterById: ReadonlyMap<string, sqs.Queue>;

  constructor(scope: Construct, id: string, specs: readonly QueueSpec[]) {
    super(scope, id);
    const queues = new Map<string, sqs.Queue>();
    const deadLetters = new Map<string, sqs.Queue>();

    for (const spec of specs) {
      if (spec.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
        throw new Error(
          `Queue "${spec.id}" dead-letters after ${spec.maxReceiveCount} receives; declare at least ${MIN_MAX_RECEIVE_COUNT} in the topology.`,
        );
      }
      const name = constructId(spec.id);
      // SQS-managed keys: encrypted at rest with no key policy to get wrong and no KMS cost per message.
      const deadLetterQueue = new sqs.Queue(this, `${name}DeadLetterQueue`, {
        retentionPeriod: Duration.days(spec.deadLetterRetentionDays),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new sqs.Queue(this, `${name}Queue`, {
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      queues.set(spec.id, queue);
      deadLetters.set(spec.id, deadLetterQueue);
    }

    this.byId = queues;
    this.deadLetterById = deadLetters;
  }
}
