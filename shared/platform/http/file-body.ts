import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.ts';
import type { RouteSpec } from './route-spec.ts';

/** A file sent as a request's body (an import), as the route's function receives it. */
export interface UploadedFile {
  bytes: Buffer;
  /** The media type without parameters, lower-cased: one the route accepts. */
  contentType: string;
  /** The file's name, when the client gave it (`X-File-Name`, URI-encoded, or Content-Disposition). */
  fileName?: string;
}

const megabytes = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** The file name a client sent: `X-File-Name` (URI-encoded, as a browser sends non-ASCII), else Content-Disposition. */
const fileNameOf = (headers: Record<string, string>): string | undefined => {
  const raw = headers['x-file-name'];
  let name: string | undefined;
  if (raw !== undefined) {
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new ValidationError('header X-File-Name: send the file name URI-encoded (encodeURIComponent).');
    }
  } else {
    const disposition = headers['content-disposition'] ?? '';
    name =
      /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined && /filename\*=/i.test(disposition)) name = decodeURIComponent(name);
  }
  // Only the last path segment, one line, at most 200 characters: it is echoed in views and logs.
  const base = name?.split(/[\\/]/).pop()?.normalize('NFC');
  if (base === undefined || base.trim() === '') return undefined;
  if (/\p{Cc}/u.test(base) || base.length > 200) {
    throw new ValidationError('The file name must be one line of at most 200 characters; rename the file.');
  }
  return base;
};

/** The request's body as the file a `rawBody` route takes: its media type, size and name checked. */
export const parseFileBody = (
  spec: NonNullable<RouteSpec['rawBody']>,
  rawBody: string | undefined,
  isBase64Encoded: boolean,
  headers: Record<string, string>,
): UploadedFile => {
  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!spec.mediaTypes.includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the file as the body with Content-Type ${spec.mediaTypes.join(' or ')}${contentType ? ` (got ${contentType})` : ''}.`,
      { accepted: [...spec.mediaTypes] },
    );
  }
  const bytes =
    rawBody === undefined ? Buffer.alloc(0) : Buffer.from(rawBody, isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.length > spec.maxBytes) {
    throw new PayloadTooLargeError(
      `The file is ${megabytes(bytes.length)}; the largest accepted is ${megabytes(spec.maxBytes)}: split it into smaller files.`,
      { maxBytes: spec.maxBytes, bytes: bytes.length },
    );
  }
  if (bytes.length === 0) throw new ValidationError('The body is empty: send the file as the request body.');
  const fileName = fileNameOf(headers);
  return { bytes, contentType, ...(fileName ? { fileName } : {}) };
};
