import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps } from './support/api-steps.ts';
import { type ApiResponse, type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
}, 120_000);
afterAll(async () => {
  await rt?.stop();
});

const expectApiHeaders = (res: ApiResponse | Response, what: string) => {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('cache-control'), what).toBe('no-store');
};

describe('every API answer is neither sniffed nor cached', () => {
  it('sends nosniff and no-store on successes, on 4xx errors of every kind and on the CSV export', async () => {
    const planner = await s.as('headers-planner', 'planner');
    const auditor = await s.as('headers-auditor', 'auditor');
    const allocation = await s.createAllocation();
    const cases: [string, number, () => Promise<ApiResponse>][] = [
      ['public health', 200, () => rt.call('GET', '/health')],
      ['a list', 200, () => rt.call('GET', '/allocations', { token: planner })],
      ['a creation', 201, () => s.submit(allocation.id, 1_000_000, 'headers-finance')],
      ['invalid input', 400, () => rt.call('GET', '/allocations?fiscalYear=nineteen', { token: planner })],
      ['an invalid cursor', 400, () => rt.call('GET', '/requests?cursor=forged', { token: planner })],
      ['a forbidden write', 403, () => rt.call('POST', '/allocations', { token: auditor, body: {} })],
      ['an unknown id', 404, () => rt.call('GET', `/requests/${randomUUID()}`, { token: planner })],
      [
        'the CSV export',
        200,
        () => rt.call('GET', '/ledger/entries?fiscalYear=2024&format=csv', { token: auditor }),
      ],
    ];
    for (const [what, status, send] of cases) {
      const res = await send();
      expect(res.status, what).toBe(status);
      expectApiHeaders(res, what);
      if (what === 'the CSV export') expect(res.headers.get('content-type')).toContain('text/csv');
    }
  });
});

describe('the dashboard’s files carry its security headers', () => {
  it('sends a CSP without inline script or style, no framing, nosniff and no referrer on every file', async () => {
    for (const file of ['/', '/index.html', '/app.js', '/app.css', '/config.json']) {
      const res = await fetch(`${rt.url}${file}`);
      expect(res.status, file).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directive = (name: string) =>
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `));
      expect(directive('default-src'), file).toBe("default-src 'none'");
      expect(directive('script-src'), file).toBe("script-src 'self'");
      expect(directive('style-src'), file).toBe("style-src 'self'");
      expect(directive('frame-ancestors'), file).toBe("frame-ancestors 'none'");
      // Itself (config.json, the API) and the documents' S3 server (presigned uploads), nothing else.
      expect(directive('connect-src'), file).toMatch(/^connect-src 'self' http:\/\/127\.0\.0\.1:\d+$/);
      expect(csp, file).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), file).toBe('DENY');
      expect(res.headers.get('referrer-policy'), file).toBe('no-referrer');
    }
  });

  it('ships a page with no inline script, style or event handler, which that CSP would block', async () => {
    const html = await (await fetch(`${rt.url}/`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs = '', body = ''] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});
