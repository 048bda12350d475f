import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { generateYear } from '../../bench/integrity/generated-year.ts';
import { localDynamoClient } from '../../local/aws-local.ts';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { DynamoIntegrityDigestRepository } from '../../shared/monitoring/adapters/integrity-digest-repository.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import {
  bunchingFactsThroughTails,
  candidateSettingsFrom,
  digestClosedDays,
} from '../../shared/monitoring/app/integrity-digest.ts';
import { type IntegrityDeps, runMonitor } from '../../shared/monitoring/app/run-monitor.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import {
  bunchingWindowsOf,
  findDeadlineBunching,
  judgeDeadlineBunching,
  tailReadFrom,
} from '../../shared/monitoring/domain/integrity/deadline-bunching.ts';
import { integrityPolicyFor } from '../../shared/monitoring/domain/integrity/integrity-policy.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { workingCalendar } from '../../shared/platform/config/holidays/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { allocationKeys, entryKeys, payeeKeys, requestKeys } from '../../shared/platform/table/keys.ts';
import { addDays, type IsoDate } from '../../shared/platform/vn-calendar.ts';
import { ledgerOf, plantBunchingEdges } from '../support/generated-ledger.ts';
import { freshTable } from '../support/local-aws.ts';
import { onReads } from '../support/read-counter.ts';

const year = generateYear(7, { splitting: 1, sharedAccount: 1, doubleSupport: 1, deadlineBunching: 2 });
const J = year.jurisdiction;
const FY = year.fiscalYear;
const edges = plantBunchingEdges(year);
const settings = integrityPolicyFor(integrityConfig, J).deadlineBunching;
const DEADLINE = `${FY + 1}-01-31` as IsoDate;
const day = (d: IsoDate) => `${d}T03:00:00.000Z`;

/**
 * Allocations of the flatness check: the same four payments in the window, after `earlier` payments
 * made before it (ILLUSTRATIVE amounts).
 */
const withEarlier = (name: string, earlier: number) => {
  const shape = edges.allocations[0] as Allocation;
  const template = edges.requests[0] as DisbursementRequest;
  const a: Allocation = { ...shape, id: `flat-${name}`, title: `Planted: ${earlier} earlier payments` };
  const paid = (n: string, amountVnd: number, paidOn: IsoDate): DisbursementRequest => ({
    ...template,
    id: `${a.id}-${n}`,
    allocationId: a.id,
    amountVnd,
    createdAt: day(addDays(paidOn, -2)),
    updatedAt: day(paidOn),
  });
  const requests = [
    ...Array.from({ length: earlier }, (_, k) =>
      paid(`early-${k}`, 1_000_000, addDays(`${FY}-03-01`, k % 250)),
    ),
    ...[0, 2, 4, 6].map((k) => paid(`window-${k}`, 400_000_000, addDays(`${FY + 1}-01-22`, k))),
  ];
  return { allocation: a, requests };
};
const flat10 = withEarlier('10', 10);
const flat100 = withEarlier('100', 100);

const requests = [...year.requests, ...edges.requests, ...flat10.requests, ...flat100.requests];
const ledger = ledgerOf(
  [...year.allocations, ...edges.allocations, flat10.allocation, flat100.allocation],
  requests,
  { moves: edges.moves, chainKey: (link) => edges.order.get(link.id) ?? `${link.postedAt}#${link.id}` },
);
// A head stored out of range (a hand edit): its requests are read instead of its chain.
const allocations = ledger.allocations.map((a) =>
  a.id === 'edge-broken-head' ? { ...a, disbursedVnd: -1, availableVnd: a.assignedVnd + 1 } : a,
);
const allocationById = new Map(allocations.map((a) => [a.id, a]));
const chainOf = (id: string) => ledger.entries.filter((e) => e.allocationId === id);

let table: Awaited<ReturnType<typeof freshTable>>;

const write = async (items: Record<string, unknown>[]) => {
  for (let i = 0; i < items.length; i += 25) {
    await table.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
};

/** A repository on a client of its own, counting the reads it sends and the items they return. */
const countingSource = () => {
  const client = localDynamoClient(inject('dynamoEndpoint'));
  const db = createDocumentClient(client);
  const reads = { requests: 0, items: 0, queries: [] as { limit: number | undefined; items: number }[] };
  onReads(db, ({ command, input, output }) => {
    const responses = output.Responses as Record<string, unknown[]> | undefined;
    const items = Number(
      output.Count ?? (responses ? Object.values(responses).flat().length : output.Item ? 1 : 0),
    );
    reads.requests += 1;
    reads.items += items;
    if (command.startsWith('Query')) reads.queries.push({ limit: input.Limit as number | undefined, items });
  });
  return {
    db,
    reads,
    source: new DynamoMonitoringRepository(db, table.tableName),
    close: () => client.destroy(),
  };
};

beforeAll(async () => {
  table = await freshTable('bunching-tail');
  await write([
    ...allocations.map((a) => ({ ...allocationKeys.item(J, a), ...a })),
    ...requests.map((r) => ({ ...requestKeys.item(J, r), ...r })),
    ...ledger.entries.map((e) => ({ ...entryKeys.item(J, e), ...e })),
    ...year.payees.map((p) => ({ ...payeeKeys.item(J, p), ...p })),
  ]);
}, 180_000);

describe("bunching reads the chains' tails (issue 20)", () => {
  const windowOf = (id: string) => {
    const [w] = bunchingWindowsOf([allocationById.get(id) as Allocation], deadlineRules, DEADLINE, settings);
    if (!w) throw new Error(`no window for ${id}`);
    return w;
  };

  it('reads a chain back to the first payment before the window, past capital moves, and no further', async () => {
    const { source, reads, close } = countingSource();
    const moved = allocationById.get('edge-moves') as Allocation;
    const tail = await source.listPaymentsSince(J, moved, tailReadFrom(windowOf(moved.id)));
    close();
    // Newest first, the window's two payments; the reallocation stamped months before, chained between
    // them, does not stop the read; the early payment does, and is not returned.
    expect(tail.map((e) => e.requestId)).toEqual(['edge-moves-window-2', 'edge-moves-window-1']);
    expect(reads.queries).toEqual([{ limit: 10, items: chainOf(moved.id).length }]);
    // Only the allocation's own entries up to the head given: a later posting is not read.
    const head = await source.listPaymentsSince(
      J,
      { id: moved.id, headSeq: 2 },
      tailReadFrom(windowOf(moved.id)),
    );
    expect(head.map((e) => e.seq)).toEqual([2]);
  });

  it('goes past a payment stamped within the clocks’ margin before the window', async () => {
    const { source, close } = countingSource();
    const skew = allocationById.get('edge-skew') as Allocation;
    const tail = await source.listPaymentsSince(J, skew, tailReadFrom(windowOf(skew.id)));
    close();
    expect(tail.map((e) => e.requestId)).toEqual([
      'edge-skew-near-deadline',
      'edge-skew-stamped-before',
      'edge-skew-in-window',
    ]);
  });

  it('reads pages growing from 10 when the window holds more payments than a page', async () => {
    const { source, reads, close } = countingSource();
    const busy = allocationById.get('edge-busy') as Allocation;
    const tail = await source.listPaymentsSince(J, busy, tailReadFrom(windowOf(busy.id)));
    close();
    expect(tail).toHaveLength(30);
    expect(reads.queries.map((q) => q.limit)).toEqual([10, 40]);
    expect(reads.requests).toBe(2);
  });

  it('at a past day, the tail holds the payments after it and the facts equal the requests’', async () => {
    const { source, close } = countingSource();
    const ids = ['edge-recoveries', 'edge-moves', 'edge-skew', 'edge-midnight', 'edge-broken-head'];
    const chosen = ids.map((id) => allocationById.get(id) as Allocation);
    for (const asOf of [`${FY + 1}-01-25`, `${FY + 1}-01-29`, DEADLINE] as IsoDate[]) {
      const windows = bunchingWindowsOf(chosen, deadlineRules, asOf, settings);
      const facts = await bunchingFactsThroughTails(source, J, FY, asOf, windows);
      const listed = await source.listRequestsOfAllocations(J, ids);
      expect(judgeDeadlineBunching(facts, settings)).toEqual(
        findDeadlineBunching(chosen, listed, deadlineRules, asOf, settings),
      );
    }
    // On 29/01 the recoveries' allocation has a payment after the day: its tail holds it, its total not.
    const recoveries = allocationById.get('edge-recoveries') as Allocation;
    const tail = await source.listPaymentsSince(J, recoveries, tailReadFrom(windowOf(recoveries.id)));
    expect(tail[0]?.requestId).toBe('edge-recoveries-stage-4');
    const [facts] = await bunchingFactsThroughTails(source, J, FY, `${FY + 1}-01-29`, [
      windowOf(recoveries.id),
    ]);
    expect(facts?.paidVnd).toBe((500 + 800 + 900 + 700) * 1_000_000);
    close();
  });

  it('reads as much for 100 earlier payments as for 10', async () => {
    const measure = async (a: Allocation) => {
      const { source, reads, close } = countingSource();
      const facts = await bunchingFactsThroughTails(source, J, FY, DEADLINE, [windowOf(a.id)]);
      const tail = { requests: reads.requests, items: reads.items };
      // The read it replaces: the allocation's listing, then its requests by key.
      await source.listRequestsOfAllocations(J, [a.id]);
      close();
      return {
        facts,
        tail,
        whole: { requests: reads.requests - tail.requests, items: reads.items - tail.items },
      };
    };
    const ten = await measure(allocationById.get(flat10.allocation.id) as Allocation);
    const hundred = await measure(allocationById.get(flat100.allocation.id) as Allocation);
    console.info(
      `bunching reads, 10 → 100 earlier payments: chain tail ${ten.tail.requests} → ${hundred.tail.requests} reads (${ten.tail.items} → ${hundred.tail.items} items); ` +
        `the allocation's requests ${ten.whole.requests} → ${hundred.whole.requests} reads (${ten.whole.items} → ${hundred.whole.items} items)`,
    );
    // One page of the tail (the 4 window payments and the payment before them), then the 4 requests by id.
    expect(hundred.tail).toEqual(ten.tail);
    expect(ten.tail).toEqual({ requests: 2, items: 10 + 4 });
    expect(hundred.whole.items).toBeGreaterThan(ten.whole.items);
    expect(ten.facts[0]?.inWindow.map((r) => r.id)).toEqual(flat10.requests.slice(-4).map((r) => r.id));
    expect(judgeDeadlineBunching(hundred.facts, settings)).toHaveLength(1);
  });

  it("a monitor run through the digest finds the full read's bunching cases, in order", async () => {
    const settingsOf = candidateSettingsFrom(integrityConfig, approvalPolicies);
    const digest = new DynamoIntegrityDigestRepository(table.db, table.tableName);
    const repo = new DynamoMonitoringRepository(table.db, table.tableName);
    await digestClosedDays(
      { source: repo, digest, supportRules, settingsOf },
      J,
      FY,
      async () => `${FY}-01-01`,
      `${FY + 1}-01-20`,
      400,
    );
    const bunchingOf = async (withDigest: boolean, asOf: IsoDate) => {
      const integrity: IntegrityDeps = {
        source: repo,
        config: integrityConfig,
        approvalPolicies,
        supportRules,
        deadlineRules,
        ...(withDigest ? { digest } : {}),
      };
      const run = await runMonitor(
        {
          progress: repo,
          entries: new DynamoAuditRepository(table.db, table.tableName),
          alerts: repo,
          publisher: { publish: async () => {} },
          config: monitoringConfig,
          calendar: workingCalendar,
          now: () => new Date(`${FY + 1}-02-01T02:00:00.000Z`),
          jurisdictions: [J],
          integrity,
        },
        { asOf, fiscalYear: FY, jurisdiction: J },
      );
      return run.findings
        .filter((f) => f.integrity?.rule === 'deadline-bunching')
        .map(({ queued: _, ...f }) => f);
    };
    for (const asOf of [`${FY + 1}-01-29`, DEADLINE] as IsoDate[]) {
      const full = await bunchingOf(false, asOf);
      const digested = await bunchingOf(true, asOf);
      expect(digested).toEqual(full);
      expect(full.map((f) => f.scope.allocationId)).toEqual(
        expect.arrayContaining([...edges.planted, 'edge-broken-head']),
      );
    }
  }, 180_000);
});
