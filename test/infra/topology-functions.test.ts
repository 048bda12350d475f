import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { TopologyQueues } from '../../infra/approval-queues.ts';
import { REPO_ROOT } from '../../infra/giai-ngan-stack.ts';
import { TopologyFunctions } from '../../infra/topology-functions.ts';
import type { FunctionSpec, QueueSpec } from '../../shared/topology.ts';
import { projectApp, referencedId, resourcesOf } from './project-app.ts';

// No function of the topology runs on a schedule yet; these specs exercise that branch of the construct.
const monitor: FunctionSpec = {
  id: 'lag-monitor',
  entry: 'functions/api/health.ts',
  trigger: { kind: 'schedule', expression: 'cron(0 7 * * ? *)', localIntervalSeconds: 60 },
  timeoutSeconds: 60,
  environment: {},
  table: 'read',
  sendsTo: [],
};
const queue: QueueSpec = {
  id: 'alerts',
  urlEnv: 'ALERTS_QUEUE_URL',
  visibilityTimeoutSeconds: 360,
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
};

const build = (functions: FunctionSpec[]): Stack => {
  const stack = new Stack(projectApp(), 'ScheduleTest');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  const queues = new TopologyQueues(stack, 'Queues', [queue]);
  new TopologyFunctions(stack, 'Functions', {
    repoRoot: REPO_ROOT,
    functions,
    queueSpecs: [queue],
    queues: queues.byId,
    table,
  });
  return stack;
};

describe('a function with a schedule trigger', () => {
  let template: Template;

  // Synthesis bundles the function with esbuild, so it happens once for the whole file.
  beforeAll(() => {
    template = Template.fromStack(build([monitor]));
  }, 180_000);

  it('is invoked by an EventBridge Scheduler schedule on its expression, in Vietnam time', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      State: 'ENABLED',
    });
  });

  it('is the target of its schedule, through a role the scheduler may assume', () => {
    const [[, schedule] = []] = resourcesOf(template, 'AWS::Scheduler::Schedule');
    const target = schedule?.Properties.Target as { Arn: unknown; RoleArn: unknown };
    const [[functionId] = []] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(referencedId(target.Arn)).toBe(functionId);
    const role = template.toJSON().Resources[referencedId(target.RoleArn) ?? ''];
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
  });

  it('has no event source mapping, as it reads no queue', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });
});

describe('a topology that refers to an undeclared queue', () => {
  it('fails synthesis with a message that names the function and the queue', () => {
    const sender: FunctionSpec = { ...monitor, id: 'sender', sendsTo: ['nowhere'] };
    expect(() => build([sender])).toThrow(/sender.*"nowhere"/);
  });

  it('fails synthesis when a queue trigger names an undeclared queue', () => {
    const consumer: FunctionSpec = {
      ...monitor,
      id: 'consumer',
      trigger: { kind: 'queue', queueId: 'nowhere', batchSize: 10 },
    };
    expect(() => build([consumer])).toThrow(/consumer.*"nowhere"/);
  });
});
