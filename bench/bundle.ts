/**
 * Bundles one function as the CDK app does (infra/topology-functions.ts): ESM, minified, for Node 24,
 * with the AWS SDK included and the aliases and defines of infra/bundle-aliases.ts. Shared by `npm run bench` and `npm run bundle-sizes`.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_ALIASES, FUNCTION_DEFINES } from '../infra/bundle-aliases.ts';

const repoRoot = resolve(import.meta.dirname, '..');

export interface BundleOptions {
  /** Packages left out of the bundle, e.g. the AWS SDK to be loaded from the Lambda runtime. */
  external?: string[];
}

/** Bundles `entry` into `outfile` and returns the bundle's size in KB (one decimal). */
export async function bundleFunction(entry: string, outfile: string, options: BundleOptions = {}) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    alias: { ...FUNCTION_ALIASES },
    define: { ...FUNCTION_DEFINES },
    absWorkingDir: repoRoot,
    external: options.external ?? [],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return Math.round((statSync(outfile).size / 1024) * 10) / 10;
}
