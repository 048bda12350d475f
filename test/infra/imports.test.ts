import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../infra/deployment.ts';
import { IMPORTS_QUEUE_ID, IMPORTS_QUEUE_URL_ENV } from '../../shared/imports/topology.ts';
import {
  asArray,
  logicalIdOf,
  type PolicyStatement,
  referencedId,
  resourcesOf,
  type StackOutputs,
  synthesizedDeployment,
  type TemplateResource,
} from './project-app.ts';

let deployment: Deployment;
let stateful: Template;
let stateless: Template;
let outputs: StackOutputs;

beforeAll(() => {
  ({ deployment, stateful, stateless, outputs } = synthesizedDeployment());
}, 120_000);

const idOf = (construct: IConstruct | undefined) => logicalIdOf(construct as IConstruct);
const functionOf = (specId: string): TemplateResource =>
  stateless.toJSON().Resources[idOf(deployment.stateless.functions.byId.get(specId))];
const queueId = () => idOf(deployment.stateful.queues.get(IMPORTS_QUEUE_ID));
/** SQS actions of a function's role, each with the queue it names. */
const sqsGrantsOf = (specId: string) => {
  const roleId = referencedId(functionOf(specId).Properties.Role);
  return resourcesOf(stateless, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties.Roles as unknown[]).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
    .filter((s) => asArray(s.Action).some((a) => String(a).startsWith('sqs:')))
    .map((s) => ({
      actions: asArray(s.Action),
      queues: asArray(s.Resource).map((r) => referencedId(r, outputs)),
    }));
};

describe('the imports queue and its worker', () => {
  it('dead-letters a message after five receives and hides it for six times the worker’s timeout', () => {
    const queue = stateful.toJSON().Resources[queueId()] as TemplateResource;
    const redrive = queue.Properties.RedrivePolicy as {
      deadLetterTargetArn: unknown;
      maxReceiveCount: number;
    };
    expect(redrive.maxReceiveCount).toBe(5);
    expect(referencedId(redrive.deadLetterTargetArn)).toBe(
      idOf(deployment.stateful.deadLetterQueues.get(IMPORTS_QUEUE_ID)),
    );
    expect(queue.Properties.VisibilityTimeout).toBe(
      6 * (functionOf('import-worker').Properties.Timeout as number),
    );
  });

  it('gives the worker one message at a time and redelivers only a failed one', () => {
    const [mapping, ...more] = resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => referencedId(m.Properties.EventSourceArn, outputs) === queueId(),
    );
    expect(more).toEqual([]);
    expect(mapping?.[1].Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(referencedId(mapping?.[1].Properties.FunctionName)).toBe(
      idOf(deployment.stateless.functions.byId.get('import-worker')),
    );
  });

  it('lets POST /imports send to the imports queue, and the worker consume and continue it, nothing else', () => {
    const send = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
    const consume = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage'];
    for (const [specId, allowed] of [
      ['start-import', send],
      ['import-worker', [...send, ...consume]],
    ] as const) {
      const grants = sqsGrantsOf(specId);
      for (const grant of grants) expect(grant.queues, specId).toEqual([queueId()]);
      const actions = new Set(grants.flatMap((g) => g.actions.map(String)));
      expect(actions.has('sqs:SendMessage'), specId).toBe(true);
      expect(
        [...actions].filter((a) => !(allowed as readonly string[]).includes(a)),
        specId,
      ).toEqual([]);
      const env = (functionOf(specId).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(referencedId(env[IMPORTS_QUEUE_URL_ENV], outputs), specId).toBe(queueId());
    }
  });

  it('gives GET /imports/{id} and the template route neither the queue nor the bucket', () => {
    for (const specId of ['get-import', 'import-template']) {
      expect(sqsGrantsOf(specId), specId).toEqual([]);
      const env = (functionOf(specId).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(env[IMPORTS_QUEUE_URL_ENV], specId).toBeUndefined();
    }
    const template = (
      functionOf('import-template').Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(template.TABLE_NAME).toBeUndefined();
  });
});
