// `node scripts/run.mjs scripts/openapi.ts [file]`: writes the API's OpenAPI document, exactly what
// GET /openapi.json answers (the same generator), to a file (default .test-results/openapi.json) or,
// with `-`, to standard output. `npm test` lints that file with Redocly CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openApiDocument } from '../shared/platform/http/openapi.ts';

const target = process.argv[2] ?? resolve(import.meta.dirname, '../.test-results/openapi.json');
const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
if (target === '-') process.stdout.write(text);
else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
