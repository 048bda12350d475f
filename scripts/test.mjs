// `npm test`: installs dependencies if needed, moves to Node 24 if the running Node is older, then lint,
// type check, the dashboard's bundle, the OpenAPI document's lint (Redocly CLI), and every test suite (unit, integration, end to end, reliability,
// infra, browser). The tests start their own DynamoDB Local and SQS emulator; the browser tests drive
// Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDeps, ensureNode, repoRoot } from './ensure-deps.mjs';

ensureDeps();
await ensureNode();
// The integration and end-to-end tests run DynamoDB Local, a Java program: say so plainly before starting.
if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write(
    'Java was not found. The tests run DynamoDB Local, which needs Java 17 or newer: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run npm test again.\n',
  );
  process.exit(1);
}
// The browser tests drive the system's Chromium (they never download a browser).
const args = process.argv.slice(2);
if ((args.length === 0 || args.some((a) => a.includes('browser'))) && !existsSync('/usr/bin/chromium')) {
  process.stderr.write(
    'Chromium was not found at /usr/bin/chromium. The browser tests drive it: install it (Debian/Ubuntu: sudo apt-get install -y chromium) and run npm test again.\n',
  );
  process.exit(1);
}
const resultsDir = resolve(repoRoot, '.test-results');
const results = resolve(resultsDir, 'vitest.json');
mkdirSync(resultsDir, { recursive: true });

/** One plain closing line with the counts, read from Vitest's JSON report. */
const summary = () => {
  try {
    const report = JSON.parse(readFileSync(results, 'utf8'));
    return `Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed`;
  } catch {
    return undefined;
  }
};
const bin = (name) => resolve(repoRoot, 'node_modules/.bin', name);
const steps = [
  ['lint (biome)', bin('biome'), ['check', '.']],
  ['type check (tsc)', bin('tsc'), ['-p', '.']],
  ['type check of the dashboard (tsc -p web)', bin('tsc'), ['-p', 'web']],
  [
    'no import cycles (scripts/import-cycles.ts)',
    process.execPath,
    ['scripts/run.mjs', 'scripts/import-cycles.ts'],
  ],
  [
    'dashboard bundle (esbuild, at most 300 KB gzipped)',
    process.execPath,
    ['scripts/run.mjs', 'web/build.ts'],
  ],
  [
    'OpenAPI document written (.test-results/openapi.json)',
    process.execPath,
    ['scripts/run.mjs', 'scripts/openapi.ts'],
  ],
  [
    'OpenAPI document linted (Redocly CLI, redocly.yaml)',
    bin('redocly'),
    ['lint', '.test-results/openapi.json'],
  ],
  [
    'tests (vitest)',
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...args],
  ],
];
for (const [title, command, args] of steps) {
  process.stdout.write(`\n▶ ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    if (title.startsWith('tests')) process.stdout.write(`${summary() ?? ''}\n`);
    process.stdout.write(`✖ ${title} failed\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
process.stdout.write(`${summary() ?? ''}\n`);
