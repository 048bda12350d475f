import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.ts';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A number written with a fraction or an exponent, and the nearest object key it sits under. */
interface NonIntegerNumber {
  token: string;
  key?: string;
  /** The array holding it, while the key it sits under is not known yet. */
  within?: unknown;
}

/**
 * Parses JSON and finds the first number written with a fraction or an exponent (`1.5`, `1e9`, `100.0`).
 * Every number of this API is a whole number, and JSON.parse alone would silently turn `1e9` into an
 * integer: the reviver sees each number's source text. Values are revived leaves first, so an array's
 * key is learnt when the array itself comes by.
 */
const parseWholeNumbers = (text: string): { value: unknown; bad?: NonIntegerNumber } => {
  let bad: NonIntegerNumber | undefined;
  const value: unknown = JSON.parse(
    text,
    function (this: unknown, key: string, value: unknown, context?: { source?: string }) {
      const source = context?.source;
      if (bad === undefined) {
        if (typeof value === 'number' && source !== undefined && /[.eE]/.test(source)) {
          bad = Array.isArray(this) ? { token: source, within: this } : { token: source, key };
        }
      } else if (bad.within !== undefined && value === bad.within) {
        if (Array.isArray(this)) bad.within = this;
        else bad = { token: bad.token, ...(key !== '' ? { key } : {}) };
      }
      return value;
    },
  );
  return bad === undefined ? { value } : { value, bad };
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
  let parsed: ReturnType<typeof parseWholeNumbers>;
  try {
    parsed = parseWholeNumbers(text);
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const { value, bad } = parsed;
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
