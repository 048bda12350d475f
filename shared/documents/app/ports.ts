import type { DossierDocument, StoredObject } from '../domain/dossier-document.ts';

/**
 * Storage of dossier documents' records, each in its request's partition (platform/table/keys.ts
 * `documentKeys`): reads name the jurisdiction (the caller's), and one of another is not found.
 */
export interface DocumentStore {
  /** Stores a new document record (conditional on its id being new). */
  putDocument(document: DossierDocument): Promise<void>;
  getDocument(jurisdiction: string, requestId: string, id: string): Promise<DossierDocument | undefined>;
  listDocuments(jurisdiction: string, requestId: string): Promise<DossierDocument[]>;
  /**
   * Marks the document verified, conditional on it still declaring the hash that was checked; false
   * when it changed meanwhile.
   */
  markVerified(document: DossierDocument): Promise<boolean>;
}

/** What a presigned upload binds: the object's key, type, length and SHA-256. */
export interface UploadTarget {
  objectKey: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** A presigned URL and the headers its request must send (they are part of the signature). */
export interface PresignedRequest {
  url: string;
  method: 'PUT' | 'GET';
  headers: Record<string, string>;
  expiresAt: string;
}

/** The object storage of dossier files (S3 in AWS, a local S3-compatible server locally). */
export interface ObjectStorage {
  /** A short-lived URL to PUT exactly this object. */
  uploadUrl(target: UploadTarget, now: Date): Promise<PresignedRequest>;
  /** A short-lived URL to GET the object, offered for download under its file name. */
  downloadUrl(objectKey: string, fileName: string, now: Date): Promise<PresignedRequest>;
  /** The stored object's size and SHA-256, or undefined when nothing was uploaded under the key. */
  inspect(objectKey: string): Promise<StoredObject | undefined>;
}
