import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { corsPolicy } from '../shared/platform/http/cors.ts';
import type { FunctionSpec } from '../shared/platform/topology.ts';
import { constructId } from './construct-id.ts';

/**
 * Default throttling of every route. A district has tens of staff; these limits leave room for bulk
 * imports and the 50-concurrent-submissions test, yet cap what a leaked token can cost.
 */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Access logs are the record of who called what, so they are kept for a year. */
const ACCESS_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** One JSON line per request; `sub` ties a call to a user of the pool without logging any token. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    sub: '$context.authorizer.claims.sub',
    authorizerError: '$context.authorizer.error',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * Why each public route may go without a token. A route made public in shared/ledger/http/routes.ts without
 * an entry here fails cdk-nag (AwsSolutions-APIG4) until someone writes down why it is safe.
 */
const PUBLIC_ROUTE_REASONS: Readonly<Record<string, string>> = {
  'GET /health':
    'Liveness probe for uptime checks: it answers {"status":"ok"} from a function that reads and writes no data, so it needs no token.',
  'GET /subscriptions/confirm':
    'The link e-mailed to a subscribed address, opened by its owner, who has no account: the HMAC-signed, expiring token in the link is the proof; the function may only get and update subscription items.',
  'GET /alerts/acknowledge':
    "The acknowledge link of an alert e-mail, opened from the recipient's mailbox: the HMAC-signed, expiring token naming the alert, its jurisdiction and the recipient is the proof; the page only shows the alert (mail scanners prefetch links) and the function may only get and update alert items.",
  'POST /alerts/acknowledge':
    "The one button of the acknowledge page: the same HMAC-signed, expiring token is the proof, and it acknowledges that one alert of that one jurisdiction in the recipient's name; the function may only get and update alert items.",
};

export interface HttpApiProps {
  functions: readonly FunctionSpec[];
  /** Functions by topology id, as built by TopologyFunctions. */
  handlers: ReadonlyMap<string, lambda.IFunction>;
  userPool: cognito.IUserPool;
  /** App clients whose ID tokens the API accepts (the API client, the dashboard's hosted-UI client). */
  clients: readonly cognito.IUserPoolClient[];
  /** Browser origins allowed to call the API (the dashboard's CloudFront URL). */
  corsOrigins?: readonly string[];
}

/**
 * The HTTP API: one route per HTTP-triggered function. API Gateway checks every token against the
 * user pool (signature, issuer, audience, expiry) except on public routes; the functions then check
 * groups per route.
 */
export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const cors = corsPolicy(
      props.functions.flatMap((f) => (f.trigger.kind === 'http' ? [f.trigger.route] : [])),
    );
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Giải ngân disbursement ledger API',
      // The default stage is declared below, with access logging and throttling.
      createDefaultStage: false,
      ...(props.corsOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              // Derived from the routes: every method they take, every header they read or answer.
              allowMethods: cors.allowMethods.map((m) => apigw.CorsHttpMethod[m]),
              allowHeaders: cors.allowHeaders,
              exposeHeaders: cors.exposeHeaders,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: ACCESS_LOG_RETENTION });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const { region, urlSuffix } = Stack.of(this);
    const issuer = `https://cognito-idp.${region}.${urlSuffix}/${props.userPool.userPoolId}`;
    // Audience = the app clients: ID tokens carry theirs in `aud`, and the functions read the caller's
    // email, cognito:groups and custom:commune from the ID token.
    const jwt = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: props.clients.map((c) => c.userPoolClientId),
    });
    const none = new apigw.HttpNoneAuthorizer();

    for (const spec of props.functions) {
      if (spec.trigger.kind !== 'http') continue;
      const route = spec.trigger.route;
      const handler = props.handlers.get(spec.id);
      if (!handler)
        throw new Error(`No function was built for route ${route.method} ${route.path} (${spec.id}).`);
      const isPublic = route.roles === 'public';
      const [built] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${constructId(spec.id)}Integration`, handler),
        authorizer: isPublic ? none : jwt,
      });
      const publicReason = PUBLIC_ROUTE_REASONS[`${route.method} ${route.path}`];
      if (isPublic && built && publicReason) {
        Validations.of(built).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicReason });
      }
    }
  }
}
