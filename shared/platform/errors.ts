import type { ApiErrorCode } from './error-catalogue.ts';

/**
 * A failure the caller can fix or must be told about; `code` is stable, part of the API, and one of the
 * catalogue's (shared/platform/error-catalogue.ts), which gives its Vietnamese words.
 */
export abstract class AppError extends Error {
  abstract readonly code: ApiErrorCode;
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly code = 'invalid_request';
  readonly status = 400;
}

export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  readonly status = 401;
}

export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly status = 403;
}

/** Four eyes: a submitter never approves, nobody decides two levels of one request. */
export class FourEyesError extends AppError {
  readonly code = 'four_eyes';
  readonly status = 403;
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly status = 404;
}

export class InsufficientFundsError extends AppError {
  readonly code = 'insufficient_funds';
  readonly status = 409;
}

export class BelowCommittedError extends AppError {
  readonly code = 'below_committed';
  readonly status = 409;
}

export class NotPendingError extends AppError {
  readonly code = 'not_pending';
  readonly status = 409;
}

export class IdempotencyKeyReusedError extends AppError {
  readonly code = 'idempotency_key_reused';
  readonly status = 409;
}

/**
 * A write would take a running total (assigned, reserved, disbursed, available, an output count) past
 * 10^15, or a stored total already lies outside [0, 10^15]: the API's numbers stay exact JSON integers.
 */
export class AmountOutOfRangeError extends AppError {
  readonly code = 'amount_out_of_range';
  readonly status = 422;
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
}

/** A dependency is briefly unavailable (throttling, transaction conflict): the call may be retried. */
export class ServiceUnavailableError extends AppError {
  readonly code = 'service_unavailable';
  readonly status = 503;
}

/** A subscription's confirmation link that was altered, has expired or names a deleted subscription. */
export class InvalidConfirmationError extends AppError {
  readonly code = 'invalid_confirmation';
  readonly status = 400;
}

export class InvalidCursorError extends AppError {
  readonly code = 'invalid_cursor';
  readonly status = 400;
}

/** A measurement sent for an indicator whose actual is not measured (it is counted or computed). */
export class NotMeasuredError extends AppError {
  readonly code = 'not_measured';
  readonly status = 409;
}

/**
 * An error that means "later", not "wrong": a record waiting behind an earlier one of its key, e-mails
 * another sender still holds. Before its last receive such a record is logged as a warning.
 */
export interface RetriedLater {
  readonly retriedLater: true;
}

export const isRetriedLater = (error: unknown): boolean =>
  (error as Partial<RetriedLater> | undefined)?.retriedLater === true;
