import { describe, expect, it } from 'vitest';
import { corsPolicy } from '../../shared/platform/http/cors.ts';
import { openApiDocument } from '../../shared/platform/http/openapi.ts';
import type { RouteSpec } from '../../shared/platform/http/route-spec.ts';
import { ROUTES } from '../../shared/routes.ts';
import { contractViolations } from '../e2e/support/openapi-contract.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test reads the generated JSON document.
const doc = JSON.parse(JSON.stringify(openApiDocument())) as any;
const operationOf = (route: RouteSpec) => doc.paths[route.path][route.method.toLowerCase()];

describe('the OpenAPI document lists every answer a route can give', () => {
  it('derives the common errors from what each route takes', () => {
    for (const route of ROUTES as readonly RouteSpec[]) {
      const statuses = Object.keys(operationOf(route).responses).map(Number);
      const what = `${route.method} ${route.path}`;
      expect(statuses, what).toContain(413);
      expect(statuses, what).toContain(500);
      if (route.body) expect(statuses, what).toEqual(expect.arrayContaining([400, 415]));
      if (route.roles !== 'public') expect(statuses, what).toEqual(expect.arrayContaining([401, 403]));
      if (route.idempotencyKey) expect(statuses, what).toContain(409);
      if (route.table !== 'none') {
        expect(statuses, what).toContain(503);
        expect(operationOf(route).responses[503].headers['Retry-After'], what).toBeDefined();
      } else expect(statuses, what).not.toContain(503);
      for (const [status, response] of Object.entries(operationOf(route).responses)) {
        const headers = (response as { headers: Record<string, unknown> }).headers;
        expect(Object.keys(headers), `${what} ${status}`).toEqual(
          expect.arrayContaining(['X-Content-Type-Options', 'Cache-Control']),
        );
        if (Number(status) >= 400) {
          expect(JSON.stringify(response), `${what} ${status}`).toContain('#/components/schemas/Error');
        }
      }
    }
  });

  it('documents the CSV export, the replay header, servers and the error body', () => {
    const entries = doc.paths['/ledger/entries'].get.responses[200];
    expect(Object.keys(entries.content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/requests'].post.responses[201].headers['Idempotent-Replay']).toBeDefined();
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
  });
});

describe('the contract check of the end-to-end client', () => {
  const sec = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers({ 'content-type': 'application/json; charset=utf-8', ...sec, ...headers }),
    text: JSON.stringify(body),
  });
  const busy = { error: { code: 'service_unavailable', message: 'retry' } };

  it('accepts documented answers', () => {
    expect(contractViolations('GET', '/health', json(200, { status: 'ok' }))).toEqual([]);
    expect(contractViolations('GET', '/requests/abc', json(503, busy, { 'retry-after': '1' }))).toEqual([]);
    expect(
      contractViolations('GET', '/ledger/entries?fiscalYear=2024&format=csv', {
        status: 200,
        headers: new Headers({ 'content-type': 'text/csv; charset=utf-8', ...sec }),
        text: 'entryId,seq\n',
      }),
    ).toEqual([]);
    expect(contractViolations('PATCH', '/requests/abc', json(405, busy))).toEqual([]);
  });

  it('refuses a status the route does not list, a missing header, and a field the schema forbids', () => {
    expect(contractViolations('GET', '/health', json(404, busy))).toEqual([
      'GET /health 404: the document lists no 404 for this route',
    ]);
    expect(contractViolations('GET', '/requests/abc', json(503, busy))).toEqual([
      'GET /requests/{id} 503: header Retry-After is missing',
    ]);
    expect(contractViolations('GET', '/health', json(200, { status: 'ok', extra: 1 }))[0]).toContain(
      'must NOT have additional properties',
    );
    expect(
      contractViolations('GET', '/health', { ...json(200, { status: 'ok' }), headers: new Headers() }),
    ).toHaveLength(3);
  });
});

describe('CORS is derived from the routes', () => {
  it('allows every method a route takes and exposes the documented headers', () => {
    const cors = corsPolicy();
    expect([...cors.allowMethods].sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT']);
    expect(cors.exposeHeaders).toEqual(
      expect.arrayContaining(['retry-after', 'idempotent-replay', 'content-disposition']),
    );
    expect(cors.allowHeaders.slice(0, 3)).toEqual(['authorization', 'content-type', 'idempotency-key']);
    // And X-File-Name exactly when a route takes a file (POST /imports).
    expect(cors.allowHeaders.slice(3)).toEqual(
      ROUTES.some((r: RouteSpec) => r.rawBody !== undefined) ? ['x-file-name'] : [],
    );
  });

  it('lets the dashboard name a file it sends as the body (X-File-Name) once a route takes one', () => {
    const upload = {
      method: 'POST',
      path: '/files',
      functionId: 'upload',
      table: 'none',
      summary: 'A file',
      roles: ['planner'],
      rawBody: { mediaTypes: ['text/csv'], maxBytes: 1024 },
      responses: { 201: { description: 'Taken' } },
    } as const satisfies RouteSpec;
    expect(corsPolicy([upload]).allowHeaders).toEqual(['authorization', 'x-file-name']);
  });
});
