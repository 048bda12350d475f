import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../infra/deployment.ts';
import { DOCUMENTS_BUCKET_ENV } from '../../shared/documents/topology.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
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

const idOf = logicalIdOf;
const statefulResource = (id: string): TemplateResource => stateful.toJSON().Resources[id];
const functionResource = (specId: string): TemplateResource => {
  const fn = deployment.stateless.functions.byId.get(specId);
  if (!fn) throw new Error(`no function ${specId}`);
  return stateless.toJSON().Resources[idOf(fn)];
};
/** The logical ids (in the stateful stack) of the managed policies attached to a function's role. */
const managedPoliciesOf = (specId: string): string[] => {
  const role = stateless.toJSON().Resources[referencedId(functionResource(specId).Properties.Role) ?? ''];
  return asArray((role.Properties.ManagedPolicyArns ?? []) as unknown[]).flatMap(
    (arn) => referencedId(arn, outputs) ?? [],
  );
};

describe('the documents bucket', () => {
  it('is private, encrypted, versioned, TLS-only, logs access and is kept when its stack is deleted', () => {
    const bucket = statefulResource(idOf(deployment.stateful.documents.bucket));
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'documents/' });
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: idOf(deployment.stateful.documents.bucket) },
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('is reached through two policies of one object action each: PutObject to presign uploads, GetObject to verify and download', () => {
    const bucketArn = { 'Fn::GetAtt': [idOf(deployment.stateful.documents.bucket), 'Arn'] };
    for (const [kind, action] of [
      ['write', 's3:PutObject'],
      ['read', 's3:GetObject'],
    ] as const) {
      const policy = statefulResource(
        idOf(deployment.stateful.documents.access[kind] as unknown as IConstruct),
      );
      const statements = (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
      expect(statements).toEqual([
        { Effect: 'Allow', Action: action, Resource: { 'Fn::Join': ['', [bucketArn, '/*']] } },
      ]);
    }
  });
  it('is reached for imports through two policies naming the imports/ prefix only: put and get to import, get to apply', () => {
    const bucketArn = { 'Fn::GetAtt': [idOf(deployment.stateful.documents.bucket), 'Arn'] };
    for (const [kind, action] of [
      ['imports', ['s3:GetObject', 's3:PutObject']],
      ['imports-read', 's3:GetObject'],
    ] as const) {
      const policy = statefulResource(
        idOf(deployment.stateful.documents.access[kind] as unknown as IConstruct),
      );
      const statements = (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
      expect(statements, kind).toEqual([
        { Effect: 'Allow', Action: action, Resource: { 'Fn::Join': ['', [bucketArn, '/imports/*']] } },
      ]);
    }
  });
});

describe('the functions and the documents bucket', () => {
  const withDocuments = FUNCTIONS.filter((f) => f.documents !== undefined);

  it('are the register, verify and download functions and the imports’ only, the register one writing', () => {
    expect(Object.fromEntries(withDocuments.map((f) => [f.id, f.documents]))).toEqual({
      'register-document': 'write',
      'verify-document': 'read',
      'download-document': 'read',
      'start-import': 'imports',
      'import-worker': 'imports-read',
    });
  });

  it('give the bucket name and its one policy to those functions, and neither to any other', () => {
    const policyOf = (kind: NonNullable<(typeof FUNCTIONS)[number]['documents']>) =>
      idOf(deployment.stateful.documents.access[kind] as unknown as IConstruct);
    for (const spec of FUNCTIONS) {
      const env = (functionResource(spec.id).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const bucket = referencedId(env[DOCUMENTS_BUCKET_ENV], outputs);
      // The documents bucket's policies among the role's (the digest-anchors bucket's have their own test).
      const documentsPolicies = new Set(
        Object.values(deployment.stateful.documents.access).map((p) => idOf(p as unknown as IConstruct)),
      );
      const policies = managedPoliciesOf(spec.id).filter((id) => documentsPolicies.has(id));
      if (spec.documents) {
        expect(bucket, spec.id).toBe(idOf(deployment.stateful.documents.bucket));
        expect(policies, spec.id).toEqual([policyOf(spec.documents)]);
      } else {
        expect(env[DOCUMENTS_BUCKET_ENV], spec.id).toBeUndefined();
        expect(policies, spec.id).toEqual([]);
      }
    }
  });

  it('grant no S3 action in any function role’s own policy: only the bucket’s two policies do', () => {
    const roles = new Set(FUNCTIONS.map((spec) => referencedId(functionResource(spec.id).Properties.Role)));
    const actions = resourcesOf(stateless, 'AWS::IAM::Policy')
      .filter(([, p]) => asArray(p.Properties.Roles as unknown[]).some((r) => roles.has(referencedId(r))))
      .flatMap(([, p]) =>
        (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.flatMap((s) =>
          asArray(s.Action),
        ),
      );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
  });
});

describe('the documents bucket and the dashboard (browser uploads)', () => {
  /** A template value with every reference written `<logical id>` (a joined string read back as text). */
  const textOf = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const joined = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (joined) return joined[1].map(textOf).join(joined[0]);
    return `<${referencedId(value, outputs) ?? JSON.stringify(value)}>`;
  };
  const bucketId = () => idOf(deployment.stateful.documents.bucket);
  const cdnId = () => idOf(deployment.stateless.dashboard.distribution);

  it('allows the dashboard’s CloudFront origin only, to PUT and GET with the headers a presigned upload signs (CORS)', () => {
    const [found, ...more] = resourcesOf(stateless, 'Custom::DocumentsCors');
    expect(more).toEqual([]);
    const props = found?.[1].Properties ?? {};
    for (const phase of ['Create', 'Update']) {
      const call = JSON.parse(textOf(props[phase]));
      expect(call, phase).toMatchObject({ service: 'S3', action: 'putBucketCors' });
      expect(call.parameters, phase).toEqual({
        Bucket: `<${bucketId()}>`,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [`https://<${cdnId()}>`],
              AllowedMethods: ['PUT', 'GET'],
              AllowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      });
    }
    expect(JSON.parse(textOf(props.Delete))).toMatchObject({
      action: 'deleteBucketCors',
      parameters: { Bucket: `<${bucketId()}>` },
    });
    // The custom resource's function may change this bucket's CORS rule and do nothing else.
    const [, policy] =
      resourcesOf(stateless, 'AWS::IAM::Policy').find(([id]) => id.startsWith('DocumentsCors')) ?? [];
    if (!policy) throw new Error('no policy for the documents CORS resource');
    expect(
      (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.map((st) => ({
        ...st,
        Resource: textOf(st.Resource),
      })),
    ).toEqual([{ Effect: 'Allow', Action: 's3:PutBucketCORS', Resource: `<${bucketId()}>` }]);
  });

  it('lets the dashboard’s page connect to the bucket’s regional domain (CSP), where presigned URLs point', () => {
    const [, policy] = resourcesOf(stateless, 'AWS::CloudFront::ResponseHeadersPolicy')[0] ?? [];
    if (!policy) throw new Error('no response headers policy');
    const csp = textOf(
      (
        policy.Properties.ResponseHeadersPolicyConfig as Record<
          string,
          Record<string, Record<string, unknown>>
        >
      ).SecurityHeadersConfig?.ContentSecurityPolicy?.ContentSecurityPolicy,
    );
    expect(csp).toMatch(new RegExp(`connect-src 'self' [^;]* https://<${bucketId()}>(;|$)`));
  });
});
