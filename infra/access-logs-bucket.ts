import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * A private, encrypted, TLS-only bucket receiving other buckets' (or a distribution's) access logs for
 * a year. It does not log its own access: that would log its own log deliveries in a loop.
 */
export const accessLogsBucket = (
  scope: Construct,
  id: string,
  props: { logsOf: string; objectOwnership?: s3.ObjectOwnership; removalPolicy?: RemovalPolicy },
): s3.Bucket => {
  const logs = new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(365) }],
    ...(props.objectOwnership ? { objectOwnership: props.objectOwnership } : {}),
    ...(props.removalPolicy ? { removalPolicy: props.removalPolicy } : {}),
  });
  Validations.of(logs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: `This is the bucket that receives the access logs of ${props.logsOf}; logging it into itself would log its own log deliveries in a loop.`,
  });
  return logs;
};
