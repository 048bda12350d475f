import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';

/**
 * The requests a past day's pipeline is read from when no day snapshot holds it; every read is of one
 * jurisdiction's partition.
 */
export interface RequestHistory {
  /** The jurisdiction's requests (any status, any year) submitted in `[from, to)`, UTC ISO instants. */
  listRequestsSubmittedBetween(
    jurisdiction: string,
    from: string,
    to: string,
  ): Promise<DisbursementRequest[]>;
  /** These requests of the jurisdiction by id (those not found left out). */
  getRequests(jurisdiction: string, ids: readonly string[]): Promise<DisbursementRequest[]>;
}
