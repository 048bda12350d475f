import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../aws/logger.ts';
import { API_ERROR_MESSAGES_VI, type ApiErrorCode } from '../error-catalogue.ts';
import { errorMessageVi } from '../error-words.ts';
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

/** The languages an error message is answered in: English by default, Vietnamese on request. */
export type ErrorLanguage = 'en' | 'vi';

/**
 * The language an `Accept-Language` header asks for among those the API speaks: the one with the
 * highest weight (`vi`, `vi-VN`, `vi;q=0.9, en;q=0.5` → vi); English when it names neither or is absent.
 */
export const errorLanguageOf = (acceptLanguage: string | undefined): ErrorLanguage => {
  let best: { lang: ErrorLanguage; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.trim().split('-')[0];
    if (primary !== 'vi' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (best === undefined || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'en';
};

/** The message of an error: the thrower's own (English) words, or the catalogue's Vietnamese ones. */
const messageOf = (
  code: ApiErrorCode,
  english: string,
  language: ErrorLanguage,
  details?: Record<string, unknown>,
): string => {
  if (language === 'en') return english;
  const words = errorMessageVi(code, details) ?? API_ERROR_MESSAGES_VI[code];
  const field = details?.field;
  return typeof field === 'string' ? `${words} (Trường: ${field}.)` : words;
};

/**
 * The one mapping of errors to HTTP: typed errors keep their code; a 5xx never echoes internals. The
 * code never depends on the language; only the message does (`Accept-Language: vi`).
 */
export const errorResponse = (
  error: unknown,
  requestId: string,
  language: ErrorLanguage = 'en',
): APIGatewayProxyStructuredResultV2 => {
  if (error instanceof AppError && !(error instanceof ServiceUnavailableError)) {
    return json(error.status, {
      error: {
        code: error.code,
        message: messageOf(error.code, error.message, language, error.details),
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
          message: messageOf(
            'service_unavailable',
            'The service is briefly busy. Retry in a moment, with the same Idempotency-Key if the call had one.',
            language,
          ),
        },
      },
      { 'retry-after': '1' },
    );
  }
  logger.error('unhandled error', { requestId, error });
  return json(500, {
    error: {
      code: 'internal_error',
      message:
        language === 'vi'
          ? `${API_ERROR_MESSAGES_VI.internal_error} (Mã yêu cầu ${requestId}.)`
          : `Something went wrong on our side (request ${requestId}).`,
    },
  });
};
