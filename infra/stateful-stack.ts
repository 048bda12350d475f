import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ROLES } from '../shared/platform/roles.ts';
import { TABLE } from '../shared/platform/topology.ts';
import { FUNCTIONS, QUEUES } from '../shared/topology.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { constructId } from './construct-id.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { type DigestAnchorsAccess, DigestAnchorsBucket } from './digest-anchors-bucket.ts';
import { type DocumentsAccess, DocumentsBucket } from './documents-bucket.ts';
import { LedgerTable } from './ledger-table.ts';
import { TopologyQueues } from './topology-queues.ts';
import { UserDirectory } from './user-directory.ts';

/** The sender of alert e-mails: its address, and the SES identity the functions may send from. */
export interface SenderIdentity {
  address: string;
  identity: ses.IEmailIdentity;
}

/** What the stateless stack builds on; the stateful stack provides it. */
export interface StatefulResources {
  table: dynamodb.ITable;
  /** Queues by topology id. */
  queues: ReadonlyMap<string, sqs.IQueue>;
  /** Dead-letter queues by the topology id of the queue they serve. */
  deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  userPool: cognito.IUserPool;
  userPoolClient: cognito.IUserPoolClient;
  alarmTopic: sns.ITopic;
  /** Absent when the deployment was given no `-c senderEmail=`. */
  sender?: SenderIdentity;
  /** Managed secrets by the environment variable that carries them (FunctionSpec.secrets). */
  secrets: ReadonlyMap<string, secretsmanager.ISecret>;
  /** The payment dossiers' files and their access policies (FunctionSpec.documents). */
  documents: DocumentsAccess;
  /** The daily digests kept outside the table, under Object Lock (FunctionSpec.anchors). */
  digestAnchors: DigestAnchorsAccess;
}

export interface StatefulStackProps extends StackProps {
  settings: DeploymentSettings;
}

/**
 * Everything that holds data or identity and must outlive a redeployment: the ledger table, the queues
 * and their dead letters, the users, the e-mail identity and the alarm topic. It changes rarely; the
 * stateless stack can be replaced at will.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly table: dynamodb.Table;
  readonly queues: ReadonlyMap<string, sqs.Queue>;
  readonly deadLetterQueues: ReadonlyMap<string, sqs.Queue>;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly alarmTopic: sns.Topic;
  readonly sender?: SenderIdentity;
  readonly secrets: ReadonlyMap<string, secretsmanager.ISecret>;
  readonly documents: DocumentsBucket;
  readonly digestAnchors: DigestAnchorsBucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const ledger = new LedgerTable(this, 'Ledger', TABLE);
    const queues = new TopologyQueues(this, 'Queues', QUEUES);
    const users = new UserDirectory(this, 'Users', { roles: ROLES, mfa: settings.mfa });
    const alarms = new AlarmTopic(this, 'Alarms', settings.alarmEmail ? { email: settings.alarmEmail } : {});

    this.table = ledger.table;
    this.queues = queues.byId;
    this.deadLetterQueues = queues.deadLetterById;
    this.userPool = users.userPool;
    this.userPoolClient = users.client;
    this.alarmTopic = alarms.topic;
    this.documents = new DocumentsBucket(this, 'Documents');
    this.digestAnchors = new DigestAnchorsBucket(this, 'DigestAnchors', {
      retentionYears: settings.anchorRetentionYears,
    });

    // One generated secret per name the functions declare (today: the keys signing page cursors and
    // subscriptions' confirmation links).
    const secrets = new Map<string, secretsmanager.ISecret>();
    for (const name of new Set(FUNCTIONS.flatMap((f) => f.secrets ?? []))) {
      const secret = new secretsmanager.Secret(this, constructId(name.toLowerCase().replace(/_/g, '-')), {
        description: `giai-ngan ${name}`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'A signing key (page cursors, or confirmation links), not a credential: rotating it only ends the paging of open queries or voids the links not yet followed, so it is rotated by hand (a new generated value) rather than by a rotation Lambda.',
      });
      secrets.set(name, secret);
    }
    this.secrets = secrets;

    if (settings.senderEmail) {
      // SES mails the address a verification link at deployment; nothing is sent until it is clicked.
      const identity = new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: ses.Identity.email(settings.senderEmail),
      });
      this.sender = { address: settings.senderEmail, identity };
    }

    new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: ledger.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documents.bucket.bucketName });
    new CfnOutput(this, 'DigestAnchorsBucketName', { value: this.digestAnchors.bucket.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
  }
}
