import { AppError } from '../platform/errors.ts';

/** A tax code or citizen ID already registered in the jurisdiction: details name the existing payee. */
export class DuplicatePayeeError extends AppError {
  readonly code = 'duplicate_payee';
  readonly status = 409;
}

/** A request naming a payee id the caller's jurisdiction's register does not hold. */
export class UnknownPayeeError extends AppError {
  readonly code = 'unknown_payee';
  readonly status = 422;
}

/** A support rule's limit reached: the payee already received that support (details name the request). */
export class AlreadySupportedError extends AppError {
  readonly code = 'already_supported';
  readonly status = 409;
}

/** The refusal of a request whose payee already holds the rule's claim, naming the request that holds it. */
export const alreadySupported = (claim: {
  rule: string;
  payeeId: string;
  requestId?: string | undefined;
}): AlreadySupportedError =>
  new AlreadySupportedError(
    `Payee ${claim.payeeId} has already received the support that rule "${claim.rule}" allows once${
      claim.requestId ? ` (request ${claim.requestId})` : ''
    }; it cannot be requested again unless that request is rejected or cancelled.`,
    { rule: claim.rule, payeeId: claim.payeeId, ...(claim.requestId ? { requestId: claim.requestId } : {}) },
  );
