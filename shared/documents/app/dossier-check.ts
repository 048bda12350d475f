import { jurisdictionOf } from '../../platform/tenancy.ts';
import {
  type DocumentRequirements,
  type DossierFacts,
  type EntryDocument,
  entryDocuments,
  missingTypes,
  requiredTypes,
} from '../domain/dossier-document.ts';
import { DocumentsMissingError } from './errors.ts';
import type { DocumentStore } from './ports.ts';

/** What the decision use case needs to check a dossier: the documents' store and the requirements. */
export interface DossierCheck {
  documents: Pick<DocumentStore, 'listDocuments'>;
  requirements: DocumentRequirements;
}

/** The request fields the check reads (the ledger's request has them; `kind` and facts are optional). */
export type DecidedRequest = DossierFacts & {
  id: string;
  jurisdiction?: string | undefined;
  chain: readonly string[];
};

/**
 * The decision use case's one call: an approval of the request's last level is refused (409
 * `documents_missing`) until every required document type is verified; it then answers the verified
 * documents as the ledger entry carries and hashes them. Any other decision answers undefined.
 */
export const dossierForDecision = async (
  deps: DossierCheck,
  request: DecidedRequest,
  level: string,
  decision: 'approve' | 'reject',
): Promise<EntryDocument[] | undefined> => {
  if (decision !== 'approve' || request.chain.at(-1) !== level) return undefined;
  const documents = await deps.documents.listDocuments(jurisdictionOf(request), request.id);
  const missing = missingTypes(requiredTypes(deps.requirements, request), documents);
  if (missing.length > 0) {
    throw new DocumentsMissingError(
      `Request ${request.id} lacks verified documents of type ${missing.join(', ')}: upload and verify them (POST /requests/${request.id}/documents) before the last approval.`,
      { missing },
    );
  }
  return entryDocuments(documents);
};
