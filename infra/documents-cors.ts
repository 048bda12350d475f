import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { documentsCorsConfiguration } from '../shared/documents/topology.ts';

export interface DocumentsCorsProps {
  bucket: s3.IBucket;
  /** The dashboard's origins (its CloudFront URL): the only ones the rule allows. */
  origins: readonly string[];
}

/**
 * The documents bucket's CORS rule (shared/documents/topology.ts): the dashboard's origin, and no
 * other, may PUT a file to a presigned upload URL and GET one. The bucket lives in the stateful stack
 * and the dashboard's CloudFront URL in the stateless one, which depends on it: the bucket's own `cors`
 * property cannot name that URL (a dependency cycle), so this custom resource, beside the dashboard,
 * puts the rule with S3's PutBucketCors once the distribution exists and again whenever the rule or the
 * URL changes (and removes it with the stack). Its function may do that on this one bucket only.
 */
export class DocumentsCors extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: DocumentsCorsProps) {
    super(scope, id);
    const put: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: {
        Bucket: props.bucket.bucketName,
        CORSConfiguration: documentsCorsConfiguration(props.origins),
      },
      physicalResourceId: cr.PhysicalResourceId.of('documents-cors'),
    };
    this.resource = new cr.AwsCustomResource(this, 'Rule', {
      resourceType: 'Custom::DocumentsCors',
      onCreate: put,
      onUpdate: put,
      onDelete: {
        service: 'S3',
        action: 'deleteBucketCors',
        parameters: { Bucket: props.bucket.bucketName },
      },
      // PutBucketCors and DeleteBucketCors both take s3:PutBucketCORS.
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [props.bucket.bucketArn] }),
      ]),
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS }),
    });
    // The call runs as CDK's own singleton function, built by aws-cdk-lib rather than this code.
    const provider = Stack.of(this).node.tryFindChild(
      `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's AwsCustomResource function runs with AWSLambdaBasicExecutionRole, which lets it write its own CloudWatch logs and nothing else; aws-cdk-lib creates that role, and the function runs only during deployments.",
      });
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of CDK's AwsCustomResource function is chosen by aws-cdk-lib and follows its releases; it runs only while a deployment puts the documents bucket's CORS rule.",
      });
    }
  }
}
