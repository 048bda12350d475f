import { describe, expect, it } from 'vitest';
import { dossierForDecision } from '../../shared/documents/app/dossier-check.ts';
import { DocumentsMissingError } from '../../shared/documents/app/errors.ts';
import {
  acceptedTypes,
  type DossierDocument,
  entryDocuments,
  kindOf,
  missingTypes,
  objectKeyOf,
  requiredTypes,
  uploadMismatch,
} from '../../shared/documents/domain/dossier-document.ts';
import {
  documentRequirements,
  loadDocumentRequirements,
} from '../../shared/platform/config/dossier-documents/index.ts';

const aDocument = (overrides: Partial<DossierDocument> = {}): DossierDocument => ({
  id: 'd1',
  jurisdiction: 'tay-giang',
  requestId: 'r1',
  commune: 'A Tiêng',
  type: 'payment-request',
  fileName: 'giay-de-nghi.pdf',
  contentType: 'application/pdf',
  sizeBytes: 1234,
  sha256: 'a'.repeat(64),
  objectKey: 'tay-giang/r1/d1',
  status: 'verified',
  uploadedBy: 'finance-1',
  createdAt: '2026-03-01T00:00:00.000Z',
  ...overrides,
});

describe('required document types per request kind (config)', () => {
  it('requires the payment request form and the statement of completed work for a payment', () => {
    expect(requiredTypes(documentRequirements, { kind: 'payment' })).toEqual([
      'payment-request',
      'completed-work-statement',
    ]);
  });

  it('requires the advance guarantee only when the contract asks for one', () => {
    expect(requiredTypes(documentRequirements, { kind: 'advance' })).toEqual(['payment-request']);
    expect(requiredTypes(documentRequirements, { kind: 'advance', advanceGuaranteeRequired: true })).toEqual([
      'payment-request',
      'advance-guarantee',
    ]);
  });

  it('reads a request without a kind, or with an unknown one, as direct: nothing required, the programme’s documents accepted', () => {
    expect(kindOf({})).toBe('direct');
    expect(kindOf({ kind: 'constructor' })).toBe('direct');
    expect(requiredTypes(documentRequirements, {})).toEqual([]);
    expect(acceptedTypes(documentRequirements, {})).toEqual(['beneficiary-list', 'acceptance-record']);
  });

  it('refuses a config file that names a type twice or a fact it does not know, naming the path', () => {
    const type = { type: 'x', label: { vi: 'x', en: 'x' }, required: true };
    expect(() =>
      loadDocumentRequirements({ direct: [type, type], advance: [], payment: [] }, 'f.json'),
    ).toThrow(/f\.json: direct: lists a document type twice/);
    expect(() =>
      loadDocumentRequirements(
        { direct: [{ ...type, requiredWhen: 'sunny' }], advance: [], payment: [] },
        'f.json',
      ),
    ).toThrow(/f\.json: direct\.0\.requiredWhen/);
    expect(() => loadDocumentRequirements({ direct: [], advance: [] }, 'f.json')).toThrow(/payment/);
  });
});

describe('a dossier’s documents', () => {
  it('counts only verified documents against the required types', () => {
    const documents = [aDocument({ type: 'payment-request', status: 'pending' })];
    expect(missingTypes(['payment-request', 'completed-work-statement'], documents)).toEqual([
      'payment-request',
      'completed-work-statement',
    ]);
    expect(missingTypes(['payment-request'], [aDocument()])).toEqual([]);
  });

  it('gives the entry its verified documents in a stable order, whatever the store’s', () => {
    const a = aDocument({ id: 'd1', type: 'payment-request', sha256: 'b'.repeat(64) });
    const b = aDocument({ id: 'd2', type: 'completed-work-statement', sha256: 'c'.repeat(64) });
    const c = aDocument({ id: 'd3', type: 'payment-request', sha256: 'a'.repeat(64) });
    const pending = aDocument({ id: 'd4', type: 'acceptance-record', status: 'pending' });
    const expected = [
      { type: 'completed-work-statement', sha256: 'c'.repeat(64) },
      { type: 'payment-request', sha256: 'a'.repeat(64) },
      { type: 'payment-request', sha256: 'b'.repeat(64) },
    ];
    expect(entryDocuments([a, b, c, pending])).toEqual(expected);
    expect(entryDocuments([pending, c, b, a])).toEqual(expected);
  });

  it('keeps each file under its jurisdiction and request', () => {
    expect(objectKeyOf({ jurisdiction: 'da-nang', requestId: 'r9', id: 'd3' })).toBe('da-nang/r9/d3');
  });

  it('compares an upload with its declaration: missing, then size, then hash', () => {
    const declared = { sizeBytes: 10, sha256: 'a'.repeat(64) };
    expect(uploadMismatch(declared, undefined)).toEqual({ code: 'document_not_uploaded' });
    expect(uploadMismatch(declared, { sizeBytes: 11, sha256: 'a'.repeat(64) })).toEqual({
      code: 'document_size_mismatch',
      declared: 10,
      found: 11,
    });
    expect(uploadMismatch(declared, { sizeBytes: 10, sha256: 'b'.repeat(64) })).toMatchObject({
      code: 'document_hash_mismatch',
    });
    expect(uploadMismatch(declared, { ...declared })).toBeUndefined();
  });
});

describe('the decision’s dossier check', () => {
  const payment = { id: 'r1', kind: 'payment', chain: ['district', 'province', 'treasury'] };
  const withDocuments = (documents: DossierDocument[]) => ({
    documents: { listDocuments: async () => documents },
    requirements: documentRequirements,
  });

  it('refuses the last level’s approval with documents_missing, naming the missing types', async () => {
    const error = await dossierForDecision(
      withDocuments([aDocument()]),
      payment,
      'treasury',
      'approve',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentsMissingError);
    expect(error).toMatchObject({ status: 409, details: { missing: ['completed-work-statement'] } });
  });

  it('lets earlier levels and rejections through without reading the dossier', async () => {
    const unread = {
      documents: {
        listDocuments: async (): Promise<DossierDocument[]> => {
          throw new Error('read');
        },
      },
      requirements: documentRequirements,
    };
    await expect(dossierForDecision(unread, payment, 'province', 'approve')).resolves.toBeUndefined();
    await expect(dossierForDecision(unread, payment, 'treasury', 'reject')).resolves.toBeUndefined();
  });

  it('answers the verified documents for the entry once the dossier is complete', async () => {
    const statement = aDocument({ id: 'd2', type: 'completed-work-statement', sha256: 'c'.repeat(64) });
    await expect(
      dossierForDecision(withDocuments([aDocument(), statement]), payment, 'treasury', 'approve'),
    ).resolves.toEqual([
      { type: 'completed-work-statement', sha256: 'c'.repeat(64) },
      { type: 'payment-request', sha256: 'a'.repeat(64) },
    ]);
  });
});
