import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';

/** The requests a past day's pipeline is reconstructed from; every read is of one jurisdiction's partition. */
export interface RequestHistory {
  /** The jurisdiction's requests (any status, any year) submitted in `[from, to)`, UTC ISO instants. */
  listRequestsSubmittedBetween(
    jurisdiction: string,
    from: string,
    to: string,
  ): Promise<DisbursementRequest[]>;
}
