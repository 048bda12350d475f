/**
 * A document of a payment dossier (*hồ sơ, chứng từ*): a file the finance officer uploads for a
 * request (a payment request form, a statement of completed work, an advance guarantee, …), stored in
 * object storage under `<jurisdiction>/<requestId>/<docId>` with the SHA-256 and size declared before
 * the upload, and `verified` once the stored object was found to have exactly those.
 */

/** The file formats a dossier accepts: scans and photos, and spreadsheets of quantities. */
export const DOCUMENT_CONTENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

/** The largest file a dossier takes: 20 MB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** A SHA-256 as the API carries it: 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The request kinds; a request stored without one is `direct` (support paid without a contract). */
export const REQUEST_KINDS = ['direct', 'advance', 'payment'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export type DocumentStatus = 'pending' | 'verified';

export interface DossierDocument {
  id: string;
  /** The request's jurisdiction, in whose partition and folder the document is kept. */
  jurisdiction: string;
  requestId: string;
  /** The request's commune: who may read the request may read its documents. */
  commune: string;
  type: string;
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  /** SHA-256 of the file, hex, as declared before the upload. */
  sha256: string;
  /** The object's key in the documents bucket. */
  objectKey: string;
  status: DocumentStatus;
  uploadedBy: string;
  createdAt: string;
  verifiedAt?: string;
}

/** What the ledger entry of a posted request carries (and hashes) about its dossier. */
export interface EntryDocument {
  type: string;
  sha256: string;
}

/** One document type of a request kind: required always, or only when a fact of the request holds. */
export interface DocumentRequirement {
  type: string;
  label: { vi: string; en: string };
  required: boolean;
  /** The fact that makes the type required (e.g. the contract asks for an advance guarantee). */
  requiredWhen?: RequirementFact;
}

/** Facts of a request that make a conditional document required. */
export const REQUIREMENT_FACTS = ['advanceGuaranteeRequired'] as const;
export type RequirementFact = (typeof REQUIREMENT_FACTS)[number];

/** Document types per request kind, from config (platform/config/dossier-documents). */
export type DocumentRequirements = Record<RequestKind, DocumentRequirement[]>;

/** What a request tells about its dossier: its kind (absent: direct) and the facts of conditional types. */
export type DossierFacts = { kind?: string | undefined } & Partial<Record<RequirementFact, boolean>>;

/** The kind of a request, `direct` when it was stored without one (every request before kinds). */
export const kindOf = (request: { kind?: string | undefined }): RequestKind =>
  (REQUEST_KINDS as readonly string[]).includes(request.kind ?? '')
    ? (request.kind as RequestKind)
    : 'direct';

/** The document types a request of this kind and facts must have verified before its last approval. */
export const requiredTypes = (requirements: DocumentRequirements, request: DossierFacts): string[] =>
  requirements[kindOf(request)]
    .filter((r) => r.required || (r.requiredWhen !== undefined && request[r.requiredWhen] === true))
    .map((r) => r.type);

/** The types a request of this kind may carry (required or not). */
export const acceptedTypes = (requirements: DocumentRequirements, request: DossierFacts): string[] =>
  requirements[kindOf(request)].map((r) => r.type);

/** Required types not covered by a verified document, in the config's order. */
export const missingTypes = (
  required: readonly string[],
  documents: readonly Pick<DossierDocument, 'type' | 'status'>[],
): string[] => {
  const verified = new Set(documents.filter((d) => d.status === 'verified').map((d) => d.type));
  return required.filter((t) => !verified.has(t));
};

/**
 * The verified documents as the ledger entry carries them, in a stable order (type, then hash), so the
 * entry's hash does not depend on the order the store lists them in.
 */
export const entryDocuments = (documents: readonly DossierDocument[]): EntryDocument[] =>
  documents
    .filter((d) => d.status === 'verified')
    .map(({ type, sha256 }) => ({ type, sha256 }))
    .sort((a, b) => (a.type === b.type ? cmp(a.sha256, b.sha256) : cmp(a.type, b.type)));

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Where the file lives in the bucket: one folder per jurisdiction, one per request. */
export const objectKeyOf = (d: Pick<DossierDocument, 'jurisdiction' | 'requestId' | 'id'>): string =>
  `${d.jurisdiction}/${d.requestId}/${d.id}`;

/** What the store found for an uploaded object: its size and SHA-256 (hex). */
export interface StoredObject {
  sizeBytes: number;
  sha256: string;
}

/** Why an uploaded object does not match its declaration, or undefined when it does. */
export type UploadMismatch =
  | { code: 'document_not_uploaded' }
  | { code: 'document_size_mismatch'; declared: number; found: number }
  | { code: 'document_hash_mismatch'; declared: string; found: string };

/** Compares the stored object with what was declared before the upload. */
export const uploadMismatch = (
  declared: Pick<DossierDocument, 'sizeBytes' | 'sha256'>,
  found: StoredObject | undefined,
): UploadMismatch | undefined => {
  if (!found) return { code: 'document_not_uploaded' };
  if (found.sizeBytes !== declared.sizeBytes)
    return { code: 'document_size_mismatch', declared: declared.sizeBytes, found: found.sizeBytes };
  if (found.sha256 !== declared.sha256)
    return { code: 'document_hash_mismatch', declared: declared.sha256, found: found.sha256 };
  return undefined;
};

/** The document marked verified at `at`. */
export const verified = (document: DossierDocument, at: string): DossierDocument => ({
  ...document,
  status: 'verified',
  verifiedAt: at,
});
