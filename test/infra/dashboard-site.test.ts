import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, defineDeployment } from '../../infra/deployment.ts';
import { deploymentSettings } from '../../infra/deployment-settings.ts';
import { openApiDocument } from '../../shared/platform/http/openapi.ts';
import { dashboardContentSecurityPolicy } from '../../shared/platform/http/security-headers.ts';
import { ROUTES } from '../../shared/routes.ts';
import { logicalIdOf, projectApp, resourcesOf } from './project-app.ts';

let deployment: Deployment;
let stateless: Template;

beforeAll(() => {
  const app = projectApp({ bundle: false });
  deployment = defineDeployment(app, deploymentSettings(app.node));
  stateless = Template.fromStack(deployment.stateless);
}, 120_000);

const idOf = logicalIdOf;
/** The properties of the one resource of a type in the stateless stack. */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the template holds.
const only = (type: string): any => {
  const found = resourcesOf(stateless, type);
  expect(found, type).toHaveLength(1);
  return found[0]?.[1].Properties;
};
const distributionDomain = () => ({
  'Fn::GetAtt': [idOf(deployment.stateless.dashboard.distribution), 'DomainName'],
});

describe('the dashboard site', () => {
  it('keeps its files in a private, encrypted, TLS-only bucket that logs access', () => {
    const site = deployment.stateless.dashboard.bucket;
    const bucket = stateless.toJSON().Resources[idOf(site)];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption).toBeDefined();
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('site/');
    stateless.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: idOf(site) },
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('is served by CloudFront over HTTPS only, reading the bucket through origin access control, with access logs', () => {
    const config = only('AWS::CloudFront::Distribution').DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]?.OriginAccessControlId).toBeDefined();
    expect(config.Logging.Prefix).toBe('cloudfront/');
    stateless.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    stateless.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: Match.anyValue() }),
          }),
        ]),
      }),
    });
  });

  it('signs users in through the hosted UI: a public code-flow client calling back to the CloudFront URL', () => {
    const client = stateless.toJSON().Resources[idOf(deployment.stateless.dashboard.client)].Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(JSON.stringify(client.CallbackURLs)).toContain(JSON.stringify(distributionDomain()));
    stateless.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('lets the API be called from the dashboard origin only, with the headers the dashboard sends', () => {
    const cors = only('AWS::ApiGatewayV2::Api').CorsConfiguration;
    expect(cors.AllowOrigins).toHaveLength(1);
    expect(JSON.stringify(cors.AllowOrigins)).toContain(JSON.stringify(distributionDomain()));
    expect(cors.AllowHeaders).toEqual(
      expect.arrayContaining(['authorization', 'idempotency-key', 'content-type']),
    );
  });

  it('allows every method and exposes every response header the routes document', () => {
    const cors = only('AWS::ApiGatewayV2::Api').CorsConfiguration;
    const methods = new Set(ROUTES.map((r) => r.method));
    expect(methods).toContain('PUT');
    expect([...cors.AllowMethods].sort()).toEqual([...methods, 'OPTIONS'].sort());
    const documented = Object.values(openApiDocument().paths ?? {}).flatMap((item) =>
      Object.values(item ?? {}).flatMap((op) =>
        Object.values((op as { responses?: Record<string, { headers?: object }> }).responses ?? {}).flatMap(
          (r) => Object.keys(r.headers ?? {}).map((h) => h.toLowerCase()),
        ),
      ),
    );
    // Cache-Control is one of the response headers every browser may read (the Fetch safelist).
    const needed = [...new Set(documented)].filter((h) => h !== 'cache-control');
    expect([...cors.ExposeHeaders].sort()).toEqual(needed.sort());
  });

  it('sends the dashboard’s security headers from a response-headers policy: CSP allowing the API and Cognito, no framing, nosniff, no referrer', () => {
    const config = only('AWS::CloudFront::Distribution').DistributionConfig;
    const headers = only('AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;
    const [policyId] = resourcesOf(stateless, 'AWS::CloudFront::ResponseHeadersPolicy').map(([id]) => id);
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.StrictTransportSecurity.Override).toBe(true);
    expect(headers.ContentSecurityPolicy.Override).toBe(true);
    // The same policy the local gateway sends, with the API's and the hosted UI's origins to connect to.
    const csp = JSON.stringify(
      Stack.of(deployment.stateless).resolve(headers.ContentSecurityPolicy.ContentSecurityPolicy),
    );
    const local = dashboardContentSecurityPolicy([]);
    for (const directive of local.split('; ').filter((d) => !d.startsWith('connect-src'))) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("connect-src 'self' https://*.execute-api.");
    expect(csp).toContain(idOf(deployment.stateless.dashboard.domain));
    expect(csp).toContain('.amazoncognito.com');
  });

  it('uploads the build with a config.json naming the API, the hosted UI and the client, and invalidates the cache', () => {
    const props = only('Custom::CDKBucketDeployment');
    expect(props.DistributionPaths).toEqual(['/*']);
    expect(props.DestinationBucketName).toEqual({ Ref: idOf(deployment.stateless.dashboard.bucket) });
    const markers = JSON.stringify(props.SourceMarkers);
    expect(markers).toContain(idOf(deployment.stateless.dashboard.client));
    expect(markers).toContain(idOf(deployment.stateless.http.api));
    expect(markers).toContain(idOf(deployment.stateless.dashboard.domain));
    expect(markers).toContain(idOf(deployment.stateless.dashboard.distribution));
  });
});
