// `node scripts/run.mjs <file.ts> [args…]`: installs dependencies if needed, moves to Node 24 if the
// running Node is older, then runs a TypeScript entry point in this same process (so Ctrl-C and SIGTERM
// reach it directly).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDeps, ensureNode, repoRoot } from './ensure-deps.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs <file.ts> [args…]\n');
  process.exit(2);
}
ensureDeps();
await ensureNode();
process.argv = [process.argv[0] ?? 'node', resolve(repoRoot, entry), ...args];
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(resolve(repoRoot, entry)).href);
