import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../../local/runtime.ts';
import { createSdkFaults, type SdkFaults } from '../../../local/sdk-faults.ts';
import { type Runtime, runtimeClient } from '../../e2e/support/local-runtime.ts';
import { TEST_CLOCK_START } from '../../support/fixtures.ts';

/**
 * The local runtime started in the test's own process (the same `startLocalRuntime` as `npm start`),
 * so a scenario can switch SDK faults on and off, arm crashes and count them. One per test file: the
 * handlers' shared SDK clients are per process.
 */
export const startInProcessRuntime = async (
  /** `clock`: the instant the system clock reads at start (default: TEST_CLOCK_START, in fiscal year 2024). */
  options: { visibilityTimeoutSeconds?: number; clock?: Date; batchSizes?: Record<string, number> } = {},
): Promise<Runtime & { faults: SdkFaults; local: LocalRuntime }> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'giai-ngan-rel-'));
  const faults = createSdkFaults();
  const lines: string[] = [];
  const namespace = `rel-${randomUUID().slice(0, 8)}`;
  const local = await startLocalRuntime({
    dataDir,
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    namespace,
    seed: false,
    clock: options.clock ?? new Date(TEST_CLOCK_START),
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
    ...(options.batchSizes ? { batchSizes: options.batchSizes } : {}),
    sdkFaults: faults,
    // An event whose publish failed (a fault, a crash) is re-published soon, not after 30 s.
    outboxGraceSeconds: 2,
    outboxRelayIntervalSeconds: 1,
    log: (line) => {
      lines.push(line);
      if (lines.length > 2000) lines.shift();
    },
  });
  const client = runtimeClient(local.url, local.tableName);
  return {
    url: local.url,
    dataDir,
    dynamoEndpoint: local.dynamoEndpoint,
    namespace,
    store: client.store,
    logs: () => lines.join('\n'),
    token: (sub: string, groups: string[], extra: { commune?: string; email?: string } = {}) =>
      local.keys.sign({ sub, groups, ...extra }),
    keys: local.keys,
    call: client.call,
    faults,
    local,
    stop: async () => {
      faults.stop();
      faults.disarm();
      await local.stop();
      client.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
