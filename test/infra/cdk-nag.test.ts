import { type App, type CfnElement, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { constructId } from '../../infra/construct-id.ts';
import { type Deployment, defineDeployment } from '../../infra/deployment.ts';
import { deploymentSettings } from '../../infra/deployment-settings.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
import { projectApp } from './project-app.ts';

/** `cdk synth` with the given context, without bundling (cdk-nag reads the templates, not the code). */
const synthesize = (context: Record<string, unknown>, cloudFormationValidation = false) => {
  const app = projectApp({ context, bundle: false, cloudFormationValidation });
  const deployment = defineDeployment(app, deploymentSettings(app.node));
  return { app, deployment };
};

/** cdk-nag's unacknowledged findings, one readable line each. */
const findings = (app: App): string[] =>
  new AwsSolutionsChecks()
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
    );

/** Every acknowledgement in the app: rule, construct path and reason. */
const acknowledgements = (app: App) =>
  app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({
          rule: rule.replace(/^[^:]+::/, ''),
          path: construct.node.path,
          reason,
        })),
      ),
  );

const PRODUCTION = {
  stage: 'prod',
  mfa: 'required',
  senderEmail: 'alerts@example.org',
  alarmEmail: 'ops@example.org',
};

describe('cdk-nag AwsSolutions checks', () => {
  // `cdk synth` runs CDK's own CloudFormation validation as well; one case here does too.
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['the default settings (npm run synth)', {}, true],
    ['production settings: MFA required, sender and alarm e-mail', PRODUCTION, false],
  ];

  for (const [name, context, cloudFormationValidation] of cases) {
    it(`find nothing unacknowledged with ${name}, and synthesis passes every check`, () => {
      const { app } = synthesize(context, cloudFormationValidation);
      expect(findings(app)).toEqual([]);
      // The checks are registered on the app itself, so `cdk synth` fails on any finding.
      expect(() => app.synth()).not.toThrow();
    }, 120_000);
  }

  it('fail synthesis of the app on a finding nobody acknowledged', () => {
    const { app, deployment } = synthesize({});
    new sqs.Queue(deployment.stateful, 'QueueWithoutDeadLetters', { enforceSSL: true });
    expect(findings(app)).toEqual([
      expect.stringContaining('AwsSolutions-SQS3 at GiaiNganDevStateful/QueueWithoutDeadLetters'),
    ]);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  }, 120_000);

  it("are acknowledged only for the public health and subscription-confirmation routes, the hand-rotated cursor and confirmation keys, optional MFA while it is optional, the dashboard's CDN and log bucket, the documents' and digest anchors' log buckets and object grants, and CDK's own upload and CORS functions", () => {
    const rulesAt = (deployment: Deployment, app: App) =>
      acknowledgements(app)
        .map(
          (a) =>
            `${a.rule} ${a.path.replace(`${deployment.stateful.node.id}/`, '').replace(`${deployment.stateless.node.id}/`, '')}`,
        )
        .sort();
    const defaults = synthesize({});
    const site = defaults.deployment.stateless.resolve(
      (defaults.deployment.stateless.dashboard.bucket.node.defaultChild as CfnElement).logicalId,
    );
    const uploader = (rule: string) =>
      `${rule} Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB`;
    const files = defaults.deployment.stateful.resolve(
      (defaults.deployment.stateful.documents.bucket.node.defaultChild as CfnElement).logicalId,
    );
    const documents = [
      'AwsSolutions-S1 Documents/AccessLogs',
      ...['WriteAccess', 'ReadAccess'].map(
        (name) => `AwsSolutions-IAM5[Resource::<${files}.Arn>/*] Documents/${name}`,
      ),
      // Imports keep their rows under imports/ (ids made at run time): the prefix is the narrowest resource.
      ...['ImportsAccess', 'ImportsReadAccess'].map(
        (name) => `AwsSolutions-IAM5[Resource::<${files}.Arn>/imports/*] Documents/${name}`,
      ),
      // CDK's AwsCustomResource function, which puts the bucket's CORS rule naming the dashboard.
      ...[
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-L1',
      ].map((rule) => `${rule} AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`),
    ];
    const digests = defaults.deployment.stateful.resolve(
      (defaults.deployment.stateful.digestAnchors.bucket.node.defaultChild as CfnElement).logicalId,
    );
    // The digest-anchors bucket: its log bucket, the ledger-digests/ prefix, and SSE-KMS's GenerateDataKey*.
    const digestAnchors = [
      'AwsSolutions-S1 DigestAnchors/AccessLogs',
      ...['WriteAccess', 'ReadAccess'].map(
        (name) => `AwsSolutions-IAM5[Resource::<${digests}.Arn>/ledger-digests/*] DigestAnchors/${name}`,
      ),
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] DigestAnchors/WriteAccess',
    ];
    const dashboard = [
      'AwsSolutions-CFR1 Dashboard/Cdn',
      'AwsSolutions-CFR2 Dashboard/Cdn',
      'AwsSolutions-CFR4 Dashboard/Cdn',
      'AwsSolutions-S1 Dashboard/AccessLogs',
      uploader(
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ),
      ...[
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Resource::*',
        `Resource::<${site}.Arn>/*`,
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      ].map((f) => uploader(`AwsSolutions-IAM5[${f}]`)),
      uploader('AwsSolutions-L1'),
    ];
    // Active tracing: X-Ray's two write actions exist only on "*", on every function's role.
    const tracing = [...new Set(FUNCTIONS.map((f) => constructId(f.id)))].map(
      (name) => `AwsSolutions-IAM5[Resource::*] Functions/${name}Role`,
    );
    expect(rulesAt(defaults.deployment, defaults.app)).toEqual(
      [
        'AwsSolutions-APIG4 Http/Api/GET--alerts--acknowledge',
        'AwsSolutions-APIG4 Http/Api/GET--health',
        'AwsSolutions-APIG4 Http/Api/GET--subscriptions--confirm',
        'AwsSolutions-APIG4 Http/Api/POST--alerts--acknowledge',
        'AwsSolutions-COG2 Users/UserPool',
        'AwsSolutions-SMG4 CursorSecret',
        'AwsSolutions-SMG4 SubscriptionConfirmSecret',
        ...dashboard,
        ...documents,
        ...digestAnchors,
        ...tracing,
      ].sort(),
    );
    const production = synthesize(PRODUCTION);
    expect(rulesAt(production.deployment, production.app)).toEqual(
      [
        'AwsSolutions-APIG4 Http/Api/GET--alerts--acknowledge',
        'AwsSolutions-APIG4 Http/Api/GET--health',
        'AwsSolutions-APIG4 Http/Api/GET--subscriptions--confirm',
        'AwsSolutions-APIG4 Http/Api/POST--alerts--acknowledge',
        'AwsSolutions-SMG4 CursorSecret',
        'AwsSolutions-SMG4 SubscriptionConfirmSecret',
        ...dashboard,
        ...documents,
        ...digestAnchors,
        ...tracing,
      ].sort(),
    );
  }, 120_000);

  it('carry a specific reason with every acknowledgement', () => {
    const { app } = synthesize({});
    for (const { rule, reason } of acknowledgements(app)) {
      console.log(`acknowledged ${rule}: ${reason}`);
      expect(reason.length, rule).toBeGreaterThanOrEqual(80);
    }
  }, 120_000);
});

describe('a deployment without a sender address', () => {
  const senderWarnings = (context: Record<string, unknown>) =>
    Annotations.fromStack(synthesize(context).deployment.stateless).findWarning(
      '*',
      Match.stringLikeRegexp('-c senderEmail='),
    );

  it('warns that alert e-mails cannot be sent, when a function of the topology sends e-mail', () => {
    expect(senderWarnings({})).toHaveLength(FUNCTIONS.some((spec) => spec.sendsEmail) ? 1 : 0);
    expect(senderWarnings({ senderEmail: 'alerts@example.org' })).toHaveLength(0);
  }, 120_000);
});
