import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessLogsBucket } from './access-logs-bucket.ts';

/** The ways a function may use the digest-anchors bucket (FunctionSpec.anchors). */
export type DigestAnchorsAccessKind = 'read' | 'write';

/** The digest-anchors bucket, its retention, and its two access policies, as the functions receive them. */
export interface DigestAnchorsAccess {
  bucket: s3.IBucket;
  /** Years each document stays locked (DIGEST_ANCHOR_RETENTION_YEARS of the writer). */
  retentionYears: number;
  access: Readonly<Record<DigestAnchorsAccessKind, iam.IManagedPolicy>>;
}

/** Object actions nobody may take on the bucket, whatever their IAM policy (the bucket policy denies them). */
export const FORBIDDEN_ANCHOR_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutLifecycleConfiguration',
];

/**
 * The daily ledger digests kept outside the table (issue 21, docs/integrity.md "Proof outside the
 * table"): Object Lock in **compliance** mode (no one, the account's root included, can delete or
 * shorten the lock of a document version before its retention ends), a default retention of
 * `retentionYears` as a backstop to the writer's own, versioning (Object Lock needs it), its own KMS
 * key, TLS only, private, access-logged, kept when its stack is deleted. The bucket policy refuses to
 * everyone a put without `If-None-Match` (no new version over a day's document) and every delete,
 * retention or lifecycle change. Only the digest job may put (`write`); verification reads (`read`).
 */
export class DigestAnchorsBucket extends Construct implements DigestAnchorsAccess {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly retentionYears: number;
  readonly access: Readonly<Record<DigestAnchorsAccessKind, iam.IManagedPolicy>>;

  constructor(scope: Construct, id: string, props: { retentionYears: number }) {
    super(scope, id);
    this.retentionYears = props.retentionYears;
    const logs = accessLogsBucket(this, 'AccessLogs', {
      logsOf: 'the digest-anchors bucket',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key = new kms.Key(this, 'Key', {
      description: 'giai-ngan ledger digests anchored outside the table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Digests', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      // Whole calendar years in days (10 years hold at most 3 leap days): never shorter than the law's.
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        Duration.days(Math.ceil(props.retentionYears * 365.25)),
      ),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'digest-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyPutWithoutIfNoneMatch',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDeleteAndRetentionChanges',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: FORBIDDEN_ANCHOR_ACTIONS,
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      }),
    );

    const bucketId = Stack.of(this).resolve((this.bucket.node.defaultChild as CfnElement).logicalId);
    const policy = (name: string, objectActions: string[], keyActions: string[]) => {
      const managed = new iam.ManagedPolicy(this, name, {
        description: `giai-ngan ledger digests: ${objectActions.join(', ')} on the digest-anchors bucket`,
        statements: [
          new iam.PolicyStatement({
            actions: objectActions,
            resources: [this.bucket.arnForObjects('ledger-digests/*')],
          }),
          // Lists the documents (the latest day), and lets a HEAD of a missing key answer 404, not 403.
          new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
          new iam.PolicyStatement({ actions: keyActions, resources: [this.key.keyArn] }),
        ],
      });
      Validations.of(managed).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/ledger-digests/*]`,
        reason:
          'Digest documents are keyed ledger-digests/<jurisdiction>/<date>.json, one per jurisdiction and day, made at run time; the policy names that prefix of this one bucket.',
      });
      if (keyActions.includes('kms:GenerateDataKey*'))
        Validations.of(managed).acknowledge({
          id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          reason:
            'A put under SSE-KMS needs GenerateDataKey (S3 may call either of its two forms); granted on the bucket’s own key only, no other key of the account.',
        });
      return managed;
    };
    this.access = {
      write: policy('WriteAccess', ['s3:PutObject', 's3:GetObject'], ['kms:GenerateDataKey*', 'kms:Decrypt']),
      read: policy('ReadAccess', ['s3:GetObject'], ['kms:Decrypt']),
    };
  }
}
