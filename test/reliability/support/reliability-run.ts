import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inject } from 'vitest';
import { localDynamoClient } from '../../../local/aws-local.ts';
import { readRuntimeInfo } from '../../../local/runtime.ts';
import type { Runtime } from '../../e2e/support/local-runtime.ts';
import { checkInvariants, type InvariantReport } from './invariant-checker.ts';

const resultsDir = resolve(import.meta.dirname, '../../../.test-results/reliability');

/** Figures of one scenario file, written beside Vitest's report so docs/reliability.md can quote a real run. */
export interface Figures {
  operations: number;
  faultsInjected: number;
  invariantChecks: number;
  violations: number;
  notes: Record<string, number | string>;
}

/** Counters of a scenario, and the independent invariant check of the runtime's table. */
export const reliabilityRun = (name: string) => {
  const figures: Figures = { operations: 0, faultsInjected: 0, invariantChecks: 0, violations: 0, notes: {} };
  const raw = localDynamoClient(inject('dynamoEndpoint'));
  return {
    figures,
    /** A client of the shared DynamoDB Local, outside any runtime (no fault reaches it). */
    raw,
    /** Runs the checker over the whole table of a runtime; counts its checks and violations. */
    check: async (rt: Runtime): Promise<InvariantReport> => {
      // The runtime's own DynamoDB Local when it has one, else the test run's shared one.
      const raw = localDynamoClient(rt.dynamoEndpoint);
      const report = await checkInvariants(raw, readRuntimeInfo(rt.dataDir).tableName).finally(() =>
        raw.destroy(),
      );
      figures.invariantChecks += report.checks;
      figures.violations += report.violations.length;
      return report;
    },
    save: () => {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(resolve(resultsDir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`reliability ${name}: ${JSON.stringify(figures)}`);
      raw.destroy();
    },
  };
};
