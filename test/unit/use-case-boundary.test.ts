import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeImports, withoutComments } from '../../scripts/import-cycles.ts';

/** Every use-case module: shared/<feature>/app/*.ts. */
const useCaseFiles = readdirSync('shared', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => {
    const app = join('shared', d.name, 'app');
    try {
      return readdirSync(app)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(app, f));
    } catch {
      return [];
    }
  });

/** Words of the HTTP edge: a use case that says one of them is choosing the answer itself. */
const HTTP_WORDS = /\b(statusCode|ApiResult|idempotent-replay|content-type|content-disposition)\b/i;

describe('use cases speak the domain, the HTTP edge speaks HTTP', () => {
  it('finds the use-case modules', () => {
    expect(useCaseFiles).toEqual(expect.arrayContaining(['shared/ledger/app/requests.ts']));
  });

  it.each(useCaseFiles)('%s imports nothing from an http/ folder (routes, schemas, views)', (file) => {
    const fromHttp = relativeImports(readFileSync(file, 'utf8')).filter((spec) =>
      spec.split('/').includes('http'),
    );
    expect(fromHttp).toEqual([]);
  });

  it.each(useCaseFiles)('%s chooses no status code nor header', (file) => {
    const code = withoutComments(readFileSync(file, 'utf8'));
    expect(code.match(HTTP_WORDS)?.[0]).toBeUndefined();
  });
});
