import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { constructId } from './construct-id.ts';

export interface OperationalAlarmsProps {
  topic: sns.ITopic;
  /** Dead-letter queues by the topology id of the queue they serve. */
  deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  /** Functions by topology id. */
  functions: ReadonlyMap<string, lambda.IFunction>;
  api: apigw.IHttpApi;
}

/** SQS publishes its metrics every five minutes, so no alarm looks at a shorter window. */
const PERIOD = Duration.minutes(5);

/**
 * The alarms an operator must hear about, each to the alarm topic (and again when it clears): any
 * message in any dead-letter queue, any function error or throttle, any 5xx of the API. In a system
 * that moves public money each of these is an incident, so every threshold is one occurrence.
 */
export class OperationalAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means no messages, no invocations or no requests: nothing is wrong.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
    };

    for (const [queueId, deadLetters] of props.deadLetterQueues) {
      alarm(
        `${constructId(queueId)}DeadLetterAlarm`,
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        `Messages of ${queueId} failed every retry and wait in its dead-letter queue. Read them, fix the cause, then redrive them (docs/deploy.md, "When an alarm fires").`,
      );
    }

    for (const [functionId, fn] of props.functions) {
      const name = constructId(functionId);
      alarm(
        `${name}ErrorsAlarm`,
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        `Function ${functionId} failed; its log group has the error.`,
      );
      alarm(
        `${name}ThrottlesAlarm`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        `Function ${functionId} was throttled: the account's concurrency limit was reached.`,
      );
    }

    alarm(
      'Api5xxAlarm',
      props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      'The API answered with a 5xx; the access logs and the route function logs tell which and why.',
    );
  }
}
