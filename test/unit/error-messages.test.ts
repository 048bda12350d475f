import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_ERROR_MESSAGES_VI, CELL_ERROR_MESSAGES_VI } from '../../shared/platform/error-catalogue.ts';
import { openApiDocument } from '../../shared/platform/http/openapi.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Every TypeScript source file under a folder of the repository (tests left out). */
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.test.ts'))
    .map((f) => join(f.parentPath, f.name));

/**
 * The codes the code base can put in an error answer or a bad cell, read from the source as written:
 * error classes' `readonly code = '…'`, string unions typing a `code` (`| 'no_rows'`), error bodies
 * built by hand (`code: '…'` next to `message`, the local gateway's `errorBody('…'`) and cell
 * readings (`bad('…'`). The types already tie them to the catalogue; this catches a literal that
 * escapes the types.
 */
const codesInSource = (): Map<string, string> => {
  const found = new Map<string, string>();
  const patterns = [
    /readonly code = '([a-z_]+)'/g,
    /\bcode: '([a-z_]+)'/g,
    /errorBody\(\s*'([a-z_]+)'/g,
    /errorBody\(status === 405 \? '([a-z_]+)' : '([a-z_]+)'/g,
    /\bbad\(\s*'([a-z_]+)'/g,
  ];
  const files = [...sources('shared'), ...sources('functions'), join(ROOT, 'local/gateway.ts')];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern))
        for (const code of match.slice(1)) if (code && code !== 'custom') found.set(code, file);
    for (const union of text.matchAll(/export type \w*ErrorCode =((?:\s*\|\s*'[a-z_]+')+);/g))
      for (const m of (union[1] ?? '').matchAll(/'([a-z_]+)'/g)) if (m[1]) found.set(m[1], file);
  }
  return found;
};

/** Words a Vietnamese sentence has and an English one does not. */
/**
 * A module of the dashboard, loaded fresh (its language is read from localStorage on load). By URL: the
 * root project's types leave out the DOM the dashboard's i18n touches, so its types are declared here.
 */
const dashboard = async <T>(file: string): Promise<T> =>
  import(new URL(`../../web/src/${file}`, import.meta.url).href);
type I18n = { t: () => { errors: Record<string, string> } };
type ErrorTextModule = { errorText: (e: unknown) => string };
type ApiModule = typeof import('../../web/src/api.ts');

const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]/i;

describe('the Vietnamese words of every error code', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('finds every code the source can answer in the catalogue, and the source uses the catalogue’s codes', () => {
    const inSource = codesInSource();
    const catalogued = new Set([
      ...Object.keys(API_ERROR_MESSAGES_VI),
      ...Object.keys(CELL_ERROR_MESSAGES_VI),
    ]);
    const missing = [...inSource].filter(([code]) => !catalogued.has(code)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
    // The scan is not blind: it sees classes, unions, hand-built bodies and cell readings.
    for (const code of ['insufficient_funds', 'no_rows', 'internal_error', 'method_not_allowed', 'fraction'])
      expect(inSource.has(code), code).toBe(true);
  });

  it('knows every code the OpenAPI document names in its error answers (routes’ own and derived)', () => {
    const doc = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const named = new Set<string>();
    for (const operations of Object.values(doc.paths))
      for (const op of Object.values(operations))
        for (const [status, r] of Object.entries(op.responses ?? {}))
          if (Number(status) >= 400)
            for (const m of r.description.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)) named.add(m[0]);
    const catalogued = new Set([
      ...Object.keys(API_ERROR_MESSAGES_VI),
      ...Object.keys(CELL_ERROR_MESSAGES_VI),
    ]);
    expect([...named].filter((c) => !catalogued.has(c))).toEqual([]);
    expect(named.has('import_invalid')).toBe(true);
    expect(named.has('unsupported_media_type')).toBe(true);
  });

  it('gives the dashboard a Vietnamese message for every code the API or an import can produce', async () => {
    vi.stubGlobal('localStorage', { getItem: () => 'vi', setItem: () => undefined });
    const { t } = await dashboard<I18n>('i18n.ts');
    const codes = [...codesInSource().keys(), ...Object.keys(API_ERROR_MESSAGES_VI)];
    const without = codes.filter((code) => !VIETNAMESE.test(t().errors[code] ?? ''));
    expect(without).toEqual([]);
    expect(t().errors.insufficient_funds).toMatch(/^Không đủ kế hoạch vốn còn lại/);
  });

  it('says what to do in every message: a colon or a verb of action after what went wrong', () => {
    const all = { ...API_ERROR_MESSAGES_VI, ...CELL_ERROR_MESSAGES_VI };
    const vague = Object.entries(all).filter(
      ([, words]) => !/[:]|hãy|phải|chọn|nhập|bỏ|thử|gửi|dùng|ghi/.test(words),
    );
    expect(vague).toEqual([]);
  });
});

describe("the dashboard's error text", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  const load = async (language: 'vi' | 'en') => {
    vi.stubGlobal('localStorage', { getItem: () => language, setItem: () => undefined });
    const { errorText } = await dashboard<ErrorTextModule>('error-text.ts');
    const { ApiError } = await dashboard<ApiModule>('api.ts');
    return { errorText, ApiError };
  };

  it('shows a refusal in Vietnamese with its code, never the API’s English message', async () => {
    const { errorText, ApiError } = await load('vi');
    const text = errorText(
      new ApiError(409, 'insufficient_funds', 'Allocation A1 has 5 VND available, asked 9 VND.'),
    );
    expect(text).toBe(`${API_ERROR_MESSAGES_VI.insufficient_funds} (mã lỗi: insufficient_funds)`);
    expect(text).not.toContain('available');
  });

  it('fills in the figures a refusal carries: what is left, the latest date allowed', async () => {
    const { errorText, ApiError } = await load('vi');
    expect(
      errorText(
        new ApiError(409, 'insufficient_funds', 'English', { availableVnd: 5_000_000, amountVnd: 9_000_000 }),
      ),
    ).toMatch(
      /^Không đủ kế hoạch vốn còn lại: còn 5\.000\.000 ₫, cần 9\.000\.000 ₫\. .*\(mã lỗi: insufficient_funds\)$/,
    );
    expect(
      errorText(
        new ApiError(422, 'invalid_extension', 'English', {
          currentDeadline: '2024-01-31',
          limit: '2024-12-31',
        }),
      ),
    ).toContain('sau 31/01/2024 và không muộn hơn 31/12/2024');
    // A detail missing: the plain words, never an empty gap.
    expect(errorText(new ApiError(422, 'invalid_extension', 'English', { limit: '2024-12-31' }))).toContain(
      API_ERROR_MESSAGES_VI.invalid_extension,
    );
  });

  it('names the field a refusal points at', async () => {
    const { errorText, ApiError } = await load('vi');
    const text = errorText(
      new ApiError(400, 'invalid_request', 'body.amountVnd: too big', { field: 'body.amountVnd' }),
    );
    expect(text).toContain('Trường: body.amountVnd.');
    expect(text).not.toContain('too big');
  });

  it('answers an unknown code with a generic Vietnamese sentence and the code', async () => {
    const { errorText, ApiError } = await load('vi');
    const text = errorText(new ApiError(418, 'teapot_refused', 'I am a teapot'));
    expect(text).toMatch(/^Không thực hiện được thao tác.*\(mã lỗi: teapot_refused\)$/);
    expect(text).not.toContain('teapot.');
    expect(text).not.toContain('I am');
  });

  it('reads an answer without an error body by its status, and a failed fetch as no connection', async () => {
    const { errorText, ApiError } = await load('vi');
    expect(errorText(new ApiError(503, 'http_error', '503 Service Unavailable'))).toContain(
      API_ERROR_MESSAGES_VI.service_unavailable,
    );
    expect(errorText(new ApiError(401, 'http_error', '401 Unauthorized'))).toContain(
      API_ERROR_MESSAGES_VI.unauthorized,
    );
    expect(errorText(new TypeError('Failed to fetch'))).toMatch(/^Không kết nối được máy chủ/);
  });

  it('keeps the API’s own message in the English screen', async () => {
    const { errorText, ApiError } = await load('en');
    expect(errorText(new ApiError(409, 'insufficient_funds', 'Only 5 VND left.'))).toBe(
      'Only 5 VND left. (insufficient_funds)',
    );
  });
});

describe('the language of the API’s error messages', () => {
  it('follows Accept-Language: Vietnamese when vi weighs most, English otherwise and by default', async () => {
    const { errorLanguageOf } = await import('../../shared/platform/http/error-response.ts');
    const cases: [string | undefined, 'vi' | 'en'][] = [
      [undefined, 'en'],
      ['', 'en'],
      ['vi', 'vi'],
      ['VI-vn', 'vi'],
      ['vi-VN,vi;q=0.9,en-US;q=0.8', 'vi'],
      ['en-US,vi;q=0.5', 'en'],
      ['fr, vi;q=0.2', 'vi'],
      ['vi;q=0', 'en'],
      ['*', 'en'],
      ['de', 'en'],
    ];
    for (const [header, expected] of cases) expect(errorLanguageOf(header), String(header)).toBe(expected);
  });

  it('answers a typed error in Vietnamese with its figures, and a 500 with the request id, in either language', async () => {
    const { errorResponse } = await import('../../shared/platform/http/error-response.ts');
    const { InsufficientFundsError } = await import('../../shared/platform/errors.ts');
    const refusal = new InsufficientFundsError('Only 5 VND left.', { availableVnd: 5, amountVnd: 9 });
    const vi = JSON.parse(String(errorResponse(refusal, 'r-1', 'vi').body));
    const en = JSON.parse(String(errorResponse(refusal, 'r-1').body));
    expect(vi.error).toEqual({
      code: 'insufficient_funds',
      message: expect.stringMatching(/^Không đủ kế hoạch vốn còn lại: còn 5 ₫, cần 9 ₫\. /),
      details: { availableVnd: 5, amountVnd: 9 },
    });
    expect(en.error).toEqual({ ...vi.error, message: 'Only 5 VND left.' });
    const crash = JSON.parse(String(errorResponse(new Error('secret internals'), 'r-2', 'vi').body));
    expect(crash.error.code).toBe('internal_error');
    expect(crash.error.message).toMatch(/^Có lỗi phía hệ thống.*Mã yêu cầu r-2/);
    expect(crash.error.message).not.toContain('secret');
  });
});
