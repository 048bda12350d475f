import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tracingEnabled } from '../../shared/platform/aws/tracer.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('tracingEnabled: Powertools’ own rule', () => {
  const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };
  it.each([
    [{}, false],
    [lambda, true],
    [{ ...lambda, POWERTOOLS_TRACE_ENABLED: 'FALSE' }, false],
    [{ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    [{ ...lambda, AWS_SAM_LOCAL: 'true' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
  ])('%o → %s', (env, expected) => {
    expect(tracingEnabled(env)).toBe(expected);
  });
});

/** Whether importing the shared clients in a fresh process loads the X-Ray SDK (its cls-hooked namespace). */
const loadsXRay = (env: NodeJS.ProcessEnv): boolean => {
  const out = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `await import('./shared/platform/aws/aws-clients.ts'); await import('./shared/platform/aws/observability.ts');
       console.log(JSON.stringify(Object.keys(process.namespaces ?? {})));`,
    ],
    { cwd: ROOT, env: { ...process.env, AWS_EXECUTION_ENV: '', ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  if (out.status !== 0) throw new Error(out.stderr);
  return (JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '[]') as string[]).includes('AWSXRay');
};

describe('the X-Ray SDK, and its async hook on every promise, is loaded only where the process traces', () => {
  it('outside Lambda (the local runtime, the tests): not loaded', () => {
    expect(loadsXRay({})).toBe(false);
  });
  it('in Lambda: loaded', () => {
    expect(loadsXRay({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toBe(true);
  });
});
