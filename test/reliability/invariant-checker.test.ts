import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAuditRepository } from '../../shared/audit/adapters/audit-repository.ts';
import { DynamoDocumentRepository } from '../../shared/documents/adapters/document-repository.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { createReallocation } from '../../shared/ledger/app/reallocations.ts';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import { closeFiscalYear } from '../../shared/ledger/app/year-end-close.ts';
import { DynamoDaySnapshotRepository } from '../../shared/monitoring/adapters/day-snapshot-repository.ts';
import { DynamoDaySummaryRepository } from '../../shared/monitoring/adapters/day-summary-repository.ts';
import { DynamoIntegrityDigestRepository } from '../../shared/monitoring/adapters/integrity-digest-repository.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { summariseClosedDays } from '../../shared/monitoring/app/day-summaries.ts';
import { candidateSettingsFrom } from '../../shared/monitoring/app/integrity-digest.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import { DynamoPayeeRepository } from '../../shared/payees/adapters/payee-repository.ts';
import { createPayee } from '../../shared/payees/app/payees.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { MAX_AMOUNT_VND } from '../../shared/platform/money.ts';
import {
  allocationKeys,
  entryKeys,
  integrityDigestKeys,
  payeeKeys,
  reallocationKeys,
  requestKeys,
  supportClaimKeys,
} from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { addDays, vnDateOf, vnMidnight } from '../../shared/platform/vn-calendar.ts';
import { CONTRACTOR_BODY, givenContract, givenContractPosting } from '../support/contract-fixtures.ts';
import {
  approvalEvents,
  finance,
  givenAllocation,
  givenPosting,
  newRequest,
  planner,
  testEnv,
} from '../support/fixtures.ts';
import { freshTable, setAllocationByHand } from '../support/local-aws.ts';
import { checkInvariants } from './support/invariant-checker.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let table: Awaited<ReturnType<typeof freshTable>>;
let allocationId: string;
let postedIds: string[];

/** A small healthy ledger: two postings and one pending request on a `local`-line allocation. */
beforeEach(async () => {
  table = await freshTable('checker');
  const deps = { store: table.store, ...testEnv };
  allocationId = (await givenAllocation(table.store, { fundingLine: 'local', amountVnd: 100_000_000 })).id;
  postedIds = [
    await givenPosting(deps, allocationId, 10_000_000),
    await givenPosting(deps, allocationId, 5_000_000, { houses: 2 }),
  ];
  await submitRequest(
    { ...deps, policies: approvalPolicies },
    finance,
    newRequest(allocationId, 7_000_000),
    'checker-pending',
  );
});

const check = () => checkInvariants(table.raw, table.tableName);
/** Rewrites a stored request's approvals (and any other field), as a faulty writer would. */
const rewriteRequest = async (
  id: string,
  edit: (request: Record<string, unknown>, approvals: { by: string }[]) => Record<string, unknown>,
) => {
  const request = await item(requestKeys.key(J, id));
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...request, ...edit(request, request.approvals as { by: string }[]) },
    }),
  );
};
const item = async (key: { pk: string; sk: string }) =>
  (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item as Record<
    string,
    unknown
  >;

describe('the independent invariant checker', () => {
  it('finds no violation in a ledger written by the service', async () => {
    const report = await check();
    expect(report.violations).toEqual([]);
    expect(report.counts).toMatchObject({ allocations: 1, requests: 3, entries: 2 });
    expect(report.checks).toBeGreaterThan(20);
  });

  it('reports running totals that disagree with the entries and the pending requests', async () => {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: allocationKeys.key(J, allocationId),
        UpdateExpression: 'SET disbursedVnd = disbursedVnd + :one, reservedVnd = :zero',
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      }),
    );
    const { violations } = await check();
    expect(violations.some((v) => v.includes('disbursedVnd 15000001 ≠ sum of entries 15000000'))).toBe(true);
    expect(violations.some((v) => v.includes('reservedVnd 0 ≠ sum of pending requests 7000000'))).toBe(true);
    expect(violations.some((v) => v.includes('availableVnd'))).toBe(true);
  });

  it('reports a running total or an output count outside [0, 10^15], a bigint past 2^53 included', async () => {
    await setAllocationByHand(table.db, table.tableName, allocationId, {
      assignedVnd: '9100000000000000001',
      'output#houses': MAX_AMOUNT_VND + 1,
    });
    const { violations } = await check();
    expect(violations).toContain(
      `allocation ${allocationId}: assignedVnd is 9100000000000000001, not a whole number within [0, 10^15]`,
    );
    expect(violations).toContain(
      `allocation ${allocationId}: output#houses is ${MAX_AMOUNT_VND + 1}, not a whole number within [0, 10^15]`,
    );
  });

  it('reports a request posted twice, an unbalanced entry and a broken hash chain', async () => {
    const first = await item(entryKeys.key(J, allocationId, 1));
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...first,
          ...entryKeys.key(J, allocationId, 3),
          seq: 3,
          postings: [{ account: 'x', debitVnd: 1, creditVnd: 0 }],
        },
      }),
    );
    const { violations } = await check();
    expect(violations.some((v) => v.includes(`request ${postedIds[0]} is posted 2 times`))).toBe(true);
    expect(violations.some((v) => v.includes('debits 1 ≠ credits 0'))).toBe(true);
    expect(violations.some((v) => v.includes('hash chain broken'))).toBe(true);
    expect(violations.some((v) => v.includes('the whole ledger sums to 1'))).toBe(true);
  });

  it('reports a paid request stamped or priced apart from its entry, and a payment stamped over an hour before an earlier one', async () => {
    const [first, second] = [
      await item(entryKeys.key(J, allocationId, 1)),
      await item(entryKeys.key(J, allocationId, 2)),
    ];
    expect((await check()).violations).toEqual([]);
    // The request rewritten after its payment: another time, another amount.
    await rewriteRequest(postedIds[0] as string, (request) => ({
      updatedAt: new Date(Date.parse(String(request.updatedAt)) + 1000).toISOString(),
    }));
    await rewriteRequest(postedIds[1] as string, () => ({ amountVnd: 5_000_001 }));
    const { violations } = await check();
    expect(
      violations.some((v) =>
        v.startsWith(`entry ${String(first?.entryId)}: its request ${postedIds[0]} is not it`),
      ),
    ).toBe(true);
    expect(
      violations.some((v) =>
        v.startsWith(`entry ${String(second?.entryId)}: its request ${postedIds[1]} is not it`),
      ),
    ).toBe(true);
    // The second payment stamped two hours before the first (its request with it).
    const early = new Date(Date.parse(String(first?.postedAt)) - 2 * 3_600_000).toISOString();
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...second, postedAt: early } }));
    expect((await check()).violations).toContain(
      `allocation ${allocationId}: entry 2 is stamped ${early}, more than 60 minutes before an earlier payment of its chain`,
    );
  });

  it('reports a disbursed request without its entry and one approved by its own submitter', async () => {
    await table.db.send(
      new DeleteCommand({ TableName: table.tableName, Key: entryKeys.key(J, allocationId, 2) }),
    );
    await rewriteRequest(postedIds[0] as string, (request, approvals) => ({
      approvals: approvals.map((a, i) => (i === 0 ? { ...a, by: request.submittedBy } : a)),
    }));
    const { violations } = await check();
    expect(violations.some((v) => v.includes(`disbursed request ${postedIds[1]} has 0 entries`))).toBe(true);
    expect(violations.some((v) => v.includes(`request ${postedIds[0]}: approved by its own submitter`))).toBe(
      true,
    );
    expect(violations.some((v) => v.includes('chain head does not match'))).toBe(true);
  });

  it('counts two accounts on one e-mail as one person, for the submitter and for two levels', async () => {
    const [mine, twice] = postedIds as [string, string];
    await rewriteRequest(mine, (_, approvals) => ({
      submittedByEmail: 'Lan@X.vn',
      approvals: approvals.map((a, i) => (i === 0 ? { ...a, email: 'lan@x.vn' } : a)),
    }));
    await rewriteRequest(twice, (_, approvals) => ({
      approvals: approvals.map((a) => ({ ...a, email: 'B\u00ecnh@x.vn' })),
    }));
    const { violations } = await check();
    expect(violations.some((v) => v.includes(`request ${mine}: approved by its own submitter`))).toBe(true);
    expect(violations.some((v) => v.includes(`request ${twice}: one person approved two levels`))).toBe(true);
  });

  it('reports outputs counted twice, and outputs counted for no disbursed request', async () => {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: allocationKeys.key(J, allocationId),
        UpdateExpression: 'ADD #houses :two, #workers :one',
        ExpressionAttributeNames: { '#houses': 'output#houses', '#workers': 'output#workers' },
        ExpressionAttributeValues: { ':two': 2, ':one': 1 },
      }),
    );
    const { violations } = await check();
    expect(violations).toEqual([
      `allocation ${allocationId}: outputs counted {"houses":4,"workers":1} ≠ declared by its disbursed requests {"houses":2}`,
    ]);
  });
});

describe('the checker of half-written operations', () => {
  it('reports an Idempotency-Key answer whose request is gone and an accepted decision never applied', async () => {
    const pending = (await table.store.listRequests({ jurisdiction: J, status: 'pending_approval' }, 10))
      .items[0];
    if (!pending) throw new Error('arrange failed: no pending request');
    await table.db.send(
      new DeleteCommand({ TableName: table.tableName, Key: requestKeys.key(J, pending.id) }),
    );
    const posted = await item(requestKeys.key(J, postedIds[0] as string));
    await table.store.putIdempotency({
      jurisdiction: J,
      scope: `decide-request#${pending.id}#approver-x#lost-key`,
      fingerprint: 'f',
      result: { eventId: 'lost-event', requestId: pending.id, level: 'district' },
      event: {
        eventId: 'lost-event',
        requestId: pending.id,
        fundingLine: 'local',
        level: 'district',
        decision: 'approve',
        actor: { sub: 'approver-x', groups: ['approver-district'] },
        decidedAt: String(posted.createdAt),
      },
      createdAt: String(posted.createdAt),
    });
    const { violations } = await check();
    expect(
      violations.some((v) => v.includes(`answers request ${pending.id}, which is not stored as answered`)),
    ).toBe(true);
    expect(violations.some((v) => v.includes('the decision lost-event was accepted but never applied'))).toBe(
      true,
    );
  });

  it('reports an item kept in no jurisdiction, one kept in another than it names, and a request or entry kept apart from its allocation', async () => {
    const [postedId] = postedIds;
    const request = await item(requestKeys.key(J, String(postedId)));
    const entry = await item(entryKeys.key(J, allocationId, 1));
    const move = async (from: { pk: string; sk: string }, to: Record<string, unknown>) => {
      await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: from }));
      await table.db.send(new PutCommand({ TableName: table.tableName, Item: to }));
    };
    // An entry moved to another jurisdiction's partition, a request left in a key from before jurisdictions.
    await move(entryKeys.key(J, allocationId, 1), { ...entry, ...entryKeys.key('da-nang', allocationId, 1) });
    await move(requestKeys.key(J, String(postedId)), { ...request, pk: `REQ#${String(postedId)}` });

    const { violations } = await check();

    expect(violations).toEqual(
      expect.arrayContaining([
        `item REQ#${String(postedId)} / R is kept in no jurisdiction`,
        `item J#da-nang#ALLOC#${allocationId} / E#0000000001 names jurisdiction ${J}`,
        `J#da-nang#ALLOC#${allocationId} / E#0000000001: not kept in the jurisdiction of its allocation ${allocationId}`,
      ]),
    );
  });
});

describe('the invariant checker on the payee register (issue 15)', () => {
  const register = () => ({ payees: new DynamoPayeeRepository(table.db, table.tableName), supportRules });
  const household = (citizenId: string) => ({
    kind: 'household' as const,
    name: 'Hộ bà Đinh Thị Ánh',
    citizenId,
    bankAccount: { number: '1234567890', bankCode: '970405' },
    commune: 'A Tiêng',
  });
  /** A household and a pending housing request claiming it, written by the service. */
  const givenClaim = async () => {
    const { payees } = register();
    const payee = (await createPayee({ payees, ...testEnv }, finance, household('049087000111'), 'p1'))
      .result;
    const housing = await givenAllocation(table.store, { component: 'DA5' });
    const request = (
      await submitRequest(
        { store: table.store, ...testEnv, policies: approvalPolicies, register: register() },
        finance,
        {
          allocationId: housing.id,
          amountVnd: 1_000_000,
          payeeId: payee.id,
          purpose: 'Nhà ở',
          outputs: { houses: 1 },
        },
        'claim-1',
      )
    ).result;
    return { payee, request };
  };

  it('finds no violation in a register and claims written by the service', async () => {
    await givenClaim();
    expect((await check()).violations).toEqual([]);
  });

  it('reports a claim held by a cancelled request, and a pending request whose claim is gone', async () => {
    const { payee, request } = await givenClaim();
    await rewriteRequest(request.id, () => ({ status: 'cancelled' }));

    let { violations } = await check();
    expect(violations).toContain(
      `support claim J#${J}#SUPPORT#housing-once#${payee.id}: held by request ${request.id}, which is cancelled or does not claim it`,
    );

    await rewriteRequest(request.id, () => ({ status: 'pending_approval' }));
    await table.db.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: supportClaimKeys.key(J, 'housing-once', payee.id),
      }),
    );
    ({ violations } = await check());
    expect(violations).toContain(
      `request ${request.id}: does not hold its claim "housing-once" on payee ${payee.id}`,
    );
  });

  it('reports a second payee of the same citizen ID, and a request naming a payee not in the register', async () => {
    const { payee, request } = await givenClaim();
    const twin = { ...(await item(payeeKeys.key(J, payee.id))), ...payeeKeys.key(J, 'twin') };
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: twin }));
    await rewriteRequest(request.id, () => ({ payeeId: 'nobody' }));

    const { violations } = await check();

    expect(violations).toEqual(
      expect.arrayContaining([
        'payee twin: its identifier CCCD 049087000111 is not held by it (a duplicate payee?)',
        `request ${request.id}: names payee nobody, not in its jurisdiction's register`,
      ]),
    );
  });
});

/** A stored document of a request's dossier, as the documents repository writes it. */
const aDocument = (requestId: string, type: string, status: 'pending' | 'verified') => ({
  id: `${requestId}-${type}`,
  jurisdiction: J,
  requestId,
  commune: 'A Tiêng',
  type,
  fileName: `${type}.pdf`,
  contentType: 'application/pdf' as const,
  sizeBytes: 100,
  sha256: 'd'.repeat(64),
  objectKey: `${J}/${requestId}/${requestId}-${type}`,
  status,
  uploadedBy: 'finance-1',
  createdAt: '2026-03-01T00:00:00.000Z',
});
const documents = () => new DynamoDocumentRepository(table.db, table.tableName);

describe('the invariant checker on contracts (issue 15)', () => {
  it('finds no violation in an advance and its recovering payments written by the service', async () => {
    // The contractor is in the register, and each dossier holds its required documents, verified.
    const payees = new DynamoPayeeRepository(table.db, table.tableName);
    const contractor = (await createPayee({ payees, ...testEnv }, finance, CONTRACTOR_BODY, 'contractor-1'))
      .result;
    const deps = { store: table.store, ...testEnv, payees };
    const contract = await givenContract(deps, allocationId, {
      valueVnd: 50_000_000,
      payeeId: contractor.id,
    });
    const dossier =
      (...types: string[]) =>
      async (requestId: string) => {
        for (const type of types) await documents().putDocument(aDocument(requestId, type, 'verified'));
      };
    await givenContractPosting(
      deps,
      { contractId: contract.id, kind: 'advance', amountVnd: 15_000_000 },
      // The contract asks for an advance guarantee (the policy's default): the advance's dossier holds one.
      dossier('payment-request', 'advance-guarantee'),
    );
    await givenContractPosting(
      deps,
      { contractId: contract.id, kind: 'payment', amountVnd: 20_000_000, recoveryVnd: 7_500_000 },
      dossier('payment-request', 'completed-work-statement'),
    );

    const report = await check();

    expect(report.violations).toEqual([]);
    expect(report.counts).toMatchObject({ contracts: 1, entries: 4 });
  });

  it('reports an allocation whose advance totals disagree with its advance and payment entries', async () => {
    const deps = { store: table.store, ...testEnv };
    const contract = await givenContract(deps, allocationId, { valueVnd: 50_000_000 });
    await givenContractPosting(deps, { contractId: contract.id, kind: 'advance', amountVnd: 15_000_000 });
    await givenContractPosting(deps, {
      contractId: contract.id,
      kind: 'payment',
      amountVnd: 20_000_000,
      recoveryVnd: 7_500_000,
    });
    // A faulty writer: the allocation forgets the recovery and counts the advance twice.
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: allocationKeys.key(J, allocationId),
        UpdateExpression: 'SET advancedVnd = :twice REMOVE recoveredVnd',
        ExpressionAttributeValues: { ':twice': 30_000_000 },
      }),
    );

    const { violations } = await check();

    expect(violations).toEqual(
      expect.arrayContaining([
        `allocation ${allocationId}: advancedVnd 30000000 ≠ sum of its advance entries 15000000`,
        `allocation ${allocationId}: recoveredVnd 0 ≠ sum of its payments' recoveries 7500000`,
      ]),
    );
  });

  it('reports a contract paid past its value and one recovering more than was advanced, from the entries', async () => {
    const deps = { store: table.store, ...testEnv };
    const contract = await givenContract(deps, allocationId, { valueVnd: 50_000_000 });
    await givenContractPosting(deps, { contractId: contract.id, kind: 'advance', amountVnd: 15_000_000 });
    const payment = await givenContractPosting(deps, {
      contractId: contract.id,
      kind: 'payment',
      amountVnd: 20_000_000,
      recoveryVnd: 7_500_000,
    });
    // A faulty writer: the payment's entry now says more work and more recovery than the contract allows.
    const entry = (await table.store.listEntries(J, allocationId)).find((e) => e.requestId === payment.id);
    if (!entry) throw new Error('arrange failed: no payment entry');
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...(await item(entryKeys.key(J, allocationId, entry.seq))),
          grossVnd: 60_000_000,
          recoveryVnd: 16_000_000,
        },
      }),
    );

    const { violations } = await check();

    expect(violations).toContain(`contract ${contract.id}: payments 60000000 exceed its value 50000000`);
    expect(violations).toContain(
      `contract ${contract.id}: advance outstanding -1000000 is negative (recovered 16000000 of 15000000)`,
    );
    expect(violations.some((v) => v.startsWith(`contract ${contract.id}: paidVnd 20000000 ≠ 60000000`))).toBe(
      true,
    );
  });
});

describe('the invariant checker and dossiers', () => {
  it('reports a posted payment without its required verified documents, and passes it once they are verified', async () => {
    const [id = ''] = postedIds;
    await rewriteRequest(id, () => ({ kind: 'payment' }));
    await documents().putDocument(aDocument(id, 'payment-request', 'verified'));
    await documents().putDocument(aDocument(id, 'completed-work-statement', 'pending'));

    const missing = (await check()).violations;
    expect(missing).toContain(
      `request ${id}: posted without verified documents of type completed-work-statement`,
    );

    await documents().putDocument(aDocument(id, 'acceptance-record', 'verified'));
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: requestKeys.key(J, id).pk, sk: `DOC#${id}-completed-work-statement` },
        UpdateExpression: 'SET #status = :verified',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':verified': 'verified' },
      }),
    );
    expect((await check()).violations).toEqual([]);
  });

  it('exempts requests stored without a kind (before dossiers): they are direct, which requires no document', async () => {
    const request = await item(requestKeys.key(J, postedIds[0] ?? ''));
    expect(request.kind).toBeUndefined();
    expect((await check()).violations).toEqual([]);
  });

  it('reports an entry that hashes a document the request does not have verified', async () => {
    const [id = ''] = postedIds;
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: entryKeys.key(J, allocationId, 1),
        UpdateExpression: 'SET documents = :documents',
        ExpressionAttributeValues: { ':documents': [{ type: 'beneficiary-list', sha256: 'e'.repeat(64) }] },
      }),
    );
    expect((await check()).violations).toContain(
      `request ${id}: its entry hashes a document that is not one of its verified documents`,
    );
  });
});

describe('the checker of Treasury vouchers (issue 15)', () => {
  it('finds a voucher posted by the service sound, and reports its number posted by a second entry', async () => {
    const pending = (await table.store.listRequests({ jurisdiction: J, status: 'pending_approval' }, 10))
      .items[0];
    if (!pending) throw new Error('arrange failed: no pending request');
    const voucher = { number: 'UNC-0007', valueDate: '2024-03-02' };
    for (const event of approvalEvents(testEnv, pending)) {
      const atTreasury = event.level === 'treasury' ? { treasuryVoucher: voucher } : {};
      await applyApprovalEvent(
        { store: table.store, ...testEnv, policies: approvalPolicies, sleep: async () => {} },
        { ...event, ...atTreasury },
      );
    }
    expect((await check()).violations).toEqual([]);

    const first = await item(entryKeys.key(J, allocationId, 1));
    await table.db.send(
      new PutCommand({ TableName: table.tableName, Item: { ...first, treasuryVoucher: voucher } }),
    );
    const { violations } = await check();
    expect(violations).toContain(
      `voucher UNC-0007 of fiscal year 2024 in ${J} is posted by 2 entries (${String(first.requestId)}, ${pending.id})`,
    );
    expect(violations).toContain(
      `entry ${String(first.entryId)} posts voucher UNC-0007 whose uniqueness item is not held by its request`,
    );
  });
});

describe('the invariant checker on deadlines (issue 16)', () => {
  it('reports an entry posted after its allocation’s deadline', async () => {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: allocationKeys.key(J, allocationId),
        UpdateExpression: 'SET deadline = :d',
        ExpressionAttributeValues: { ':d': '2024-09-30' },
      }),
    );
    const { violations } = await check();
    expect(violations.filter((v) => v.includes("after its allocation's deadline 2024-09-30"))).toHaveLength(
      2,
    );
  });

  it('reports an expired request that still holds its reservation and waits at a level', async () => {
    const [pending] = (await table.store.listRequests({ jurisdiction: J, status: 'pending_approval' }, 10))
      .items;
    await rewriteRequest(pending?.id ?? '', (r) => ({ ...r, status: 'expired' }));
    const { violations } = await check();
    expect(violations.some((v) => v.includes('reservedVnd 7000000 ≠ sum of pending requests 0'))).toBe(true);
    expect(violations.some((v) => v.includes('still waits at a level or records no deadline'))).toBe(true);
  });
});

describe('the invariant checker on the year-end close (issue 16)', () => {
  /** Closes 2024 after its deadline, carrying the allocation's unspent balance into 2025. */
  const closeYear = async () => {
    const deps = { store: table.store, ...testEnv, now: () => new Date('2025-02-10T03:00:00.000Z') };
    const { result } = await closeFiscalYear(deps, planner, 2024, {
      decisionNumber: '45/QĐ-UBND',
      decidedOn: '2025-02-10',
      carryOver: [{ allocationId }],
    });
    return result.allocations?.find((a) => a.allocationId === allocationId)?.carriedTo ?? '';
  };
  const setOn = async (id: string, expression: string, values: Record<string, unknown>) =>
    table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: allocationKeys.key(J, id),
        UpdateExpression: expression,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      }),
    );

  it('finds no violation in a year closed with a carry-over by the service', async () => {
    expect(await closeYear()).not.toBe('');
    expect((await check()).violations).toEqual([]);
  });

  it('reports a closed allocation changed after its close and a carried amount not conserved', async () => {
    const targetId = await closeYear();
    await setOn(allocationId, 'SET assignedVnd = assignedVnd + :d, availableVnd = availableVnd + :d', {
      ':d': 1,
    });
    await setOn(targetId, 'SET assignedVnd = assignedVnd + :d, availableVnd = availableVnd + :d', {
      ':d': 5,
    });
    const { violations } = await check();
    expect(
      violations.some((v) => v.includes(`allocation ${allocationId}: changed after its year's close`)),
    ).toBe(true);
    expect(violations.some((v) => v.includes('missing or assigned another amount'))).toBe(true);
  });

  it('reports a carried allocation whose origin is not closed', async () => {
    const targetId = await closeYear();
    await setOn(allocationId, 'REMOVE closing', {});
    const { violations } = await check();
    expect(
      violations.some((v) =>
        v.includes(`allocation ${targetId}: carried from ${allocationId}, which is missing, not closed`),
      ),
    ).toBe(true);
  });

  it("reports a day summary that differs from its day's entries, or a day posted to after its summary", async () => {
    const summaries = new DynamoDaySummaryRepository(table.db, table.tableName);
    const first = await item(entryKeys.key(J, allocationId, 1));
    const day = vnDateOf(String(first.postedAt));
    const fiscalYear = Number(first.fiscalYear);
    const summarise = () =>
      summariseClosedDays(
        {
          store: table.store,
          entries: new DynamoAuditRepository(table.db, table.tableName),
          summaries,
          snapshots: new DynamoDaySnapshotRepository(table.db, table.tableName),
          now: () => vnMidnight(addDays(day, 1)),
        },
        [J],
        { maxDays: 400 },
      );
    await summarise();
    expect((await check()).violations).toEqual([]);
    const [row] = (await summaries.listDaySummaries(J, fiscalYear)).filter((s) => s.date === day);
    expect(row?.entries).toBe(2);
    const [cell] = Object.keys(row?.cells ?? {});

    // A summary row rewritten by a faulty writer.
    if (row && cell) await summaries.putDaySummaries([{ ...row, cells: { ...row.cells, [cell]: [1, 2] } }]);
    expect((await check()).violations).toContain(
      `day summary J#${J}#DAYSUM#${fiscalYear} / ${day}: cell ${cell} holds [1,2], its day's entries [15000000,2]`,
    );

    // Its totals rewritten (the cells put back): the whole jurisdiction's series reads those.
    const [total] = Object.keys(row?.totals ?? {});
    if (row && total)
      await summaries.putDaySummaries([{ ...row, totals: { ...row.totals, [total]: [1, 2] } }]);
    expect(total).toBeDefined();
    expect((await check()).violations).toEqual([
      `day summary J#${J}#DAYSUM#${fiscalYear} / ${day}: total ${total} holds [1,2], its day's entries [15000000,2]`,
    ]);

    // The day summarised again, then an entry dated that day written after it (never done by a posting).
    await table.db.send(
      new DeleteCommand({ TableName: table.tableName, Key: { pk: `J#${J}#DAYSUM#${fiscalYear}`, sk: day } }),
    );
    await summarise();
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...first,
          ...entryKeys.item(J, { allocationId, seq: 3, fiscalYear, postedAt: String(first.postedAt) }),
          seq: 3,
        },
      }),
    );
    expect((await check()).violations).toContain(
      `day summary J#${J}#DAYSUM#${fiscalYear} / ${day}: counts 2 entries, its day has 3`,
    );
  });
});

describe('day snapshots (issue 20) in the invariant checker', () => {
  it("reports a snapshot that differs from its entries up to its day, or a year's snapshots with a gap", async () => {
    const snapshots = new DynamoDaySnapshotRepository(table.db, table.tableName);
    const first = await item(entryKeys.key(J, allocationId, 1));
    const day = vnDateOf(String(first.postedAt));
    const fiscalYear = Number(first.fiscalYear);
    await summariseClosedDays(
      {
        store: table.store,
        entries: new DynamoAuditRepository(table.db, table.tableName),
        summaries: new DynamoDaySummaryRepository(table.db, table.tableName),
        snapshots,
        now: () => vnMidnight(addDays(day, 1)),
      },
      [J],
      { maxDays: 400 },
    );
    expect((await check()).violations).toEqual([]);
    const snapshot = (await snapshots.getDaySnapshots(J, fiscalYear, [day])).get(day);
    expect(snapshot?.cumulative).toEqual({ [allocationId]: 15_000_000 });

    // A snapshot rewritten by a faulty writer, and one written two days on, leaving a day out.
    if (snapshot) {
      await snapshots.putDaySnapshot({ ...snapshot, cumulative: { [allocationId]: 1 } });
      await snapshots.putDaySnapshot({ ...snapshot, date: addDays(day, 2) });
    }
    const { violations } = await check();
    expect(violations).toContain(
      `day snapshot J#${J}#DAYCUM#${fiscalYear} / ${day}: allocation ${allocationId} holds 1, its entries up to that day 15000000`,
    );
    expect(violations).toContain(
      `day snapshots of ${J}|${fiscalYear}: none from ${addDays(day, 1)} to ${addDays(day, 1)}`,
    );
  });
});

describe('day pipelines (issue 20) in the invariant checker', () => {
  it("reports a snapshot's pipeline that differs from the requests pending at its day's end, or a pending set lacking one", async () => {
    const snapshots = new DynamoDaySnapshotRepository(table.db, table.tableName);
    const first = await item(entryKeys.key(J, allocationId, 1));
    const day = vnDateOf(String(first.postedAt));
    const fiscalYear = Number(first.fiscalYear);
    await summariseClosedDays(
      {
        store: table.store,
        entries: new DynamoAuditRepository(table.db, table.tableName),
        summaries: new DynamoDaySummaryRepository(table.db, table.tableName),
        snapshots,
        requests: new DynamoMonitoringRepository(table.db, table.tableName),
        now: () => vnMidnight(addDays(day, 1)),
      },
      [J],
      { maxDays: 400 },
    );
    expect((await check()).violations).toEqual([]);
    const snapshot = (await snapshots.getDaySnapshots(J, fiscalYear, [day])).get(day);
    // The healthy ledger's pending request, submitted that day.
    expect(snapshot?.pipeline).toEqual({ [allocationId]: 7_000_000 });
    expect(snapshot?.pendingChunks).toBe(1);

    // A pipeline rewritten by a faulty writer, and the day's pending set emptied.
    if (snapshot) await snapshots.putDaySnapshot({ ...snapshot, pipeline: { [allocationId]: 1 } });
    await snapshots.putPendingSet(J, fiscalYear, day, [], 2_000_000_000);
    const { violations } = await check();
    expect(violations).toContain(
      `day snapshot J#${J}#DAYCUM#${fiscalYear} / ${day}: allocation ${allocationId}'s pipeline holds 1, its requests pending at the day's end 7000000`,
    );
    expect(violations.some((v) => v.startsWith(`pending set ${J} ${fiscalYear} ${day}: lacks `))).toBe(true);
  });
});

describe('integrity digest (issue 20) in the invariant checker', () => {
  /** The daily job of the day after every request of the healthy ledger was made; its fiscal year and day. */
  const digestHealthyLedger = async (digest: DynamoIntegrityDigestRepository) => {
    const first = await item(entryKeys.key(J, allocationId, 1));
    const fiscalYear = Number(first.fiscalYear);
    const monitoring = new DynamoMonitoringRepository(table.db, table.tableName);
    const made = (await monitoring.listRequestsCreatedBetween(J)).map((r) => r.createdAt).sort();
    const today = addDays(vnDateOf(made.at(-1) ?? ''), 1);
    await summariseClosedDays(
      {
        store: table.store,
        entries: new DynamoAuditRepository(table.db, table.tableName),
        summaries: new DynamoDaySummaryRepository(table.db, table.tableName),
        snapshots: new DynamoDaySnapshotRepository(table.db, table.tableName),
        now: () => vnMidnight(today),
        integrity: {
          source: monitoring,
          digest,
          supportRules,
          settingsOf: candidateSettingsFrom(integrityConfig, approvalPolicies),
        },
      },
      [J],
      { maxDays: 400 },
    );
    expect((await digest.digestDay(J, fiscalYear))?.date).toBe(addDays(today, -1));
    return { fiscalYear, today };
  };

  it('reports a group missing a request of its digested days, or holding one not of it', async () => {
    const digest = new DynamoIntegrityDigestRepository(table.db, table.tableName);
    const { fiscalYear, today } = await digestHealthyLedger(digest);
    expect((await check()).violations).toEqual([]);

    // A request taken out of its payee-on-allocation group, and a made-up one put in, by a faulty writer.
    const [group] =
      (
        await table.db.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :g)',
            ExpressionAttributeValues: { ':pk': integrityDigestKeys.day(J, fiscalYear).pk, ':g': 'G#pair:' },
          }),
        )
      ).Items ?? [];
    const [member] = [...((group?.members as Set<string>) ?? [])];
    expect(member).toBeDefined();
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: group?.pk, sk: group?.sk },
        UpdateExpression: 'SET members = :members',
        ExpressionAttributeValues: {
          ':members': new Set([
            ...[...((group?.members as Set<string>) ?? [])].filter((m) => m !== member),
            'forged|x|1|local|commune',
          ]),
        },
      }),
    );
    const { violations } = await check();
    const at = `integrity digest ${J} ${fiscalYear}`;
    expect(violations).toContain(
      `${at} through ${addDays(today, -1)}: group ${String(group?.sk).slice(2)} lacks ${member}`,
    );
    expect(violations).toContain(
      `${at}: group ${String(group?.sk).slice(2)} holds forged|x|1|local|commune, not of its requests`,
    );
  });

  it('reads groups in chunks whole, and reports a request held twice, a chunk too large or sealed ahead', async () => {
    // One member a chunk: every group of two requests or more spans chunks.
    const digest = new DynamoIntegrityDigestRepository(table.db, table.tableName, { chunkMembers: 1 });
    const { fiscalYear } = await digestHealthyLedger(digest);
    expect((await check()).violations).toEqual([]);
    const pk = integrityDigestKeys.day(J, fiscalYear).pk;
    const inPartition = async () =>
      (
        await table.db.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [];
    const head = (await inPartition()).find(
      (i) => Number(i.sealedChunks ?? 0) > 0 && String(i.sk).startsWith('G#'),
    );
    expect(head).toBeDefined();
    const group = String(head?.sk).slice(2);
    const label = `integrity digest ${J} ${fiscalYear}: group ${group}`;
    const chunkKey = integrityDigestKeys.groupChunk(J, fiscalYear, group, 1);
    const [sealed = ''] = [...((await item(chunkKey)).members as Set<string>)];
    const [id = ''] = sealed.split('|');

    // A sealed member put back in the open chunk, by a faulty writer: held twice.
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: head?.pk, sk: head?.sk },
        UpdateExpression: 'ADD members :m',
        ExpressionAttributeValues: { ':m': new Set([sealed]) },
      }),
    );
    expect((await check()).violations).toContain(`${label} holds ${id} more than once`);

    // A chunk written past the bound (501 members), and the head sealed through a day before its chunks.
    const forged = Array.from(
      { length: 500 },
      (_, i) => `forged-${i}|2000-01-01T00:00:00.000Z|1|local|commune`,
    );
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...(await item(chunkKey)), members: new Set([sealed, ...forged]) },
      }),
    );
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: head?.pk, sk: head?.sk },
        UpdateExpression: 'SET sealedThrough = :t',
        ExpressionAttributeValues: { ':t': '2000-01-01T00:00:00.000Z' },
      }),
    );
    const bytes = [sealed, ...forged].reduce((n, m) => n + Buffer.byteLength(m), 0);
    const { violations } = await check();
    expect(violations).toContain(
      `integrity digest ${J} ${fiscalYear}: ${chunkKey.sk} holds 501 members, ${bytes} bytes, above a chunk's 500 and 128000`,
    );
    expect(
      violations.some((v) =>
        v.startsWith(`${label} is sealed through 2000-01-01T00:00:00.000Z, its chunks hold`),
      ),
    ).toBe(true);

    // A chunk lost: the head counts one more than there are.
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: head?.pk, sk: head?.sk },
        UpdateExpression: 'SET sealedChunks = sealedChunks + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const count = Number(head?.sealedChunks) + 1;
    expect((await check()).violations).toContain(
      `${label} counts ${count} sealed chunks, its chunks are [${Array.from({ length: count - 1 }, (_, i) => i + 1).join(', ')}]`,
    );
  });
});

describe('reallocations (issue 17) in the invariant checker', () => {
  /** Moves 20,000,000 VND from the healthy ledger's allocation to a new one, through the use case. */
  const reallocate = async () => {
    const target = await givenAllocation(table.store, {
      fundingLine: 'local',
      component: 'DA2',
      amountVnd: 50_000_000,
    });
    const { result } = await createReallocation(
      { store: table.store, ...testEnv },
      planner,
      {
        decisionNumber: '12/QĐ-UBND',
        decidedOn: '2024-10-01',
        reason: 'Chuyển vốn sang dự án giải ngân nhanh',
        moves: [{ fromAllocationId: allocationId, toAllocationId: target.id, amountVnd: 20_000_000 }],
      },
      'checker-reallocation',
    );
    return { id: result.id, targetId: target.id };
  };
  const rewrite = async (key: { pk: string; sk: string }, fields: Record<string, unknown>) =>
    table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...(await item(key)), ...fields } }));

  it('finds no violation after a reallocation and a close carrying the capital it received', async () => {
    const { targetId } = await reallocate();
    await closeFiscalYear(
      { store: table.store, ...testEnv, now: () => new Date('2025-02-10T03:00:00.000Z') },
      planner,
      2024,
      {
        decisionNumber: '45/QĐ-UBND',
        decidedOn: '2025-02-10',
        carryOver: [{ allocationId: targetId }],
      },
    );
    expect((await check()).violations).toEqual([]);
  });

  it('reports a reallocation whose total is not what its entries moved', async () => {
    const { id } = await reallocate();
    await rewrite(reallocationKeys.key(J, id), { totalVnd: 20_000_001 });
    const { violations } = await check();
    expect(
      violations.some((v) => v.includes(`reallocation ${id}: does not conserve the total assigned`)),
    ).toBe(true);
  });

  it('reports a move missing on a chain, and an entry naming a reallocation not applied', async () => {
    const { id, targetId } = await reallocate();
    await rewrite(entryKeys.key(J, targetId, 1), { amountVnd: 19_000_000 });
    await rewrite(reallocationKeys.key(J, id), { status: 'rejected' });
    const { violations } = await check();
    expect(violations.some((v) => v.includes(`reallocation ${id}: rejected yet has 2 entries`))).toBe(true);
    expect(violations.some((v) => v.includes(`names reallocation ${id}, which is not applied`))).toBe(true);
    await rewrite(reallocationKeys.key(J, id), { status: 'applied' });
    expect(
      (await check()).violations.some((v) => v.includes(`reallocation ${id}: move 0 is not one entry`)),
    ).toBe(true);
  });

  it('reports an allocation whose assigned capital moved without its entries, changing the year’s total', async () => {
    const { targetId } = await reallocate();
    await setAllocationByHand(table.db, table.tableName, targetId, { reallocatedVnd: 25_000_000 });
    const { violations } = await check();
    expect(violations.some((v) => v.includes(`allocation ${targetId}: reallocatedVnd 25000000 ≠`))).toBe(
      true,
    );
    expect(
      violations.some((v) => v.includes('reallocations changed the total assigned by 5000000 VND')),
    ).toBe(true);
  });
});
