import { assertCommuneOf } from '../../jurisdictions/app/commune-check.ts';
import type { JurisdictionCatalog } from '../../jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import { findAllocation, getAllocation } from '../../ledger/app/allocations.ts';
import type { LedgerStore } from '../../ledger/app/ports.ts';
import { type Allocation, totals } from '../../ledger/domain/allocation.ts';
import { deadlineOf } from '../../ledger/domain/disbursement-deadline.ts';
import { type ChainBreak, canonicalJson, sha256Hex, verifyChain } from '../../ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { accountOf, buildStatement, statementPage } from '../../ledger/domain/statement.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import {
  type Actor,
  hasRole,
  jurisdictionOfScope,
  narrowFilter,
  reachable,
  reachesEverything,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { InvalidCursorError, ValidationError } from '../../platform/errors.ts';
import { totalsProblem } from '../../platform/total-range.ts';
import { vnDateOf, vnMidnight } from '../../platform/vn-calendar.ts';
import { compareWithAnchors } from '../domain/anchored-digest.ts';
import { type AnchorDeps, anchorDigest, anchoredCopies } from './anchor-digest.ts';
import type { AuditStore, DigestAnchorStore, DigestRecord, EntryQuery } from './ports.ts';
import { readAllEntries } from './read-all-entries.ts';

export interface AuditDeps extends Env {
  store: LedgerStore;
  audit: AuditStore;
  /** The digests anchored outside the table; verification checks the chains against them too. */
  anchors?: DigestAnchorStore;
}

/** A finding of verification: its allocation, the entry, why, and (for digest findings) the day. */
type Finding = ChainBreak & {
  code?: 'amount_out_of_range' | 'anchor_missing' | 'anchor_unreadable' | 'digest_missing';
  date?: string;
};

/** The instant a Vietnam day starts, and the instant the next one starts (the day's exclusive end). */
const dayStart = (date: string) => vnMidnight(date).toISOString();
const dayEnd = (date: string) => new Date(vnMidnight(date).getTime() + 86_400_000).toISOString();

/**
 * Ledger filters as the API takes them: `from`/`to` are days (YYYY-MM-DD, Asia/Ho_Chi_Minh), both
 * inclusive. No jurisdiction: the caller's is read.
 */
export type LedgerFilters = Omit<EntryQuery, 'jurisdiction'>;

/**
 * Turns API filters into a store query in the caller's jurisdiction, confining a commune-scoped user
 * to their commune.
 */
export const entryQuery = (actor: Actor, filters: LedgerFilters): EntryQuery => {
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new ValidationError(`query.from (${filters.from}) is after query.to (${filters.to}); swap them.`);
  }
  const scope = scopeOf(actor);
  const { commune } = restrictFilter(scope, { commune: filters.commune });
  const jurisdiction = jurisdictionOfScope(scope);
  assertCommuneOf(jurisdictionCatalog, jurisdiction, filters.commune, {
    field: 'query.commune',
    fiscalYear: filters.fiscalYear,
  });
  return {
    jurisdiction,
    fiscalYear: filters.fiscalYear,
    ...(filters.fundingLine ? { fundingLine: filters.fundingLine } : {}),
    ...(commune ? { commune } : {}),
    ...(filters.component ? { component: filters.component } : {}),
    ...(filters.allocationId ? { allocationId: filters.allocationId } : {}),
    ...(filters.from ? { from: dayStart(filters.from) } : {}),
    ...(filters.to ? { to: dayEnd(filters.to) } : {}),
  };
};

/** One page of ledger entries, in posting order. */
export const listLedgerEntries = async (
  deps: AuditDeps,
  actor: Actor,
  filters: LedgerFilters,
  limit: number,
  cursor?: string,
) => deps.audit.queryEntries(entryQuery(actor, filters), limit, cursor);

/** Every matching entry, in posting order, read page by page (the CSV export: presentation/ledger-csv.ts). */
export const allLedgerEntries = (
  deps: AuditDeps,
  actor: Actor,
  filters: LedgerFilters,
): Promise<LedgerEntry[]> => readAllEntries(deps.audit, entryQuery(actor, filters));

/** An allocation's statement with running balances; it agrees with the allocation's totals. */
export const allocationStatement = async (
  deps: AuditDeps,
  actor: Actor,
  allocationId: string,
  period: { from?: string; to?: string } = {},
) => {
  const allocation = await getAllocation(deps.store, actor, allocationId);
  const entries = await deps.store.listEntries(jurisdictionOfScope(scopeOf(actor)), allocationId);
  return {
    ...buildStatement(allocation, entries, {
      ...(period.from ? { from: dayStart(period.from) } : {}),
      ...(period.to ? { to: dayEnd(period.to) } : {}),
    }),
    ...periodOf(allocation),
  };
};

/** The disbursement period a statement is read against, and the decisions that extended it. */
const periodOf = (allocation: Allocation) => ({
  deadline: deadlineOf(deadlineRules, allocation),
  extensions: allocation.extensions ?? [],
});

/**
 * A statement page's position: the balance after the next page's newest line, then the store's key
 * position. The HTTP edge signs it for the call (page-cursors.ts), so a caller cannot change the balance.
 */
const pagePosition = (balanceVnd: number, key: string) => `${balanceVnd}.${key}`;
const openPagePosition = (cursor: string) => {
  const match = /^(\d{1,16})\.(.+)$/.exec(cursor);
  const balanceVnd = Number(match?.[1]);
  if (!match?.[2] || !Number.isSafeInteger(balanceVnd)) {
    throw new InvalidCursorError('The cursor is not one this API returned; start again without it.');
  }
  return { balanceVnd, key: match[2] };
};

/**
 * A page of an allocation's statement: its newest `limit` lines (the first page), or the `limit` lines
 * before a page's (with its `nextCursor`), with running balances counted back from the allocation's
 * `disbursedVnd`. Two reads whatever the allocation's size: the allocation and one Query of its
 * partition, newest first. The ledger-total check reads every entry: it stays with the full statement
 * and GET /ledger/verify.
 */
export const allocationStatementPage = async (
  deps: AuditDeps,
  actor: Actor,
  allocationId: string,
  limit: number,
  cursor?: string,
) => {
  const allocation = await getAllocation(deps.store, actor, allocationId);
  const position = cursor === undefined ? undefined : openPagePosition(cursor);
  const page = await deps.audit.entriesNewestFirst(
    jurisdictionOfScope(scopeOf(actor)),
    allocationId,
    limit,
    position?.key,
  );
  // An entry posted after the allocation was read is not in its disbursedVnd yet: the next read shows it.
  const entries = page.items.filter((e) => e.seq <= allocation.headSeq);
  const lines = statementPage(entries, position?.balanceVnd ?? allocation.disbursedVnd);
  return {
    ...accountOf(allocation),
    ...lines,
    ...periodOf(allocation),
    ...(page.nextCursor ? { nextCursor: pagePosition(lines.openingBalanceVnd, page.nextCursor) } : {}),
  };
};

/** No day is anchored yet: every digest of the table predates anchoring (a deployment from before it). */
const NOT_YET_ANCHORED = '9999-12-31';

/** The day a chain break names ("… the anchored digest of 2026-12-01 …"), as `date`. */
const dayOf = (reason: string): { date?: string } => {
  const day = / digest of (\d{4}-\d{2}-\d{2})/.exec(reason)?.[1];
  return day ? { date: day } : {};
};

/** One allocation's chain, read in the jurisdiction the allocation was read in (the caller's). */
const verifyAllocation = async (
  deps: AuditDeps,
  jurisdiction: string,
  allocation: Allocation,
  anchored?: ReturnType<typeof anchoredCopies>,
) => {
  const [entries, digests] = await Promise.all([
    deps.store.listEntries(jurisdiction, allocation.id),
    deps.audit.digestsOfAllocation(jurisdiction, allocation.id),
  ]);
  // The anchored copies of the days the table names (and of the latest day) are checkpoints too.
  const { copies, latestDate, firstDate } = anchored ? await anchored.read(digests.map((d) => d.date)) : {};
  const outside = copies
    ? compareWithAnchors(allocation.id, digests, copies, latestDate, firstDate ?? NOT_YET_ANCHORED)
    : undefined;
  const result = verifyChain(entries, { seq: allocation.headSeq, hash: allocation.headHash }, [
    ...digests.map((d) => ({ seq: d.seq, hash: d.hash, label: `digest of ${d.date}` })),
    ...(outside?.checkpoints ?? []),
  ]);
  const broken: Finding[] = [
    ...result.broken.map((b) => ({ ...b, ...dayOf(b.reason) })),
    ...(outside?.findings ?? []),
  ];
  const outOfRange = totalsProblem(allocation.id, { ...totals(allocation) });
  if (outOfRange) broken.push({ seq: allocation.headSeq, code: outOfRange.code, reason: outOfRange.message });
  const total = entries.reduce((sum, e) => sum + disbursedBy(e), 0);
  if (total !== allocation.disbursedVnd) {
    broken.push({
      seq: allocation.headSeq,
      reason: `the entries add up to ${total} VND but the allocation shows ${allocation.disbursedVnd} VND disbursed`,
    });
  }
  return { checked: result.checked, headHash: result.headHash, broken };
};

/**
 * Verifies hash chains — one allocation, or every allocation of a fiscal year — against the
 * allocations' heads and the daily digests, in the caller's jurisdiction only (another's allocations
 * are not found). For a year, `headHash` fingerprints all heads together. A running total stored out
 * of range is a finding too (code `amount_out_of_range`).
 */
export const verifyLedger = async (
  deps: AuditDeps,
  actor: Actor,
  target: { allocationId: string } | { fiscalYear: number },
) => {
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const allocations =
    'allocationId' in target
      ? [await findAllocation(deps.store, actor, target.allocationId)]
      : reachable(scope, await deps.store.listAllocations({ jurisdiction, fiscalYear: target.fiscalYear }));
  let checked = 0;
  const broken: (Finding & { allocationId: string })[] = [];
  const heads: [string, string][] = [];
  const anchored = deps.anchors ? anchoredCopies(deps.anchors, jurisdiction) : undefined;
  for (const allocation of allocations) {
    const result = await verifyAllocation(deps, jurisdiction, allocation, anchored);
    checked += result.checked;
    heads.push([allocation.id, result.headHash]);
    for (const b of result.broken) broken.push({ allocationId: allocation.id, ...b });
  }
  const headHash = 'allocationId' in target ? (heads[0]?.[1] ?? '') : sha256Hex(canonicalJson(heads));
  return { valid: broken.length === 0, checked, allocations: allocations.length, headHash, broken };
};

/**
 * The jurisdictions the daily job covers: every one the deployment serves (jurisdictions/config), and
 * the upgrade default, which holds the data stored before jurisdictions.
 */
export const digestJurisdictions = (catalog: JurisdictionCatalog = jurisdictionCatalog): string[] => [
  ...new Set([...catalog.jurisdictions.map((j) => j.id), catalog.upgradeDefault]),
];

/**
 * The daily job (no caller): records the chain head of every allocation of every jurisdiction as of
 * now, under today's date in Vietnam, each digest in its allocation's jurisdiction. `fiscalYears`
 * limits it to some years (tests), `jurisdictions` to some jurisdictions (default: all).
 */
export const recordDailyDigest = async (
  deps: Pick<AuditDeps, 'now'> & {
    store: Pick<LedgerStore, 'listAllocations'>;
    audit: Pick<AuditStore, 'putDigests'>;
    /** Anchors each jurisdiction's day outside the table too (anchor-digest.ts). */
    anchor?: AnchorDeps;
  },
  fiscalYears?: number[],
  jurisdictions: readonly string[] = digestJurisdictions(),
) => {
  const now = deps.now();
  const date = vnDateOf(now);
  const byJurisdiction: Record<string, number> = {};
  for (const jurisdiction of jurisdictions) {
    const allocations = await deps.store.listAllocations({ jurisdiction });
    const records: DigestRecord[] = allocations
      .filter((a) => fiscalYears === undefined || fiscalYears.includes(a.fiscalYear))
      .map((a) => ({
        date,
        allocationId: a.id,
        fiscalYear: a.fiscalYear,
        // The partition it was read in: an allocation stored before jurisdictions is the upgrade default's.
        jurisdiction,
        seq: a.headSeq,
        hash: a.headHash,
        recordedAt: now.toISOString(),
      }));
    await deps.audit.putDigests(records);
    // After the table's: a run cut off between the two writes both again; the anchor is written once a day.
    if (deps.anchor) await anchorDigest(deps.anchor, jurisdiction, date, now, records);
    byJurisdiction[jurisdiction] = records.length;
  }
  const allocations = Object.values(byJurisdiction).reduce((sum, n) => sum + n, 0);
  return { date, allocations, byJurisdiction };
};

/** Digests recorded on a day in the caller's jurisdiction (of their commune's allocations, when commune-scoped). */
export const listDigests = async (deps: AuditDeps, actor: Actor, date: string) => {
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const digests = await deps.audit.digestsOfDate(jurisdiction, date);
  if (reachesEverything(scope)) return digests;
  const mine = new Set(
    (await deps.store.listAllocations({ ...restrictFilter(scope, {}), jurisdiction })).map((a) => a.id),
  );
  return digests.filter((d) => mine.has(d.allocationId));
};

/** Records a query made by an auditor (every one is kept: who, route, filters, when, rows returned). */
export const recordAuditorQuery = async (
  deps: Pick<AuditDeps, 'audit' | 'now' | 'newId'>,
  actor: Actor,
  route: string,
  filters: Record<string, unknown>,
  rows: number,
) => {
  const scope = scopeOf(actor);
  if (!hasRole(scope, 'auditor')) return;
  // The commune the read was confined to: the auditor's own, or else the one the filters named.
  const { commune } = narrowFilter(scope, {
    commune: typeof filters.commune === 'string' ? filters.commune : undefined,
  });
  await deps.audit.recordAudit({
    id: deps.newId(),
    at: deps.now().toISOString(),
    by: actor.sub,
    groups: actor.groups,
    route,
    filters,
    rows,
    ...(commune !== undefined ? { commune } : {}),
    jurisdiction: jurisdictionOfScope(scope),
  });
};

/**
 * The audit log of the caller's jurisdiction, newest first. A commune-scoped auditor sees only the
 * entries about their commune: reads confined to it (by a claim or a `commune` filter); district-wide
 * reads are about no commune.
 */
export const listAuditLog = async (audit: AuditStore, actor: Actor, limit: number, cursor?: string) => {
  const scope = scopeOf(actor);
  const { commune } = restrictFilter(scope, {});
  return audit.listAuditLog(jurisdictionOfScope(scope), limit, cursor, commune);
};
