import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/** A CDK app carrying cdk.json's context (feature flags, stage), so tests synthesize what `cdk synth` does. */
export const projectApp = (extraContext: Record<string, unknown> = {}): App => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return new App({ context: { ...cdkJson.context, ...extraContext } });
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
}

export const resourcesOf = (template: Template, type: string): [string, TemplateResource][] =>
  Object.entries(template.findResources(type) as Record<string, TemplateResource>);

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }` points at, if it is one. */
export const referencedId = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('Ref' in value && typeof value.Ref === 'string') return value.Ref;
  if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) {
    const [id] = value['Fn::GetAtt'] as unknown[];
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
};
