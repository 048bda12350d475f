import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, defineDeployment } from '../../infra/deployment.ts';
import { deploymentSettings } from '../../infra/deployment-settings.ts';
import { API_THROTTLE } from '../../infra/http-api.ts';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/table-access.ts';
import { SENDER_EMAIL_ENV } from '../../infra/topology-functions.ts';
import { DECISION_OPERATION, OUTBOX_RELAY_ID } from '../../shared/ledger/topology.ts';
import { secretArnEnv } from '../../shared/platform/aws/secrets.ts';
import { ROLES } from '../../shared/platform/roles.ts';
import {
  alertKeys,
  approvalOutboxKeys,
  auditLogKeys,
  idempotencyKeys,
  subscriptionKeys,
} from '../../shared/platform/table/keys.ts';
import { TABLE, TABLE_NAME_ENV } from '../../shared/platform/topology.ts';
import { ROUTES } from '../../shared/routes.ts';
import { FUNCTIONS, QUEUES } from '../../shared/topology.ts';
import {
  asArray,
  onlyResource,
  type PolicyStatement,
  projectApp,
  referencedId,
  resourcesOf,
  type StackOutputs,
  type TemplateResource,
} from './project-app.ts';

const SENDER = 'alerts@example.org';
const ALARM_EMAIL = 'ops@example.org';
/** SQS keeps a message four days unless told otherwise. */
const DEFAULT_RETENTION_SECONDS = 4 * 86_400;

let outdir: string;
let deployment: Deployment;
let stateful: Template;
let stateless: Template;
let resources: Record<string, TemplateResource>;
let outputs: StackOutputs;

// Synthesis bundles every function with esbuild, so it happens once for the whole file, as `cdk deploy
// --all -c senderEmail=… -c alarmEmail=…` would run it. On a loaded 2-core machine it has taken 340 s.
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'giai-ngan-cdk-'));
  const app = projectApp({ context: { senderEmail: SENDER, alarmEmail: ALARM_EMAIL }, outdir });
  deployment = defineDeployment(app, deploymentSettings(app.node));
  app.synth();
  stateful = Template.fromStack(deployment.stateful);
  stateless = Template.fromStack(deployment.stateless);
  // Logical ids are unique across the two stacks, so one map serves every lookup.
  resources = {
    ...(stateful.toJSON().Resources as Record<string, TemplateResource>),
    ...(stateless.toJSON().Resources as Record<string, TemplateResource>),
  };
  outputs = stateful.toJSON().Outputs as StackOutputs;
}, 600_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const resource = (logicalId: string | undefined): TemplateResource => {
  const found = resources[logicalId ?? ''];
  if (!found) throw new Error(`no resource ${logicalId} in the templates`);
  return found;
};

/** Where a value points, following weak cross-stack references into the stateful stack. */
const target = (value: unknown): string | undefined => referencedId(value, outputs);

/** The logical id of a construct's CloudFormation resource. */
const logicalIdOf = (construct: IConstruct | undefined, what: string): string => {
  const cfn = construct?.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`nothing was built for ${what}`);
  return (cfn.stack as Stack).getLogicalId(cfn);
};

const functionIdOf = (specId: string): string =>
  logicalIdOf(deployment.stateless.functions.byId.get(specId), `function ${specId}`);
const queueIdOf = (specId: string): string =>
  logicalIdOf(deployment.stateful.queues.get(specId), `queue ${specId}`);
const deadLetterIdOf = (specId: string): string =>
  logicalIdOf(deployment.stateful.deadLetterQueues.get(specId), `dead-letter queue ${specId}`);
const tableId = () => logicalIdOf(deployment.stateful.table, 'the table');
const topicId = () => logicalIdOf(deployment.stateful.alarmTopic, 'the alarm topic');

/** Allow statements of the policies attached to a role. */
const statementsOfRole = (roleId: string | undefined): PolicyStatement[] =>
  resourcesOf(stateless, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties.Roles as unknown[]).some((r) => referencedId(r) === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
    .filter((s) => s.Effect === 'Allow');

const roleOf = (functionLogicalId: string) => referencedId(resource(functionLogicalId).Properties.Role);
const statementsOf = (functionLogicalId: string) => statementsOfRole(roleOf(functionLogicalId));
const actionsOf = (statements: PolicyStatement[]): string[] => statements.flatMap((s) => asArray(s.Action));
const envOf = (specId: string) =>
  (resource(functionIdOf(specId)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('the ledger table', () => {
  it('is on-demand, recoverable to a point in time, protected against deletion and encrypted', () => {
    stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is retained when its stack is deleted or the table replaced', () => {
    stateful.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('has the keys, time-to-live attribute and indexes the topology declares, each with its projection', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
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
        Projection:
          index.projection.type === 'ALL'
            ? { ProjectionType: 'ALL' }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] },
      })),
    });
  });

  it('lists requests on indexes that copy only status and commune, so a rewrite of a request costs them nothing', () => {
    const template = stateful.toJSON() as {
      Resources: Record<string, { Type: string; Properties: { GlobalSecondaryIndexes: unknown[] } }>;
    };
    const table = Object.values(template.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
    const byName = new Map(
      ((table?.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string; Projection: unknown }[]).map(
        (i) => [i.IndexName, i.Projection],
      ),
    );
    for (const name of ['gsi4', 'gsi5', 'gsi6']) {
      expect(byName.get(name)).toEqual({
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: ['status', 'commune'],
      });
    }
  });
});

describe('the queues', () => {
  it('are one queue and one dead-letter queue per queue of the topology, all in the stateful stack', () => {
    stateful.resourceCountIs('AWS::SQS::Queue', 2 * QUEUES.length);
    stateless.resourceCountIs('AWS::SQS::Queue', 0);
  });

  it('each send a message to a dead-letter queue after at least five receives', () => {
    for (const spec of QUEUES) {
      const redrive = resource(queueIdOf(spec.id)).Properties.RedrivePolicy as {
        deadLetterTargetArn: unknown;
        maxReceiveCount: number;
      };
      expect(redrive.maxReceiveCount, spec.id).toBeGreaterThanOrEqual(5);
      expect(referencedId(redrive.deadLetterTargetArn), spec.id).toBe(deadLetterIdOf(spec.id));
    }
  });

  it('keep dead letters longer than the queue keeps messages, as the topology declares', () => {
    for (const spec of QUEUES) {
      const retention =
        resource(queueIdOf(spec.id)).Properties.MessageRetentionPeriod ?? DEFAULT_RETENTION_SECONDS;
      const deadLetterRetention = resource(deadLetterIdOf(spec.id)).Properties.MessageRetentionPeriod;
      expect(deadLetterRetention, spec.id).toBe(spec.deadLetterRetentionDays * 86_400);
      // A dead letter keeps its first enqueue time, so a shorter retention would drop it early.
      expect(deadLetterRetention, spec.id).toBeGreaterThan(retention as number);
    }
  });

  it('each hide a received message for at least six times its consumer function timeout', () => {
    const mappings = resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(FUNCTIONS.filter((f) => f.trigger.kind === 'queue').length);
    for (const [id, mapping] of mappings) {
      const queue = resource(target(mapping.Properties.EventSourceArn));
      const consumer = resource(referencedId(mapping.Properties.FunctionName));
      expect(queue.Type, id).toBe('AWS::SQS::Queue');
      expect(queue.Properties.VisibilityTimeout, id).toBeGreaterThanOrEqual(
        6 * (consumer.Properties.Timeout as number),
      );
    }
  });

  it('are all encrypted and refuse any request not made over TLS', () => {
    const queueIds = resourcesOf(stateful, 'AWS::SQS::Queue').map(([id, queue]) => {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      return id;
    });
    const tlsOnly = resourcesOf(stateful, 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.some(
        (s) =>
          s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
      ),
    );
    const covered = tlsOnly.flatMap(([, policy]) =>
      (policy.Properties.Queues as unknown[]).map((q) => referencedId(q)),
    );
    expect(covered.sort()).toEqual(queueIds.sort());
  });
});

describe('the queue consumers', () => {
  it('report failures per record, so only the failed messages are redelivered', () => {
    const mappings = resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBeGreaterThan(0);
    for (const [, mapping] of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('read their own queue in the batch size the topology declares', () => {
    for (const spec of FUNCTIONS) {
      if (spec.trigger.kind !== 'queue') continue;
      const [[, mapping] = []] = resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping').filter(
        ([, m]) => referencedId(m.Properties.FunctionName) === functionIdOf(spec.id),
      );
      expect(target(mapping?.Properties.EventSourceArn), spec.id).toBe(queueIdOf(spec.trigger.queueId));
      expect(mapping?.Properties.BatchSize, spec.id).toBe(spec.trigger.batchSize);
    }
  });
});

describe('the HTTP API', () => {
  const routes = () => resourcesOf(stateless, 'AWS::ApiGatewayV2::Route');

  it('has exactly one route per entry of ROUTES', () => {
    const keys = routes().map(([, r]) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('requires a JWT on every route except GET /health and the e-mailed confirmation and acknowledge links', () => {
    const open = [
      'GET /alerts/acknowledge',
      'GET /health',
      'GET /subscriptions/confirm',
      'POST /alerts/acknowledge',
    ];
    expect(
      ROUTES.filter((r) => r.roles === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(open);
    for (const [, route] of routes()) {
      const key = route.Properties.RouteKey as string;
      if (open.includes(key)) {
        expect(route.Properties.AuthorizationType, key).toBe('NONE');
        expect(route.Properties.AuthorizerId, key).toBeUndefined();
      } else {
        expect(route.Properties.AuthorizationType, key).toBe('JWT');
        expect(resource(referencedId(route.Properties.AuthorizerId)).Type, key).toBe(
          'AWS::ApiGatewayV2::Authorizer',
        );
      }
    }
  });

  it('accepts only tokens issued by its own user pool for its own clients (the API client and the dashboard)', () => {
    const authorizer = onlyResource(stateless, 'AWS::ApiGatewayV2::Authorizer');
    const config = authorizer.Properties.JwtConfiguration as { Audience: unknown[]; Issuer: unknown };
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(config.Audience.map(target)).toEqual([
      logicalIdOf(deployment.stateful.userPoolClient, 'client'),
      logicalIdOf(deployment.stateless.dashboard.client, 'dashboard client'),
    ]);
    const issuer = (config.Issuer as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    expect(issuer).toEqual(expect.arrayContaining(['https://cognito-idp.', { Ref: 'AWS::Region' }]));
    expect(issuer.map(target)).toContain(logicalIdOf(deployment.stateful.userPool, 'user pool'));
  });

  it('sends each route to the function of its route spec', () => {
    for (const spec of FUNCTIONS) {
      if (spec.trigger.kind !== 'http') continue;
      const key = `${spec.trigger.route.method} ${spec.trigger.route.path}`;
      const [, route] = routes().find(([, r]) => r.Properties.RouteKey === key) ?? [];
      const integration = resource(JSON.stringify(route?.Properties.Target).match(/"Ref":"([^"]+)"/)?.[1]);
      expect(referencedId(integration.Properties.IntegrationUri), key).toBe(functionIdOf(spec.id));
    }
  });

  it('serves one auto-deployed default stage, throttled by default', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      },
    });
  });

  it('logs every request as a JSON line, with the caller, to a log group kept for a year', () => {
    const stage = onlyResource(stateless, 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const logGroup = resource(referencedId(settings.DestinationArn));
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(365);
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      sub: '$context.authorizer.claims.sub',
    });
  });
});

describe('the user pool', () => {
  it('has one group per role, named as the role', () => {
    const groups = resourcesOf(stateful, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('carries the jurisdiction and the commune as custom attributes and lets no one sign up alone', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'commune', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'jurisdiction', AttributeDataType: 'String', Mutable: true }),
      ]),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it('asks for long passwords with every kind of character, and remembers the last ones', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 5,
        },
      },
    });
  });

  it('offers authenticator-app MFA, optional unless the deployment requires it', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('is on the Plus plan with threat protection enforced', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('is protected against deletion and retained with its stack', () => {
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('lets a changed e-mail address into tokens only once it is verified', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });

  it('is one pool for every jurisdiction', () => {
    expect(resourcesOf(stateful, 'AWS::Cognito::UserPool')).toHaveLength(1);
  });

  it('has a public client without a secret that cannot rewrite the commune or the jurisdiction', () => {
    const client = onlyResource(stateful, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.GenerateSecret).toBe(false);
    const writable = client.Properties.WriteAttributes;
    expect(Array.isArray(writable)).toBe(true);
    expect(writable).not.toContain('custom:commune');
    expect(writable).not.toContain('custom:jurisdiction');
    expect(client.Properties.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
  });
});

describe('the functions', () => {
  // The topology's functions; CDK's own upload function of the dashboard (BucketDeployment) is not one.
  /** The topology's functions: not CDK's own (the dashboard's upload, the documents' CORS call). */
  const functions = () =>
    resourcesOf(stateless, 'AWS::Lambda::Function').filter(
      ([id]) =>
        !id.startsWith('CustomCDKBucketDeployment') &&
        !id.startsWith(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`),
    );

  it('are exactly one per function spec, all in the stateless stack', () => {
    expect(functions()).toHaveLength(FUNCTIONS.length);
    stateful.resourceCountIs('AWS::Lambda::Function', 0);
    for (const spec of FUNCTIONS) expect(functionIdOf(spec.id)).toBeTruthy();
  });

  it('run on Node.js 24 on arm64', () => {
    for (const [id, fn] of functions()) {
      expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('have the timeout and handler of their spec and source maps enabled', () => {
    for (const spec of FUNCTIONS) {
      const fn = resource(functionIdOf(spec.id));
      expect(fn.Properties.Timeout, spec.id).toBe(spec.timeoutSeconds);
      expect(fn.Properties.Handler, spec.id).toBe('index.handler');
      expect(envOf(spec.id).NODE_OPTIONS, spec.id).toBe('--enable-source-maps');
    }
  });

  it('receive the table name when they use the table, and every queue URL they send to', () => {
    for (const spec of FUNCTIONS) {
      const env = envOf(spec.id);
      expect(env, spec.id).toMatchObject(spec.environment);
      if (spec.table === 'none') expect(env[TABLE_NAME_ENV], spec.id).toBeUndefined();
      else expect(target(env[TABLE_NAME_ENV]), spec.id).toBe(tableId());
      for (const queueId of spec.sendsTo) {
        const urlEnv = QUEUES.find((q) => q.id === queueId)?.urlEnv ?? '';
        expect(target(env[urlEnv]), `${spec.id} ${urlEnv}`).toBe(queueIdOf(queueId));
      }
    }
  });

  it('give declared secrets only by ARN, with read access: no value or dynamic reference in any environment', () => {
    const withSecrets = FUNCTIONS.filter((f) => (f.secrets ?? []).length > 0);
    expect(withSecrets.length).toBeGreaterThan(0);
    const names = [...deployment.stateful.secrets.keys()];
    expect(names).toEqual(expect.arrayContaining(['CURSOR_SECRET', 'SUBSCRIPTION_CONFIRM_SECRET']));
    for (const spec of FUNCTIONS) {
      const env = envOf(spec.id);
      expect(JSON.stringify(env), spec.id).not.toContain('resolve:secretsmanager');
      const readable = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).includes('secretsmanager:GetSecretValue'),
      );
      for (const name of names) {
        expect(env[name], `${spec.id} ${name}`).toBeUndefined();
        const secretId = logicalIdOf(deployment.stateful.secrets.get(name), `secret ${name}`);
        const grants = readable.filter((s) => asArray(s.Resource).some((r) => target(r) === secretId));
        if (spec.secrets?.includes(name)) {
          expect(target(env[secretArnEnv(name)]), `${spec.id} ${name}_ARN`).toBe(secretId);
          expect(grants, `${spec.id} reads ${name}`).toHaveLength(1);
        } else {
          expect(env[secretArnEnv(name)], spec.id).toBeUndefined();
          expect(grants, `${spec.id} reads ${name}`).toEqual([]);
        }
      }
    }
  });

  it('give the sender address to the functions that send e-mail, and to no other', () => {
    for (const spec of FUNCTIONS) {
      expect(envOf(spec.id)[SENDER_EMAIL_ENV], spec.id).toBe(spec.sendsEmail ? SENDER : undefined);
    }
  });

  it('each log to their own log group, kept for three months', () => {
    const logGroups = functions().map(([id, fn]) => {
      const logGroup = resource(
        referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup),
      );
      expect(logGroup.Type, id).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays, id).toBe(90);
      return referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup);
    });
    expect(new Set(logGroups).size).toBe(logGroups.length);
  });

  it('are each bundled as a minified ES module with its source map; the sizes are printed', () => {
    const rows = FUNCTIONS.map((spec) => {
      const code = resource(functionIdOf(spec.id)).Properties.Code as { S3Key: string };
      const assetDir = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = statSync(join(assetDir, 'index.mjs')).size;
      const map = statSync(join(assetDir, 'index.mjs.map')).size;
      return {
        function: spec.id,
        'bundle KB': Math.round(bundle / 1024),
        'source map KB': Math.round(map / 1024),
      };
    });
    console.log('Function bundles (index.mjs and index.mjs.map):');
    console.table(rows);
    for (const row of rows) expect(row['bundle KB'], row.function).toBeGreaterThan(0);
  });
});

describe('the function permissions', () => {
  it('come from roles of their own, with no AWS-managed policy attached (only the documents and digest-anchors buckets’ own, to the functions that declare them)', () => {
    const roles = FUNCTIONS.map((spec) => roleOf(functionIdOf(spec.id)));
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
    const policiesOf = (access: object, what: string) =>
      Object.values(access).map((p) => logicalIdOf(p as unknown as IConstruct, what));
    const documentPolicies = policiesOf(deployment.stateful.documents.access, 'a documents policy');
    const anchorPolicies = policiesOf(deployment.stateful.digestAnchors.access, 'a digest-anchors policy');
    for (const spec of FUNCTIONS) {
      const roleId = roleOf(functionIdOf(spec.id));
      const attached = asArray((resource(roleId).Properties.ManagedPolicyArns ?? []) as unknown[]);
      const ids = attached.map((arn) => target(arn) ?? '');
      const expected = (spec.documents ? 1 : 0) + (spec.anchors ? 1 : 0);
      if (expected === 0) expect(resource(roleId).Properties.ManagedPolicyArns, roleId).toBeUndefined();
      expect(
        ids.filter((id) => documentPolicies.includes(id)),
        roleId,
      ).toHaveLength(spec.documents ? 1 : 0);
      expect(
        ids.filter((id) => anchorPolicies.includes(id)),
        roleId,
      ).toHaveLength(spec.anchors ? 1 : 0);
      expect(attached, roleId).toHaveLength(expected);
    }
  });

  it('never name a wildcard, in any action or any resource, but the two write actions of X-Ray', () => {
    const xray = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
    for (const spec of FUNCTIONS) {
      const statements = statementsOf(functionIdOf(spec.id));
      // Active tracing: these two actions have no resource-level permissions (X-Ray accepts only "*").
      const tracing = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('xray:')));
      expect(
        tracing.map((s) => [asArray(s.Action).sort(), s.Resource]),
        spec.id,
      ).toEqual([[xray, '*']]);
      for (const statement of statements.filter((s) => !tracing.includes(s))) {
        for (const action of asArray(statement.Action)) expect(action, spec.id).not.toContain('*');
        expect(JSON.stringify(statement.Resource), `${spec.id} ${statement.Action}`).not.toContain('*');
      }
    }
  });

  it('let each function write only to its own log group', () => {
    for (const spec of FUNCTIONS) {
      const fn = resource(functionIdOf(spec.id));
      const logs = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).some((a) => a.startsWith('logs:')),
      );
      expect(actionsOf(logs).sort(), spec.id).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(
        logs.map((s) => referencedId(s.Resource)),
        spec.id,
      ).toEqual([referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup)]);
    }
  });

  it('match the table access each spec declares: none, reads, reads and writes, or the outbox; never Scan or DeleteItem', () => {
    for (const spec of FUNCTIONS) {
      const statements = statementsOf(functionIdOf(spec.id));
      const dynamo = actionsOf(statements).filter((a) => a.startsWith('dynamodb:'));
      const expected = {
        none: [],
        // A reader that records auditors' queries also puts items, in the audit logs' partitions only.
        read: [...TABLE_READ_ACTIONS, ...(spec.auditTrail ? ['dynamodb:PutItem'] : [])],
        'read-write': [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        outbox: ['dynamodb:Query', 'dynamodb:UpdateItem'],
        subscriptions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        alerts: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      }[spec.table];
      expect(dynamo.sort(), spec.id).toEqual([...expected].sort());
      expect(dynamo, spec.id).not.toContain('dynamodb:Scan');
      expect(dynamo, spec.id).not.toContain('dynamodb:DeleteItem');
    }
  });

  it("let a read-only function put items only in the audit logs' partitions (one per jurisdiction)", () => {
    const readers = FUNCTIONS.filter((f) => f.table === 'read' && f.auditTrail);
    expect(readers.length).toBeGreaterThan(0);
    for (const spec of readers) {
      const puts = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).includes('dynamodb:PutItem'),
      );
      expect(puts, spec.id).toHaveLength(1);
      expect(puts[0]?.Condition, spec.id).toEqual({
        // Which partitions the pattern reaches, and none else: test/infra/table-access.test.ts.
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [auditLogKeys.pattern] },
      });
    }
  });

  it('let the outbox relay query only the outbox index and update only the decisions’ records', () => {
    const relays = FUNCTIONS.filter((f) => f.table === 'outbox');
    expect(relays.map((f) => f.id)).toEqual([OUTBOX_RELAY_ID]);
    const statements = statementsOf(functionIdOf(OUTBOX_RELAY_ID)).filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('dynamodb:')),
    );
    const query = statements.find((s) => asArray(s.Action).includes('dynamodb:Query'));
    expect(JSON.stringify(query?.Resource)).toContain(`/index/${approvalOutboxKeys.index.name}"`);
    expect(asArray(query?.Resource)).toHaveLength(1);
    const update = statements.find((s) => asArray(s.Action).includes('dynamodb:UpdateItem'));
    expect(asArray(update?.Action)).toEqual(['dynamodb:UpdateItem']);
    expect(update?.Condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': [idempotencyKeys.ofOperationPattern(DECISION_OPERATION)],
      },
    });
  });

  it('let the public confirmation route get and update subscription items only, and send no e-mail', () => {
    const confirmers = FUNCTIONS.filter((f) => f.table === 'subscriptions');
    expect(confirmers.map((f) => f.id)).toEqual(['confirm-subscription']);
    const statements = statementsOf(functionIdOf('confirm-subscription'));
    const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [subscriptionKeys.pattern] },
    });
    // Besides its logs, traces (X-Ray, every function) and reading its own key (checked with every
    // secret above): no queue, no e-mail.
    expect(actionsOf(statements).filter((a) => !/^(logs|dynamodb|xray|secretsmanager):/.test(a))).toEqual([]);
  });

  it('let the public acknowledge-link routes get and update alert items only, and send no e-mail', () => {
    const acknowledgers = FUNCTIONS.filter((f) => f.table === 'alerts');
    expect(acknowledgers.map((f) => f.id).sort()).toEqual([
      'acknowledge-alert-by-link',
      'show-alert-acknowledgement',
    ]);
    for (const { id } of acknowledgers) {
      const statements = statementsOf(functionIdOf(id));
      const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo, id).toHaveLength(1);
      expect(dynamo[0]?.Condition, id).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [alertKeys.pattern] },
      });
      expect(actionsOf(statements).filter((a) => !/^(logs|dynamodb|xray|secretsmanager):/.test(a))).toEqual(
        [],
      );
    }
  });

  it('give the allow-listed e-mail domains to the functions that declare the setting, and to no other', () => {
    for (const spec of FUNCTIONS) {
      const declares = (spec.settings ?? []).includes('ALERT_EMAIL_DOMAINS');
      expect(envOf(spec.id).ALERT_EMAIL_DOMAINS, spec.id).toBe(declares ? '' : undefined);
    }
    expect(FUNCTIONS.filter((f) => f.settings?.includes('ALERT_EMAIL_DOMAINS')).map((f) => f.id)).toEqual(
      expect.arrayContaining(['create-subscription', 'confirm-subscription', 'alert-mailer']),
    );
  });

  it('reach the indexes for reads only, and only the indexes the topology declares', () => {
    for (const spec of FUNCTIONS.filter((f) => f.table !== 'outbox')) {
      for (const statement of statementsOf(functionIdOf(spec.id))) {
        const actions = asArray(statement.Action);
        if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
        const indexes = asArray(statement.Resource)
          .map((r) => JSON.stringify(r).match(/\/index\/([^"]+)"/)?.[1])
          .filter((name) => name !== undefined);
        const writes = actions.some((a) => (TABLE_WRITE_ACTIONS as readonly string[]).includes(a));
        expect(indexes, `${spec.id} ${actions}`).toEqual(writes ? [] : TABLE.indexes.map((i) => i.name));
      }
    }
  });

  it('let only the functions that declare a queue send to it', () => {
    for (const spec of FUNCTIONS) {
      const sends = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).includes('sqs:SendMessage'),
      );
      const targets = sends.flatMap((s) => asArray(s.Resource)).map(target);
      expect(targets.sort(), spec.id).toEqual(spec.sendsTo.map(queueIdOf).sort());
    }
  });

  it('let only a queue consumer receive, from its own queue', () => {
    for (const spec of FUNCTIONS) {
      const receives = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).includes('sqs:ReceiveMessage'),
      );
      const targets = receives.flatMap((s) => asArray(s.Resource)).map(target);
      expect(targets, spec.id).toEqual(
        spec.trigger.kind === 'queue' ? [queueIdOf(spec.trigger.queueId)] : [],
      );
    }
  });

  it('let only the e-mail senders send e-mail, and only from the sender identity', () => {
    const identityId = logicalIdOf(deployment.stateful.sender?.identity, 'the sender identity');
    for (const spec of FUNCTIONS) {
      const ses = statementsOf(functionIdOf(spec.id)).filter((s) =>
        asArray(s.Action).some((a) => a.startsWith('ses:')),
      );
      if (!spec.sendsEmail) {
        expect(ses, spec.id).toEqual([]);
        continue;
      }
      expect(actionsOf(ses).sort(), spec.id).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      for (const statement of ses) {
        const arn = (statement.Resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        expect(arn, spec.id).toContain(':identity/');
        expect(arn.map(target), spec.id).toContain(identityId);
      }
    }
  });
});

describe('the schedules', () => {
  const scheduled = FUNCTIONS.filter((f) => f.trigger.kind === 'schedule');

  it('are one EventBridge Scheduler schedule per scheduled function, in Vietnam time', () => {
    stateless.resourceCountIs('AWS::Scheduler::Schedule', scheduled.length);
    for (const spec of scheduled) {
      if (spec.trigger.kind !== 'schedule') continue;
      const [[, schedule] = []] = resourcesOf(stateless, 'AWS::Scheduler::Schedule').filter(
        ([, s]) => referencedId((s.Properties.Target as { Arn: unknown }).Arn) === functionIdOf(spec.id),
      );
      expect(schedule?.Properties.ScheduleExpression, spec.id).toBe(spec.trigger.expression);
      expect(schedule?.Properties.ScheduleExpressionTimezone, spec.id).toBe('Asia/Ho_Chi_Minh');
      expect(schedule?.Properties.State, spec.id).toBe('ENABLED');
    }
  });

  it('may invoke their function and nothing else, not even its other versions', () => {
    for (const [id, schedule] of resourcesOf(stateless, 'AWS::Scheduler::Schedule')) {
      const scheduleTarget = schedule.Properties.Target as { Arn: unknown; RoleArn: unknown };
      const statements = statementsOfRole(referencedId(scheduleTarget.RoleArn));
      expect(statements, id).toEqual([
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: scheduleTarget.Arn }),
      ]);
    }
  });
});

describe('the alarms', () => {
  // In the stateless stack's nested alarms stack: a value of the parent reaches it as a parameter, which
  // the nested stack's resource in the parent sets (followed here back to what the parent refers to).
  const nested = () => Template.fromStack(deployment.stateless.alarmsStack);
  const alarms = () => resourcesOf(nested(), 'AWS::CloudWatch::Alarm');
  const passed = () => {
    const stacks = resourcesOf(stateless, 'AWS::CloudFormation::Stack');
    expect(stacks).toHaveLength(1);
    return (stacks[0]?.[1].Properties.Parameters ?? {}) as Record<string, unknown>;
  };
  const targetOf = (value: unknown): string | undefined => {
    const ref = referencedId(value);
    const parameter = ref === undefined ? undefined : passed()[ref];
    return parameter === undefined ? target(value) : target(parameter);
  };
  const alarmsOn = (metricName: string, dimension: string, logicalId: string) =>
    alarms().filter(
      ([, a]) =>
        a.Properties.MetricName === metricName &&
        (a.Properties.Dimensions as { Name: string; Value: unknown }[]).some(
          (d) => d.Name === dimension && targetOf(d.Value) === logicalId,
        ),
    );

  it('leave the stateless stack within CloudFormation’s 500 resources, the alarms apart', () => {
    expect(Object.keys(stateless.toJSON().Resources).length).toBeLessThanOrEqual(500);
    expect(Object.keys(nested().toJSON().Resources).length).toBeLessThanOrEqual(500);
  });

  it('fire on the first message in any dead-letter queue', () => {
    for (const spec of QUEUES) {
      const found = alarmsOn('ApproximateNumberOfMessagesVisible', 'QueueName', deadLetterIdOf(spec.id));
      expect(found, spec.id).toHaveLength(1);
      expect(found[0]?.[1].Properties, spec.id).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('fire on any error and any throttle of every function', () => {
    for (const spec of FUNCTIONS) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn(metric, 'FunctionName', functionIdOf(spec.id));
        expect(found, `${spec.id} ${metric}`).toHaveLength(1);
        expect(found[0]?.[1].Properties.Threshold).toBe(1);
      }
    }
  });

  it('fire on any 5xx answer of the API', () => {
    const apiId = logicalIdOf(deployment.stateless.http.api, 'the API');
    const found = alarmsOn('5xx', 'ApiId', apiId);
    expect(found).toHaveLength(1);
    expect(found[0]?.[1].Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Threshold: 1 });
  });

  it('all notify the alarm topic, when they fire and when they clear', () => {
    expect(alarms()).toHaveLength(QUEUES.length + 2 * FUNCTIONS.length + 1);
    for (const [id, alarm] of alarms()) {
      expect(asArray(alarm.Properties.AlarmActions as unknown[]).map(targetOf), id).toEqual([topicId()]);
      expect(asArray(alarm.Properties.OKActions as unknown[]).map(targetOf), id).toEqual([topicId()]);
    }
  });
});

describe('the alarm topic and the sender identity', () => {
  it('refuse publishing without TLS, and let this account’s CloudWatch alarms publish', () => {
    const policy = onlyResource(stateful, 'AWS::SNS::TopicPolicy');
    const statements = (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ]),
    );
  });

  it('subscribe the alarm e-mail address given by context', () => {
    stateful.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: ALARM_EMAIL,
      TopicArn: { Ref: topicId() },
    });
  });

  it('verify the sender address given by context as an SES identity', () => {
    stateful.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: SENDER });
  });
});

describe('the stacks', () => {
  it('name no physical resource, so two stages fit in one account', () => {
    const named = Object.entries(resources).filter(([, r]) =>
      [
        'TableName',
        'QueueName',
        'FunctionName',
        'UserPoolName',
        'LogGroupName',
        'RoleName',
        'TopicName',
      ].some(
        (prop) =>
          r.Type !== 'AWS::Lambda::EventSourceMapping' &&
          r.Type !== 'AWS::Lambda::Permission' &&
          prop in r.Properties,
      ),
    );
    expect(named.map(([id]) => id)).toEqual([]);
  });

  it('are named after the stage, the stateless one deployed after the stateful one', () => {
    expect(deployment.stateful.stackName).toBe('giai-ngan-dev-stateful');
    expect(deployment.stateless.stackName).toBe('giai-ngan-dev-stateless');
    expect(deployment.stateless.dependencies).toContain(deployment.stateful);
  });

  it('output what docs/deploy.md uses: API URL, dashboard URL and access logs, user pool and client ids, table, documents and digest-anchors buckets, alarm topic', () => {
    const named = (template: Template) =>
      Object.keys(template.findOutputs('*')).filter((name) => !name.startsWith('PublishOutput'));
    expect(named(stateful).sort()).toEqual([
      'AlarmTopicArn',
      'DigestAnchorsBucketName',
      'DocumentsBucketName',
      'TableName',
      'UserPoolClientId',
      'UserPoolId',
    ]);
    expect(named(stateless).sort()).toEqual(['AccessLogGroupName', 'ApiUrl', 'DashboardUrl']);
  });
});
