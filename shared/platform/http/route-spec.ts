import type * as z from 'zod';
import type { BundledFile } from '../bundled-file.ts';
import type { Role } from '../roles.ts';

/** One HTTP route of the API: served by one Lambda function (`functionId`), named by file in functions/api/. */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  functionId: string;
  summary: string;
  /** Groups allowed in; `public` routes need no token. Finer checks (next level, submitter) happen in the use case. */
  roles: readonly Role[] | 'public';
  /** Schema of the `{id}` path parameter, when it is not an id the API generated (IdPath). */
  pathId?: z.ZodType;
  body?: z.ZodType;
  /**
   * The body is a file, taken as bytes (an XLSX or CSV import), instead of JSON `body`: the media types
   * it accepts (415 otherwise) and its largest size (413 above).
   */
  rawBody?: { mediaTypes: readonly string[]; maxBytes: number };
  query?: z.ZodType;
  idempotencyKey?: 'required' | 'optional';
  /**
   * Table access the route's function needs (least privilege in AWS). `subscriptions`: read and update
   * subscription items (`SUB#…`) only; `alerts`: read and update alert items (`ALERT#…`) only.
   */
  table: 'none' | 'read' | 'read-write' | 'subscriptions' | 'alerts';
  /**
   * Access to the documents bucket: `write` presigns uploads (PutObject), `read` reads objects and
   * presigns downloads (GetObject); `imports` keeps and reads back an import's rows (PutObject and
   * GetObject under `imports/` only). Absent: none.
   */
  documents?: 'read' | 'write' | 'imports';
  /** Reads the digests anchored outside the table (the digest-anchors bucket, GetObject and list only). */
  anchors?: 'read';
  /** Queue ids (shared/topology.ts) the route's function sends to. */
  sendsTo?: readonly string[];
  /** Environment variables the deployment fills from a managed secret (e.g. CURSOR_SECRET). */
  secrets?: readonly string[];
  /** Environment variables the deployment fills from its settings (infra/deployment-settings.ts). */
  settings?: readonly string[];
  /** Sends e-mail (SES in AWS): gets the sender address and permission to send as it. */
  sendsEmail?: boolean;
  /**
   * The function's timeout in seconds when a route's work grows with the data (10 by default; API
   * Gateway waits 29 at most).
   */
  timeoutSeconds?: number;
  /** Files its function reads at run time (fonts), shipped beside its bundle (FunctionSpec.bundleFiles). */
  bundleFiles?: readonly BundledFile[];
  /**
   * Its answers other than the errors every route of its kind gives (400, 401, 403, 413, 415, 500, 503:
   * derived in openapi.ts): successes, with the schema their body is built from, and its own 404, 409, 422.
   */
  responses: Record<
    number,
    {
      description: string;
      schema?: z.ZodType;
      csv?: string;
      html?: string;
      /** A file answered as bytes (`ApiResult.binary`): its media types (XLSX, PDF). */
      binary?: readonly string[];
    }
  >;
}
