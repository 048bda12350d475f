import type * as z from 'zod';
import type { Dossier } from '../app/documents.ts';
import type { DossierDocument } from '../domain/dossier-document.ts';
import type { DocumentView, DossierView } from './schemas.ts';

/** A document as the API shows it: no storage details (its bucket key, jurisdiction, commune). */
export const documentView = (d: DossierDocument): z.infer<typeof DocumentView> => ({
  id: d.id,
  requestId: d.requestId,
  type: d.type,
  fileName: d.fileName,
  contentType: d.contentType,
  sizeBytes: d.sizeBytes,
  sha256: d.sha256,
  status: d.status,
  uploadedBy: d.uploadedBy,
  createdAt: d.createdAt,
  ...(d.verifiedAt ? { verifiedAt: d.verifiedAt } : {}),
});

export const dossierView = (d: Dossier): z.infer<typeof DossierView> => ({
  requestId: d.requestId,
  kind: d.kind as z.infer<typeof DossierView>['kind'],
  required: d.required,
  missing: d.missing,
  items: d.items.map(documentView),
});
