import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type Deployment, defineDeployment } from '../../infra/deployment.ts';
import { deploymentSettings } from '../../infra/deployment-settings.ts';

export interface ProjectAppOptions {
  /** Context on top of cdk.json's, like `-c key=value`. */
  context?: Record<string, unknown>;
  /** Bundle the functions with esbuild (slow); without it, assets are fingerprinted but not built. */
  bundle?: boolean;
  /** CDK's built-in CloudFormation schema validation, which `cdk synth` runs (about 15 s on this app). */
  cloudFormationValidation?: boolean;
  /** Where the cloud assembly goes; a temporary folder of CDK's when absent. */
  outdir?: string;
}

/** A CDK app carrying cdk.json's context (feature flags, stage), so tests synthesize what `cdk synth` does. */
export const projectApp = (options: ProjectAppOptions = {}): App => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return new App({
    context: {
      ...cdkJson.context,
      ...options.context,
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    treeMetadata: false,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
};

/** One resource of a synthesized template, as far as the tests read it. */
export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** One IAM policy statement of a synthesized template. */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export const resourcesOf = (template: Template, type: string): [string, TemplateResource][] =>
  Object.entries(template.findResources(type) as Record<string, TemplateResource>);

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Outputs of a template by name, for following `Fn::GetStackOutput` references into it. */
export type StackOutputs = Record<string, { Value: unknown }>;

/**
 * The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }` points at, if it is one. A weak cross-stack
 * reference (`Fn::GetStackOutput`) is followed into the producing stack's outputs when they are given.
 */
export const referencedId = (value: unknown, outputs: StackOutputs = {}): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('Ref' in value && typeof value.Ref === 'string') return value.Ref;
  if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) {
    const [id] = value['Fn::GetAtt'] as unknown[];
    return typeof id === 'string' ? id : undefined;
  }
  if ('Fn::GetStackOutput' in value) {
    const { OutputName } = value['Fn::GetStackOutput'] as { OutputName?: unknown };
    const output = typeof OutputName === 'string' ? outputs[OutputName] : undefined;
    return output ? referencedId(output.Value, outputs) : undefined;
  }
  return undefined;
};

/** The one resource of a type in a template; fails when there is none or more than one. */
export const onlyResource = (template: Template, type: string): TemplateResource => {
  const found = resourcesOf(template, type);
  const [first] = found;
  if (found.length !== 1 || !first) throw new Error(`expected one ${type}, found ${found.length}`);
  return first[1];
};

/** The deployment as `cdk synth` defines it, without bundling: both stacks' templates and the stateful outputs. */
export const synthesizedDeployment = () => {
  const app = projectApp({ bundle: false });
  const deployment: Deployment = defineDeployment(app, deploymentSettings(app.node));
  const stateful = Template.fromStack(deployment.stateful);
  return {
    deployment,
    stateful,
    stateless: Template.fromStack(deployment.stateless),
    outputs: stateful.toJSON().Outputs as StackOutputs,
  };
};

/** The logical id of a construct's CloudFormation resource in its stack's template. */
export const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
