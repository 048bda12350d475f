import { App } from 'aws-cdk-lib';
import { defineDeployment } from './deployment.ts';
import { deploymentSettings } from './deployment-settings.ts';

// `cdk synth` / `cdk deploy --all` entry point: one stage, chosen with `-c stage=…` (see docs/deploy.md).
const app = new App();
defineDeployment(app, deploymentSettings(app.node));
