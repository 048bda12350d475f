import type { DisbursementRequest } from '../domain/disbursement-request.ts';

/** A request as the API shows it: without storage bookkeeping. */
export const requestView = (request: DisbursementRequest) => {
  const { version: _, approvals, ...rest } = request;
  return { ...rest, approvals: approvals.map(({ eventId: __, ...a }) => a) };
};
