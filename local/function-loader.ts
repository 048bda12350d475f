import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../shared/platform/topology.ts';

// biome-ignore lint/suspicious/noExplicitAny: handlers take the event type of their trigger.
export type LambdaHandler = (event: any, context: Context) => Promise<any>;

export interface LoadedFunction {
  spec: FunctionSpec;
  handler: LambdaHandler;
}

const repoRoot = resolve(import.meta.dirname, '..');

/**
 * Imports a function's entry file as its own module instance (so init code such as config read
 * from the environment runs per function, as in Lambda), with the function's environment set while
 * it initialises.
 */
export const loadFunction = async (spec: FunctionSpec): Promise<LoadedFunction> => {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(spec.environment)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  try {
    const url = `${pathToFileURL(resolve(repoRoot, spec.entry)).href}?function=${encodeURIComponent(spec.id)}`;
    const module = (await import(url)) as { handler?: LambdaHandler };
    if (typeof module.handler !== 'function') throw new Error(`${spec.entry} does not export a handler`);
    return { spec, handler: module.handler };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};

let invocations = 0;

/** The function an SDK call is made for (the benchmark attributes requests with it). */
export const currentFunction = new AsyncLocalStorage<string>();

/**
 * One invocation of a function, as the SDK middleware of a reliability run sees it: the AWS calls
 * made so far, and the error it "died" of when a crash was injected (local/sdk-faults.ts).
 */
export interface Invocation {
  functionId: string;
  awsCalls: number;
  died?: Error;
}

/** The invocation an SDK call is made for. */
export const currentInvocation = new AsyncLocalStorage<Invocation>();

/** Invocations per function id since start (the benchmark reads it to count Lambda invocations). */
export const invocationCounts = new Map<string, number>();

/**
 * Called as each invocation ends, with its function and event: the benchmark waits on the approval
 * consumers' invocations instead of polling the table (which loaded the store it measures).
 */
export const invocationListeners = new Set<(functionId: string, event: unknown) => void>();

/** A Lambda-like context for one invocation. */
export const lambdaContext = (spec: FunctionSpec): Context => {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const awsRequestId = `local-${process.pid}-${++invocations}-${Date.now().toString(36)}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: spec.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${spec.id}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${spec.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

/**
 * Lambda's per-invocation store, in the mode Lambda uses when one environment runs invocations
 * concurrently (AWS_LAMBDA_MAX_CONCURRENCY): locally every function shares one process, so the
 * Powertools logger keeps each invocation's context and correlation id apart through it.
 */
let invokeStore: Promise<Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>> | undefined;
const invocationStore = () => {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  invokeStore ??= InvokeStore.getInstanceAsync(true);
  return invokeStore;
};

/** Runs a handler with the function's timeout, as Lambda would stop it. */
export const invoke = async (fn: LoadedFunction, event: unknown): Promise<unknown> => {
  invocationCounts.set(fn.spec.id, (invocationCounts.get(fn.spec.id) ?? 0) + 1);
  const store = await invocationStore();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${fn.spec.id} timed out after ${fn.spec.timeoutSeconds} s`)),
      fn.spec.timeoutSeconds * 1000,
    );
  });
  const invocation: Invocation = { functionId: fn.spec.id, awsCalls: 0 };
  const context = lambdaContext(fn.spec);
  const run = () =>
    store.run({ [Symbol.for('_AWS_LAMBDA_REQUEST_ID')]: context.awsRequestId }, () =>
      currentInvocation.run(invocation, () =>
        currentFunction.run(fn.spec.id, () => fn.handler(event, context)),
      ),
    );
  try {
    const result = await Promise.race([run(), timeout]);
    // A Lambda that died mid-way returns nothing to its caller, whatever its code did afterwards.
    if (invocation.died) throw invocation.died;
    return result;
  } catch (error) {
    throw invocation.died ?? error;
  } finally {
    clearTimeout(timer);
    for (const listener of invocationListeners) listener(fn.spec.id, event);
  }
};
