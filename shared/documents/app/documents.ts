import type { LedgerStore } from '../../ledger/app/ports.ts';
import { getRequest } from '../../ledger/app/requests.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import type { Actor } from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { NotFoundError, NotPendingError } from '../../platform/errors.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import {
  acceptedTypes,
  type DocumentContentType,
  type DocumentRequirements,
  type DossierDocument,
  type DossierFacts,
  kindOf,
  missingTypes,
  objectKeyOf,
  requiredTypes,
  uploadMismatch,
  verified,
} from '../domain/dossier-document.ts';
import { DocumentTypeNotAcceptedError, UploadMismatchError } from './errors.ts';
import type { DocumentStore, ObjectStorage, PresignedRequest } from './ports.ts';

export interface DocumentDeps extends Env {
  store: LedgerStore;
  documents: DocumentStore;
  objects: ObjectStorage;
  requirements: DocumentRequirements;
}

export interface NewDocument {
  type: string;
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  sha256: string;
}

/** A request as its dossier sees it: the request's own fields, and the facts of conditional types. */
type DossierRequest = DisbursementRequest & DossierFacts;

/** The request's dossier: required types, those still missing, and every document with its status. */
export interface Dossier {
  requestId: string;
  kind: string;
  required: string[];
  missing: string[];
  items: DossierDocument[];
}

const dossierOf = (
  requirements: DocumentRequirements,
  request: DossierRequest,
  items: DossierDocument[],
): Dossier => {
  const required = requiredTypes(requirements, request);
  return {
    requestId: request.id,
    kind: kindOf(request),
    required,
    missing: missingTypes(required, items),
    items,
  };
};

const requireDocument = async (
  documents: DocumentStore,
  request: DisbursementRequest,
  documentId: string,
): Promise<DossierDocument> => {
  const document = await documents.getDocument(jurisdictionOf(request), request.id, documentId);
  if (!document)
    throw new NotFoundError(
      `Request ${request.id} has no document ${documentId}; see GET /requests/${request.id}/documents.`,
    );
  return document;
};

/**
 * Registers a document of a pending request's dossier and answers a short-lived presigned URL to
 * upload it; the document stays `pending` until its upload is verified. The request is read in the
 * caller's scope (another jurisdiction's: 404; another commune's: 403).
 */
export const registerDocument = async (
  deps: DocumentDeps,
  actor: Actor,
  requestId: string,
  input: NewDocument,
): Promise<{ document: DossierDocument; upload: PresignedRequest }> => {
  const request: DossierRequest = await getRequest(deps.store, actor, requestId);
  if (request.status !== 'pending_approval') {
    throw new NotPendingError(
      `Request ${request.id} is ${request.status}; documents are added while it is pending approval.`,
      { status: request.status },
    );
  }
  const accepted = acceptedTypes(deps.requirements, request);
  if (!accepted.includes(input.type)) {
    throw new DocumentTypeNotAcceptedError(
      `body.type: a ${kindOf(request)} request takes documents of type ${accepted.join(', ')}; not ${input.type}.`,
      { field: 'type', accepted },
    );
  }
  const now = deps.now();
  const base = {
    id: deps.newId(),
    jurisdiction: jurisdictionOf(request),
    requestId: request.id,
    commune: request.commune,
  };
  const document: DossierDocument = {
    ...base,
    type: input.type,
    fileName: input.fileName,
    contentType: input.contentType,
    sizeBytes: input.sizeBytes,
    sha256: input.sha256,
    objectKey: objectKeyOf(base),
    status: 'pending',
    uploadedBy: actor.sub,
    createdAt: now.toISOString(),
  };
  await deps.documents.putDocument(document);
  const upload = await deps.objects.uploadUrl(document, now);
  return { document, upload };
};

/** The request's dossier as the caller may see it. */
export const listDocuments = async (
  deps: Pick<DocumentDeps, 'store' | 'documents' | 'requirements'>,
  actor: Actor,
  requestId: string,
): Promise<Dossier> => {
  const request: DossierRequest = await getRequest(deps.store, actor, requestId);
  const items = await deps.documents.listDocuments(jurisdictionOf(request), request.id);
  return dossierOf(deps.requirements, request, items);
};

/**
 * Checks the uploaded object against its declaration (size, then SHA-256) and marks the document
 * verified; a mismatch is a 422 naming what differs, and the document stays pending (a new upload to
 * the same URL, while it is valid, or a new document fixes it). Verifying a verified document answers
 * it again.
 */
export const verifyDocument = async (
  deps: DocumentDeps,
  actor: Actor,
  requestId: string,
  documentId: string,
): Promise<DossierDocument> => {
  const request = await getRequest(deps.store, actor, requestId);
  const document = await requireDocument(deps.documents, request, documentId);
  if (document.status === 'verified') return document;
  const mismatch = uploadMismatch(document, await deps.objects.inspect(document.objectKey));
  if (mismatch) {
    const messages: Record<typeof mismatch.code, string> = {
      document_not_uploaded: `Nothing was uploaded for document ${document.id}: PUT the file to the URL its registration answered, then verify again.`,
      document_size_mismatch: `The uploaded file of document ${document.id} does not have the declared size: upload the file that was declared, or register the document again.`,
      document_hash_mismatch: `The uploaded file of document ${document.id} does not have the declared SHA-256: upload the file that was declared, or register the document again.`,
    };
    const { code, ...details } = mismatch;
    throw new UploadMismatchError(code, messages[code], details);
  }
  const done = verified(document, deps.now().toISOString());
  if (!(await deps.documents.markVerified(done))) {
    // Verified meanwhile by a concurrent call: answer what is stored.
    return requireDocument(deps.documents, request, documentId);
  }
  return done;
};

/** A short-lived presigned URL to download a document, for whoever may read its request. */
export const documentDownload = async (
  deps: Pick<DocumentDeps, 'store' | 'documents' | 'objects' | 'now'>,
  actor: Actor,
  requestId: string,
  documentId: string,
): Promise<PresignedRequest & { documentId: string; fileName: string }> => {
  const request = await getRequest(deps.store, actor, requestId);
  const document = await requireDocument(deps.documents, request, documentId);
  const download = await deps.objects.downloadUrl(document.objectKey, document.fileName, deps.now());
  return { documentId: document.id, fileName: document.fileName, ...download };
};
