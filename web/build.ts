import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The dashboard's sources and its build output (served by the local gateway, uploaded by CDK). */
export const WEB_ROOT = resolve(import.meta.dirname);
export const WEB_DIST = join(WEB_ROOT, 'dist');
const repoRoot = resolve(WEB_ROOT, '..');
const META = join(WEB_DIST, 'inputs.json');

/** The most JavaScript the browser may download, gzipped (issue 6). */
export const MAX_GZIP_BYTES = 300 * 1024;

export interface WebBuild {
  /** Every JavaScript file shipped, with its gzipped size. */
  files: { path: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
}

/** Writes a file whole or not at all, so a concurrent reader (or build) never sees half of it. */
const writeAtomic = (path: string, contents: string | Uint8Array) => {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
};

/**
 * Bundles web/src into `outDir` (app.js, app.css, index.html) with, for the local runtime, a
 * config.json naming the same origin as the API; the CDK deployment writes its own config.json.
 */
export const buildWeb = async (
  outDir = WEB_DIST,
  options: { localConfig?: boolean } = {},
): Promise<WebBuild> => {
  const result = await build({
    entryPoints: { app: join(WEB_ROOT, 'src/main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    outdir: outDir,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files: WebBuild['files'] = [];
  for (const out of result.outputFiles) {
    writeAtomic(out.path, out.contents);
    if (out.path.endsWith('.js')) {
      files.push({
        path: out.path.slice(repoRoot.length + 1),
        bytes: out.contents.length,
        gzipBytes: gzipSync(out.contents, { level: 9 }).length,
      });
    }
  }
  writeAtomic(join(outDir, 'index.html'), readFileSync(join(WEB_ROOT, 'index.html')));
  if (options.localConfig ?? outDir === WEB_DIST) {
    // Locally the API is the same origin and the user pastes a token.
    writeAtomic(join(outDir, 'config.json'), `${JSON.stringify({ apiUrl: '' })}\n`);
  }
  if (outDir === WEB_DIST) {
    const inputs = [...Object.keys(result.metafile.inputs), 'web/index.html', 'web/build.ts'];
    writeAtomic(META, JSON.stringify(inputs));
  }
  const gzipBytes = files.reduce((s, f) => s + f.gzipBytes, 0);
  return { files, gzipBytes };
};

/** True when web/dist is missing or older than any file the last build read. */
export const webBuildIsStale = (): boolean => {
  const bundle = join(WEB_DIST, 'app.js');
  if (!existsSync(bundle) || !existsSync(META)) return true;
  const built = statSync(bundle).mtimeMs;
  try {
    const inputs = JSON.parse(readFileSync(META, 'utf8')) as string[];
    return inputs.some((input) => {
      const path = resolve(repoRoot, input);
      return !existsSync(path) || statSync(path).mtimeMs > built;
    });
  } catch {
    return true;
  }
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line a person reads: what was shipped and how it compares with the budget. */
export const describeBuild = (b: WebBuild) =>
  `dashboard JavaScript: ${b.files.map((f) => `${f.path} ${kb(f.bytes)}`).join(', ')}; ${kb(b.gzipBytes)} gzipped (budget ${kb(MAX_GZIP_BYTES)})`;

// `npm run build:web [-- --outdir <dir>]`: builds, prints the gzipped size, fails over budget.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const b = await buildWeb(values.outdir ? resolve(values.outdir) : WEB_DIST);
  console.log(describeBuild(b));
  if (b.gzipBytes > MAX_GZIP_BYTES) {
    console.error(
      `The dashboard's JavaScript is ${kb(b.gzipBytes)} gzipped, over the ${kb(MAX_GZIP_BYTES)} budget.`,
    );
    process.exit(1);
  }
}
