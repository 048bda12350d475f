/**
 * `npm run soak -- --ops 100000 --fault-rate 0.2 --redeliver 5 --seed N [--concurrency C]
 * [--restart-every OPS] [--crash-every OPS] [--write-docs]`: the soak of bench/soak/soak.ts. Progress
 * on stderr every few seconds; figures to .test-results/soak/soak-<seed>-<ops>.json and, with
 * `--write-docs`, to the generated section of docs/reliability.md. Exits 1 on any violation.
 */
import '../quiet.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runSoak, type SoakProgress } from './soak.ts';
import { writeSoakDocs } from './soak-docs.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const num = (name: string, fallback?: number): number | undefined => {
  const text = arg(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`--${name} takes a non-negative number, not "${text}"\n`);
    process.exit(2);
  }
  return value;
};

const options = {
  ops: num('ops', 1000) ?? 1000,
  faultRate: num('fault-rate', 0.2) ?? 0.2,
  redeliver: num('redeliver', 5) ?? 5,
  seed: num('seed', 1) ?? 1,
  concurrency: num('concurrency'),
  restartEvery: num('restart-every'),
  crashEvery: num('crash-every'),
};
if (options.faultRate > 1 || options.redeliver < 1) {
  process.stderr.write('--fault-rate is a share from 0 to 1; --redeliver at least 1\n');
  process.exit(2);
}

const minutes = (s: number) =>
  s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
const showProgress = (p: SoakProgress) => {
  const done = Math.min(p.ops, p.total);
  const eta = p.opsPerSecond > 0 ? Math.max(0, (p.total - done) / p.opsPerSecond) : 0;
  process.stderr.write(
    `soak: ${p.ops.toLocaleString('en')}/${p.total.toLocaleString('en')} ops (${((100 * done) / p.total).toFixed(1)}%), ${p.opsPerSecond.toFixed(1)} ops/s, faults ${p.faults.toLocaleString('en')}, crashes ${p.crashes}, restarts ${p.restarts}, elapsed ${minutes(p.seconds)}, ETA ${minutes(eta)}\n`,
  );
};

process.stderr.write(
  `soak: ${options.ops} operations, fault rate ${options.faultRate}, up to ${options.redeliver} deliveries per event, seed ${options.seed}\n`,
);
const figures = await runSoak({
  ops: options.ops,
  faultRate: options.faultRate,
  redeliver: options.redeliver,
  seed: options.seed,
  ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  ...(options.restartEvery !== undefined ? { restartEvery: options.restartEvery } : {}),
  ...(options.crashEvery !== undefined ? { crashEvery: options.crashEvery } : {}),
  progress: showProgress,
  log: (line) => process.stderr.write(`${line}\n`),
});

const dir = resolve(repoRoot, '.test-results/soak');
mkdirSync(dir, { recursive: true });
const file = resolve(dir, `soak-${figures.seed}-${options.ops}.json`);
const record = { date: new Date().toISOString(), command: `npm run soak -- ${args.join(' ')}`, ...figures };
writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
process.stderr.write(`soak: figures written to ${file}\n`);
if (args.includes('--write-docs')) {
  writeSoakDocs(resolve(repoRoot, 'docs/reliability.md'), record);
  process.stderr.write('soak: figures written to docs/reliability.md\n');
}
if (figures.violations.length > 0) {
  process.stderr.write(
    `soak: ${figures.violations.length} violations:\n${figures.violations.slice(0, 50).join('\n')}\n`,
  );
  process.exit(1);
}
process.stderr.write(`soak: 0 violations (${figures.invariantChecks + figures.soakChecks} checks)\n`);
process.exit(0);
