import { createHash } from 'node:crypto';
import { type DocumentDeps, registerDocument, verifyDocument } from '../shared/documents/app/documents.ts';
import { requiredTypes } from '../shared/documents/domain/dossier-document.ts';
import type { DisbursementRequest } from '../shared/ledger/domain/disbursement-request.ts';
import type { Actor } from '../shared/platform/access.ts';

/**
 * The demos' dossier documents: for each request, one small PDF per document type its kind requires
 * (and the advance guarantee its contract asks for), registered, uploaded to the documents bucket
 * (the local S3-compatible server) and verified through the documents' use cases, as finance does
 * through POST /requests/{id}/documents. Each file is a one-page PDF that says it is ILLUSTRATIVE.
 */

/** Text a PDF's standard font can show: accents folded, `đ` as `d`, parentheses and backslashes escaped. */
const pdfText = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/[()\\]/g, (c) => `\\${c}`);

/** A one-page PDF (PDF 1.4, Helvetica) showing the lines, with a correct cross-reference table. */
export const illustrativePdf = (lines: readonly string[]): Buffer => {
  const text = lines.map((l, i) => `${i === 0 ? '' : 'T* '}(${pdfText(l)}) Tj`).join('\n');
  const content = `BT /F1 11 Tf 56 780 Td 16 TL\n${text}\nET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
};

/**
 * Provides a pending request's dossier at `at`: every required type (with the facts given, e.g. the
 * contract's advance guarantee), each registered, PUT to a freshly presigned URL (the registration's
 * own URL is signed at the demo's past date, long expired) and verified.
 */
export const provideDemoDossier = async (
  deps: Omit<DocumentDeps, 'now' | 'newId'>,
  finance: Actor,
  request: DisbursementRequest,
  at: Date,
): Promise<number> => {
  // The request's own facts (an advance keeps its contract's guarantee requirement).
  const types = requiredTypes(deps.requirements, request);
  for (const [i, type] of types.entries()) {
    const file = illustrativePdf([
      'ILLUSTRATIVE DEMO DOCUMENT - not a real dossier (giai-ngan local demo)',
      `Document type: ${type}`,
      `Request: ${request.id}   Allocation: ${request.allocationId}`,
      `Payee: ${request.payee.name}`,
      `Amount: ${request.amountVnd.toLocaleString('en-US')} VND`,
      `Purpose: ${request.purpose}`,
    ]);
    const documentId = `${request.id}-d${i + 1}`;
    const env = { now: () => at, newId: () => documentId };
    const { document } = await registerDocument({ ...deps, ...env }, finance, request.id, {
      type,
      fileName: `${type}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    });
    const upload = await deps.objects.uploadUrl(document, new Date());
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file });
    if (!put.ok) throw new Error(`upload of ${documentId} refused: ${put.status} ${await put.text()}`);
    await verifyDocument({ ...deps, ...env }, finance, request.id, document.id);
  }
  return types.length;
};
