import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/sequencer.ts';

/**
 * Unit and infra tests need no server; the integration, end-to-end, reliability and browser tests share
 * one pair started by the global setup (test/global-setup.ts starts it once for both projects).
 *
 * Run time (README.md, "Test run time"): two test files at a time, on this 2-core machine's CI
 * (Vitest's default is cores - 1, so one), as most files wait on the servers, the runtime they start
 * or Chromium rather than on the CPU; and the unit files, pure functions with no server, in one
 * worker that is not restarted for each file (`isolate: false`): 90 files re-importing their modules
 * in a fresh process each took ~1 s per file for ~0.2 s of tests.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // The longest files first, across the projects (test/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/reliability/**/*.test.ts',
          ],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
