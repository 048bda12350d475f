// First: the handlers' loggers read their level when they load (warnings and errors only).
import '../../bench/quiet.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FAULT_KINDS, runSoak, type SoakFigures } from '../../bench/soak/soak.ts';

/**
 * `npm run soak` at a size `npm test` can afford: 2,500 operations (requests the system handles:
 * API calls and deliveries to consumers, bench/soak/soak.ts) across both jurisdictions and every kind
 * of request, under SDK faults on a fifth of the handlers' AWS calls, up to 5 deliveries per event,
 * crashes, and restarts of its own DynamoDB Local and SQS emulator.
 */
const OPS = 2500;
const SEED = 20261202;
let figures: SoakFigures | undefined;

afterAll(() => {
  vi.restoreAllMocks();
  if (!figures) return;
  const dir = resolve(import.meta.dirname, '../../.test-results/soak');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, `soak-test-${SEED}-${OPS}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  const { violations, outcomes: _o, latencyMs: _l, ...shown } = figures;
  console.log(`soak: ${JSON.stringify({ ...shown, violations: violations.length })}`);
});

describe('the soak, 2,500 operations under faults, redelivery, crashes and restarts', () => {
  it('ends with no violation of the invariant checker or of the soak’s own account', async () => {
    // The handlers run in this process: keep their log lines out of the test output.
    for (const level of ['log', 'warn', 'error'] as const)
      vi.spyOn(console, level).mockImplementation(() => {});
    figures = await runSoak({
      ops: OPS,
      faultRate: 0.2,
      redeliver: 5,
      seed: SEED,
      concurrency: 64,
      restartEvery: 800,
    });

    expect(figures.violations).toEqual([]);
    expect(figures.ops).toBeGreaterThanOrEqual(OPS);
    for (const kind of FAULT_KINDS) expect(figures.faultsInjected[kind], kind).toBeGreaterThan(0);
    expect(figures.crashes).toBeGreaterThan(0);
    expect(figures.redeliveries).toBeGreaterThan(0);
    expect(figures.restarts.dynamodb).toBeGreaterThan(0);
    expect(figures.restarts.sqs).toBeGreaterThan(0);
    // Every kind of flow ran, in both jurisdictions, and both years were closed.
    expect(Object.keys(figures.flows).sort()).toEqual(
      ['adjustment', 'cancel', 'contract', 'direct', 'reallocation', 'reject'].sort(),
    );
    expect(figures.operationsByKind['year-end-close']).toBeGreaterThanOrEqual(2);
    expect(figures.invariantChecks).toBeGreaterThan(0);
  }, 900_000);
});
