/**
 * The security headers of the system, defined once: the API's (set by the HTTP edge on every answer,
 * so Lambda and the local runtime send the same) and the dashboard's (sent by the local gateway with
 * its static files and by CloudFront's response-headers policy in AWS).
 */

/** Every API answer, errors and CSV included: never sniffed into another type, never cached. */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * The dashboard's referrer policy: none at all. After sign-in the page's URL carries Cognito's
 * authorization code, which must not leak to another site; CORS calls to the API and to Cognito's
 * token endpoint still send `Origin` (the Fetch standard sends it on every CORS request whatever the
 * referrer policy), and Cognito's hosted UI does not need a Referer.
 */
export const DASHBOARD_REFERRER_POLICY = 'no-referrer';

/**
 * The dashboard's Content-Security-Policy. Scripts and styles only from the site's own files: no
 * inline script, no inline style attribute (the dashboard and uPlot set styles through the CSSOM,
 * which CSP does not govern), no eval. `connectSources` are the origins the page fetches: itself
 * (config.json, and the API locally), and in AWS the API and Cognito's token endpoint. `img-src
 * data:` is the empty favicon of index.html.
 */
export const dashboardContentSecurityPolicy = (connectSources: readonly string[]): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/** The dashboard's headers on every static file (HSTS is added where the site is served over HTTPS). */
export const dashboardSecurityHeaders = (connectSources: readonly string[] = []): Record<string, string> => ({
  'content-security-policy': dashboardContentSecurityPolicy(connectSources),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': DASHBOARD_REFERRER_POLICY,
});
