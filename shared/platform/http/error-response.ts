import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../aws/logger.ts';
import { AppError, ServiceUnavailableError } from '../errors.ts';
import { isTransient } from '../transient-failure.ts';
import { API_SECURITY_HEADERS } from './security-headers.ts';

export { isTransient };

/** Every answer of the API leaves through here: its security headers cannot be forgotten by a route. */
export const apiResponse = (
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { ...headers, ...API_SECURITY_HEADERS },
  body,
});

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 =>
  apiResponse(statusCode, JSON.stringify(body), {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });

/** The one mapping of errors to HTTP: typed errors keep their code; a 5xx never echoes internals. */
export const errorResponse = (error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof AppError && !(error instanceof ServiceUnavailableError)) {
    return json(error.status, {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    });
  }
  if (isTransient(error)) {
    logger.warn('transient failure', { requestId, error: String(error) });
    return json(
      503,
      {
        error: {
          code: 'service_unavailable',
          message:
            'The service is briefly busy. Retry in a moment, with the same Idempotency-Key if the call had one.',
        },
      },
      { 'retry-after': '1' },
    );
  }
  logger.error('unhandled error', { requestId, error });
  return json(500, {
    error: { code: 'internal_error', message: `Something went wrong on our side (request ${requestId}).` },
  });
};
