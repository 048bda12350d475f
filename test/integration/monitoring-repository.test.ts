import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import { AlertQueuePublisher } from '../../shared/monitoring/adapters/alert-queue-publisher.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { runMonitor } from '../../shared/monitoring/app/run-monitor.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { workingCalendar } from '../../shared/platform/config/holidays/index.ts';
import { InvalidCursorError } from '../../shared/platform/errors.ts';
import {
  allocationKeys,
  entryKeys,
  partitionOf,
  requestKeys,
  subscriptionKeys,
} from '../../shared/platform/table/keys.ts';
import { givenAllocation, givenPosting, givenSubmission } from '../support/fixtures.ts';
import { freshQueues, freshTable } from '../support/local-aws.ts';
import { onReads } from '../support/read-counter.ts';

const clock = (iso: string) => ({ now: () => new Date(iso), newId: () => randomUUID() });
/** The upgrade default, whose allocations givenAllocation creates. */
const TG = 'tay-giang';

/** Submits a request and, unless `pending`, approves it at every level: one more ledger entry. */
const post = async (store: LedgerStore, allocationId: string, amountVnd: number, pending = false) => {
  const deps = { store, ...clock('2024-06-01T02:00:00Z') };
  await (pending ? givenSubmission : givenPosting)(deps, allocationId, amountVnd);
};

/** Counts the read requests a DynamoDB client sends, and the items they read, at the SDK layer. */
const countReads = (client: ReturnType<typeof createDocumentClient>) => {
  const counts = { requests: 0, itemsRead: 0, indexes: new Set<string>() };
  onReads(client, ({ input, output }) => {
    counts.requests += 1;
    counts.itemsRead += Number(output.ScannedCount ?? (output.Item ? 1 : 0));
    counts.indexes.add(String(input.IndexName ?? 'table'));
  });
  return counts;
};

describe("the monitor reads running totals and the forecast window's postings, never the ledger before it", () => {
  let store: LedgerStore;
  let tableName: string;
  let allocations: Allocation[];

  beforeAll(async () => {
    ({ store, tableName } = await freshTable('monitor-reads'));
    allocations = [];
    for (let i = 0; i < 8; i++) {
      allocations.push(
        await givenAllocation(store, {
          fundingLine: 'community',
          component: `DA${(i % 7) + 1}`,
          amountVnd: 10_000_000_000,
        }),
      );
    }
    await Promise.all(allocations.map((a) => post(store, a.id, 10_000_000)));
    await post(store, allocations[0]?.id ?? '', 5_000_000, true);
    await post(store, allocations[1]?.id ?? '', 5_000_000, true);
  }, 120_000);

  /** One run on a client of its own, so only the monitor's reads are counted. */
  const monitorOnce = async (asOf: string) => {
    const client = localDynamoClient(inject('dynamoEndpoint'));
    const db = createDocumentClient(client);
    const reads = countReads(db);
    const repo = new DynamoMonitoringRepository(db, tableName);
    const run = await runMonitor(
      {
        progress: repo,
        entries: new DynamoAuditRepository(db, tableName),
        alerts: repo,
        publisher: { publish: async () => {} },
        config: monitoringConfig,
        calendar: workingCalendar,
        now: () => new Date(),
        jurisdictions: [TG],
      },
      { asOf },
    );
    client.destroy();
    return { reads, run };
  };

  it('sends the same reads and reads the same items when the ledger grows tenfold', async () => {
    const before = await monitorOnce('2024-09-30');
    const entriesBefore = (await Promise.all(allocations.map((a) => store.listEntries(TG, a.id)))).flat()
      .length;

    const started = Date.now();
    for (let round = 0; round < 9; round++)
      await Promise.all(allocations.map((a) => post(store, a.id, 10_000_000)));
    console.info(`posted ${9 * allocations.length} entries in ${Date.now() - started} ms`);
    const entriesAfter = (await Promise.all(allocations.map((a) => store.listEntries(TG, a.id)))).flat()
      .length;
    const after = await monitorOnce('2024-10-01');

    console.info(
      `monitor reads: ${entriesBefore} ledger entries → ${before.reads.requests} read requests, ${before.reads.itemsRead} items; ` +
        `${entriesAfter} entries → ${after.reads.requests} read requests, ${after.reads.itemsRead} items`,
    );
    expect(entriesAfter).toBe(10 * entriesBefore);
    expect(after.reads.requests).toBe(before.reads.requests);
    expect(after.reads.itemsRead).toBe(before.reads.itemsRead);
    // 8 allocations and 2 pending requests: one page of each partition, then the two requests by key
    // (their listing projects only status and commune); and one Query of the year's posting-date index
    // from the forecast's window on (90 days): the June postings are before it.
    expect(before.reads).toMatchObject({ requests: 4, itemsRead: 10 });
    // Requests by status (then by key), every allocation of the year, the year's postings by date.
    expect([...after.reads.indexes].sort()).toEqual(
      [
        'table',
        requestKeys.withStatus(TG, 'pending_approval').IndexName,
        allocationKeys.ofYear(TG, 2024).IndexName,
        entryKeys.ofYear(TG, 2024).IndexName,
      ].sort(),
    );
    expect(after.run.rows.find((r) => r.scope.level === 'district')?.disbursedVnd).toBe(8 * 10 * 10_000_000);
  });
});

describe('alerts in DynamoDB and on the alerts queue', () => {
  let repo: DynamoMonitoringRepository;
  let store: LedgerStore;
  let sqs: SQSClient;
  let queueUrl: string;
  let audit: DynamoAuditRepository;

  beforeAll(async () => {
    const table = await freshTable('monitor-alerts');
    store = table.store;
    repo = new DynamoMonitoringRepository(table.db, table.tableName);
    audit = new DynamoAuditRepository(table.db, table.tableName);
    const provisioned = await freshQueues('monitor-alerts', { visibilityTimeoutSeconds: 30 });
    sqs = provisioned.sqs;
    queueUrl = provisioned.queues.find((q) => q.spec.id === 'alerts')?.url ?? '';
    const lagging = await givenAllocation(store, { commune: 'Lăng', amountVnd: 1_000_000_000 });
    await post(store, lagging.id, 100_000_000);
  });

  const drain = async () => {
    const bodies: string[] = [];
    for (;;) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (!out.Messages?.length) return bodies;
      bodies.push(...out.Messages.map((m) => m.Body ?? ''));
    }
  };

  it('queues each finding once: a second run the same day finds every alert already recorded', async () => {
    const deps = {
      progress: repo,
      entries: audit,
      alerts: repo,
      publisher: new AlertQueuePublisher(sqs, queueUrl),
      config: monitoringConfig,
      calendar: workingCalendar,
      now: () => new Date('2024-09-30T01:00:00Z'),
      jurisdictions: [TG, 'da-nang'],
    };

    const first = await runMonitor(deps, { asOf: '2024-09-30' });
    const second = await runMonitor(deps, { asOf: '2024-09-30' });
    const messages = (await drain()).map((b) => JSON.parse(b) as { id: string });

    expect(first.queued).toBeGreaterThan(0);
    expect(second).toMatchObject({ queued: 0, alreadyQueued: first.queued });
    expect(messages.map((m) => m.id).sort()).toEqual(first.findings.map((f) => f.alertId).sort());
    expect((await repo.getAlert(TG, first.findings[0]?.alertId ?? ''))?.queuedAt).toBe(
      '2024-09-30T01:00:00.000Z',
    );
  });

  // Recording, listing and acknowledging alerts, subscriptions and deliveries: the contract
  // (test/integration/monitoring-contract.test.ts), which the in-memory fake keeps too.
  it('refuses a cursor that points into the subscriptions, listed on the same index', async () => {
    const subscriptions = partitionOf(subscriptionKeys.listing(TG));
    const forged = Buffer.from(
      JSON.stringify({ ...subscriptionKeys.key(TG, 'x'), [subscriptions.attribute]: subscriptions.value }),
    ).toString('base64url');

    await expect(repo.listAlerts({ jurisdiction: TG }, 10, forged)).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it("refuses a cursor of another jurisdiction's alert listing: a page never continues into another partition", async () => {
    const fiscalYear = 30_000 + Math.floor(Math.random() * 10_000);
    for (const day of ['2024-09-28', '2024-09-29']) {
      await repo.recordAlert({
        id: `${day}-lag-warning-${randomUUID()}`,
        kind: 'lag',
        severity: 'warning',
        fiscalYear,
        day,
        scope: { level: 'district', capitalType: 'investment', jurisdiction: 'da-nang' },
        laggingAllocations: [],
        stalledRequests: [],
        stalledTotal: 0,
        createdAt: '2024-09-30T01:00:00Z',
      });
    }
    const daNangPage = await repo.listAlerts({ jurisdiction: 'da-nang', fiscalYear }, 1);

    expect(daNangPage.nextCursor).toBeDefined();
    await expect(
      repo.listAlerts({ jurisdiction: TG, fiscalYear }, 1, daNangPage.nextCursor),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
