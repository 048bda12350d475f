import { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GiaiNganStack } from '../../infra/giai-ngan-stack.ts';
import { FUNDING_LINES, ROLES } from '../../shared/domain/funding-line.ts';
import { ROUTES } from '../../shared/http/routes.ts';
import { approvalQueueUrlEnv, FUNCTIONS, QUEUES, TABLE, TABLE_NAME_ENV } from '../../shared/topology.ts';
import {
  asArray,
  type PolicyStatement,
  projectApp,
  referencedId,
  resourcesOf,
  type TemplateResource,
} from './project-app.ts';

const STACK_ID = 'GiaiNganTest';

let stack: GiaiNganStack;
let template: Template;
let resources: Record<string, TemplateResource>;

// Synthesis bundles every function with esbuild, so it happens once for the whole file.
beforeAll(() => {
  const app = projectApp();
  stack = new GiaiNganStack(app, STACK_ID, { stage: 'test' });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, TemplateResource>;
}, 180_000);

const resource = (logicalId: string): TemplateResource => {
  const found = resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the template`);
  return found;
};

/** The logical id of a construct's CloudFormation resource. */
const logicalIdOf = (construct: IConstruct | undefined, what: string): string => {
  const cfn = construct?.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`nothing was built for ${what}`);
  return stack.getLogicalId(cfn);
};

/** The logical id of the Lambda function built for a FunctionSpec. */
const functionIdOf = (specId: string): string =>
  logicalIdOf(stack.functions.byId.get(specId), `function ${specId}`);

/** The logical id of the queue built for a QueueSpec. */
const queueIdOf = (specId: string): string => logicalIdOf(stack.queues.byId.get(specId), `queue ${specId}`);

/** Allow statements of the policies attached to a function's role. */
const statementsOf = (functionLogicalId: string): PolicyStatement[] => {
  const roleId = referencedId(resource(functionLogicalId).Properties.Role);
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties.Roles as unknown[]).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');
};

const actionsOf = (statements: PolicyStatement[]): string[] => statements.flatMap((s) => asArray(s.Action));

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

describe('the ledger table', () => {
  it('is on-demand, recoverable to a point in time, protected against deletion and encrypted', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is retained when its stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('has the keys, time-to-live attribute and indexes the topology declares, projecting all attributes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });
});

describe('the approval queues', () => {
  it('are one queue and one dead-letter queue per funding line', () => {
    expect(QUEUES.map((q) => q.id).sort()).toEqual(FUNDING_LINES.map((l) => `approvals-${l}`).sort());
    template.resourceCountIs('AWS::SQS::Queue', 2 * QUEUES.length);
  });

  it('each send a message to a dead-letter queue after at least five receives', () => {
    for (const spec of QUEUES) {
      const redrive = resource(queueIdOf(spec.id)).Properties.RedrivePolicy as {
        deadLetterTargetArn: unknown;
        maxReceiveCount: number;
      };
      expect(redrive.maxReceiveCount, spec.id).toBeGreaterThanOrEqual(5);
      const deadLetter = resource(referencedId(redrive.deadLetterTargetArn) ?? '');
      expect(deadLetter.Type).toBe('AWS::SQS::Queue');
      expect(deadLetter.Properties.MessageRetentionPeriod).toBe(spec.deadLetterRetentionDays * 86_400);
    }
  });

  it('each hide a received message for at least six times its consumer function timeout', () => {
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(QUEUES.length);
    for (const [, mapping] of mappings) {
      const queue = resource(referencedId(mapping.Properties.EventSourceArn) ?? '');
      const consumer = resource(referencedId(mapping.Properties.FunctionName) ?? '');
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * (consumer.Properties.Timeout as number),
      );
    }
  });

  it('are all encrypted and refuse any request not made over TLS', () => {
    for (const [, queue] of resourcesOf(template, 'AWS::SQS::Queue')) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    }
    const queueIds = resourcesOf(template, 'AWS::SQS::Queue').map(([id]) => id);
    const tlsOnly = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.some(
        (s) =>
          s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
      ),
    );
    const covered = tlsOnly.flatMap(([, policy]) =>
      (policy.Properties.Queues as unknown[]).map(referencedId),
    );
    expect(covered.sort()).toEqual(queueIds.sort());
  });
});

describe('the queue consumers', () => {
  it('report failures per record, so only the failed messages are redelivered', () => {
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBeGreaterThan(0);
    for (const [, mapping] of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('read their queue in the batch size the topology declares', () => {
    for (const spec of FUNCTIONS) {
      if (spec.trigger.kind !== 'queue') continue;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionIdOf(spec.id) },
        BatchSize: spec.trigger.batchSize,
      });
    }
  });
});

describe('the HTTP API', () => {
  const routes = () => resourcesOf(template, 'AWS::ApiGatewayV2::Route');

  it('has exactly one route per entry of ROUTES', () => {
    const keys = routes().map(([, r]) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('requires a JWT on every route except GET /health', () => {
    for (const [, route] of routes()) {
      const key = route.Properties.RouteKey;
      if (key === 'GET /health') {
        expect(route.Properties.AuthorizationType, key as string).toBe('NONE');
        expect(route.Properties.AuthorizerId).toBeUndefined();
      } else {
        expect(route.Properties.AuthorizationType, key as string).toBe('JWT');
        expect(resource(referencedId(route.Properties.AuthorizerId) ?? '').Type).toBe(
          'AWS::ApiGatewayV2::Authorizer',
        );
      }
    }
  });

  it('accepts only tokens issued by its own user pool for its own client', () => {
    const [pool] = resourcesOf(template, 'AWS::Cognito::UserPool').map(([id]) => id);
    const [client] = resourcesOf(template, 'AWS::Cognito::UserPoolClient').map(([id]) => id);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: {
          'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.', { Ref: 'AWS::Region' }, { Ref: pool }])],
        },
      },
    });
  });

  it('sends each route to the function of its route spec', () => {
    for (const spec of FUNCTIONS) {
      if (spec.trigger.kind !== 'http') continue;
      const key = `${spec.trigger.route.method} ${spec.trigger.route.path}`;
      const [, route] = routes().find(([, r]) => r.Properties.RouteKey === key) ?? [];
      const integration = resource(
        JSON.stringify(route?.Properties.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '',
      );
      expect(referencedId(integration.Properties.IntegrationUri), key).toBe(functionIdOf(spec.id));
    }
  });
});

describe('the user pool', () => {
  it('has one group per role, named as the role', () => {
    const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('carries the commune as a custom attribute and lets no one sign up alone', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'commune', AttributeDataType: 'String' })]),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it('has a public client without a secret, for browser sign-in', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
  });

  it('does not let users rewrite their own commune through the client', () => {
    const [[, client] = []] = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    const writable = client?.Properties.WriteAttributes;
    expect(Array.isArray(writable)).toBe(true);
    expect(writable).not.toContain('custom:commune');
  });
});

describe('the functions', () => {
  const functions = () => resourcesOf(template, 'AWS::Lambda::Function');

  it('are exactly one per function spec', () => {
    expect(functions()).toHaveLength(FUNCTIONS.length);
    for (const spec of FUNCTIONS) expect(functionIdOf(spec.id)).toBeTruthy();
  });

  it('run on Node.js 22 or newer on arm64', () => {
    for (const [id, fn] of functions()) {
      const version = /^nodejs(\d+)\.x$/.exec(String(fn.Properties.Runtime))?.[1];
      expect(Number(version), id).toBeGreaterThanOrEqual(22);
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('have the timeout and handler of their spec and source maps enabled', () => {
    for (const spec of FUNCTIONS) {
      const fn = resource(functionIdOf(spec.id));
      expect(fn.Properties.Timeout, spec.id).toBe(spec.timeoutSeconds);
      expect(fn.Properties.Handler, spec.id).toBe('index.handler');
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.NODE_OPTIONS, spec.id).toBe('--enable-source-maps');
    }
  });

  it('receive the table name when they use the table, and every queue URL they send to', () => {
    const [tableId] = resourcesOf(template, 'AWS::DynamoDB::Table').map(([id]) => id);
    for (const spec of FUNCTIONS) {
      const env = (
        resource(functionIdOf(spec.id)).Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(env, spec.id).toMatchObject(spec.environment);
      if (spec.table === 'none') expect(env[TABLE_NAME_ENV], spec.id).toBeUndefined();
      else expect(env[TABLE_NAME_ENV], spec.id).toEqual({ Ref: tableId });
      for (const queueId of spec.sendsTo) {
        const urlEnv = QUEUES.find((q) => q.id === queueId)?.urlEnv ?? '';
        expect(resource(referencedId(env[urlEnv]) ?? '').Type, `${spec.id} ${urlEnv}`).toBe(
          'AWS::SQS::Queue',
        );
      }
    }
  });

  it('give decide-request the URL of every approval queue, which it reads at start', () => {
    const env = (
      resource(functionIdOf('decide-request')).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    for (const line of FUNDING_LINES) expect(env[approvalQueueUrlEnv(line)], line).toBeDefined();
  });

  it('each log to their own log group, kept for a month', () => {
    for (const [id, fn] of functions()) {
      const logGroup = resource(
        referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup) ?? '',
      );
      expect(logGroup.Type, id).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays, id).toBe(30);
    }
  });
});

describe('the function permissions', () => {
  it('never allow every action', () => {
    for (const spec of FUNCTIONS) {
      for (const action of actionsOf(statementsOf(functionIdOf(spec.id)))) {
        expect(action, spec.id).not.toBe('*');
        expect(action.endsWith(':*'), `${spec.id} ${action}`).toBe(false);
      }
    }
  });

  it('never grant DynamoDB or SQS actions on every resource', () => {
    for (const spec of FUNCTIONS) {
      for (const statement of statementsOf(functionIdOf(spec.id))) {
        const dataActions = asArray(statement.Action).filter((a) => /^(dynamodb|sqs):/.test(a));
        if (dataActions.length === 0) continue;
        for (const target of asArray(statement.Resource)) {
          expect(target, `${spec.id} ${dataActions.join(',')}`).not.toBe('*');
        }
      }
    }
  });

  it('match the table access each spec declares: none, read only, or read and write', () => {
    for (const spec of FUNCTIONS) {
      const actions = actionsOf(statementsOf(functionIdOf(spec.id)));
      const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
      if (spec.table === 'none') expect(dynamo, spec.id).toEqual([]);
      if (spec.table === 'read') {
        expect(dynamo, spec.id).toContain('dynamodb:Query');
        for (const write of WRITE_ACTIONS) expect(dynamo, spec.id).not.toContain(write);
      }
      if (spec.table === 'read-write') expect(dynamo, spec.id).toEqual(expect.arrayContaining(WRITE_ACTIONS));
    }
  });

  it('let only the functions that declare a queue send to it', () => {
    for (const spec of FUNCTIONS) {
      const sends = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).includes('sqs:SendMessage'),
      );
      const targets = sends.flatMap((s) => asArray(s.Resource)).map(referencedId);
      const declared = spec.sendsTo.map(queueIdOf);
      expect(targets.sort(), spec.id).toEqual(declared.sort());
    }
  });
});

describe('the stack', () => {
  it('names no physical resource, so two stages fit in one account', () => {
    const named = Object.entries(resources).filter(([, r]) =>
      ['TableName', 'QueueName', 'FunctionName', 'UserPoolName', 'LogGroupName', 'RoleName'].some(
        (prop) =>
          r.Type !== 'AWS::Lambda::EventSourceMapping' &&
          r.Type !== 'AWS::Lambda::Permission' &&
          prop in r.Properties,
      ),
    );
    expect(named.map(([id]) => id)).toEqual([]);
  });

  it('outputs the API URL, the user pool and client ids and the table name', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs.sort()).toEqual(['ApiUrl', 'TableName', 'UserPoolClientId', 'UserPoolId']);
  });
});
