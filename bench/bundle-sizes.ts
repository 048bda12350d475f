/**
 * `npm run bundle-sizes`: bundles every function of the topology as the CDK app does and prints its size,
 * without starting anything (the quick part of `npm run bench`'s cold-start table).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FUNCTIONS } from '../shared/topology.ts';
import { bundleFunction } from './bundle.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'giai-ngan-bundles-'));
const entries = [...new Map(FUNCTIONS.map((f) => [f.entry, f])).values()];
const rows: string[] = [];
for (const fn of entries) {
  const kb = await bundleFunction(join(repoRoot, fn.entry), join(dir, fn.id, 'index.mjs'));
  rows.push(`| ${fn.id} | ${kb.toLocaleString('en-US')} |`);
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`| function | KB |\n| --- | ---: |\n${rows.join('\n')}\n`);
