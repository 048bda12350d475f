import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessLogsBucket } from './access-logs-bucket.ts';

/** The documents bucket and its two access policies, as the functions receive them. */
export interface DocumentsAccess {
  bucket: s3.IBucket;
  access: Readonly<Record<DocumentsAccessKind, iam.IManagedPolicy>>;
}

/** The ways a function may use the bucket (FunctionSpec.documents). */
export type DocumentsAccessKind = 'read' | 'write' | 'imports' | 'imports-read';

/**
 * The payment dossiers' files (*hồ sơ, chứng từ*), keyed `<jurisdiction>/<requestId>/<docId>`: private
 * (all public access blocked, TLS only), encrypted, versioned (a replaced object keeps its earlier
 * version, so the file whose hash the ledger carries is never lost) and kept when its stack is deleted.
 * Users reach it only through the short-lived presigned URLs the functions sign.
 */
export class DocumentsBucket extends Construct implements DocumentsAccess {
  readonly bucket: s3.Bucket;
  /**
   * The two ways functions use the bucket, one object action each (a presigned URL acts with its
   * signer's permission): `write` presigns uploads (PutObject); `read` verifies uploads and presigns
   * downloads (GetObject). Imports keep their validated rows under `imports/` (the only prefix those
   * policies name): `imports` puts and reads them back (POST /imports), `imports-read` reads them (the
   * import worker). Managed policies beside the bucket, attached to the functions' roles.
   */
  readonly access: Readonly<Record<DocumentsAccessKind, iam.IManagedPolicy>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const logs = accessLogsBucket(this, 'AccessLogs', {
      logsOf: 'the documents bucket',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const policy = (name: string, action: string) => {
      const managed = new iam.ManagedPolicy(this, name, {
        description: `giai-ngan dossier documents: ${action} on the documents bucket's objects`,
        statements: [
          new iam.PolicyStatement({ actions: [action], resources: [this.bucket.arnForObjects('*')] }),
        ],
      });
      Validations.of(managed).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((this.bucket.node.defaultChild as CfnElement).logicalId)}.Arn>/*]`,
        reason:
          'Dossier files are keyed <jurisdiction>/<requestId>/<docId>, ids made at run time, so no narrower resource names them; the policy grants one object action on this one bucket.',
      });
      return managed;
    };
    const importsPolicy = (name: string, actions: string[]) => {
      const managed = new iam.ManagedPolicy(this, name, {
        description: `giai-ngan imports: ${actions.join(', ')} on the documents bucket's imports/ objects`,
        statements: [
          new iam.PolicyStatement({ actions, resources: [this.bucket.arnForObjects('imports/*')] }),
        ],
      });
      Validations.of(managed).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).resolve((this.bucket.node.defaultChild as CfnElement).logicalId)}.Arn>/imports/*]`,
        reason:
          'Import rows are keyed imports/<jurisdiction>/<importId>.json, ids made at run time; the policy names the imports/ prefix of this one bucket only.',
      });
      return managed;
    };
    this.access = {
      write: policy('WriteAccess', 's3:PutObject'),
      read: policy('ReadAccess', 's3:GetObject'),
      imports: importsPolicy('ImportsAccess', ['s3:PutObject', 's3:GetObject']),
      'imports-read': importsPolicy('ImportsReadAccess', ['s3:GetObject']),
    };
  }
}
