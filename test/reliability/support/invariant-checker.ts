import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanAll } from '../../../local/table-upgrade.ts';
import { requiredTypes } from '../../../shared/documents/domain/dossier-document.ts';
import { pendingAt } from '../../../shared/forecast/domain/pipeline.ts';
import {
  approvalChainFor,
  DEFAULT_INVESTOR,
  type InvestorKind,
} from '../../../shared/ledger/domain/approval-policy.ts';
import { cashOutVnd } from '../../../shared/ledger/domain/contract.ts';
import { deadlineOf } from '../../../shared/ledger/domain/disbursement-deadline.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import type { FundingLine } from '../../../shared/ledger/domain/funding-line.ts';
import { verifyChain } from '../../../shared/ledger/domain/hash-chain.ts';
import {
  allocationAccount,
  bringsCapitalIn,
  movesCapital,
  type ReallocationRef,
} from '../../../shared/ledger/domain/ledger-entry.ts';
import type { Reallocation } from '../../../shared/ledger/domain/reallocation.ts';
import { type ClosingFigures, disbursedBy } from '../../../shared/ledger/domain/year-end-close.ts';
import { INTEGRITY_CHUNK_MEMBERS } from '../../../shared/monitoring/adapters/integrity-digest-repository.ts';
import { candidateSettingsFrom } from '../../../shared/monitoring/app/integrity-digest.ts';
import { integrityConfig } from '../../../shared/monitoring/config/integrity.ts';
import { POSTING_CLOCK_MARGIN_MS } from '../../../shared/monitoring/domain/integrity/deadline-bunching.ts';
import {
  chunkBound,
  isLongMember,
  memberBytes,
  memberId,
} from '../../../shared/monitoring/domain/integrity/digest-chunks.ts';
import {
  candidateSettingsFingerprint,
  decodeMember,
  digestAdditions,
  encodeMember,
  isCandidate,
} from '../../../shared/monitoring/domain/integrity/integrity-digest.ts';
import { createDocumentClient } from '../../../shared/platform/aws/aws-clients.ts';
import { stripKeys } from '../../../shared/platform/aws/dynamo-items.ts';
import { approvalPolicies } from '../../../shared/platform/config/approval-policies/index.ts';
import { documentRequirements } from '../../../shared/platform/config/dossier-documents/index.ts';
import { deadlineRules } from '../../../shared/platform/config/fiscal-year/index.ts';
import { supportRules } from '../../../shared/platform/config/support-rules/index.ts';
import { samePerson } from '../../../shared/platform/person.ts';
import {
  allocationKeys,
  contractKeys,
  daySnapshotKeys,
  daySummaryKeys,
  documentKeys,
  entryKeys,
  idempotencyKeys,
  integrityDigestKeys,
  payeeIdentifierKeys,
  payeeKeys,
  pendingSetKeys,
  reallocationKeys,
  requestKeys,
  splitJurisdiction,
  supportClaimKeys,
  voucherKeys,
} from '../../../shared/platform/table/keys.ts';
import {
  FORMAT_MARKER_KEY,
  hasFormerListingKeys,
  REQUEST_LISTINGS_MARKER_KEY,
} from '../../../shared/platform/table/upgrade.ts';
import { jurisdictionOf } from '../../../shared/platform/tenancy.ts';
import { isTotalInRange } from '../../../shared/platform/total-range.ts';
import { addDays, vnDateOf, vnMidnight } from '../../../shared/platform/vn-calendar.ts';

/** What the checker found: how many individual checks it made and every one that failed. */
export interface InvariantReport {
  checks: number;
  violations: string[];
  counts: { allocations: number; requests: number; entries: number; items: number; contracts?: number };
}

// Plain records, as stored: the checker trusts no type of the service, only what the table holds.
type Item = Record<string, unknown> & { pk: string; sk: string; type?: string };

/** Every item of the table, read with paged Scans (test code: a whole-table read is the point). */
export const scanTable = async (raw: DynamoDBClient, tableName: string): Promise<Item[]> => {
  const items: Item[] = [];
  await scanAll(createDocumentClient(raw), tableName, (page) => items.push(...page));
  return items;
};

const RESERVING = new Set(['pending_approval', 'approved']);
const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

/**
 * Reads the whole table straight from DynamoDB and checks every ledger invariant of DESIGN §2,
 * and that no stored Idempotency-Key answer lacks its effect, from the raw items — recomputing the totals from entries and requests rather than trusting the
 * allocation's running totals.
 */
export const checkInvariants = async (raw: DynamoDBClient, tableName: string): Promise<InvariantReport> => {
  const items = await scanTable(raw, tableName);
  const violations: string[] = [];
  let checks = 0;
  const check = (ok: boolean, message: () => string) => {
    checks += 1;
    if (!ok) violations.push(message());
  };

  // Each item's kind and id told from its key alone (platform/table/keys.ts), not from its `type`.
  const allocations = items.filter((i) => allocationKeys.idOf(i) !== undefined);
  const entries = items.filter((i) => entryKeys.allocationIdOf(i) !== undefined);
  const requests = items.filter((i) => requestKeys.idOf(i) !== undefined);
  const allocationIdOf = (a: Item) => allocationKeys.idOf(a) ?? '';
  const requestIdOf = (r: Item) => requestKeys.idOf(r) ?? '';
  /** The jurisdiction an item is kept in, read from its key. */
  const keptIn = (i: Item) => splitJurisdiction(i.pk)?.jurisdiction;
  const allocationById = new Map(allocations.map((a) => [allocationIdOf(a), a]));

  // 0. Tenancy: every item is kept in a jurisdiction (none left in a format from before: the upgrade
  // moves them), an item naming its own jurisdiction is kept in it, and requests and entries are kept
  // in their allocation's, so no read in one jurisdiction can reach another's money.
  for (const i of items) {
    const where = keptIn(i);
    // The table's formats, no one's data.
    if ([FORMAT_MARKER_KEY, REQUEST_LISTINGS_MARKER_KEY].some((m) => i.pk === m.pk && i.sk === m.sk))
      continue;
    check(
      !hasFormerListingKeys(i),
      () => `request ${i.pk} is listed on the shared indexes (gsi1–gsi3), not on its own`,
    );
    check(where !== undefined, () => `item ${i.pk} / ${i.sk} is kept in no jurisdiction`);
    if (typeof i.jurisdiction === 'string')
      check(
        i.jurisdiction === where,
        () => `item ${i.pk} / ${i.sk} names jurisdiction ${String(i.jurisdiction)}`,
      );
  }
  for (const x of [...entries, ...requests]) {
    const allocation = allocationById.get(String(x.allocationId));
    check(
      allocation !== undefined && keptIn(allocation) === keptIn(x),
      () => `${x.pk} / ${x.sk}: not kept in the jurisdiction of its allocation ${String(x.allocationId)}`,
    );
    if (allocation)
      check(
        jurisdictionOf(x as { jurisdiction?: string }) ===
          jurisdictionOf(allocation as { jurisdiction?: string }),
        () => `${x.pk} / ${x.sk}: names another jurisdiction than its allocation ${String(x.allocationId)}`,
      );
  }

  const entriesOf = new Map<string, Item[]>();
  for (const e of entries) {
    const id = entryKeys.allocationIdOf(e) ?? '';
    entriesOf.set(id, [...(entriesOf.get(id) ?? []), e]);
  }
  const requestsOf = new Map<string, Item[]>();
  for (const r of requests) {
    const id = String(r.allocationId);
    requestsOf.set(id, [...(requestsOf.get(id) ?? []), r]);
  }

  // 1. Running totals against what the entries and requests say.
  for (const a of allocations) {
    const id = allocationIdOf(a);
    const own = entriesOf.get(id) ?? [];
    const assigned = num(a.assignedVnd);
    const reserved = num(a.reservedVnd);
    const disbursed = num(a.disbursedVnd);
    const available = num(a.availableVnd);
    // A carry-over's or reallocation's entry moves capital and disburses nothing.
    const entrySum = own.reduce((s, e) => s + disbursedBy(e as never), 0);
    // A request reserves its cash out: a payment's net of its recovery.
    const pendingSum = (requestsOf.get(id) ?? [])
      .filter((r) => RESERVING.has(String(r.status)))
      .reduce((s, r) => s + cashOutVnd(r as never), 0);
    check(
      disbursed === entrySum,
      () => `allocation ${id}: disbursedVnd ${disbursed} ≠ sum of entries ${entrySum}`,
    );
    check(
      reserved === pendingSum,
      () => `allocation ${id}: reservedVnd ${reserved} ≠ sum of pending requests ${pendingSum}`,
    );
    check(
      reserved + disbursed <= assigned,
      () => `allocation ${id}: reserved ${reserved} + disbursed ${disbursed} > assigned ${assigned}`,
    );
    check(
      available === assigned - reserved - disbursed,
      () => `allocation ${id}: availableVnd ${available} ≠ assigned − reserved − disbursed`,
    );
    // The advance totals: what its advance entries paid, what its payment entries recovered, no more.
    const advancedSum = own.filter((e) => e.kind === 'advance').reduce((s, e) => s + num(e.amountVnd), 0);
    const recoveredSum = own
      .filter((e) => e.kind === 'payment')
      .reduce((s, e) => s + num(e.recoveryVnd ?? 0), 0);
    const advanced = num(a.advancedVnd ?? 0);
    const recovered = num(a.recoveredVnd ?? 0);
    check(
      advanced === advancedSum,
      () => `allocation ${id}: advancedVnd ${advanced} ≠ sum of its advance entries ${advancedSum}`,
    );
    check(
      recovered === recoveredSum,
      () => `allocation ${id}: recoveredVnd ${recovered} ≠ sum of its payments' recoveries ${recoveredSum}`,
    );
    check(
      recovered <= advanced,
      () => `allocation ${id}: recoveredVnd ${recovered} exceeds advancedVnd ${advanced}`,
    );
    // Every running total, output counts included, a whole number within [0, 10^15] (a bigint past 2^53 fails).
    const counters = Object.entries(a).filter(([name]) => name.startsWith('output#'));
    for (const field of ['assignedVnd', 'reservedVnd', 'disbursedVnd', 'availableVnd'] as const) {
      counters.push([field, a[field]]);
    }
    for (const [field, value] of counters) {
      check(
        isTotalInRange(value),
        () => `allocation ${id}: ${field} is ${String(value)}, not a whole number within [0, 10^15]`,
      );
    }
    // 5. The hash chain, in seq order, up to the allocation's head.
    const chain = [...own].sort((x, y) => num(x.seq) - num(y.seq));
    const verdict = verifyChain(
      chain.map((e) => stripKeys<never>(e)),
      { seq: num(a.headSeq), hash: String(a.headHash) },
    );
    check(verdict.valid, () => `allocation ${id}: hash chain broken: ${JSON.stringify(verdict.broken)}`);
  }

  // 2. Double entry, per entry and over the whole ledger.
  let ledgerSum = 0;
  for (const e of entries) {
    const postings = (e.postings ?? []) as { debitVnd: number; creditVnd: number }[];
    const debits = postings.reduce((s, p) => s + num(p.debitVnd), 0);
    const credits = postings.reduce((s, p) => s + num(p.creditVnd), 0);
    ledgerSum += debits - credits;
    check(debits === credits, () => `entry ${String(e.entryId)}: debits ${debits} ≠ credits ${credits}`);
    // The allocation's debit is the entry's cash out; an advance's or payment's other legs move its receivable.
    // An incoming carry-over or reallocation credits its allocation instead (capital in).
    const allocationDebit = (postings as { account?: string; debitVnd: number; creditVnd: number }[])
      .filter((p) => p.account === allocationAccount(String(e.allocationId)))
      .reduce((s, p) => s + num(bringsCapitalIn(e as never) ? p.creditVnd : p.debitVnd), 0);
    check(
      allocationDebit === num(e.amountVnd) && postings.every((p) => p.debitVnd >= 0 && p.creditVnd >= 0),
      () => `entry ${String(e.entryId)}: postings do not move its amount ${String(e.amountVnd)}`,
    );
    check(
      allocations.some((a) => a.pk === e.pk),
      () => `entry ${String(e.entryId)} has no allocation`,
    );
  }
  check(ledgerSum === 0, () => `the whole ledger sums to ${ledgerSum}, not zero`);

  // 3. At most one entry per request; every disbursed request exactly one, no other request any.
  const entriesByRequest = new Map<string, number>();
  for (const e of entries.filter((x) => !movesCapital(x as never)))
    entriesByRequest.set(String(e.requestId), (entriesByRequest.get(String(e.requestId)) ?? 0) + 1);
  for (const [requestId, n] of entriesByRequest)
    check(n === 1, () => `request ${requestId} is posted ${n} times`);
  for (const r of requests) {
    const id = requestIdOf(r);
    const posted = entriesByRequest.get(id) ?? 0;
    if (r.status === 'disbursed') check(posted === 1, () => `disbursed request ${id} has ${posted} entries`);
    else check(posted === 0, () => `request ${id} is ${String(r.status)} yet has ${posted} entries`);
    check(
      Number.isSafeInteger(num(r.amountVnd)) && num(r.amountVnd) > 0,
      () => `request ${id}: amount ${String(r.amountVnd)} is not a positive whole amount`,
    );
  }

  // 3b. Outputs counted on each allocation (`output#<key>`) are exactly those its disbursed requests declared.
  const declared = new Map<string, Record<string, number>>();
  for (const r of requests.filter((x) => x.status === 'disbursed')) {
    const sums = declared.get(String(r.allocationId)) ?? {};
    for (const [key, n] of Object.entries((r.outputs ?? {}) as Record<string, number>))
      if (n > 0) sums[key] = (sums[key] ?? 0) + n;
    declared.set(String(r.allocationId), sums);
  }
  for (const a of allocations) {
    const id = allocationIdOf(a);
    const counted = Object.fromEntries(
      Object.entries(a)
        .filter(([name]) => name.startsWith('output#'))
        .map(([name, n]) => [name.slice('output#'.length), n]),
    );
    const expected = declared.get(id) ?? {};
    check(
      JSON.stringify(Object.entries(counted).sort()) === JSON.stringify(Object.entries(expected).sort()),
      () =>
        `allocation ${id}: outputs counted ${JSON.stringify(counted)} ≠ declared by its disbursed requests ${JSON.stringify(expected)}`,
    );
  }

  // 4. Four eyes on every posted request: each level of its chain, by different people, none the submitter.
  for (const r of requests.filter((x) => x.status === 'disbursed')) {
    const id = requestIdOf(r);
    const chain = (r.chain ?? []) as string[];
    const approvals = (
      (r.approvals ?? []) as { level: string; decision: string; by: string; email?: string }[]
    ).filter((x) => x.decision === 'approve');
    // The chain the policy demands for this jurisdiction, year, line, investor and amount, not the one the request carries.
    const expected = approvalChainFor(approvalPolicies, {
      jurisdiction: (r.jurisdiction as string | undefined) ?? approvalPolicies.defaultJurisdiction,
      fiscalYear: num(r.fiscalYear),
      fundingLine: r.fundingLine as FundingLine,
      investor: (r.investor as InvestorKind | undefined) ?? DEFAULT_INVESTOR,
      amountVnd: num(r.amountVnd),
    }).map((l) => l.level);
    check(
      expected.every((level) => chain.includes(level)),
      () => `request ${id}: chain ${chain} misses a level of ${expected}`,
    );
    for (const level of new Set([...expected, ...chain]))
      check(
        approvals.filter((x) => x.level === level).length === 1,
        () =>
          `request ${id}: level ${level} has ${approvals.filter((x) => x.level === level).length} approvals`,
      );
    // One person: the same sub, or the same e-mail (NFC, any case), as the four-eyes rule defines it.
    const people = approvals.map((x) => ({ sub: x.by, email: x.email }));
    check(
      people.every((p, i) => people.slice(i + 1).every((q) => !samePerson(p, q))),
      () => `request ${id}: one person approved two levels (${people.map((p) => p.sub)})`,
    );
    const submitter = { sub: String(r.submittedBy), email: r.submittedByEmail as string | undefined };
    check(
      !people.some((p) => samePerson(p, submitter)),
      () => `request ${id}: approved by its own submitter`,
    );
  }

  // 7. Contracts: totals recomputed from the entries and the pending requests; paid ≤ value and
  // 0 ≤ advance outstanding (advanced − recovered), from the entries, not the contract's own totals.
  const contracts = items.filter((i) => contractKeys.idOf(i) !== undefined);
  for (const c of contracts) {
    const id = contractKeys.idOf(c) ?? '';
    const own = entries.filter((e) => e.contractId === id && keptIn(e) === keptIn(c));
    const sum = (kind: string, field: string) =>
      own.filter((e) => e.kind === kind).reduce((s, e) => s + num(e[field]), 0);
    const advanced = sum('advance', 'amountVnd');
    const paid = sum('payment', 'grossVnd');
    const recovered = sum('payment', 'recoveryVnd');
    const pending = requests.filter(
      (r) => r.contractId === id && keptIn(r) === keptIn(c) && RESERVING.has(String(r.status)),
    );
    const pendingOf = (kind: string, field: string) =>
      pending.filter((r) => r.kind === kind).reduce((s, r) => s + num(r[field] ?? 0), 0);
    const value = num(c.valueVnd);
    check(paid <= value, () => `contract ${id}: payments ${paid} exceed its value ${value}`);
    check(
      advanced - recovered >= 0,
      () =>
        `contract ${id}: advance outstanding ${advanced - recovered} is negative (recovered ${recovered} of ${advanced})`,
    );
    for (const [field, expected] of [
      ['advancedVnd', advanced],
      ['paidVnd', paid],
      ['recoveredVnd', recovered],
      ['pendingAdvanceVnd', pendingOf('advance', 'amountVnd')],
      ['pendingPaymentVnd', pendingOf('payment', 'amountVnd')],
      ['pendingRecoveryVnd', pendingOf('payment', 'recoveryVnd')],
    ] as const) {
      check(
        num(c[field]) === expected,
        () =>
          `contract ${id}: ${field} ${String(c[field])} ≠ ${expected} from its entries and pending requests`,
      );
      check(isTotalInRange(c[field]), () => `contract ${id}: ${field} is ${String(c[field])}, out of range`);
    }
    check(
      num(c.paidVnd) + num(c.pendingPaymentVnd) <= value,
      () => `contract ${id}: paid and pending payments exceed its value ${value}`,
    );
  }

  // 6. Nothing half-written: every stored Idempotency-Key answer has its effect in the table. A
  // decision's event must have been applied, unless its level was decided by someone else or the
  // request was closed first (run once the queues are drained).
  const byKey = new Map(items.map((i) => [`${i.pk}|${i.sk}`, i]));
  const stored = (key: { pk: string; sk: string }) => byKey.get(`${key.pk}|${key.sk}`);
  for (const record of items.filter((i) => idempotencyKeys.scopeOf(i) !== undefined)) {
    // The key's scope: records no longer repeat it as an attribute.
    const scope = idempotencyKeys.scopeOf(record)?.scope ?? '';
    // A caller's records are kept in their jurisdiction, where what they answer is too.
    const where = keptIn(record) ?? '';
    // The first result (a record of the former format holds the first answer's body instead).
    const body = (record.result ?? record.body ?? {}) as Record<string, unknown>;
    if (num(record.statusCode) >= 400) continue;
    if (scope.startsWith('submit-request#')) {
      const request = stored(requestKeys.key(where, String(body.id)));
      check(
        request !== undefined &&
          request.amountVnd === body.amountVnd &&
          request.allocationId === body.allocationId,
        () =>
          `idempotency record ${scope} answers request ${String(body.id)}, which is not stored as answered`,
      );
    } else if (scope.startsWith('create-allocation#')) {
      check(
        stored(allocationKeys.key(where, String(body.id))) !== undefined,
        () => `idempotency record ${scope} answers allocation ${String(body.id)}, which does not exist`,
      );
    } else if (scope.startsWith('create-contract#')) {
      check(
        stored(contractKeys.key(where, String(body.id))) !== undefined,
        () => `idempotency record ${scope} answers contract ${String(body.id)}, which does not exist`,
      );
    } else if (scope.startsWith('amend-contract#')) {
      check(
        items.some((i) => i.type === 'contract-amendment' && i.id === body.id),
        () => `idempotency record ${scope} answers amendment ${String(body.id)}, which does not exist`,
      );
    } else if (scope.startsWith('adjust-allocation#')) {
      check(
        items.some((i) => i.type === 'adjustment' && i.id === body.id),
        () => `idempotency record ${scope} answers adjustment ${String(body.id)}, which does not exist`,
      );
    } else if (scope.startsWith('create-payee#')) {
      check(
        stored(payeeKeys.key(where, String(body.id))) !== undefined,
        () => `idempotency record ${scope} answers payee ${String(body.id)}, which does not exist`,
      );
    } else if (scope.startsWith('decide-request#')) {
      const event = record.event as { eventId: string; requestId: string; level: string } | undefined;
      const request = event ? stored(requestKeys.key(where, event.requestId)) : undefined;
      const approvals = (request?.approvals ?? []) as { level: string; eventId?: string }[];
      check(
        event !== undefined &&
          request !== undefined &&
          (approvals.some((a) => a.eventId === event.eventId || a.level === event.level) ||
            request.status === 'cancelled' ||
            request.status === 'rejected' ||
            // Its plan's period ended first: the request expired, and the decision has nothing to apply to.
            request.status === 'expired'),
        () =>
          `idempotency record ${scope}: the decision ${event?.eventId} was accepted but never applied to request ${event?.requestId}`,
      );
    }
  }

  // 8. The payee register (issue 15): one payee per tax code or citizen ID and jurisdiction, held by a
  // uniqueness item that names it; requests name payees of their own jurisdiction; a support rule's
  // claim on a payee is held by exactly one request, which names it and is neither rejected nor cancelled,
  // and every such request holds its claims (so a household is supported once per rule).
  const payees = items.filter((i) => payeeKeys.idOf(i) !== undefined);
  for (const payee of payees) {
    const where = keptIn(payee) ?? '';
    const type = payee.kind === 'household' || payee.kind === 'individual' ? 'CCCD' : 'TAX';
    const value = String(type === 'CCCD' ? payee.citizenId : payee.taxCode);
    check(
      stored(payeeIdentifierKeys.key(where, type, value))?.payeeId === payeeKeys.idOf(payee),
      () =>
        `payee ${payeeKeys.idOf(payee)}: its identifier ${type} ${value} is not held by it (a duplicate payee?)`,
    );
  }
  for (const u of items.filter((i) => i.type === 'payee-identifier')) {
    const payee = stored(payeeKeys.key(keptIn(u) ?? '', String(u.payeeId)));
    const field = u.identifierType === 'CCCD' ? 'citizenId' : 'taxCode';
    check(
      payee !== undefined && payee[field] === u.identifier,
      () => `identifier ${u.pk}: names payee ${String(u.payeeId)}, which does not hold it`,
    );
  }
  const CLOSED = new Set(['rejected', 'cancelled', 'expired']);
  for (const r of requests) {
    const where = keptIn(r) ?? '';
    if (r.payeeId !== undefined)
      check(
        stored(payeeKeys.key(where, String(r.payeeId))) !== undefined,
        () =>
          `request ${requestIdOf(r)}: names payee ${String(r.payeeId)}, not in its jurisdiction's register`,
      );
    if (CLOSED.has(String(r.status))) continue;
    for (const rule of (r.supportClaims ?? []) as string[])
      check(
        stored(supportClaimKeys.key(where, rule, String(r.payeeId)))?.requestId === requestIdOf(r),
        () => `request ${requestIdOf(r)}: does not hold its claim "${rule}" on payee ${String(r.payeeId)}`,
      );
  }
  for (const claim of items.filter((i) => i.type === 'support-claim')) {
    const request = stored(requestKeys.key(keptIn(claim) ?? '', String(claim.requestId)));
    check(
      request !== undefined &&
        !CLOSED.has(String(request.status)) &&
        request.payeeId === claim.payeeId &&
        ((request.supportClaims ?? []) as string[]).includes(String(claim.rule)),
      () =>
        `support claim ${claim.pk}: held by request ${String(claim.requestId)}, which is ${String(request?.status ?? 'missing')} or does not claim it`,
    );
  }

  // 9. Dossiers: every posted request has a verified document of each type its kind requires (config),
  // and its entry hashes only verified documents of its own. Requests from before dossiers are stored
  // without a kind, read as direct, which requires none: they are checked like any other and pass.
  const verifiedOf = new Map<string, Item[]>();
  for (const d of items.filter((i) => documentKeys.requestIdOf(i) !== undefined)) {
    const id = `${keptIn(d)}|${documentKeys.requestIdOf(d)}`;
    if (d.status === 'verified') verifiedOf.set(id, [...(verifiedOf.get(id) ?? []), d]);
  }
  const entryOf = new Map(entries.map((e) => [String(e.requestId), e]));
  for (const r of requests.filter((x) => x.status === 'disbursed')) {
    const id = requestIdOf(r);
    const verified = verifiedOf.get(`${keptIn(r)}|${id}`) ?? [];
    const required = requiredTypes(documentRequirements, r as { kind?: string });
    const missing = required.filter((t) => !verified.some((d) => d.documentType === t));
    check(
      missing.length === 0,
      () => `request ${id}: posted without verified documents of type ${missing.join(', ')}`,
    );
    const hashed = (entryOf.get(id)?.documents ?? []) as { type: string; sha256: string }[];
    check(
      hashed.every((h) => verified.some((d) => d.documentType === h.type && d.sha256 === h.sha256)),
      () => `request ${id}: its entry hashes a document that is not one of its verified documents`,
    );
  }

  // 10. Treasury vouchers (issue 15): a number is posted by at most one entry of a jurisdiction's fiscal
  // year, and each posted number's uniqueness item is held by the entry's request.
  const voucherNumberOf = (e: Item) => (e.treasuryVoucher as { number?: unknown } | undefined)?.number;
  const posters = Map.groupBy(
    entries.filter((e) => voucherNumberOf(e) !== undefined),
    (e) => `${keptIn(e)}|${String(e.fiscalYear)}|${String(voucherNumberOf(e))}`,
  );
  for (const [key, posted] of posters) {
    const [where = '', year, number = ''] = key.split('|');
    check(
      posted.length === 1,
      () =>
        `voucher ${number} of fiscal year ${year} in ${where} is posted by ${posted.length} entries (${posted.map((e) => String(e.requestId)).join(', ')})`,
    );
    for (const e of posted) {
      const held = stored(voucherKeys.key(where, Number(year), number));
      check(
        held?.requestId === e.requestId,
        () =>
          `entry ${String(e.entryId)} posts voucher ${number} whose uniqueness item is not held by its request`,
      );
    }
  }

  // 11. Deadlines: no entry is dated (Vietnam day) after its allocation's deadline (its own, else the
  // config default; an extension only moves it later), and an expired request holds no reservation:
  // it met that deadline while pending, has no next level, and reserves nothing (section 1 counts
  // only pending and approved requests; here its record says so).
  for (const e of entries.filter((x) => !movesCapital(x as never))) {
    const allocation = allocationById.get(String(e.allocationId));
    if (!allocation) continue;
    const deadline = deadlineOf(deadlineRules, allocation as never);
    check(
      vnDateOf(String(e.postedAt)) <= deadline,
      () =>
        `entry ${String(e.entryId)}: posted on ${vnDateOf(String(e.postedAt))}, after its allocation's deadline ${deadline}`,
    );
  }
  for (const r of requests.filter((x) => x.status === 'expired')) {
    const expired = r.expired as { deadline?: string; at?: string } | undefined;
    check(
      r.nextLevel === undefined && typeof expired?.deadline === 'string' && !RESERVING.has(String(r.status)),
      () => `expired request ${requestIdOf(r)}: still waits at a level or records no deadline`,
    );
  }

  /** What an allocation's reallocation entries moved: ins less outs. */
  const reallocatedOf = (id: string) =>
    (entriesOf.get(id) ?? []).reduce(
      (s, e) =>
        s +
        (e.kind === 'reallocation-in'
          ? num(e.amountVnd)
          : e.kind === 'reallocation-out'
            ? -num(e.amountVnd)
            : 0),
      0,
    );

  // 12. Year-end close: a closed year never changes after its close (the closing figures are the
  // allocation's current totals, nothing reserved); carried amounts are conserved (the origin's carried
  // over is its next-year allocation's assigned, one outgoing and one incoming entry of that amount); and
  // every carried allocation's origin exists, is closed, and names it. Adjustments of the next-year
  // allocation made later in its own year are taken off its assigned capital.
  // Reallocations (section 13) move assigned capital too: taken off as adjustments are.
  const adjustedOf = (id: string) =>
    items
      .filter((i) => i.type === 'adjustment' && i.allocationId === id)
      .reduce((s, i) => s + num(i.deltaVnd), 0) + reallocatedOf(id);
  for (const a of allocations) {
    const id = allocationIdOf(a);
    const closing = a.closing as ClosingFigures | undefined;
    if (closing) {
      check(
        num(a.assignedVnd) === closing.assignedVnd &&
          num(a.disbursedVnd) === closing.disbursedVnd &&
          num(a.reservedVnd) === 0 &&
          num(a.availableVnd) === closing.returnedVnd + closing.carriedOverVnd,
        () => `allocation ${id}: changed after its year's close (closing figures ${JSON.stringify(closing)})`,
      );
      const target = closing.carriedTo === undefined ? undefined : allocationById.get(closing.carriedTo);
      check(
        closing.carriedOverVnd === 0 ||
          (target !== undefined &&
            num(target.assignedVnd) - adjustedOf(String(closing.carriedTo)) === closing.carriedOverVnd),
        () =>
          `allocation ${id}: carried over ${closing.carriedOverVnd} VND, but its next-year allocation ${String(closing.carriedTo)} is missing or assigned another amount`,
      );
      const out = (entriesOf.get(id) ?? []).filter((e) => e.kind === 'carry-out');
      check(
        out.reduce((s, e) => s + num(e.amountVnd), 0) === closing.carriedOverVnd,
        () =>
          `allocation ${id}: its outgoing carry-over entries do not add up to ${closing.carriedOverVnd} VND`,
      );
    }
    if (a.carriedFrom !== undefined) {
      const origin = allocationById.get(String(a.carriedFrom));
      const originClosing = origin?.closing as ClosingFigures | undefined;
      check(
        originClosing !== undefined && originClosing.carriedTo === id,
        () =>
          `allocation ${id}: carried from ${String(a.carriedFrom)}, which is missing, not closed or carried elsewhere`,
      );
      const incoming = (entriesOf.get(id) ?? []).filter((e) => e.kind === 'carry-in');
      check(
        incoming.length === 1 && num(incoming[0]?.amountVnd) === num(a.assignedVnd) - adjustedOf(id),
        () => `allocation ${id}: its incoming carry-over entry does not match what it was assigned`,
      );
    }
  }

  // 13. Reallocations (issue 17) conserve the total assigned: each applied one's moves are each an
  // outgoing entry on the source's chain and an incoming one on the target's, of the move's amount, naming
  // the reallocation, the move and the other allocation; outs and ins both add up to its total; a pending
  // or rejected one has no entry. Each allocation's reallocatedVnd is its entries' ins less outs (its
  // assigned capital is its own plus ins less outs), and over a jurisdiction's year they cancel out.
  const reallocations = items.filter((i) => reallocationKeys.idOf(i) !== undefined);
  const reallocationEntries = entries.filter(
    (e) => e.kind === 'reallocation-out' || e.kind === 'reallocation-in',
  );
  const refOf = (e: Item) => (e.reallocation ?? {}) as Partial<ReallocationRef>;
  for (const r of reallocations) {
    const id = reallocationKeys.idOf(r) ?? '';
    const own = reallocationEntries.filter((e) => refOf(e).reallocationId === id && keptIn(e) === keptIn(r));
    const moves = (r.moves ?? []) as Reallocation['moves'];
    const sum = (kind: string) =>
      own.filter((e) => e.kind === kind).reduce((s, e) => s + num(e.amountVnd), 0);
    if (r.status !== 'applied') {
      check(own.length === 0, () => `reallocation ${id}: ${String(r.status)} yet has ${own.length} entries`);
      continue;
    }
    check(
      sum('reallocation-out') === sum('reallocation-in') &&
        sum('reallocation-out') === num(r.totalVnd) &&
        moves.reduce((s, m) => s + num(m.amountVnd), 0) === num(r.totalVnd),
      () =>
        `reallocation ${id}: does not conserve the total assigned (out ${sum('reallocation-out')}, in ${sum('reallocation-in')}, total ${String(r.totalVnd)})`,
    );
    moves.forEach((m, i) => {
      const side = (kind: string, on: string, counterpart: string) =>
        own.filter(
          (e) =>
            e.kind === kind &&
            refOf(e).move === i &&
            String(e.allocationId) === on &&
            refOf(e).counterpartAllocationId === counterpart &&
            refOf(e).decisionNumber === r.decisionNumber &&
            num(e.amountVnd) === num(m.amountVnd),
        ).length;
      check(
        side('reallocation-out', m.fromAllocationId, m.toAllocationId) === 1 &&
          side('reallocation-in', m.toAllocationId, m.fromAllocationId) === 1,
        () => `reallocation ${id}: move ${i} is not one entry on each of its two allocations' chains`,
      );
    });
  }
  for (const e of reallocationEntries) {
    const r = reallocations.find(
      (x) => reallocationKeys.idOf(x) === refOf(e).reallocationId && keptIn(x) === keptIn(e),
    );
    check(
      r !== undefined && r.status === 'applied',
      () =>
        `entry ${String(e.entryId)}: names reallocation ${String(refOf(e).reallocationId)}, which is not applied`,
    );
  }
  const netByYear = new Map<string, number>();
  for (const a of allocations) {
    const id = allocationIdOf(a);
    const stored = num(a.reallocatedVnd ?? 0);
    check(
      stored === reallocatedOf(id),
      () =>
        `allocation ${id}: reallocatedVnd ${stored} ≠ its reallocation entries' ins less outs ${reallocatedOf(id)}`,
    );
    const year = `${keptIn(a)}|${String(a.fiscalYear)}`;
    netByYear.set(year, (netByYear.get(year) ?? 0) + stored);
  }
  for (const [year, net] of netByYear)
    check(net === 0, () => `fiscal year ${year}: reallocations changed the total assigned by ${net} VND`);

  // 14. Day summaries (issue 20): each summary row equals its day's entries, recomputed here from the
  // entries of its jurisdiction and fiscal year posted that Vietnam day: per capital type, the year's own
  // or carried-over capital (the allocation's carriedFrom) and commune, the amount disbursed and the
  // number of entries; its totals per capital type (those cells summed over communes); and the day's
  // entry count. A day posted to after it was summarised shows here.
  const summaries = items.filter((i) => daySummaryKeys.dayOf(i) !== undefined);
  const entriesOfDay = new Map<string, Item[]>();
  for (const e of entries) {
    const day = `${keptIn(e)}|${String(e.fiscalYear)}|${vnDateOf(String(e.postedAt))}`;
    entriesOfDay.set(day, [...(entriesOfDay.get(day) ?? []), e]);
  }
  for (const s of summaries) {
    const at = daySummaryKeys.dayOf(s);
    if (!at) continue;
    const own = entriesOfDay.get(`${at.jurisdiction}|${at.fiscalYear}|${at.date}`) ?? [];
    const expected: Record<string, [number, number]> = {};
    for (const e of own) {
      const carried = allocationById.get(String(e.allocationId))?.carriedFrom !== undefined;
      const cell = `${String(e.capitalType)}|${carried ? 1 : 0}|${String(e.commune)}`;
      const [vnd, n] = expected[cell] ?? [0, 0];
      expected[cell] = [vnd + disbursedBy(e as never), n + 1];
    }
    const stored = (s.cells ?? {}) as Record<string, unknown>;
    const cells = [...new Set([...Object.keys(expected), ...Object.keys(stored)])].sort();
    for (const cell of cells) {
      check(
        JSON.stringify(stored[cell]) === JSON.stringify(expected[cell]),
        () =>
          `day summary ${s.pk} / ${s.sk}: cell ${cell} holds ${JSON.stringify(stored[cell])}, its day's entries ${JSON.stringify(expected[cell] ?? null)}`,
      );
    }
    // Its totals (summaries written since issue 20's series read), the same cells summed over communes.
    if (s.totals !== undefined) {
      const totals: Record<string, [number, number]> = {};
      for (const [cell, [vnd, n]] of Object.entries(expected)) {
        const total = cell.split('|').slice(0, 2).join('|');
        const [sum, count] = totals[total] ?? [0, 0];
        totals[total] = [sum + vnd, count + n];
      }
      const storedTotals = s.totals as Record<string, unknown>;
      for (const total of [...new Set([...Object.keys(totals), ...Object.keys(storedTotals)])].sort()) {
        check(
          JSON.stringify(storedTotals[total]) === JSON.stringify(totals[total]),
          () =>
            `day summary ${s.pk} / ${s.sk}: total ${total} holds ${JSON.stringify(storedTotals[total])}, its day's entries ${JSON.stringify(totals[total] ?? null)}`,
        );
      }
    }
    check(
      num(s.entries) === own.length,
      () => `day summary ${s.pk} / ${s.sk}: counts ${String(s.entries)} entries, its day has ${own.length}`,
    );
  }

  // 15. Day snapshots (issue 20): each snapshot holds, for every allocation, the VND its entries of the
  // snapshot's jurisdiction and fiscal year disbursed up to the end of its Vietnam day, recomputed here
  // from the entries (zeros left out), and the count of those entries; and a year's snapshots have no gap
  // from their first day to their last (the forecast reads a day by key, and counts a missing one as
  // "nothing yet").
  const snapshots = items.filter((i) => daySnapshotKeys.dayOf(i) !== undefined);
  const snapshotDays = new Map<string, string[]>();
  for (const snap of snapshots) {
    const at = daySnapshotKeys.dayOf(snap);
    if (!at) continue;
    const year = `${at.jurisdiction}|${at.fiscalYear}`;
    snapshotDays.set(year, [...(snapshotDays.get(year) ?? []), at.date]);
    const upTo = entries.filter(
      (e) =>
        keptIn(e) === at.jurisdiction &&
        num(e.fiscalYear) === at.fiscalYear &&
        vnDateOf(String(e.postedAt)) <= at.date,
    );
    const expected: Record<string, number> = {};
    for (const e of upTo) {
      const vnd = disbursedBy(e as never);
      if (vnd !== 0) expected[String(e.allocationId)] = (expected[String(e.allocationId)] ?? 0) + vnd;
    }
    const stored = (snap.cumulative ?? {}) as Record<string, unknown>;
    for (const id of [...new Set([...Object.keys(expected), ...Object.keys(stored)])].sort()) {
      check(
        num(stored[id] ?? 0) === (expected[id] ?? 0),
        () =>
          `day snapshot ${snap.pk} / ${snap.sk}: allocation ${id} holds ${String(stored[id] ?? 0)}, its entries up to that day ${expected[id] ?? 0}`,
      );
    }
    check(
      num(snap.entries) === upTo.length,
      () =>
        `day snapshot ${snap.pk} / ${snap.sk}: counts ${String(snap.entries)} entries, the year has ${upTo.length} by then`,
    );
  }
  for (const [year, days] of snapshotDays) {
    const sorted = [...days].sort();
    sorted.slice(1).forEach((day, i) => {
      const before = sorted[i] ?? day;
      check(
        addDays(before, 1) === day,
        () => `day snapshots of ${year}: none from ${addDays(before, 1)} to ${addDays(day, -1)}`,
      );
    });
  }

  // 16. The integrity digest (issue 20): recomputed from the requests. Each group holds every request of
  // its jurisdiction's fiscal year made up to the digested day (and no request that is not of it); with
  // the settings it records, each group that can make a case by then is a candidate holding all of them,
  // and a candidate holds only its group's requests. A run trusts exactly this (docs/performance.md).
  // A group or candidate is its head and its sealed chunks 1..`sealedChunks`, read together, each request
  // held once among them. Every item written in chunks (a sealed chunk, or a head carrying
  // `sealedChunks`) holds at most INTEGRITY_CHUNK_MEMBERS members and that many × MEMBER_BYTES bytes of
  // them (or one member alone), and a head not marked `longOpen` no long member (the adapter's write
  // without a read relies on it). A head written before chunks (no `sealedChunks`) is bounded only by
  // DynamoDB: the adapter splits it at its next addition.
  const digestParts = items.flatMap((i) => {
    const part = integrityDigestKeys.partOf(i);
    return part ? [{ item: i, ...part }] : [];
  });
  const encodedIn = (i: Item | undefined) => [...((i?.members as Set<string> | undefined) ?? [])];
  const settingsOf = candidateSettingsFrom(integrityConfig, approvalPolicies);
  const bound = chunkBound(INTEGRITY_CHUNK_MEMBERS);
  for (const p of digestParts.filter((d) => d.chunk !== undefined || d.item.sealedChunks !== undefined)) {
    const encoded = encodedIn(p.item);
    const bytes = encoded.reduce((sum, m) => sum + memberBytes(m), 0);
    check(
      encoded.length <= bound.members && (bytes <= bound.bytes || encoded.length === 1),
      () =>
        `integrity digest ${p.jurisdiction} ${p.fiscalYear}: ${p.item.sk} holds ${encoded.length} members, ${bytes} bytes, above a chunk's ${bound.members} and ${bound.bytes}`,
    );
    const long = encoded.filter(isLongMember);
    check(
      p.chunk !== undefined || p.item.longOpen === true || long.length === 0,
      () =>
        `integrity digest ${p.jurisdiction} ${p.fiscalYear}: ${p.item.sk} holds long members ${long.join(', ')} and is not marked longOpen`,
    );
  }
  for (const day of digestParts.filter((p) => p.kind === 'day')) {
    const { jurisdiction, fiscalYear } = day;
    const through = String(day.item.date);
    const ofYear = requests
      .filter((r) => keptIn(r) === jurisdiction && num(r.fiscalYear) === fiscalYear)
      .map((r) => stripKeys<DisbursementRequest>(r));
    const expected = new Map(
      digestAdditions(
        ofYear.filter((r) => vnDateOf(r.createdAt) <= through),
        fiscalYear,
        supportRules,
      ).map((a) => [a.group, a]),
    );
    const allOfYear = new Map(digestAdditions(ofYear, fiscalYear, supportRules).map((a) => [a.group, a]));
    // `<kind>|<group>` → its head and sealed chunks (by number).
    const stored = new Map<string, { head?: Item; chunks: Map<number, Item> }>();
    for (const p of digestParts) {
      if (p.jurisdiction !== jurisdiction || p.fiscalYear !== fiscalYear || p.group === undefined) continue;
      const at = stored.get(`${p.kind}|${p.group}`) ?? { chunks: new Map<number, Item>() };
      if (p.chunk === undefined) at.head = p.item;
      else at.chunks.set(p.chunk, p.item);
      stored.set(`${p.kind}|${p.group}`, at);
    }
    const held = new Map<string, Set<string>>();
    for (const [key, { head, chunks }] of stored) {
      const sealed = head?.sealedChunks === undefined ? 0 : num(head.sealedChunks);
      const numbers = [...chunks.keys()].sort((a, b) => a - b);
      check(
        head !== undefined && numbers.length === sealed && numbers.every((n, i) => n === i + 1),
        () =>
          `integrity digest ${jurisdiction} ${fiscalYear}: ${key.replace('|', ' ')} ${
            head === undefined ? 'has no head' : `counts ${sealed} sealed chunks`
          }, its chunks are [${numbers.join(', ')}]`,
      );
      const encoded = [head, ...numbers.map((n) => chunks.get(n))].flatMap(encodedIn);
      const once = new Set<string>();
      const twice = new Set<string>();
      for (const id of encoded.map(memberId)) (once.has(id) ? twice : once).add(id);
      check(
        twice.size === 0,
        () =>
          `integrity digest ${jurisdiction} ${fiscalYear}: ${key.replace('|', ' ')} holds ${[...twice].join(', ')} more than once`,
      );
      // The write without a read takes a member made after `sealedThrough` as not sealed yet.
      const latest = numbers
        .flatMap((n) => encodedIn(chunks.get(n)))
        .map((m) => decodeMember(m).createdAt)
        .sort()
        .at(-1);
      check(
        latest === undefined || String(head?.sealedThrough ?? '') >= latest,
        () =>
          `integrity digest ${jurisdiction} ${fiscalYear}: ${key.replace('|', ' ')} is sealed through ${String(head?.sealedThrough)}, its chunks hold a member made ${latest}`,
      );
      held.set(key, new Set(encoded));
    }
    const membersOf = (key: string) => held.get(key) ?? new Set<string>();
    const settings = settingsOf(jurisdiction, fiscalYear);
    const sameSettings = candidateSettingsFingerprint(settings, supportRules) === day.item.settings;
    for (const [group, addition] of expected) {
      const inGroup = membersOf(`group|${group}`);
      const missing = addition.members.map(encodeMember).filter((m) => !inGroup.has(m));
      check(
        missing.length === 0,
        () =>
          `integrity digest ${jurisdiction} ${fiscalYear} through ${through}: group ${group} lacks ${missing.join(', ')}`,
      );
      if (sameSettings && isCandidate(group, addition.members, settings)) {
        const copied = membersOf(`candidate|${group}`);
        const lacking = addition.members.map(encodeMember).filter((m) => !copied.has(m));
        check(
          lacking.length === 0,
          () =>
            `integrity digest ${jurisdiction} ${fiscalYear} through ${through}: candidate ${group} lacks ${lacking.join(', ')}`,
        );
      }
    }
    for (const [key, members] of held) {
      const [kind, group = ''] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
      const allowed = new Set(
        kind === 'group'
          ? (allOfYear.get(group)?.members ?? []).map(encodeMember)
          : [...membersOf(`group|${group}`)],
      );
      const foreign = [...members].filter((m) => !allowed.has(m));
      check(
        foreign.length === 0,
        () =>
          `integrity digest ${jurisdiction} ${fiscalYear}: ${kind} ${group} holds ${foreign.join(', ')}, not of ${kind === 'group' ? 'its requests' : 'its group'}`,
      );
    }
  }

  // 17. Day pipelines (issue 20): each snapshot's `pipeline` holds, for every allocation of its
  // jurisdiction's fiscal year, the cash out of the requests pending at the end of its day, recomputed
  // here from the requests as they stand (`pipelineVndAt`'s reconstruction, zeros left out); and a
  // pending set kept whole (every chunk its snapshot counts) holds every request pending then. A
  // decision still on its queue when the job ran is taken out by the job's next run.
  const yearOfAllocation = new Map(
    allocations.map((a) => [`${keptIn(a)}|${String(a.id)}`, num(a.fiscalYear)] as const),
  );
  const pendingChunks = new Map<string, string[][]>();
  for (const chunk of items) {
    const at = pendingSetKeys.chunkOf(chunk);
    if (!at) continue;
    const day = `${at.jurisdiction}|${at.fiscalYear}|${at.date}`;
    pendingChunks.set(day, [...(pendingChunks.get(day) ?? []), (chunk.ids as string[] | undefined) ?? []]);
  }
  for (const snap of snapshots) {
    const at = daySnapshotKeys.dayOf(snap);
    if (!at || snap.pipeline === undefined) continue;
    const end = vnMidnight(addDays(at.date, 1));
    const pending = requests
      .filter(
        (r) =>
          keptIn(r) === at.jurisdiction &&
          yearOfAllocation.get(`${at.jurisdiction}|${String(r.allocationId)}`) === at.fiscalYear,
      )
      .map((r) => stripKeys<DisbursementRequest>(r))
      .filter((r) => pendingAt(r, end));
    const expected: Record<string, number> = {};
    for (const r of pending) {
      const vnd = cashOutVnd(r);
      if (vnd !== 0) expected[r.allocationId] = (expected[r.allocationId] ?? 0) + vnd;
    }
    const stored = snap.pipeline as Record<string, unknown>;
    for (const id of [...new Set([...Object.keys(expected), ...Object.keys(stored)])].sort()) {
      check(
        num(stored[id] ?? 0) === (expected[id] ?? 0),
        () =>
          `day snapshot ${snap.pk} / ${snap.sk}: allocation ${id}'s pipeline holds ${String(stored[id] ?? 0)}, its requests pending at the day's end ${expected[id] ?? 0}`,
      );
    }
    const chunks = pendingChunks.get(`${at.jurisdiction}|${at.fiscalYear}|${at.date}`) ?? [];
    if (snap.pendingChunks === undefined || chunks.length < num(snap.pendingChunks)) continue;
    const held = new Set(chunks.flat());
    const lacking = pending.map((r) => r.id).filter((id) => !held.has(id));
    check(
      lacking.length === 0,
      () => `pending set ${at.jurisdiction} ${at.fiscalYear} ${at.date}: lacks ${lacking.join(', ')}`,
    );
  }

  // 18. Paid requests and their chains (issue 20: bunching reads an allocation's head and its chain's
  // tail, not its requests). A disbursed request's entry is on its allocation's chain, stamped as the
  // request (postedAt = its updatedAt: paid in one write, never rewritten), its cash plus its recovery
  // the request's amount; so disbursed + recovered on the head are its paid requests' amounts (with
  // invariant 1). Along a chain, no payment is stamped more than the clocks' margin before an earlier one
  // (the tail read stops at a payment that far before the window).
  const requestById = new Map(requests.map((r) => [requestIdOf(r), r]));
  for (const e of entries.filter((x) => !movesCapital(x as never))) {
    const r = requestById.get(String(e.requestId));
    if (r?.status !== 'disbursed') continue;
    check(
      r.allocationId === e.allocationId &&
        r.updatedAt === e.postedAt &&
        num(e.amountVnd) + num(e.recoveryVnd ?? 0) === num(r.amountVnd),
      () =>
        `entry ${String(e.entryId)}: its request ${String(e.requestId)} is not it (allocation ${String(r.allocationId)}, paid at ${String(r.updatedAt)} for ${String(r.amountVnd)}; the entry ${String(e.postedAt)}, ${String(e.amountVnd)} + recovery ${String(e.recoveryVnd ?? 0)})`,
    );
  }
  for (const [id, own] of entriesOf) {
    let latest = Number.NEGATIVE_INFINITY;
    for (const e of [...own].sort((x, y) => num(x.seq) - num(y.seq))) {
      if (movesCapital(e as never)) continue;
      const at = Date.parse(String(e.postedAt));
      check(
        at >= latest - POSTING_CLOCK_MARGIN_MS,
        () =>
          `allocation ${id}: entry ${String(e.seq)} is stamped ${String(e.postedAt)}, more than ${POSTING_CLOCK_MARGIN_MS / 60_000} minutes before an earlier payment of its chain`,
      );
      latest = Math.max(latest, at);
    }
  }

  return {
    checks,
    violations,
    counts: {
      allocations: allocations.length,
      requests: requests.length,
      entries: entries.length,
      items: items.length,
      contracts: contracts.length,
    },
  };
};
