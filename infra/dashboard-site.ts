import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DockerImage, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  DASHBOARD_REFERRER_POLICY,
  dashboardContentSecurityPolicy,
} from '../shared/platform/http/security-headers.ts';
import { accessLogsBucket } from './access-logs-bucket.ts';

/** CloudFront's name for the dashboard's referrer policy (shared/platform/http/security-headers.ts chooses it). */
const referrerPolicy = (): cloudfront.HeadersReferrerPolicy => {
  const found = Object.values(cloudfront.HeadersReferrerPolicy).find((p) => p === DASHBOARD_REFERRER_POLICY);
  if (!found) throw new Error(`CloudFront has no referrer policy ${DASHBOARD_REFERRER_POLICY}`);
  return found;
};

export interface DashboardSiteProps {
  userPool: cognito.IUserPool;
  /** The repository root: the dashboard is built from web/ there. */
  repoRoot: string;
  /** Names the hosted-UI domain (`giai-ngan-<stage>-<account>`), so stages and accounts never collide. */
  stage: string;
  /** The documents bucket, which the page uploads to and downloads from through presigned URLs. */
  documentsBucket?: s3.IBucket;
}

/**
 * The web dashboard as a static site: a private S3 bucket read by CloudFront through origin access
 * control, HTTPS only, access logs for both; Cognito's hosted UI (its domain and a public app client
 * doing the authorization code flow with PKCE, calling back to the CloudFront URL).
 */
export class DashboardSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** `https://<id>.cloudfront.net`: the dashboard's origin, allowed by the API's CORS. */
  readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DashboardSiteProps,
  ) {
    super(scope, id);
    const logs = accessLogsBucket(this, 'AccessLogs', {
      logsOf: 'the dashboard bucket and of its CloudFront distribution',
      // CloudFront's standard logs are delivered with an ACL, which needs object-writer ownership.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
    });
    const { account, region } = Stack.of(this);
    this.domain = new cognito.UserPoolDomain(this, 'HostedUi', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: Fn.join('-', ['giai-ngan', props.stage, account]) },
    });
    // The dashboard's security headers (the set the local gateway sends too). The page fetches the API
    // and Cognito's token endpoint. The API is named by its service domain in this region, not by its
    // id: the API's CORS names this distribution, so naming the API here would be a dependency cycle.
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `giai-ngan dashboard (${props.stage}): CSP, no framing, no sniffing, no referrer, HSTS`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: dashboardContentSecurityPolicy([
            `https://*.execute-api.${region}.amazonaws.com`,
            this.domain.baseUrl(),
            // Presigned URLs name the bucket by its regional virtual-hosted domain.
            ...(props.documentsBucket ? [`https://${props.documentsBucket.bucketRegionalDomainName}`] : []),
          ]),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: referrerPolicy(), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: `giai-ngan dashboard (${props.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Edge locations in Asia, Vietnam's included, without paying for every one in the world.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: district staff sign in from wherever they travel, and the site serves only static files; every figure comes from the API behind Cognito tokens.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL: the distribution serves a few static files and no data; the API it calls has its own throttling and a JWT authorizer, so a web ACL would add cost and no protection of data.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate (no custom domain is configured), for which CloudFront cannot pin a minimum TLS version; HTTPS is enforced by redirect, and a stage with its own domain and ACM certificate gets TLSv1.2_2021.',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // A public client (no secret: the code runs in a browser) that may only use the code flow with PKCE.
    this.client = new cognito.UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${this.url}/`],
        logoutUrls: [`${this.url}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }

  /**
   * Uploads the built dashboard and a `config.json` telling it the API's URL and the hosted UI. The
   * build runs on this machine (esbuild, no Docker), only when the stack is bundled.
   */
  deploy(apiUrl: string): s3deploy.BucketDeployment {
    const { repoRoot } = this.props;
    const site = s3deploy.Source.asset(join(repoRoot, 'web'), {
      exclude: ['dist'],
      bundling: {
        image: DockerImage.fromRegistry('unused-built-locally'),
        local: {
          tryBundle: (outputDir: string) => {
            execFileSync(process.execPath, ['scripts/run.mjs', 'web/build.ts', '--outdir', outputDir], {
              cwd: repoRoot,
              stdio: 'inherit',
            });
            return true;
          },
        },
      },
    });
    const config = s3deploy.Source.jsonData('config.json', {
      apiUrl,
      cognito: {
        domain: this.domain.baseUrl(),
        clientId: this.client.userPoolClientId,
        redirectUri: `${this.url}/`,
      },
    });
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [site, config],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // index.html and config.json change with each deployment; the bundle is small enough not to cache long.
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 256,
      // Its own log group, so CDK's upload function gets no log group named after it.
      logGroup: new logs.LogGroup(this, 'DeployLogs', { retention: logs.RetentionDays.THREE_MONTHS }),
    });
    // The upload runs as CDK's own singleton function, built by aws-cdk-lib rather than this code.
    const uploader = Stack.of(this)
      .node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))
      .at(0);
    if (uploader) {
      const acknowledge = (findings: string[], reason: string) => {
        for (const id of findings) Validations.of(uploader).acknowledge({ id, reason });
      };
      acknowledge(
        [
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        ],
        "CDK's BucketDeployment function runs with AWSLambdaBasicExecutionRole, which lets it write its own CloudWatch logs and nothing else; aws-cdk-lib creates that role, and the function runs only during deployments.",
      );
      const site = Stack.of(this).resolve(
        (this.bucket.node.defaultChild as s3.CfnBucket).logicalId,
      ) as string;
      acknowledge(
        [
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          'Action::s3:Abort*',
          'Action::s3:DeleteObject*',
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
          `Resource::<${site}.Arn>/*`,
        ].map((f) => `AwsSolutions-IAM5[${f}]`),
        "CDK's BucketDeployment function copies the build from the CDK asset bucket into the dashboard bucket and prunes old files: aws-cdk-lib grants it those object actions on the objects of exactly these two buckets.",
      );
      acknowledge(
        ['AwsSolutions-IAM5[Resource::*]'],
        "CDK's BucketDeployment function invalidates the dashboard's CloudFront cache after an upload; aws-cdk-lib grants cloudfront:CreateInvalidation and GetInvalidation on any distribution, and it runs only during deployments.",
      );
      acknowledge(
        ['AwsSolutions-L1'],
        "The runtime of CDK's BucketDeployment function (Python, with the AWS CLI layer) is chosen by aws-cdk-lib and follows its releases; it runs only while a deployment uploads the dashboard.",
      );
    }
    return deployment;
  }
}
