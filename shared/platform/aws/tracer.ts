import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { SERVICE_NAME } from '../topology.ts';

/**
 * Whether this process traces, by Powertools' own rule (`Tracer#setTracingEnabled`): in a Lambda
 * execution environment (`AWS_EXECUTION_ENV` set), neither the Amplify mock nor SAM local, unless
 * `POWERTOOLS_TRACE_ENABLED` is `false`.
 */
export const tracingEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.AWS_EXECUTION_ENV) &&
  env.AWS_EXECUTION_ENV !== 'AWS_Lambda_amplify-mock' &&
  !env.AWS_SAM_LOCAL &&
  env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';

/**
 * Loaded only where it traces. Importing the X-Ray SDK installs an async hook with a destroy callback on
 * every promise of the process (its `cls-hooked` context, automatic mode), whether or not anything is
 * recorded: in the local runtime, where the tracer records nothing, that hook took about 8% of the
 * process's CPU under the benchmark's load (docs/performance.md, "Store efficiency, third pass").
 */
const powertools = tracingEnabled()
  ? await Promise.all([
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ])
  : undefined;

/**
 * X-Ray tracing of the functions (the CDK app turns active tracing on): a segment per invocation and
 * a subsegment per AWS SDK call of the shared clients. Undefined outside Lambda, where it would record
 * nothing.
 */
export const tracer: Tracer | undefined =
  powertools &&
  new powertools[0].Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });

/** The client with a subsegment per call where the process traces; the client itself elsewhere. */
export const traced = <C>(client: C): C => (tracer ? tracer.captureAWSv3Client(client) : client);

/**
 * The invocation's segment as a middy middleware, where the process traces. Responses can hold personal
 * data (payees, e-mail addresses): not copied into traces.
 */
export const tracingMiddleware = <E>(): MiddlewareObj<E, unknown, Error, Context>[] =>
  powertools && tracer
    ? [
        powertools[1].captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj<
          E,
          unknown,
          Error,
          Context
        >,
      ]
    : [];
