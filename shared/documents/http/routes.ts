import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import * as d from './schemas.ts';

/** Routes of payment dossiers' documents (issue 15): register and upload, verify, list, download. */
export const DOCUMENT_ROUTES = [
  {
    method: 'POST',
    path: '/requests/{id}/documents',
    functionId: 'register-document',
    table: 'read-write',
    documents: 'write',
    summary:
      'Register a document of a pending request’s dossier (type, file name, content type, size, SHA-256) and get a short-lived presigned URL to upload it',
    roles: ['finance'],
    body: d.DocumentBody,
    responses: {
      201: {
        description: 'Registered (pending): PUT the file to the URL with the headers given',
        schema: d.RegisteredDocumentView,
      },
      404: err('Unknown request'),
      409: err('not_pending: the request is no longer pending approval'),
      422: err('document_type_not_accepted: the request’s kind takes other document types'),
    },
  },
  {
    method: 'GET',
    path: '/requests/{id}/documents',
    functionId: 'list-documents',
    table: 'read',
    summary: 'The request’s dossier: its required document types, those still missing, and its documents',
    roles: ROLES,
    responses: {
      200: { description: 'The dossier', schema: d.DossierView },
      404: err('Unknown request'),
    },
  },
  {
    method: 'POST',
    path: '/requests/{id}/documents/{docId}/verify',
    functionId: 'verify-document',
    table: 'read-write',
    documents: 'read',
    summary:
      'Check the uploaded file’s size and SHA-256 against its registration and mark the document verified',
    roles: ['finance'],
    pathId: d.DocumentPath,
    responses: {
      200: { description: 'Verified', schema: d.DocumentView },
      404: err('Unknown request or document'),
      422: err(
        'document_not_uploaded, document_size_mismatch or document_hash_mismatch: the document stays pending',
      ),
    },
  },
  {
    method: 'GET',
    path: '/requests/{id}/documents/{docId}/download',
    functionId: 'download-document',
    table: 'read',
    documents: 'read',
    summary: 'A short-lived presigned URL to download one document of the request',
    roles: ROLES,
    pathId: d.DocumentPath,
    responses: {
      200: { description: 'The URL', schema: d.DownloadView },
      404: err('Unknown request or document'),
    },
  },
] as const satisfies readonly RouteSpec[];
