import type { GeneratedYear } from '../../bench/integrity/generated-year.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { GENESIS_HASH } from '../../shared/ledger/domain/hash-chain.ts';
import {
  buildDisbursementEntry,
  type LedgerEntry,
  transferEntry,
} from '../../shared/ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../shared/ledger/domain/year-end-close.ts';
import { addDays, type IsoDate, vnMidnight } from '../../shared/platform/vn-calendar.ts';

/** An entry planted in a chain besides the payments: a capital move (a carry-over's or a reallocation's). */
export interface PlantedMove {
  id: string;
  allocationId: string;
  kind: 'carry-in' | 'carry-out' | 'reallocation-in' | 'reallocation-out';
  amountVnd: number;
  postedAt: string;
}

/** What a link of a chain is ordered by: its id and time stamped. */
export interface ChainLink {
  id: string;
  postedAt: string;
}

/** The time stamped, then the id: the order postings leave a chain in when clocks agree. */
const byPostingTime = (x: ChainLink) => `${x.postedAt}#${x.id}`;

/**
 * The ledger generated requests would have left (test data, ILLUSTRATIVE): each allocation's chain holds
 * an entry per disbursed request, built as the posting builds it (stamped as the request, its cash out,
 * a contract payment's recovery), and the moves given, in the order of `chainKey`; each allocation's
 * head is its chain's seq and hash, its disbursed and recovered totals the chain's.
 */
export const ledgerOf = (
  allocations: readonly Allocation[],
  requests: readonly DisbursementRequest[],
  options: { moves?: readonly PlantedMove[]; chainKey?: (link: ChainLink) => string } = {},
): { allocations: Allocation[]; entries: LedgerEntry[] } => {
  const key = options.chainKey ?? byPostingTime;
  const entries: LedgerEntry[] = [];
  const heads = allocations.map((allocation) => {
    const links = [
      ...requests
        .filter((r) => r.allocationId === allocation.id && r.status === 'disbursed')
        .map((r) => ({ id: r.id, postedAt: r.updatedAt, request: r as DisbursementRequest | undefined })),
      ...(options.moves ?? [])
        .filter((m) => m.allocationId === allocation.id)
        .map((m) => ({ id: m.id, postedAt: m.postedAt, move: m })),
    ].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
    let head: Allocation = { ...allocation, headSeq: 0, headHash: GENESIS_HASH, disbursedVnd: 0 };
    delete head.recoveredVnd;
    for (const link of links) {
      const entry =
        'request' in link && link.request
          ? buildDisbursementEntry(head, link.request, link.postedAt)
          : transferEntry(head, {
              kind: (link as { move: PlantedMove }).move.kind,
              out: (link as { move: PlantedMove }).move.kind.endsWith('-out'),
              transit: `transit:${link.id}`,
              requestId: `move:${link.id}`,
              amountVnd: (link as { move: PlantedMove }).move.amountVnd,
              payee: { name: `Allocation of ${link.id}`, kind: 'agency' },
              purpose: 'Planted capital move',
              submittedBy: 'generator',
              approvals: [],
              postedAt: link.postedAt,
            });
      entries.push(entry);
      const recovered = (head.recoveredVnd ?? 0) + (entry.kind === 'payment' ? (entry.recoveryVnd ?? 0) : 0);
      head = {
        ...head,
        headSeq: entry.seq,
        headHash: entry.hash,
        disbursedVnd: head.disbursedVnd + disbursedBy(entry),
        ...(recovered > 0 ? { recoveredVnd: recovered } : {}),
      };
    }
    return head;
  });
  return { allocations: heads, entries };
};

/**
 * Bunching cases planted at the edges of the window on a generated year (ILLUSTRATIVE amounts): each
 * allocation pays early in the year, then in and around its window (deadline 31/01, window from 22/01,
 * whose midnight in Vietnam is 21/01 17:00 UTC).
 */
export const plantBunchingEdges = (year: GeneratedYear) => {
  const fy = year.fiscalYear;
  const template = year.requests.find((r) => r.capitalType === 'investment') as DisbursementRequest;
  const shape = year.allocations.find((a) => a.id === template.allocationId) as Allocation;
  const midnight = vnMidnight(`${fy + 1}-01-22`).getTime();
  const at = (ms: number) => new Date(ms).toISOString();
  const day = (d: IsoDate) => `${d}T03:00:00.000Z`;
  const allocations: Allocation[] = [];
  const requests: DisbursementRequest[] = [];
  const moves: PlantedMove[] = [];
  const order = new Map<string, string>();
  const allocation = (name: string) => {
    const a = { ...shape, id: `edge-${name}`, title: `Planted: ${name}`, deadline: `${fy + 1}-01-31` };
    allocations.push(a);
    return a;
  };
  const paid = (
    a: Allocation,
    name: string,
    amountVnd: number,
    postedAt: string,
    extra: Partial<DisbursementRequest> = {},
  ) => {
    const r: DisbursementRequest = {
      ...template,
      id: `${a.id}-${name}`,
      allocationId: a.id,
      amountVnd,
      status: 'disbursed',
      createdAt: at(new Date(postedAt).getTime() - 3 * 86_400_000),
      updatedAt: postedAt,
      ...extra,
    };
    requests.push(r);
    return r;
  };
  const M = 1_000_000;
  // The window's first midnight: a payment stamped on it is in, one a millisecond before is not.
  const midnightEdge = allocation('midnight');
  paid(midnightEdge, 'early', 600 * M, day(`${fy}-08-10`));
  paid(midnightEdge, 'on-midnight', 700 * M, at(midnight));
  paid(midnightEdge, 'just-before', 900 * M, at(midnight - 1));
  paid(midnightEdge, 'later', 500 * M, at(midnight + 2 * 3_600_000));
  // Clocks: a payment chained after one in the window but stamped 30 minutes before the window (within
  // the margin); the read must go past it to the one before.
  const skew = allocation('skew');
  paid(skew, 'early', 300 * M, day(`${fy}-09-01`));
  paid(skew, 'in-window', 500 * M, at(midnight + 5 * 60_000));
  paid(skew, 'stamped-before', 400 * M, at(midnight - 30 * 60_000));
  paid(skew, 'near-deadline', 900 * M, day(`${fy + 1}-01-29`));
  order.set(`${skew.id}-in-window`, `${fy + 1}-01-21T16:00:00.000Z#1`);
  order.set(`${skew.id}-stamped-before`, `${fy + 1}-01-21T16:00:00.000Z#2`);
  // Capital moves: one stamped months before, chained between the window's payments (the read goes past
  // it), one in the window, a carry-out after the deadline (none of them paid).
  const moved = allocation('moves');
  paid(moved, 'early', 200 * M, day(`${fy}-07-01`));
  paid(moved, 'window-1', 600 * M, day(`${fy + 1}-01-25`));
  paid(moved, 'window-2', 700 * M, day(`${fy + 1}-01-28`));
  moves.push(
    {
      id: 'move-in',
      allocationId: moved.id,
      kind: 'reallocation-in',
      amountVnd: 800 * M,
      postedAt: day(`${fy}-06-01`),
    },
    {
      id: 'move-out',
      allocationId: moved.id,
      kind: 'reallocation-out',
      amountVnd: 100 * M,
      postedAt: day(`${fy + 1}-01-29`),
    },
    {
      id: 'carry',
      allocationId: moved.id,
      kind: 'carry-out',
      amountVnd: 50 * M,
      postedAt: day(`${fy + 1}-02-03`),
    },
  );
  order.set('move-in', `${fy + 1}-01-26T00:00:00.000Z`);
  // Contract payments recovering an advance: a request's amount is its entry's cash plus its recovery.
  const contract = allocation('recoveries');
  const claim = (recoveryVnd: number) => ({ kind: 'payment' as const, contractId: 'hd-edge', recoveryVnd });
  paid(contract, 'advance', 500 * M, day(`${fy}-05-01`), { kind: 'advance', contractId: 'hd-edge' });
  paid(contract, 'stage-1', 800 * M, day(`${fy}-10-10`), claim(200 * M));
  paid(contract, 'stage-2', 900 * M, day(`${fy + 1}-01-24`), claim(300 * M));
  paid(contract, 'stage-3', 700 * M, day(`${fy + 1}-01-27`), claim(100 * M));
  paid(contract, 'stage-4', 600 * M, day(`${fy + 1}-01-30`), claim(150 * M));
  // Many payments in the window: more than a first page of the tail.
  const busy = allocation('busy');
  paid(busy, 'early', 400 * M, day(`${fy}-04-01`));
  for (let k = 0; k < 30; k++) paid(busy, `window-${k}`, 50 * M, day(addDays(`${fy + 1}-01-22`, k % 9)));
  // A head stored out of range: its requests are read instead.
  const broken = allocation('broken-head');
  paid(broken, 'early', 100 * M, day(`${fy}-03-01`));
  paid(broken, 'window-1', 400 * M, day(`${fy + 1}-01-23`));
  paid(broken, 'window-2', 300 * M, day(`${fy + 1}-01-26`));
  return { allocations, requests, moves, order, planted: [skew.id, moved.id, contract.id, busy.id] };
};
