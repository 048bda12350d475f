import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ALERT_EMAIL_DOMAINS_ENV } from '../shared/monitoring/topology.ts';
import { FUNCTIONS } from '../shared/topology.ts';
import { constructId } from './construct-id.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/** The two stacks of one stage. */
export interface Deployment {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * One stage of the system in an app: the stateful stack, the stateless stack built on it, and cdk-nag's
 * AwsSolutions checks, which fail synthesis on any finding not acknowledged with a reason.
 */
export const defineDeployment = (app: App, settings: DeploymentSettings): Deployment => {
  const { stage } = settings;
  const prefix = `GiaiNgan${constructId(stage)}`;
  // Environment-agnostic on purpose: synthesis needs no account, region or look-up.
  const stateful = new StatefulStack(app, `${prefix}Stateful`, {
    stackName: `giai-ngan-${stage}-stateful`,
    description: `Giải ngân disbursement ledger (${stage}): table, queues, users, e-mail identity, alarm topic`,
    settings,
  });
  const stateless = new StatelessStack(app, `${prefix}Stateless`, {
    stackName: `giai-ngan-${stage}-stateless`,
    description: `Giải ngân disbursement ledger (${stage}): functions, HTTP API, schedules, alarms, web dashboard`,
    state: stateful,
    stage,
    functionSettings: { [ALERT_EMAIL_DOMAINS_ENV]: settings.alertEmailDomains.join(',') },
  });

  if (!settings.senderEmail && FUNCTIONS.some((spec) => spec.sendsEmail)) {
    Validations.of(stateless).addWarning(
      'NoSenderEmail',
      'No -c senderEmail=… was given: the e-mail identity is not created, and neither alert e-mails nor subscription confirmations can be sent. Pass it to cdk deploy.',
    );
  }

  Tags.of(app).add('project', 'giai-ngan');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless };
};
