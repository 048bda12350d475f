import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../shared/platform/roles.ts';
import { constructId } from './construct-id.ts';
import type { MfaMode } from './deployment-settings.ts';

export interface UserDirectoryProps {
  roles: readonly Role[];
  mfa: MfaMode;
}

/**
 * The Cognito user pool that issues the API's tokens: one group per role (tokens carry them in
 * `cognito:groups`), a `custom:jurisdiction` attribute naming the jurisdiction the user works for (one
 * pool, one stack, every jurisdiction: the attribute, not the deployment, keeps their data apart) and a
 * `custom:commune` attribute scoping commune-level staff.
 */
export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are issued by the district, never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Custom attributes can be added to a live pool but never removed or changed: both stay mutable so
      // an administrator can move a user.
      customAttributes: {
        commune: new cognito.StringAttribute({ mutable: true }),
        jurisdiction: new cognito.StringAttribute({ mutable: true }),
      },
      // A changed address takes effect only once verified: until then tokens keep carrying the old one,
      // so nobody can put an address they do not own into their tokens.
      autoVerify: { email: true },
      keepOriginal: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Plus brings threat protection (compromised-credential checks, adaptive authentication) and
      // password history; a district has tens of users, so it costs a few dollars a month.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      mfa: props.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      // Authenticator apps only: SMS would need an SNS sending role, a spend limit and a sandbox exit.
      mfaSecondFactor: { otp: true, sms: false },
      // Who may approve what lives here: losing the pool would lock every approver out.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional only while a stage is set up and its users enrol an authenticator app (-c mfa=optional, the default); production stages deploy with -c mfa=required, which clears this finding.',
      });
    }

    for (const role of props.roles) {
      // Group names are what the functions check, so they are the role names themselves.
      this.userPool.addGroup(`${constructId(role)}Group`, { groupName: role });
    }

    // The jurisdiction and commune scope what a user may see and approve, so users must not be able to
    // rewrite them themselves: the client may write the e-mail only; administrators set both.
    this.client = this.userPool.addClient('ApiClient', {
      // SRP for applications; USER_PASSWORD_AUTH (over TLS) so staff and scripts can sign in with the
      // AWS CLI, as docs/deploy.md shows.
      authFlows: { userSrp: true, userPassword: true },
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Short-lived tokens: a revoked approver loses access within the hour, and must sign in daily.
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
