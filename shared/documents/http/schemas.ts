import * as z from 'zod';
import type {} from 'zod-openapi';
import { id, text } from '../../platform/http/schemas.ts';
import {
  DOCUMENT_CONTENT_TYPES,
  MAX_DOCUMENT_BYTES,
  REQUEST_KINDS,
  SHA256_HEX,
} from '../domain/dossier-document.ts';

/** `/requests/{id}/documents/{docId}…`: the request's id and the document's. */
export const DocumentPath = z.strictObject({ id, docId: id });

const documentType = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a document type code, e.g. payment-request')
  .meta({ example: 'payment-request' });

const sha256 = z
  .string()
  .regex(SHA256_HEX, 'must be the SHA-256 of the file as 64 lower-case hexadecimal digits')
  .meta({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' });

export const DocumentBody = z
  .strictObject({
    type: documentType,
    fileName: text(200).meta({ example: 'giay-de-nghi-thanh-toan.pdf' }),
    contentType: z.enum(DOCUMENT_CONTENT_TYPES, {
      error: `must be one of ${DOCUMENT_CONTENT_TYPES.join(', ')} (PDF, JPEG, PNG or XLSX)`,
    }),
    sizeBytes: z
      .int('must be a whole number of bytes')
      .min(1, 'must be at least 1 byte')
      .max(MAX_DOCUMENT_BYTES, `must be at most ${MAX_DOCUMENT_BYTES} bytes (20 MB)`),
    sha256,
  })
  .meta({ id: 'NewDocument' });

export const DocumentView = z
  .object({
    id: z.string(),
    requestId: z.string(),
    type: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    sha256: z.string(),
    status: z.enum(['pending', 'verified']),
    uploadedBy: z.string(),
    createdAt: z.string(),
    verifiedAt: z.string().optional(),
  })
  .meta({ id: 'Document' });

export const PresignedRequestView = z
  .object({
    url: z.string(),
    method: z.enum(['PUT', 'GET']),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  })
  .meta({
    id: 'PresignedRequest',
    description: 'A short-lived presigned URL; send the listed headers with it, unchanged.',
  });

export const RegisteredDocumentView = z
  .object({ document: DocumentView, upload: PresignedRequestView })
  .meta({ id: 'RegisteredDocument' });

export const DossierView = z
  .object({
    requestId: z.string(),
    kind: z.enum(REQUEST_KINDS),
    required: z.array(z.string()),
    missing: z.array(z.string()),
    items: z.array(DocumentView),
  })
  .meta({ id: 'Dossier' });

export const DownloadView = PresignedRequestView.extend({
  documentId: z.string(),
  fileName: z.string(),
}).meta({ id: 'DocumentDownload' });
