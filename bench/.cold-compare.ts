// Temporary (not committed): bundle sizes and cold import times of two trees' functions, interleaved.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, QUEUES } from '../shared/topology.ts';
import { bundleFunction } from './bundle.ts';

const [beforeRoot, afterRoot, outDir] = process.argv.slice(2) as [string, string, string];
const entries = [...new Map(FUNCTIONS.map((f) => [f.entry, f])).values()];
const env: Record<string, string | undefined> = {
  ...process.env,
  TABLE_NAME: 'bench',
  CURSOR_SECRET: 'x'.repeat(48),
  SUBSCRIPTION_CONFIRM_SECRET: 'y'.repeat(48),
  FUNDING_LINE: 'central',
  AWS_REGION: 'ap-southeast-1',
  SENDER_EMAIL: 'canh-bao@example.gov.vn',
};
for (const q of QUEUES) env[q.urlEnv] = `http://localhost:1/000000000000/${q.id}`;
for (const f of FUNCTIONS) {
  Object.assign(env, f.environment);
  for (const name of f.settings ?? []) env[name] = 'gov.vn';
  for (const name of f.secrets ?? []) env[name] = 'z'.repeat(48);
}
const rows: { fn: string; bKb: number; aKb: number; b: number[]; a: number[] }[] = [];
for (const fn of entries) {
  const b = join(beforeRoot, fn.entry);
  if (!existsSync(b)) continue;
  const bOut = join(outDir, 'before', fn.id, 'index.mjs');
  const aOut = join(outDir, 'after', fn.id, 'index.mjs');
  mkdirSync(join(outDir, 'before', fn.id), { recursive: true });
  rows.push({
    fn: fn.id,
    bKb: await bundleFunction(b, bOut),
    aKb: await bundleFunction(join(afterRoot, fn.entry), aOut),
    b: [],
    a: [],
  });
}
const time = (file: string, fnEnv: Record<string, string>) => {
  const out = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`,
    ],
    { env: { ...env, ...fnEnv }, encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(`${file}: ${out.stderr.slice(-400)}`);
  return Number(out.stdout.trim());
};
for (let i = 0; i < 5; i++)
  for (const r of rows) {
    const fnEnv = entries.find((e) => e.id === r.fn)?.environment ?? {};
    r.b.push(time(join(outDir, 'before', r.fn, 'index.mjs'), fnEnv));
    r.a.push(time(join(outDir, 'after', r.fn, 'index.mjs'), fnEnv));
  }
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[2] ?? Number.NaN;
console.log(
  `Node ${process.version}\n| function | before KB | after KB | before import p50 ms | after import p50 ms |\n| --- | ---: | ---: | ---: | ---: |`,
);
for (const r of rows)
  console.log(`| ${r.fn} | ${r.bKb} | ${r.aKb} | ${med(r.b).toFixed(0)} | ${med(r.a).toFixed(0)} |`);
