import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { ApiErrorCode } from '../shared/platform/error-catalogue.ts';
import { API_SECURITY_HEADERS, dashboardSecurityHeaders } from '../shared/platform/http/security-headers.ts';
import { invoke, type LoadedFunction } from './function-loader.ts';
import type { LocalKeys } from './local-jwt.ts';

/** Largest body API Gateway accepts (10 MB); the handlers enforce the API's own, smaller limit. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

interface CompiledRoute {
  fn: LoadedFunction;
  method: string;
  path: string;
  pattern: RegExp;
  params: string[];
  isPublic: boolean;
}

const compile = (fn: LoadedFunction): CompiledRoute => {
  if (fn.spec.trigger.kind !== 'http') throw new Error(`${fn.spec.id} is not an HTTP function`);
  const { route } = fn.spec.trigger;
  const params: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
  return {
    fn,
    method: route.method,
    path: route.path,
    pattern: new RegExp(`^${source}$`),
    params,
    isPublic: route.roles === 'public',
  };
};

/** The gateway's own answers (401, 404, 405, 413, invalid_path) carry the API's security headers too. */
const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
    ...API_SECURITY_HEADERS,
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** An error answer of the gateway itself, with a code of the API's catalogue. */
const errorBody = (code: ApiErrorCode, message: string) => ({ error: { code, message } });

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The static file a GET path names (`/` is index.html): a plain file name directly in the folder, nothing else. */
const staticFile = (dir: string | undefined, pathname: string): string | undefined => {
  if (!dir) return undefined;
  const name = pathname === '/' ? 'index.html' : pathname.slice(1);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || basename(name) !== name) return undefined;
  const type = STATIC_TYPES[name.slice(name.lastIndexOf('.'))];
  const file = join(dir, name);
  return type && existsSync(file) && statSync(file).isFile() ? file : undefined;
};

/**
 * Whether every percent-escape of a path decodes to UTF-8 (`/requests/%E0%A4%A` and `/allocations/%zz`
 * do not). API Gateway's HTTP API decodes the path before routing (its events carry the decoded
 * path), so a path that does not decode is a bad request, refused before the authorizer or any
 * function runs: 400 `invalid_path` here, never a 500.
 */
const isWellEncodedPath = (pathname: string): boolean => {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
};

/** API Gateway hands JWT claims to the function as strings; arrays become "[a b]". */
const gatewayClaims = (payload: JWTPayload): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [
      k,
      Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v),
    ]),
  );

const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY) {
        resolve('too-large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export interface GatewayOptions {
  port: number;
  host?: string;
  functions: LoadedFunction[];
  keys: LocalKeys;
  log?: (line: string) => void;
  /** A folder of static files (the built dashboard) served at `/` for GET paths no API route takes. */
  staticDir?: string;
  /** Origins the dashboard's page may fetch besides its own (the documents' S3 server). */
  connectSources?: readonly string[];
}

export interface RunningGateway {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * A local stand-in for API Gateway's HTTP API: routes, the JWT authorizer (RS256 local key; `alg:
 * none`, expired, not-yet-valid or foreign tokens answer 401), and the payload v2 event.
 */
export const startGateway = async (options: GatewayOptions): Promise<RunningGateway> => {
  const routes = options.functions.filter((f) => f.spec.trigger.kind === 'http').map(compile);
  const log = options.log ?? ((line: string) => console.log(line));
  // The dashboard's files carry its security headers (the same set CloudFront sends in AWS).
  const staticHeaders = dashboardSecurityHeaders(options.connectSources);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let status = 500;
    let who = '-';
    try {
      if (!isWellEncodedPath(url.pathname)) {
        status = 400;
        return send(
          res,
          400,
          errorBody(
            'invalid_path',
            'The path has a malformed percent-encoding (a % not followed by two hex digits, or bytes that are not UTF-8); percent-encode each UTF-8 byte of the path.',
          ),
        );
      }
      const matches = routes.filter((r) => r.pattern.test(url.pathname));
      // As API Gateway: a full match of a route's literal path wins over a path variable, so
      // GET /reallocations/suggestions is not GET /reallocations/{id}.
      const route = matches
        .filter((r) => r.method === method)
        .sort((a, b) => a.params.length - b.params.length)[0];
      const file =
        matches.length === 0 && (method === 'GET' || method === 'HEAD')
          ? staticFile(options.staticDir, url.pathname)
          : undefined;
      if (file) {
        status = 200;
        const body = readFileSync(file);
        res.writeHead(200, {
          'content-type': STATIC_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream',
          'content-length': String(body.length),
          'cache-control': 'no-cache',
          ...staticHeaders,
        });
        res.end(method === 'HEAD' ? undefined : body);
        return;
      }
      if (!route) {
        status = matches.length > 0 ? 405 : 404;
        const message =
          status === 405
            ? `${url.pathname} does not take ${method}; it takes ${matches.map((m) => m.method).join(', ')}.`
            : `No route ${method} ${url.pathname}; see GET /openapi.json.`;
        return send(res, status, errorBody(status === 405 ? 'method_not_allowed' : 'not_found', message));
      }
      let claims: Record<string, string> | undefined;
      if (!route.isPublic) {
        const header = req.headers.authorization ?? '';
        const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(header.trim());
        try {
          if (!match?.[1]) throw new Error('missing');
          claims = gatewayClaims(await options.keys.verify(match[1]));
          who = claims.sub ?? '-';
        } catch {
          status = 401;
          return send(
            res,
            401,
            errorBody(
              'unauthorized',
              'Send a valid token: Authorization: Bearer <jwt> (get one with `npm run -s token`).',
            ),
            { 'www-authenticate': 'Bearer' },
          );
        }
      }
      const body = await readBody(req);
      if (body === 'too-large') {
        status = 413;
        return send(
          res,
          413,
          errorBody('payload_too_large', 'The body is larger than the gateway accepts (10 MB).'),
        );
      }
      const pathParameters = Object.fromEntries(
        route.params.map((name, i) => [
          name,
          decodeURIComponent(route.pattern.exec(url.pathname)?.[i + 1] ?? ''),
        ]),
      );
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
      }
      // A "text" body that is not valid UTF-8 is passed on as bytes (base64), never decoded with U+FFFD
      // in place of the bad bytes: the handler decodes it strictly and refuses it with a 400.
      const isText =
        body.length === 0 ||
        (/json|text|xml|urlencoded/i.test(headers['content-type'] ?? 'application/json') && isUtf8(body));
      const requestId = randomUUID();
      const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
        version: '2.0',
        routeKey: `${route.method} ${route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(url.search ? { queryStringParameters: query } : {}),
        ...(route.params.length ? { pathParameters } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'localhost',
          http: {
            method,
            path: url.pathname,
            protocol: `HTTP/${req.httpVersion}`,
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: `${route.method} ${route.path}`,
          stage: '$default',
          time: new Date(started).toISOString(),
          timeEpoch: started,
          authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
        },
        ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: !isText,
      } as APIGatewayProxyEventV2WithJWTAuthorizer;
      const result = (await invoke(route.fn, event)) as APIGatewayProxyStructuredResultV2;
      status = result.statusCode ?? 200;
      const payload =
        result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? '');
      res.writeHead(status, { ...(result.headers as Record<string, string>), 'x-request-id': requestId });
      res.end(payload);
    } catch (error) {
      status = 500;
      console.error(`gateway: ${method} ${url.pathname} failed:`, error);
      if (!res.headersSent)
        send(res, 500, errorBody('internal_error', 'The local gateway failed to invoke the function.'));
    } finally {
      log(`${new Date().toISOString()} ${method} ${url.pathname} ${status} ${Date.now() - started}ms ${who}`);
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
