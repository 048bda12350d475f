import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/stateless-stack.ts';
import { SENDER_EMAIL_ENV, TopologyFunctions } from '../../infra/topology-functions.ts';
import { TopologyQueues } from '../../infra/topology-queues.ts';
import type { FunctionSpec, QueueSpec } from '../../shared/platform/topology.ts';
import { onlyResource, type PolicyStatement, projectApp, referencedId, resourcesOf } from './project-app.ts';

// Specs of this file's own, so these branches stay covered whatever the real topology declares.
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
const mailer: FunctionSpec = {
  ...monitor,
  id: 'mailer',
  trigger: { kind: 'queue', queueId: 'alerts', batchSize: 5 },
  sendsEmail: true,
};

// Bundling is skipped: these tests read the wiring, not the code.
const build = (functions: FunctionSpec[], queues: QueueSpec[] = [queue]): Stack => {
  const stack = new Stack(projectApp({ bundle: false }), 'TopologyFunctionsTest');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  const built = new TopologyQueues(stack, 'Queues', queues);
  new TopologyFunctions(stack, 'Functions', {
    repoRoot: REPO_ROOT,
    functions,
    queueSpecs: queues,
    queues: built.byId,
    table,
    tableSpec: { id: 'T', partitionKey: 'pk', sortKey: 'sk', timeToLiveAttribute: 'ttl', indexes: [] },
    secrets: new Map(),
  });
  return stack;
};

describe('a function with a schedule trigger', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(build([monitor]));
  }, 60_000);

  it('is invoked by an EventBridge Scheduler schedule on its expression, in Vietnam time', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      State: 'ENABLED',
    });
  });

  it('is the target of its schedule, through a role only the scheduler may assume', () => {
    const schedule = onlyResource(template, 'AWS::Scheduler::Schedule');
    const target = schedule.Properties.Target as { Arn: unknown; RoleArn: unknown };
    const [[functionId] = []] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(referencedId(target.Arn)).toBe(functionId);
    const role = template.toJSON().Resources[referencedId(target.RoleArn) ?? ''];
    const trust = role?.Properties.AssumeRolePolicyDocument as { Statement: PolicyStatement[] };
    expect(trust.Statement.map((s) => s.Principal)).toEqual([{ Service: 'scheduler.amazonaws.com' }]);
  });

  it('has no event source mapping, as it reads no queue', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });

  it('is traced by X-Ray and names its Powertools service and metrics namespace', () => {
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'giai-ngan',
      POWERTOOLS_METRICS_NAMESPACE: 'GiaiNgan',
    });
    // Active tracing lets the function's role send its segments to X-Ray.
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
    );
    expect(statements.flatMap((st) => [st.Action].flat())).toEqual(
      expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
  });
});

describe('a function that sends e-mail', () => {
  it('gets neither the sender address nor any SES permission when the deployment has no sender', () => {
    const template = Template.fromStack(build([mailer]));
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[SENDER_EMAIL_ENV]).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('ses:');
  }, 60_000);
});

describe('a topology that refers to an undeclared queue', () => {
  it('fails synthesis with a message that names the function and the queue', () => {
    const sender: FunctionSpec = { ...monitor, id: 'sender', sendsTo: ['nowhere'] };
    expect(() => build([sender])).toThrow(/sender.*"nowhere"/);
  });

  it('fails synthesis when a queue trigger names an undeclared queue', () => {
    const consumer: FunctionSpec = {
      ...mailer,
      id: 'consumer',
      trigger: { kind: 'queue', queueId: 'nowhere', batchSize: 10 },
    };
    expect(() => build([consumer])).toThrow(/consumer.*"nowhere"/);
  });
});

describe('a topology with unsafe queue settings', () => {
  it('fails synthesis when a queue hides messages for less than six times its consumer timeout', () => {
    const slow: FunctionSpec = { ...mailer, id: 'slow-mailer', timeoutSeconds: 61 };
    expect(() => build([slow])).toThrow(/"alerts".*360 s.*61 s.*slow-mailer/);
  });

  it('fails synthesis when a queue dead-letters after fewer than five receives', () => {
    expect(() => build([mailer], [{ ...queue, maxReceiveCount: 3 }])).toThrow(
      /"alerts".*3 receives.*at least 5/,
    );
  });
});
