import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.ts';
import { quoteForMessage } from '../text-hygiene.ts';

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

/** Where a key sits in a body, as the error messages name fields: `body.payee.name`, `body.items.0`. */
const pathOf = (path: readonly (string | number)[]) => ['body', ...path].join('.');

/** Deepest nesting of objects and arrays a body may have: this API's bodies need four levels. */
export const MAX_NESTING = 32;

/**
 * One pass over a body's objects and arrays (the text JSON.parse accepted): the first key written
 * twice in one object, at any depth (`{"amountVnd":1,"amountVnd":999}`: JSON.parse keeps the last one
 * silently, so a reviewer and the server could read two different requests), and whether the nesting
 * goes deeper than {@link MAX_NESTING}. Keys are compared unescaped (`"a"` and `"\u0061"` are one key).
 */
export const scanObjects = (
  text: string,
): { duplicate?: { key: string; path: (string | number)[] }; tooDeep?: (string | number)[] } => {
  interface Frame {
    keys?: Set<string>;
    index: number;
    expectKey: boolean;
    lastKey?: string;
  }
  const stack: Frame[] = [];
  const path: (string | number)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '{' || c === '[') {
      if (top) path.push(top.keys ? (top.lastKey ?? '') : top.index);
      if (stack.length === MAX_NESTING) return { tooDeep: path };
      stack.push(c === '{' ? { keys: new Set(), index: 0, expectKey: true } : { index: 0, expectKey: false });
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length > 0) path.pop();
    } else if (c === ',' && top) {
      if (top.keys) top.expectKey = true;
      else top.index += 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { duplicate: { key, path } };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    }
  }
  return {};
};

/**
 * Every string of a parsed body in NFC, so that enums (a commune's name) and texts compare as one
 * spelling. Refuses an own `__proto__` key anywhere: JSON.parse makes it an ordinary property, but
 * zod and plain objects would drop it or treat it as the prototype, so it could never mean data.
 */
const normalizeStrings = (value: unknown, path: (string | number)[] = []): unknown => {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map((item, i) => normalizeStrings(item, [...path, i]));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === '__proto__') {
        throw new ValidationError(
          `${pathOf(path)}: ${quoteForMessage(key)} is not a field or key this API accepts anywhere; remove it.`,
          { field: pathOf(path), key },
        );
      }
      return [key, normalizeStrings(item, [...path, key])];
    }),
  );
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body's text, decoded as strict UTF-8: bytes that are not UTF-8 are refused, never replaced by
 * U+FFFD. (A body the gateway passed as text is already a string; one it could not, arrives in base64.)
 */
const strictUtf8 = (bytes: Buffer): string => {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationError(
      'The body is not valid UTF-8: it holds bytes that are not UTF-8 text; send the JSON encoded as UTF-8.',
    );
  }
};

/**
 * Parses a JSON request body with the API's limits: size, media type, strict UTF-8, syntax, each key
 * once per object, whole numbers only; its strings come back in NFC.
 */
export const parseJsonBody = (
  rawBody: string | undefined,
  isBase64Encoded: boolean,
  contentType: string | undefined,
): unknown => {
  const bytes =
    rawBody === undefined ? Buffer.alloc(0) : Buffer.from(rawBody, isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `The body is larger than ${MAX_BODY_BYTES} bytes; send a smaller request.`,
    );
  }
  if (bytes.toString('utf8').trim() === '')
    throw new ValidationError('A JSON body is required on this route.');
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
  const text = isBase64Encoded ? strictUtf8(bytes) : (rawBody ?? '');
  // Depth first: the reviver that checks numbers walks the parsed value recursively.
  const { duplicate, tooDeep } = scanObjects(text);
  if (tooDeep) {
    throw new ValidationError(
      `${pathOf(tooDeep)}: the body nests objects and arrays more than ${MAX_NESTING} levels deep; no request of this API needs more than four.`,
    );
  }
  let parsed: ReturnType<typeof parseWholeNumbers>;
  try {
    parsed = parseWholeNumbers(text);
  } catch (error) {
    throw new ValidationError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  if (duplicate) {
    const where = pathOf(duplicate.path);
    throw new ValidationError(
      `${where}: the key ${quoteForMessage(duplicate.key)} appears twice in one object; send each field once.`,
      { field: where, key: duplicate.key },
    );
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
  return normalizeStrings(value);
};
