import { randomUUID } from 'node:crypto';
import { demoOutputCatalogue } from '../../local/demo-targets.ts';
import type { DossierCheck } from '../../shared/documents/app/dossier-check.ts';
import { createAllocation, type NewAllocation } from '../../shared/ledger/app/allocations.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { Actor } from '../../shared/platform/access.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { documentRequirements } from '../../shared/platform/config/dossier-documents/index.ts';

export const actor = (sub: string, ...groups: string[]): Actor => ({ sub, groups });
export const planner = actor('planner-1', 'planner');
export const finance = actor('finance-1', 'finance');

/** The decision's dossier check over a request without documents (a direct request needs none by default). */
export function noDocuments(): DossierCheck {
  return { documents: { listDocuments: async () => [] }, requirements: documentRequirements };
}

/**
 * A clock that reads TEST_CLOCK_START when this module loads and runs on at the wall clock's speed: a
 * day of the fixtures' fiscal year 2024, before its deadline (31/01/2025), whatever today's date.
 */
export const TEST_CLOCK_START = '2024-10-01T09:00:00+07:00';

/** A clock that reads `instant` now and runs on at the wall clock's speed. */
const runningFrom = (instant: string): (() => Date) => {
  const offset = Date.parse(instant) - Date.now();
  return () => new Date(Date.now() + offset);
};
export const testClock = runningFrom(TEST_CLOCK_START);

/** Clock and ids, and the demo plan's output keys as the catalogue a request's outputs are checked against. */
export const testEnv = {
  now: testClock,
  newId: () => randomUUID(),
  catalogue: demoOutputCatalogue,
  log: { warn: () => {} },
  dossier: noDocuments(),
};

/**
 * The test clock moved into October of `year`, running on: payments made within that year's plan
 * period (tests that keep to a fiscal year of their own for isolation pay in it, as a finance office would).
 */
export const envInOctoberOf = (year: number): typeof testEnv => ({
  ...testEnv,
  now: runningFrom(`${year}-10-01T02:00:00Z`),
});

/** Creates an allocation through the use case, as the API would (by a planner of the upgrade default unless `by` says). */
export const givenAllocation = async (
  store: LedgerStore,
  overrides: Partial<NewAllocation> = {},
  by: Actor = planner,
): Promise<Allocation> => {
  const result = await createAllocation({ store, ...testEnv }, by, {
    fiscalYear: 2024,
    fundingLine: 'central',
    capitalType: 'investment',
    component: 'DA1',
    commune: 'A Tiêng',
    title: 'Test allocation',
    amountVnd: 1_000_000_000,
    ...overrides,
  });
  return result.result;
};

export const newRequest = (allocationId: string, amountVnd: number, outputs?: Record<string, number>) => ({
  allocationId,
  amountVnd,
  payee: { name: 'Hợp tác xã Dang', kind: 'cooperative' as const },
  purpose: 'Test disbursement',
  ...(outputs ? { outputs } : {}),
});

type FixtureDeps = { store: LedgerStore; now: () => Date; newId: () => string };

/** What the fixtures read of a submitted request: its chain and the group deciding each level. */
type SubmittedRequest = {
  id: string;
  chain: string[];
  approvalLevels?: { level: string; group: string }[];
  fundingLine: Allocation['fundingLine'];
};

/** Submits one request through the use case, as finance would: it waits at its first level. */
export const givenSubmission = async (
  deps: FixtureDeps,
  allocationId: string,
  amountVnd: number,
  outputs?: Record<string, number>,
  by: Actor = finance,
) => {
  const submitted = await submitRequest(
    { catalogue: demoOutputCatalogue, ...deps, policies: approvalPolicies },
    by,
    newRequest(allocationId, amountVnd, outputs),
    randomUUID(),
  );
  return submitted.result;
};

/** Submits and approves one request at every level of its chain, each by another person: one posting. */
export const givenPosting = async (
  deps: FixtureDeps,
  allocationId: string,
  amountVnd: number,
  outputs?: Record<string, number>,
) => {
  const request = await givenSubmission(deps, allocationId, amountVnd, outputs);
  for (const event of approvalEvents(deps, request)) {
    await applyApprovalEvent({ ...deps, policies: approvalPolicies, sleep: async () => {} }, event);
  }
  return request.id;
};

/** One approval event per level of a request's chain, each by another person, in order. */
export const approvalEvents = (deps: Pick<FixtureDeps, 'now'>, request: SubmittedRequest) =>
  request.chain.map((level, i) => ({
    eventId: randomUUID(),
    requestId: request.id,
    fundingLine: request.fundingLine,
    level,
    decision: 'approve' as const,
    actor: actor(`approver-${i}`, request.approvalLevels?.[i]?.group ?? ''),
    decidedAt: deps.now().toISOString(),
  }));
