/**
 * Cold start of every function, before and after: bundles each function of two checkouts (this one and
 * a baseline, e.g. main before a change) with each checkout's own bundle options (its bench/bundle.ts,
 * which mirrors its CDK app), then imports the bundles alternately in fresh Node processes and prints,
 * per function, the size and the median import time of both, and their ratio.
 *
 *   node scripts/run.mjs bench/cold-start.ts --baseline /work/wt-base [--runs 5] [--only health,report-file] [--out dir]
 *
 * Without --baseline it measures this checkout alone; `--runs 0` gives the sizes only, without importing. Importing a bundle also proves it loads: an import
 * that throws fails the run (after every function is measured, naming each broken bundle).
 * `measureColdStart` is the same measurement for bench/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FunctionSpec, QueueSpec } from '../shared/platform/topology.ts';

/** A checkout's bundler: bench/bundle.ts's `bundleFunction` (entry, outfile) → size in KB. */
type BundleFn = (entry: string, outfile: string) => Promise<number>;

interface Tree {
  root: string;
  functions: FunctionSpec[];
  queues: QueueSpec[];
  bundle: BundleFn;
}

/** One function's figures; a side the function does not exist on is left out. */
export interface ColdStartRow {
  function: string;
  beforeKb?: number;
  afterKb?: number;
  beforeImportP50Ms?: number;
  afterImportP50Ms?: number;
  /** After ÷ before, of the import medians. */
  importRatio?: number;
  /**
   * The same for the CPU time the import took (user + system, every thread of the process): on a
   * shared machine the wall time also counts the other processes' turns, the CPU time hardly.
   */
  beforeImportCpuP50Ms?: number;
  afterImportCpuP50Ms?: number;
  cpuRatio?: number;
}

export interface ColdStartOptions {
  /** The checkout measured as "after"; this one by default. */
  root?: string;
  /** The checkout measured as "before"; none by default (then only the "after" columns are filled). */
  baseline?: string;
  /** Fresh processes per bundle (the median is reported). */
  runs?: number;
  /** Function ids to measure; all by default. */
  only?: readonly string[];
  /** Environment the imports start from, before each function's own (bench/run.ts passes its runtime's). */
  env?: NodeJS.ProcessEnv;
  /** Where the bundles are written (emptied first). */
  outDir?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

const thisRoot = resolve(import.meta.dirname, '..');
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

const loadTree = async (root: string): Promise<Tree> => {
  const topology = (await import(join(root, 'shared/topology.ts'))) as {
    FUNCTIONS: FunctionSpec[];
    QUEUES: QueueSpec[];
  };
  const { bundleFunction } = (await import(join(root, 'bench/bundle.ts'))) as { bundleFunction: BundleFn };
  return { root, functions: topology.FUNCTIONS, queues: topology.QUEUES, bundle: bundleFunction };
};

/** One function per entry file (routes that share a file share a bundle). */
const byId = (functions: readonly FunctionSpec[]): Map<string, FunctionSpec> =>
  new Map([...new Map(functions.map((f) => [f.entry, f])).values()].map((f) => [f.id, f]));

/**
 * Everything the functions read at import, as a deployment would set it (an import that throws would
 * otherwise be timed as a fast one): the table, the queues' URLs, settings and secrets of both trees.
 */
const importEnv = (trees: readonly Tree[], base: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...base,
    TABLE_NAME: base.TABLE_NAME ?? 'bench',
    FUNDING_LINE: base.FUNDING_LINE ?? 'central',
    AWS_REGION: base.AWS_REGION ?? 'ap-southeast-1',
    SENDER_EMAIL: base.SENDER_EMAIL ?? 'canh-bao@example.gov.vn',
    DOCUMENTS_BUCKET: base.DOCUMENTS_BUCKET ?? 'bench-documents',
    // The digest job and verification read the anchors bucket's name at import (the CDK app sets it).
    DIGEST_ANCHORS_BUCKET: base.DIGEST_ANCHORS_BUCKET ?? 'bench-digest-anchors',
    DIGEST_ANCHOR_RETENTION_YEARS: base.DIGEST_ANCHOR_RETENTION_YEARS ?? '10',
    DASHBOARD_URL: base.DASHBOARD_URL ?? 'http://127.0.0.1:3000',
    API_URL: base.API_URL ?? 'http://127.0.0.1:3000',
    // Lambda's own: the tracer (and the X-Ray SDK) loads only in Lambda (platform/aws/tracer.ts), so an
    // import without it would be timed without what Lambda imports.
    AWS_EXECUTION_ENV: base.AWS_EXECUTION_ENV ?? 'AWS_Lambda_nodejs24.x',
  };
  for (const tree of trees) {
    for (const q of tree.queues) env[q.urlEnv] ??= `http://127.0.0.1:9324/000000000000/${q.id}`;
    for (const f of tree.functions) {
      Object.assign(env, f.environment);
      for (const name of f.settings ?? []) env[name] ??= 'gov.vn';
      for (const name of f.secrets ?? []) env[name] ??= 'x'.repeat(48);
    }
  }
  return env;
};

/**
 * Milliseconds to import a bundle in a fresh Node process (the import alone, not Node's own start): wall
 * time and the process's CPU time.
 */
const importTimeMs = (file: string, env: NodeJS.ProcessEnv): { wall: number; cpu: number } => {
  const out = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      // The error alone: an uncaught one would print the minified line it was thrown on.
      `const t = performance.now(); const c = process.cpuUsage(); try { await import(${JSON.stringify(file)}); } catch (e) { console.error(String(e?.stack ?? e).slice(0, 1500)); process.exit(1); } const u = process.cpuUsage(c); console.log(performance.now() - t, (u.user + u.system) / 1000);`,
    ],
    { env, encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(`importing ${file} failed: ${out.stderr.slice(0, 2000)}`);
  const [wall, cpu] = out.stdout.trim().split(' ').map(Number);
  return { wall: wall ?? Number.NaN, cpu: cpu ?? Number.NaN };
};

/** Bundles and imports every function of `root` (and of `baseline`), alternating the two per run. */
export async function measureColdStart(options: ColdStartOptions = {}): Promise<ColdStartRow[]> {
  const log = options.log ?? (() => {});
  const runs = options.runs ?? 5;
  const outDir = options.outDir ?? join(thisRoot, 'bench', '.bundles', 'cold-start');
  rmSync(outDir, { recursive: true, force: true });
  const after = await loadTree(options.root ?? thisRoot);
  const before = options.baseline ? await loadTree(resolve(options.baseline)) : undefined;
  const sides = [...(before ? [['before', before] as const] : []), ['after', after] as const];
  const env = importEnv(
    sides.map(([, t]) => t),
    options.env ?? process.env,
  );
  const ids = [...new Set(sides.flatMap(([, t]) => [...byId(t.functions).keys()]))].filter(
    (id) => !options.only || options.only.includes(id),
  );

  const rows: ColdStartRow[] = [];
  const failures: string[] = [];
  for (const id of ids) {
    const row: ColdStartRow = { function: id };
    const bundles: {
      side: 'before' | 'after';
      file: string;
      env: NodeJS.ProcessEnv;
      times: number[];
      cpu: number[];
    }[] = [];
    for (const [side, tree] of sides) {
      const fn = byId(tree.functions).get(id);
      if (!fn) continue;
      const file = join(outDir, side, id, 'index.mjs');
      mkdirSync(join(outDir, side, id), { recursive: true });
      row[`${side}Kb`] = await tree.bundle(join(tree.root, fn.entry), file);
      // Files read at run time go beside the bundle, as the CDK app copies them (copyAfterBundling).
      for (const f of fn.bundleFiles ?? []) {
        mkdirSync(dirname(join(outDir, side, id, f.target)), { recursive: true });
        copyFileSync(join(tree.root, f.source), join(outDir, side, id, f.target));
      }
      bundles.push({ side, file, env: { ...env, ...fn.environment }, times: [], cpu: [] });
    }
    try {
      for (let run = 0; run < runs; run++) {
        for (const b of bundles) {
          const t = importTimeMs(b.file, b.env);
          b.times.push(t.wall);
          b.cpu.push(t.cpu);
        }
      }
      for (const b of runs > 0 ? bundles : []) {
        row[`${b.side}ImportP50Ms`] = round(median(b.times));
        row[`${b.side}ImportCpuP50Ms`] = round(median(b.cpu));
      }
      if (row.beforeImportP50Ms && row.afterImportP50Ms) {
        row.importRatio = round(row.afterImportP50Ms / row.beforeImportP50Ms, 2);
      }
      if (row.beforeImportCpuP50Ms && row.afterImportCpuP50Ms) {
        row.cpuRatio = round(row.afterImportCpuP50Ms / row.beforeImportCpuP50Ms, 2);
      }
    } catch (error) {
      failures.push(`${id}: ${(error as Error).message}`);
    }
    log(
      `${id}: ${row.beforeKb ?? '–'} → ${row.afterKb ?? '–'} KB, ${row.beforeImportP50Ms ?? '–'} → ${row.afterImportP50Ms ?? '–'} ms`,
    );
    rows.push(row);
  }
  if (failures.length > 0) throw new Error(`bundles that do not import:\n${failures.join('\n')}`);
  return rows;
}

const fmt = (n: number | undefined, digits = 1) =>
  n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The rows as a Markdown table, with a total line. */
export const coldStartTable = (rows: readonly ColdStartRow[]): string => {
  const lines = [
    '| function | KB before | KB after | import p50 before (ms) | import p50 after (ms) | ratio | CPU p50 before (ms) | CPU p50 after (ms) | CPU ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.function} | ${fmt(r.beforeKb)} | ${fmt(r.afterKb)} | ${fmt(r.beforeImportP50Ms)} | ${fmt(r.afterImportP50Ms)} | ${fmt(r.importRatio, 2)} | ${fmt(r.beforeImportCpuP50Ms)} | ${fmt(r.afterImportCpuP50Ms)} | ${fmt(r.cpuRatio, 2)} |`,
    ),
  ];
  const both = rows.filter((r) => r.importRatio !== undefined);
  const largest = Math.max(...rows.map((r) => r.afterKb ?? 0));
  const worst = Math.max(...both.map((r) => r.importRatio ?? 0));
  const worstCpu = Math.max(...both.map((r) => r.cpuRatio ?? 0));
  const medianRatio = median(both.map((r) => r.importRatio ?? 0));
  lines.push(
    '',
    `Largest bundle after: ${fmt(largest)} KB; import ratio median ${both.length ? fmt(medianRatio, 2) : '–'}, worst ${both.length ? fmt(worst, 2) : '–'} (CPU: worst ${both.length ? fmt(worstCpu, 2) : '–'}); ${both.length} functions on both sides.`,
  );
  return `${lines.join('\n')}\n`;
};

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.baseline && !existsSync(join(values.baseline, 'shared/topology.ts'))) {
    process.stderr.write(`--baseline ${values.baseline}: not a giai-ngan checkout\n`);
    process.exit(2);
  }
  const rows = await measureColdStart({
    ...(values.baseline ? { baseline: values.baseline } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values.only ? { only: values.only.split(',') } : {}),
    ...(values.out ? { outDir: resolve(values.out) } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(coldStartTable(rows));
}
