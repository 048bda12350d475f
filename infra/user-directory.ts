import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../shared/domain/funding-line.ts';
import { constructId } from './construct-id.ts';

/**
 * The Cognito user pool that issues the API's tokens: one group per role (tokens carry them in
 * `cognito:groups`) and a `custom:commune` attribute scoping commune-level staff.
 */
export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, roles: readonly Role[]) {
    super(scope, id);

    // Accounts are issued by the district, never self-registered.
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { commune: new cognito.StringAttribute({ mutable: true }) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    });

    for (const role of roles) {
      // Group names are what the functions check, so they are the role names themselves.
      this.userPool.addGroup(`${constructId(role)}Group`, { groupName: role });
    }

    // The commune scopes what a user may approve, so users must not be able to rewrite it themselves:
    // the client may write the e-mail only; administrators set the commune.
    this.client = this.userPool.addClient('ApiClient', {
      authFlows: { userSrp: true },
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      generateSecret: false,
      preventUserExistenceErrors: true,
    });
  }
}
