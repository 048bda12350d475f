import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';
import { tracingMiddleware } from './tracer.ts';

type Middleware<E> = MiddlewareObj<E, unknown, Error, Context>;

/**
 * The middy middlewares every function starts with: the logger's Lambda context (function name,
 * request id, cold start) and the invocation's correlation id (the one `correlationOf` finds in the
 * event, else the invocation's own request id), keys appended during the invocation cleared after it;
 * and, in Lambda, the invocation's X-Ray segment.
 */
export const observability = <E>(
  correlationOf: (event: E) => string | undefined = () => undefined,
): Middleware<E>[] => [
  injectLambdaContext(logger, { resetKeys: true }) as Middleware<E>,
  {
    before: (request) => {
      logger.setCorrelationId(correlationOf(request.event) ?? request.context.awsRequestId);
    },
  },
  ...tracingMiddleware<E>(),
];
