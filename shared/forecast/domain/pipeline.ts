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

/** What of a request a day's pipeline reads: the pipeline's fields, its id and allocation. */
export type DayPipelineRequest = PipelineRequest & Pick<DisbursementRequest, 'id' | 'allocationId'>;

/** The pipeline at the end of a summarised day, and what the next day starts from. */
export interface DayPipeline {
  /** The ids of the requests pending at `end` (sorted): the next day's candidates. */
  ids: string[];
  /** Allocation id → the cash out of those requests, zeros left out. */
  pipeline: Record<string, number>;
  /**
   * Requests of the previous day's set that, as they stand now, were no longer pending at its end: their
   * decision, dated before that end, was applied after the previous day was summarised.
   */
  settledLate: DayPipelineRequest[];
}

/**
 * The requests pending at `end` and their cash out per allocation, from `candidates` read as they stand
 * now: the previous day's pending set (`previous`, with that day's end; undefined for a first day, whose
 * candidates are then every request submitted before `end`) and the requests submitted during the day.
 * Exact because requests only move from pending to settled, and `settledAt` dates the move: a request
 * pending at `end` was pending at the previous end or was submitted since. `inYear` keeps the fiscal
 * year's requests (those of its allocations).
 */
export const nextPipeline = (
  previous: { ids: readonly string[]; end: Date } | undefined,
  candidates: readonly DayPipelineRequest[],
  end: Date,
  inYear: (r: DayPipelineRequest) => boolean,
): DayPipeline => {
  const unique = new Map(candidates.map((r) => [r.id, r] as const));
  const before = new Set(previous?.ids ?? []);
  const pending = [...unique.values()].filter((r) => inYear(r) && pendingAt(r, end));
  const pipeline: Record<string, number> = {};
  for (const r of pending) {
    const cash = cashOutVnd(r);
    if (cash !== 0) pipeline[r.allocationId] = (pipeline[r.allocationId] ?? 0) + cash;
  }
  return {
    ids: pending.map((r) => r.id).sort(),
    pipeline,
    settledLate: previous
      ? [...unique.values()].filter((r) => before.has(r.id) && !pendingAt(r, previous.end))
      : [],
  };
};

/**
 * A summarised day's pipeline without the requests settled late that it still counts (`late`: requests
 * of a later day's pending set, now known settled; those submitted before the day's end `end` and
 * settled before it are the ones it counts), each taken out once (recorded in `settledLate`); undefined
 * when nothing changes.
 */
export const withoutSettledLate = <S extends { pipeline?: Record<string, number>; settledLate?: string[] }>(
  snapshot: S,
  late: readonly DayPipelineRequest[],
  end: Date,
): S | undefined => {
  if (!snapshot.pipeline) return undefined;
  const done = new Set(snapshot.settledLate ?? []);
  // Counted on a day only when submitted before its end: a request submitted later was never in it.
  const out = late.filter(
    (r) => !done.has(r.id) && new Date(r.createdAt).getTime() < end.getTime() && !pendingAt(r, end),
  );
  if (out.length === 0) return undefined;
  const pipeline = { ...snapshot.pipeline };
  for (const r of out) {
    const left = (pipeline[r.allocationId] ?? 0) - cashOutVnd(r);
    if (left === 0) delete pipeline[r.allocationId];
    else pipeline[r.allocationId] = left;
  }
  return { ...snapshot, pipeline, settledLate: [...done, ...out.map((r) => r.id)].sort() };
};

/** Allocation id → the pipeline at `end` reconstructed from `requests` (zeros left out). */
export const pipelineByAllocation = (
  requests: readonly DayPipelineRequest[],
  end: Date,
): Map<string, number> => {
  const out = new Map<string, number>();
  for (const r of requests) {
    if (!pendingAt(r, end)) continue;
    const cash = cashOutVnd(r);
    if (cash !== 0) out.set(r.allocationId, (out.get(r.allocationId) ?? 0) + cash);
  }
  return out;
};
