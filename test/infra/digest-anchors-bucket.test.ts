import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../infra/deployment.ts';
import { FORBIDDEN_ANCHOR_ACTIONS } from '../../infra/digest-anchors-bucket.ts';
import {
  DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS,
  DIGEST_ANCHOR_RETENTION_YEARS_ENV,
  DIGEST_ANCHORS_BUCKET_ENV,
} from '../../shared/audit/topology.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
import {
  asArray,
  logicalIdOf,
  type PolicyStatement,
  referencedId,
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
const anchors = () => deployment.stateful.digestAnchors;
const bucketId = () => idOf(anchors().bucket);
const functionResource = (specId: string): TemplateResource => {
  const fn = deployment.stateless.functions.byId.get(specId);
  if (!fn) throw new Error(`no function ${specId}`);
  return stateless.toJSON().Resources[idOf(fn)];
};
const managedPoliciesOf = (specId: string): string[] => {
  const role = stateless.toJSON().Resources[referencedId(functionResource(specId).Properties.Role) ?? ''];
  return asArray((role.Properties.ManagedPolicyArns ?? []) as unknown[]).flatMap(
    (arn) => referencedId(arn, outputs) ?? [],
  );
};
const bucketPolicy = (): PolicyStatement[] => {
  const policies = Object.values(stateful.findResources('AWS::S3::BucketPolicy')) as TemplateResource[];
  const policy = policies.find((p) => referencedId(p.Properties.Bucket) === bucketId());
  if (!policy) throw new Error('the digest-anchors bucket has no bucket policy');
  return (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
};

describe('the digest-anchors bucket', () => {
  it('locks every document in compliance mode for 10 years by default, versioned, and is kept when its stack is deleted', () => {
    const bucket = statefulResource(bucketId());
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3653 } },
    });
    expect(DEFAULT_DIGEST_ANCHOR_RETENTION_YEARS).toBe(10);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('is private, access-logged and encrypted with its own rotating KMS key', () => {
    const bucket = statefulResource(bucketId());
    const keyId = idOf(deployment.stateful.digestAnchors.key);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ],
    });
    expect(statefulResource(keyId).Properties.EnableKeyRotation).toBe(true);
    expect(bucket.Properties.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'digest-anchors/' });
    // Its own key: the documents bucket does not use it.
    expect(JSON.stringify(statefulResource(idOf(deployment.stateful.documents.bucket)))).not.toContain(keyId);
  });

  it('refuses to everyone plain HTTP, a put without If-None-Match, and any delete or retention change', () => {
    const statements = bucketPolicy();
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] };
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual({
      Sid: 'DenyPutWithoutIfNoneMatch',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { Null: { 's3:if-none-match': 'true' } },
    });
    expect(statements).toContainEqual({
      Sid: 'DenyDeleteAndRetentionChanges',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...FORBIDDEN_ANCHOR_ACTIONS].sort(),
      Resource: [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, objects],
    });
    expect(FORBIDDEN_ANCHOR_ACTIONS).toEqual(
      expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion']),
    );
    // No statement of the bucket allows anything.
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });
});

describe('the functions and the digest-anchors bucket', () => {
  it('are the digest job, which writes, and verification, which reads; no other', () => {
    expect(Object.fromEntries(FUNCTIONS.filter((f) => f.anchors).map((f) => [f.id, f.anchors]))).toEqual({
      'ledger-digest': 'write',
      'verify-ledger': 'read',
    });
  });

  it('give the bucket name and its one policy to those functions (the retention to the writer), and neither to any other', () => {
    const policyOf = (kind: 'read' | 'write') => idOf(anchors().access[kind] as unknown as IConstruct);
    const anchorPolicies = new Set([policyOf('read'), policyOf('write')]);
    for (const spec of FUNCTIONS) {
      const env = (functionResource(spec.id).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const policies = managedPoliciesOf(spec.id).filter((id) => anchorPolicies.has(id));
      if (spec.anchors) {
        expect(referencedId(env[DIGEST_ANCHORS_BUCKET_ENV], outputs), spec.id).toBe(bucketId());
        expect(policies, spec.id).toEqual([policyOf(spec.anchors)]);
        expect(env[DIGEST_ANCHOR_RETENTION_YEARS_ENV], spec.id).toBe(
          spec.anchors === 'write' ? '10' : undefined,
        );
      } else {
        expect(env[DIGEST_ANCHORS_BUCKET_ENV], spec.id).toBeUndefined();
        expect(policies, spec.id).toEqual([]);
      }
    }
  });

  it('let the writer put and read back under ledger-digests/ only, and the reader only read; never delete', () => {
    const statementsOf = (kind: 'read' | 'write') =>
      (
        statefulResource(idOf(anchors().access[kind] as unknown as IConstruct)).Properties.PolicyDocument as {
          Statement: PolicyStatement[];
        }
      ).Statement;
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/ledger-digests/*']] };
    const key = { 'Fn::GetAtt': [idOf(anchors().key), 'Arn'] };
    const list = {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: { 'Fn::GetAtt': [bucketId(), 'Arn'] },
    };
    expect(statementsOf('write')).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: objects },
      list,
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: key },
    ]);
    expect(statementsOf('read')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects },
      list,
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key },
    ]);
  });
});
