import { App, Tags } from 'aws-cdk-lib';
import { constructId } from './construct-id.ts';
import { GiaiNganStack } from './giai-ngan-stack.ts';

const app = new App();

const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
  throw new Error(
    `Context "stage" must be lower-case letters, digits and dashes (e.g. -c stage=dev); got ${String(stage)}.`,
  );
}

// Environment-agnostic on purpose: synthesis needs no account, region or look-up.
const stack = new GiaiNganStack(app, `GiaiNgan${constructId(stage)}`, {
  stackName: `giai-ngan-${stage}`,
  description: `Giải ngân disbursement ledger (${stage})`,
  stage,
});
Tags.of(stack).add('project', 'giai-ngan');
Tags.of(stack).add('stage', stage);
