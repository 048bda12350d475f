import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.ts';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Finds the first number written with a fraction or an exponent (`1.5`, `1e9`, `100.0`), outside strings.
 * Every number of this API is a whole number, and JSON.parse would silently turn `1e9` into an integer.
 */
const firstNonIntegerNumber = (text: string): { token: string; key?: string } | undefined => {
  let lastKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i, j + 1);
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k] ?? '')) k++;
      if (text[k] === ':') lastKey = JSON.parse(literal) as string;
      i = j;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      let j = i;
      while (j < text.length && /[-+0-9.eE]/.test(text[j] ?? '')) j++;
      const token = text.slice(i, j);
      if (/[.eE]/.test(token)) return { token, ...(lastKey !== undefined ? { key: lastKey } : {}) };
      i = j - 1;
    }
  }
  return undefined;
};

/** Parses a JSON request body with the API's limits: size, media type, syntax, whole numbers only. */
export const parseJsonBody = (
  rawBody: string | undefined,
  isBase64Encoded: boolean,
  contentType: string | undefined,
): unknown => {
  const text =
    rawBody === undefined ? '' : isBase64Encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `The body is larger than ${MAX_BODY_BYTES} bytes; send a smaller request.`,
    );
  }
  if (text.trim() === '') throw new ValidationError('A JSON body is required on this route.');
  const [type, ...parameters] = (contentType ?? '').split(';');
  if (type?.trim().toLowerCase() !== 'application/json') {
    throw new UnsupportedMediaTypeError(
      'Send the body as JSON with the header Content-Type: application/json.',
    );
  }
  // JSON is UTF-8 (RFC 8259): a body declared in another charset would be misread, so it is refused.
  const charset = parameters
    .map((p) => p.split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(
      'Send the body as UTF-8 JSON: Content-Type: application/json (or with charset=utf-8).',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const bad = firstNonIntegerNumber(text);
  if (bad) {
    const where = bad.key === undefined ? '' : `${bad.key}: `;
    throw new ValidationError(
      `${where}numbers must be plain whole numbers, without fraction or exponent (got ${bad.token}).`,
      {
        field: bad.key,
      },
    );
  }
  return value;
};
