import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import LongestFirstSequencer, { EXPECTED_SECONDS } from '../sequencer.ts';

const root = resolve(import.meta.dirname, '../..');

/** The projects of vitest.config.ts as the sequencer reads them. */
const project = (name: string, isolate = true) => ({
  name,
  config: { sequence: { groupOrder: 0 }, isolate },
});
const PROJECTS = {
  unit: project('unit', false),
  infra: project('infra'),
  integration: project('integration'),
  browser: project('browser'),
};
const projectOf = (path: string) =>
  path.startsWith('test/unit/')
    ? PROJECTS.unit
    : path.startsWith('test/infra/')
      ? PROJECTS.infra
      : path.startsWith('test/browser/')
        ? PROJECTS.browser
        : PROJECTS.integration;

const testFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'support'
        ? []
        : testFiles(join(dir, entry.name))
      : entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Every test file of the run, as a fresh clone's run sees it: no Vitest cache. */
const specs = ['test/unit', 'test/infra', 'test/integration', 'test/e2e', 'test/reliability', 'test/browser']
  .flatMap(testFiles)
  .map((path) => ({ moduleId: join(root, path), project: projectOf(path) }) as unknown as TestSpecification);
const sequencer = new LongestFirstSequencer({
  config: { root },
  cache: { getTestSpecificationResult: () => undefined },
} as unknown as Vitest);
const relative = (spec: TestSpecification) => spec.moduleId.slice(root.length + 1);

describe('the test files’ order (test/sequencer.ts)', () => {
  it('names only test files that exist', () => {
    for (const path of Object.keys(EXPECTED_SECONDS)) expect(existsSync(join(root, path)), path).toBe(true);
  });

  it('starts the listed files first, longest first, whatever their project, then every other file once', async () => {
    const sorted = (await sequencer.sort([...specs])).map(relative);
    const listed = Object.keys(EXPECTED_SECONDS);
    const first = sorted.slice(0, listed.length);
    expect([...first].sort()).toEqual([...listed].sort());
    const seconds = first.map((path) => EXPECTED_SECONDS[path] ?? 0);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
    expect([...sorted].sort()).toEqual(specs.map(relative).sort());
    // The small soak file, last of the integration files by size in Vitest's own order, is second.
    expect(sorted.indexOf('test/reliability/soak.test.ts')).toBe(1);
    // The unit files, one worker's quick work, come last.
    expect(sorted.slice(-3).every((path) => path.startsWith('test/unit/'))).toBe(true);
  });
});
