import { AppError } from '../../platform/errors.ts';
import type { UploadMismatch } from '../domain/dossier-document.ts';

/** The last approval of a request whose dossier lacks a verified document of a required type. */
export class DocumentsMissingError extends AppError {
  readonly code = 'documents_missing';
  readonly status = 409;
}

/** A document type the request's kind does not take. */
export class DocumentTypeNotAcceptedError extends AppError {
  readonly code = 'document_type_not_accepted';
  readonly status = 422;
}

/** The uploaded object is missing, or its size or SHA-256 differs from what was declared. */
export class UploadMismatchError extends AppError {
  readonly status = 422;
  constructor(
    readonly code: UploadMismatch['code'],
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}
