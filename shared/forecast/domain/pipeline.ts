import { cashOutVnd } from '../../ledger/domain/contract.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';

/** What of a request the pipeline reads. */
export type PipelineRequest = Pick<
  DisbursementRequest,
  'status' | 'createdAt' | 'updatedAt' | 'approvals' | 'expired' | 'kind' | 'amountVnd' | 'recoveryVnd'
>;

/**
 * The instant a request stopped waiting: its last decision (the posting approval or the rejection),
 * its cancellation, its expiry at the deadline; undefined while it is still pending.
 */
export const settledAt = (r: PipelineRequest): string | undefined => {
  switch (r.status) {
    case 'pending_approval':
      return undefined;
    case 'expired':
      return r.expired?.at ?? r.updatedAt;
    case 'cancelled':
      return r.updatedAt;
    default:
      return r.approvals.at(-1)?.at ?? r.updatedAt;
  }
};

/** True when the request was waiting at `until` (an instant, exclusive): submitted before, settled at or after it. */
export const pendingAt = (r: PipelineRequest, until: Date): boolean => {
  const settled = settledAt(r);
  return (
    new Date(r.createdAt).getTime() < until.getTime() &&
    (settled === undefined || new Date(settled).getTime() >= until.getTime())
  );
};

/**
 * The pipeline at `until` ("hồ sơ đang chờ"): the cash the requests waiting then would pay out (a
 * contract payment's net of its recovery), reconstructed from the requests as they stand now.
 */
export const pipelineVndAt = (requests: readonly PipelineRequest[], until: Date): number =>
  requests.filter((r) => pendingAt(r, until)).reduce((sum, r) => sum + cashOutVnd(r), 0);
