import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../shared/topology.ts';
import { constructId } from './construct-id.ts';

export interface HttpApiProps {
  functions: readonly FunctionSpec[];
  /** Functions by topology id, as built by TopologyFunctions. */
  handlers: ReadonlyMap<string, lambda.IFunction>;
  userPool: cognito.IUserPool;
  client: cognito.IUserPoolClient;
}

/**
 * The HTTP API: one route per HTTP-triggered function. API Gateway checks every token against the
 * user pool (signature, issuer, audience, expiry) except on public routes; the functions then check
 * groups per route.
 */
export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', { description: 'Giải ngân disbursement ledger API' });

    const { region, urlSuffix } = Stack.of(this);
    const issuer = `https://cognito-idp.${region}.${urlSuffix}/${props.userPool.userPoolId}`;
    const jwt = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: [props.client.userPoolClientId],
    });
    const none = new apigw.HttpNoneAuthorizer();

    for (const spec of props.functions) {
      if (spec.trigger.kind !== 'http') continue;
      const route = spec.trigger.route;
      const handler = props.handlers.get(spec.id);
      if (!handler)
        throw new Error(`No function was built for route ${route.method} ${route.path} (${spec.id}).`);
      this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${constructId(spec.id)}Integration`, handler),
        authorizer: route.roles === 'public' ? none : jwt,
      });
    }
  }
}
