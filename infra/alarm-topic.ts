import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Subscribed by e-mail when given; the address confirms the subscription once. */
  email?: string;
}

/**
 * Where the operational alarms go. It lives with the stateful resources so that its e-mail
 * subscription, confirmed by hand, survives any redeployment of the functions.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    // Alarm notifications carry alarm names and metric values, no ledger data, so the topic keeps
    // SNS's default encryption in transit and is not given a customer-managed key.
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'giai-ngan alarms', enforceSSL: true });

    // The TLS-only policy replaces SNS's default one, so CloudWatch alarms of this account are allowed
    // to publish explicitly, and nothing else is.
    const { account } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );

    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
