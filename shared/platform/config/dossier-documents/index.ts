import * as z from 'zod';
import {
  type DocumentRequirements,
  REQUEST_KINDS,
  REQUIREMENT_FACTS,
} from '../../../documents/domain/dossier-document.ts';
import file from './dossier-documents.json' with { type: 'json' };

const Requirement = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lower-case name of letters, digits and dashes'),
  label: z.strictObject({ vi: z.string().min(1).max(120), en: z.string().min(1).max(120) }),
  required: z.boolean(),
  requiredWhen: z.enum(REQUIREMENT_FACTS).optional(),
});

const Kind = z
  .array(Requirement)
  .refine((list) => new Set(list.map((r) => r.type)).size === list.length, 'lists a document type twice');

/** The shape of dossier-documents.json: every request kind, each with its document types. */
export const DossierDocumentsFile = z.strictObject(
  Object.fromEntries(REQUEST_KINDS.map((k) => [k, Kind])) as Record<
    (typeof REQUEST_KINDS)[number],
    typeof Kind
  >,
);

/** Checks a dossier-documents file; the error names the path and what to fix. */
export const loadDocumentRequirements = (raw: unknown, fileName: string): DocumentRequirements => {
  const parsed = DossierDocumentsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${fileName}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as DocumentRequirements;
};

/**
 * The document types of each request kind (edit dossier-documents.json), checked at load: a broken
 * file stops the function at init with a message naming the fix.
 */
export const documentRequirements: DocumentRequirements = loadDocumentRequirements(
  file,
  'dossier-documents.json',
);
