import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each of the longest test files takes, two files at a time: the first five as measured on the
 * idle 2-core machine's CI run (README, "Test run time"), the others rounded from runs on the shared
 * machine. Only their order matters. A fresh clone has no Vitest cache, so Vitest ordered the
 * files by project name, then by size: the small soak file started near the end of the run and could
 * run alone for minutes while the other worker had nothing left to do. A file not listed runs after these.
 */
export const EXPECTED_SECONDS: Readonly<Record<string, number>> = {
  'test/browser/dashboard.test.ts': 230,
  'test/reliability/soak.test.ts': 190,
  'test/infra/deployment.test.ts': 130,
  'test/reliability/async-faults.test.ts': 90,
  'test/browser/screens.test.ts': 70,
  'test/e2e/monitoring-routes.test.ts': 60,
  'test/e2e/monitoring-demo.test.ts': 50,
  'test/reliability/crash-points.test.ts': 50,
  'test/reliability/dead-letters.test.ts': 45,
  'test/e2e/imports.test.ts': 45,
  'test/browser/imports-and-reports.test.ts': 40,
  'test/reliability/concurrency.test.ts': 45,
  'test/reliability/npm-start-restart.test.ts': 45,
  'test/reliability/redelivery.test.ts': 35,
  'test/reliability/restarts.test.ts': 30,
};

/**
 * Longest first across every project (the longest-processing-time rule): the listed files by their
 * expected seconds, then the others in Vitest's own order (failed, then longer in its cache, then
 * larger). With two workers, no long file is then left to run alone at the end of the run.
 */
export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = `${this.ctx.config.root.replace(/\/$/, '')}/`;
    const expected = (spec: TestSpecification) =>
      EXPECTED_SECONDS[spec.moduleId.startsWith(root) ? spec.moduleId.slice(root.length) : spec.moduleId] ??
      0;
    // Array.prototype.sort is stable: files with the same expectation keep Vitest's order.
    return ordered.sort((a, b) => expected(b) - expected(a));
  }
}
