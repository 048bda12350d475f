import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';

/**
 * An EventBridge Scheduler target invoking a function's unqualified ARN. CDK's `LambdaInvoke` grants
 * `lambda:InvokeFunction` on every version and alias too (`<arn>:*`); schedules here only ever run the
 * latest code, so the role may invoke exactly that and no wildcard is left to justify.
 */
export class ScheduledInvoke extends schedulerTargets.ScheduleTargetBase {
  constructor(
    private readonly fn: lambda.IFunction,
    props: schedulerTargets.ScheduleTargetBaseProps = {},
  ) {
    super(props, fn.functionArn);
  }

  protected addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
  }
}
