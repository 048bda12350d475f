// `npm test`: installs dependencies if needed, moves to Node 24 if the running Node is older, then lint,
// type check, the dashboard's bundle, the OpenAPI document's lint (Redocly CLI), and every test suite (unit, integration, end to end, reliability,
// infra, browser). The tests start their own DynamoDB Local and SQS emulator; the browser tests drive
// Debian's Chromium.
import { spawn, spawnSync } from 'node:child_process';
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
/**
 * The checks before the tests, each a list of steps run one after the other. The checks are
 * independent of one another, so two run at a time (the machine has 2 cores; `tsc -p .` alone takes
 * most of the time): their output is kept and printed whole, in this order, once each check is done.
 */
const checks = [
  [['type check (tsc)', bin('tsc'), ['-p', '.']]],
  [['lint (biome)', bin('biome'), ['check', '.']]],
  [['type check of the dashboard (tsc -p web)', bin('tsc'), ['-p', 'web']]],
  [
    [
      'no import cycles (scripts/import-cycles.ts)',
      process.execPath,
      ['scripts/run.mjs', 'scripts/import-cycles.ts'],
    ],
  ],
  [
    [
      'dashboard bundle (esbuild, at most 300 KB gzipped)',
      process.execPath,
      ['scripts/run.mjs', 'web/build.ts'],
    ],
  ],
  [
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
  ],
];
const CHECKS_AT_A_TIME = 2;

/** Runs one step with its output kept: resolves to its title, exit status, output and seconds. */
const runKept = (title, command, commandArgs) =>
  new Promise((done) => {
    const started = Date.now();
    const chunks = [];
    const child = spawn(command, commandArgs, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.once('error', (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
    });
    child.once('close', (code) =>
      done({
        title,
        status: code ?? 1,
        output: Buffer.concat(chunks).toString(),
        seconds: (Date.now() - started) / 1000,
      }),
    );
  });

/** One check's steps in turn, stopping at the first that fails. */
const runCheck = async (steps) => {
  const results = [];
  for (const [title, command, commandArgs] of steps) {
    const result = await runKept(title, command, commandArgs);
    results.push(result);
    if (result.status !== 0) break;
  }
  return results;
};

const checksStarted = Date.now();
const checkResults = new Array(checks.length);
let nextCheck = 0;
const lane = async () => {
  while (nextCheck < checks.length) {
    const index = nextCheck++;
    checkResults[index] = await runCheck(checks[index]);
  }
};
await Promise.all(Array.from({ length: CHECKS_AT_A_TIME }, lane));
let failedCheck;
for (const result of checkResults.flat()) {
  process.stdout.write(`\n▶ ${result.title}\n${result.output}`);
  if (result.status !== 0) {
    process.stdout.write(`✖ ${result.title} failed\n`);
    failedCheck ??= result;
  } else process.stdout.write(`✔ ${result.title} (${result.seconds.toFixed(1)} s)\n`);
}
if (failedCheck) process.exit(failedCheck.status);
process.stdout.write(
  `\n✔ checks before the tests, ${CHECKS_AT_A_TIME} at a time (${((Date.now() - checksStarted) / 1000).toFixed(1)} s)\n`,
);

const title = 'tests (vitest)';
process.stdout.write(`\n▶ ${title}\n`);
const started = Date.now();
const result = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...args],
  { cwd: repoRoot, stdio: 'inherit' },
);
if (result.status !== 0) {
  process.stdout.write(`${summary() ?? ''}\n`);
  process.stdout.write(`✖ ${title} failed\n`);
  process.exit(result.status ?? 1);
}
process.stdout.write(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
process.stdout.write(`${summary() ?? ''}\n`);
