// Installs dependencies when they are missing or older than package-lock.json, so `npm start` and
// `npm test` work straight after a clone. Plain JavaScript: it runs before TypeScript tooling exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');

export const ensureDeps = () => {
  const marker = resolve(repoRoot, 'node_modules/.package-lock.json');
  const lock = resolve(repoRoot, 'package-lock.json');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  process.stderr.write('Installing dependencies (npm ci)…\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    process.stderr.write('npm ci failed: see the messages above (is the npm registry reachable?).\n');
    process.exit(result.status ?? 1);
  }
};
