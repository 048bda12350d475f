import fc, { type Scheduler } from 'fast-check';
import { demoOutputCatalogue } from '../../../local/demo-targets.ts';
import { adjustAllocation } from '../../../shared/ledger/app/allocations.ts';
import { type ApplyResult, applyApprovalEvent } from '../../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../../shared/ledger/app/ports.ts';
import { cancelRequest, submitRequest } from '../../../shared/ledger/app/requests.ts';
import type { Allocation } from '../../../shared/ledger/domain/allocation.ts';
import { type ApprovalPolicies, approvalChainFor } from '../../../shared/ledger/domain/approval-policy.ts';
import type { ApprovalEvent } from '../../../shared/ledger/domain/disbursement-request.ts';
import { FUNDING_LINES, type FundingLine } from '../../../shared/ledger/domain/funding-line.ts';
import { GENESIS_HASH } from '../../../shared/ledger/domain/hash-chain.ts';
import type { Actor } from '../../../shared/platform/access.ts';
import {
  BelowCommittedError,
  ForbiddenError,
  InsufficientFundsError,
  NotPendingError,
  ServiceUnavailableError,
} from '../../../shared/platform/errors.ts';
import { InMemoryLedgerStore, LostReplyError, type WriteFault } from './in-memory-ledger-store.ts';

/**
 * A generated day in the life of the ledger: allocations on all four funding lines, requests
 * submitted against them, then approval events (each delivered one to five times), cancellations and
 * adjustments run concurrently by a few queue workers, against a store whose replies come back in an
 * order fast-check's scheduler picks and whose writes sometimes conflict or lose their reply.
 */

export const COMMUNES = ['A Tiêng', 'Dang', 'Ga Ri'] as const;
const APPROVER_GROUPS = [
  'approver-commune',
  'approver-district',
  'approver-district-leader',
  'approver-province',
  'treasury',
] as const;

/** Makers, and two approvers of each group with no commune claim; generated people are added to these. */
const BASE_PEOPLE: Actor[] = [
  { sub: 'maker-1', groups: ['finance'] },
  { sub: 'maker-2', groups: ['finance'] },
  ...APPROVER_GROUPS.flatMap((g) => [
    { sub: `${g}-a`, groups: [g] },
    { sub: `${g}-b`, groups: [g] },
  ]),
];

const weighted = <T>(...choices: [T, number][]) =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

/** Amounts around and above the 1,000,000,000 VND threshold as well as small ones. */
const amountArb = fc.oneof(
  fc.integer({ min: 1, max: 999_999_999 }),
  fc.constantFrom(999_999_999, 1_000_000_000),
  fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
);

const allocationArb = (line: fc.Arbitrary<FundingLine>) =>
  fc.record({
    fundingLine: line,
    commune: fc.constantFrom(...COMMUNES),
    assignedVnd: fc.integer({ min: 300_000_000, max: 9_000_000_000 }),
  });

/** One decision someone takes at one level, and the queue positions of its deliveries (one to five). */
const decisionArb = fc.record({
  actorPick: fc.nat(),
  /** Mostly a person of the level's group; sometimes anyone at all, the submitter included. */
  eligibleOnly: weighted([true, 5], [false, 1]),
  decision: weighted<'approve' | 'reject'>(['approve', 12], ['reject', 1]),
  deliveries: fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 5 }),
});

const requestArb = fc.record({
  allocationPick: fc.nat(),
  amountVnd: amountArb,
  /** -1: one of the makers; otherwise any person, approvers included. */
  submitterPick: fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.nat(), weight: 1 }),
  /** One to three decisions per position of the chain (chains have at most four levels). */
  decisions: fc.array(fc.array(decisionArb, { minLength: 1, maxLength: 3 }), { minLength: 4, maxLength: 4 }),
  cancel: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 5 },
    {
      arbitrary: fc.record({ at: fc.nat({ max: 999 }), bySubmitter: weighted([true, 3], [false, 1]) }),
      weight: 1,
    },
  ),
});

export const scenarioArb = fc.record({
  allocations: fc
    .tuple(
      fc.tuple(...FUNDING_LINES.map((line) => allocationArb(fc.constant(line)))),
      fc.array(allocationArb(fc.constantFrom(...FUNDING_LINES)), { maxLength: 2 }),
    )
    .map(([oneEach, more]) => [...oneEach, ...more]),
  extraPeople: fc.array(
    fc.record({
      groups: fc.subarray([...APPROVER_GROUPS, 'finance'], { minLength: 2 }),
      commune: fc.option(fc.constantFrom(...COMMUNES), { nil: undefined, freq: 2 }),
    }),
    { maxLength: 4 },
  ),
  requests: fc.array(requestArb, { minLength: 1, maxLength: 10 }),
  adjustments: fc.array(
    fc.record({
      allocationPick: fc.nat(),
      deltaVnd: fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).filter((d) => d !== 0),
      at: fc.nat({ max: 999 }),
    }),
    { maxLength: 4 },
  ),
  /** Added to a delivery's position per chain level: 0 shuffles levels freely, 1000 delivers them in order. */
  levelSpacing: weighted([0, 1], [300, 1], [1000, 2]),
  workers: fc.integer({ min: 1, max: 4 }),
  faults: fc.array(weighted<WriteFault>(['none', 10], ['conflict', 1], ['lost-reply', 1]), {
    minLength: 1,
    maxLength: 16,
  }),
});

export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** A store whose every call answers when the scheduler says so: its effect is immediate, its reply is not. */
const scheduledStore = (store: InMemoryLedgerStore, s: Scheduler): LedgerStore =>
  new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        s.schedule(value.apply(target, args) as Promise<unknown>, String(property));
    },
  });

type WorkItem =
  | { kind: 'event'; at: number; event: ApprovalEvent; received: number }
  | { kind: 'cancel'; at: number; requestId: string; actor: Actor }
  | { kind: 'adjust'; at: number; allocationId: string; deltaVnd: number };

/** What a run left behind, and what happened along the way. */
export interface ScenarioRun {
  store: InMemoryLedgerStore;
  people: Actor[];
  /** Allocation id → assigned capital at creation. */
  initialAssigned: Map<string, number>;
  outcomes: ApplyResult[];
  /** Deliveries that failed after their write committed (lost reply) or gave up on conflicts, and were redelivered. */
  redeliveries: number;
  /** Messages that failed on every receive and would sit in the dead-letter queue. */
  deadLettered: number;
  cancelled: number;
}

/** SQS redrive: after this many failed receives a message goes to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 5;

export const runScenario = async (
  scenario: Scenario,
  s: Scheduler,
  policies: ApprovalPolicies,
): Promise<ScenarioRun> => {
  let faultsOn = false;
  let writes = 0;
  const store = new InMemoryLedgerStore(() => {
    if (!faultsOn) return 'none';
    writes += 1;
    return scenario.faults[writes % scenario.faults.length] ?? 'none';
  });
  let ticks = 0;
  let ids = 0;
  const env = {
    now: () => new Date(Date.UTC(2024, 2, 1) + 1000 * ticks++),
    newId: () => `id-${++ids}`,
  };
  const people: Actor[] = [
    ...BASE_PEOPLE,
    ...scenario.extraPeople.map((p, i) => ({
      sub: `multi-${i}`,
      groups: p.groups,
      ...(p.commune !== undefined ? { commune: p.commune } : {}),
    })),
  ];
  const pick = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;

  // Arrange: allocations, then requests submitted one after the other through the real use case.
  const initialAssigned = new Map<string, number>();
  const allocations: Allocation[] = [];
  for (const [i, a] of scenario.allocations.entries()) {
    const allocation: Allocation = {
      id: `alloc-${i}`,
      fiscalYear: 2024,
      fundingLine: a.fundingLine,
      capitalType: 'investment',
      component: 'DA5',
      commune: a.commune,
      title: `Allocation ${i}`,
      assignedVnd: a.assignedVnd,
      reservedVnd: 0,
      disbursedVnd: 0,
      availableVnd: a.assignedVnd,
      headSeq: 0,
      headHash: GENESIS_HASH,
      createdAt: env.now().toISOString(),
      createdBy: 'planner-1',
    };
    await store.createAllocation(allocation);
    allocations.push(allocation);
    initialAssigned.set(allocation.id, a.assignedVnd);
  }

  const work: WorkItem[] = [];
  for (const [r, spec] of scenario.requests.entries()) {
    const allocation = pick(allocations, spec.allocationPick);
    const submitter = spec.submitterPick < 0 ? pick(people.slice(0, 2), r) : pick(people, spec.submitterPick);
    let requestId: string;
    try {
      const answer = await submitRequest(
        { store, policies, catalogue: demoOutputCatalogue, ...env },
        submitter,
        {
          allocationId: allocation.id,
          amountVnd: spec.amountVnd,
          payee: { name: `Payee ${r}`, kind: 'household' },
          purpose: 'p',
          outputs: { houses: 1 + (r % 3), workers: r % 2 },
        },
        `key-${r}`,
      );
      requestId = answer.result.id;
    } catch (error) {
      // Not enough available, or a submitter limited to another commune: the request never exists.
      if (error instanceof InsufficientFundsError || error instanceof ForbiddenError) continue;
      throw error;
    }
    const chain = approvalChainFor(policies, {
      jurisdiction: policies.defaultJurisdiction,
      fiscalYear: allocation.fiscalYear,
      fundingLine: allocation.fundingLine,
      investor: 'commune',
      amountVnd: spec.amountVnd,
    });
    for (const [i, { level, group }] of chain.entries()) {
      const eligible = people.filter((p) => p.groups.includes(group));
      for (const [k, d] of (spec.decisions[i] ?? []).entries()) {
        const actor = d.eligibleOnly ? pick(eligible, d.actorPick) : pick(people, d.actorPick);
        const event: ApprovalEvent = {
          eventId: `evt-${r}-${i}-${k}`,
          requestId,
          fundingLine: allocation.fundingLine,
          level,
          decision: d.decision,
          actor,
          decidedAt: env.now().toISOString(),
        };
        for (const at of d.deliveries)
          work.push({ kind: 'event', at: at + i * scenario.levelSpacing, event, received: 0 });
      }
    }
    if (spec.cancel) {
      const actor = spec.cancel.bySubmitter ? submitter : pick(people.slice(0, 2), r + 1);
      work.push({ kind: 'cancel', at: spec.cancel.at, requestId, actor });
    }
  }
  for (const adj of scenario.adjustments) {
    work.push({
      kind: 'adjust',
      at: adj.at,
      allocationId: pick(allocations, adj.allocationPick).id,
      deltaVnd: adj.deltaVnd,
    });
  }
  work.sort((a, b) => a.at - b.at);

  // Act: a few workers drain the queue concurrently against the scheduled, fault-injecting store.
  faultsOn = true;
  const scheduled = scheduledStore(store, s);
  const deps = { store: scheduled, policies, ...env, sleep: async () => {} };
  const planner: Actor = { sub: 'planner-1', groups: ['planner'] };
  const run: Omit<ScenarioRun, 'store' | 'people' | 'initialAssigned'> = {
    outcomes: [],
    redeliveries: 0,
    deadLettered: 0,
    cancelled: 0,
  };
  const isRetryable = (error: unknown) =>
    error instanceof LostReplyError || error instanceof ServiceUnavailableError;

  const handle = async (item: WorkItem): Promise<void> => {
    switch (item.kind) {
      case 'event':
        try {
          run.outcomes.push(await applyApprovalEvent(deps, item.event));
        } catch (error) {
          if (!isRetryable(error)) throw error;
          // The Lambda invocation failed: SQS makes the message visible again, until the redrive limit.
          item.received += 1;
          if (item.received < MAX_RECEIVE_COUNT) {
            run.redeliveries += 1;
            work.push(item);
          } else {
            run.deadLettered += 1;
          }
        }
        return;
      case 'cancel':
        try {
          await cancelRequest(deps, item.actor, item.requestId);
          run.cancelled += 1;
        } catch (error) {
          // The caller is told no; a lost reply or a conflict leaves it to the caller to retry.
          if (error instanceof NotPendingError || error instanceof ForbiddenError || isRetryable(error))
            return;
          throw error;
        }
        return;
      case 'adjust':
        try {
          await adjustAllocation(deps, planner, item.allocationId, {
            deltaVnd: item.deltaVnd,
            reason: 'revision',
          });
        } catch (error) {
          if (error instanceof BelowCommittedError || isRetryable(error)) return;
          throw error;
        }
        return;
    }
  };
  const worker = async () => {
    for (let item = work.shift(); item !== undefined; item = work.shift()) await handle(item);
  };
  await s.waitFor(Promise.all(Array.from({ length: scenario.workers }, worker)));
  faultsOn = false;
  return { store, people, initialAssigned, ...run };
};
