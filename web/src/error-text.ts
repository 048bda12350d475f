import { errorMessageVi } from '../../shared/platform/error-words.ts';
import { ApiError } from './api.ts';
import { type Lang, lang, t } from './i18n.ts';

/** The code an answer without the API's error body stands for, by its HTTP status. */
const codeOfStatus = (status: number): string | undefined => {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'service_unavailable';
  if (status >= 500) return 'internal_error';
  return undefined;
};

/**
 * What a failure says in the screen's language. In Vietnamese an API refusal is the code's own words
 * (what to do) and its code, never the API's English message; an unknown code gets a generic sentence
 * and the code. A failed `fetch` (no network) says so. In English the API's own message is shown.
 */
export const errorText = (error: unknown, language: Lang = lang()): string => {
  const m = t();
  if (error instanceof ApiError) {
    if (language === 'en') return `${error.message} (${error.code})`;
    const code = error.code === 'http_error' ? (codeOfStatus(error.status) ?? error.code) : error.code;
    const details = error.details as Record<string, unknown> | undefined;
    const words = errorMessageVi(code, details) ?? m.errors[code] ?? m.errorGeneric;
    const field = details?.field;
    const where = typeof field === 'string' ? ` ${m.errorField}: ${field}.` : '';
    return `${words}${where} (${m.errorCode}: ${error.code})`;
  }
  if (error instanceof TypeError) return m.errors.network_error ?? m.errorGeneric;
  return error instanceof Error ? error.message : String(error);
};
