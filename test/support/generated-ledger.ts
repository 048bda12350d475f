import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { GENESIS_HASH } from '../../shared/ledger/domain/hash-chain.ts';
import {
  buildDisbursementEntry,
  type LedgerEntry,
  transferEntry,
} from '../../shared/ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../shared/ledger/domain/year-end-close.ts';

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
