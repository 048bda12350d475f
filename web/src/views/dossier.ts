import { DOCUMENT_CONTENT_TYPES } from '../../../shared/documents/domain/dossier-document.ts';
import documentTypes from '../../../shared/platform/config/dossier-documents/dossier-documents.json' with {
  type: 'json',
};
import { ApiError } from '../api.ts';
import { h, mount, table } from '../dom.ts';
import { errorText } from '../error-text.ts';
import { formatDate, formatDateTime, formatNumber, formatVnd } from '../format.ts';
import { lang, t } from '../i18n.ts';
import type {
  Contract,
  DisbursementRequest,
  DocumentDownload,
  Dossier,
  RegisteredDocument,
  ViewContext,
} from '../types.ts';
import { communeName, failure, lineName } from './common.ts';

type RequestKind = keyof typeof documentTypes;
const kindOf = (r: DisbursementRequest): RequestKind => r.kind ?? 'direct';

/** A document type by its label in the current language (from the dossier-documents config). */
const typeLabel = (kind: RequestKind, type: string): string =>
  documentTypes[kind]?.find((d) => d.type === type)?.label[lang()] ?? type;

/** A definition list of label → value pairs, the empty ones left out. */
const facts = (pairs: [string, Node | string | undefined][]) =>
  h(
    'dl',
    { class: 'facts' },
    ...pairs
      .filter(([, v]) => v !== undefined && v !== '')
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );

const EXTENSION_TYPES: Record<string, (typeof DOCUMENT_CONTENT_TYPES)[number]> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The file's content type as the API takes it: the browser's, else by its extension; undefined when not accepted. */
const contentTypeOf = (file: File): string | undefined =>
  (DOCUMENT_CONTENT_TYPES as readonly string[]).includes(file.type)
    ? file.type
    : EXTENSION_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''];

/** The SHA-256 of the file's bytes, hex, computed in the browser (the API checks the stored object against it). */
const sha256Of = async (file: File): Promise<string> => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
};

/**
 * Uploads a file to the request's dossier: registers it (type, name, content type, size, SHA-256),
 * PUTs it to the presigned URL with the headers given, then asks the API to verify it.
 */
const uploadDocument = async (ctx: ViewContext, requestId: string, type: string, file: File) => {
  const contentType = contentTypeOf(file);
  if (!contentType) throw new Error(t().fileType);
  const base = `/requests/${encodeURIComponent(requestId)}/documents`;
  const { document, upload } = await ctx.api.post<RegisteredDocument>(base, {
    type,
    fileName: file.name,
    contentType,
    sizeBytes: file.size,
    sha256: await sha256Of(file),
  });
  // Straight to storage: no bearer token goes there, the URL's signature is the permission.
  const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file });
  if (!put.ok) throw new ApiError(put.status, 'upload_failed', `${put.status} ${put.statusText}`);
  await ctx.api.post(`${base}/${encodeURIComponent(document.id)}/verify`);
};

/** Opens a document through its short-lived presigned download URL. */
const download = async (ctx: ViewContext, requestId: string, docId: string) => {
  const link = await ctx.api.get<DocumentDownload>(
    `/requests/${encodeURIComponent(requestId)}/documents/${encodeURIComponent(docId)}/download`,
  );
  const a = h('a', { href: link.url, rel: 'noopener' });
  document.body.append(a);
  a.click();
  a.remove();
};

const sizeText = (bytes: number) =>
  bytes < 1024 ? `${formatNumber(bytes)} B` : `${formatNumber(Math.round((bytes / 1024) * 10) / 10)} KB`;

/** The dossier's documents (type, name, size, status, download) and what is still missing. */
const documentsSection = async (holder: HTMLElement, ctx: ViewContext, r: DisbursementRequest) => {
  const dossier = await ctx.api.get<Dossier>(`/requests/${encodeURIComponent(r.id)}/documents`);
  const kind = kindOf(r);
  const rows = dossier.items.map((d) => {
    const button = h(
      'button',
      { type: 'button', 'aria-label': `${t().download} ${d.fileName}` },
      t().download,
    );
    button.addEventListener('click', () => {
      download(ctx, r.id, d.id).catch((error: unknown) => ctx.announce(`${t().error}: ${errorText(error)}`));
    });
    return [
      typeLabel(kind, d.type),
      d.fileName,
      h('span', { class: 'num' }, sizeText(d.sizeBytes)),
      h(
        'span',
        { class: `badge doc-${d.status}`, 'data-status': d.status },
        t().documentStatuses[d.status] ?? d.status,
      ),
      formatDateTime(d.createdAt),
      // A pending document may not be uploaded yet: only a verified one is there to download.
      d.status === 'verified' ? button : '',
    ];
  });
  mount(
    holder,
    h('h2', {}, t().documents),
    dossier.missing.length
      ? h(
          'p',
          { class: 'warning', 'data-testid': 'missing-documents' },
          `${t().missing}: ${dossier.missing.map((m) => typeLabel(kind, m)).join('; ')}`,
        )
      : undefined,
    rows.length === 0
      ? h('p', { class: 'muted' }, t().noDocuments)
      : table(
          t().documents,
          [t().documentType, t().fileName, t().size, t().status, t().submitted, t().actions],
          rows,
        ),
  );
};

/** The upload form: finance, on a pending request; the document types of the request's kind. */
const uploadForm = (ctx: ViewContext, r: DisbursementRequest, onDone: () => Promise<void>) => {
  const kind = kindOf(r);
  const type = h(
    'select',
    { id: 'document-type', name: 'type', required: true },
    ...(documentTypes[kind] ?? []).map((d) => h('option', { value: d.type }, d.label[lang()])),
  );
  const file = h('input', {
    id: 'document-file',
    name: 'file',
    type: 'file',
    required: true,
    accept: '.pdf,.jpg,.jpeg,.png,.xlsx',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, t().upload);
  const form = h(
    'form',
    { class: 'filters', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, t().uploadTitle),
    h('label', { for: 'document-type' }, t().documentType, type),
    h('label', { for: 'document-file' }, t().file, file),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    submit.disabled = true;
    ctx.announce(t().uploading);
    uploadDocument(ctx, r.id, type.value, chosen)
      .then(async () => {
        file.value = '';
        await onDone();
        ctx.announce(`${t().uploaded}: ${chosen.name}`);
      })
      .catch((error: unknown) => ctx.announce(`${t().error}: ${errorText(error)}`))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
};

/**
 * A request as the Treasury controls it: kind, contract, gross / recovery / net, budget item, the
 * Treasury voucher, and its dossier's documents (finance uploads more while it is pending).
 */
export const renderRequestDetail = async (root: HTMLElement, ctx: ViewContext, id: string) => {
  const r = await ctx.api.get<DisbursementRequest>(`/requests/${encodeURIComponent(id)}`);
  const contract = r.contractId
    ? await ctx.api.get<Contract>(`/contracts/${encodeURIComponent(r.contractId)}`).catch(() => undefined)
    : undefined;
  const recovery = r.kind === 'payment' ? (r.recoveryVnd ?? 0) : undefined;
  const voucher = r.approvals.find((a) => a.treasuryVoucher)?.treasuryVoucher;
  const documents = h('div', { id: 'documents' });
  const drawDocuments = () =>
    documentsSection(documents, ctx, r).catch((error: unknown) => mount(documents, failure(error)));
  mount(
    root,
    h('h1', {}, `${t().dossierTitle}: ${r.payee.name}`),
    facts([
      [t().request, h('code', {}, r.id)],
      [t().status, t().statuses[r.status] ?? r.status],
      [t().requestKind, t().requestKinds[kindOf(r)] ?? kindOf(r)],
      [
        t().allocation,
        h(
          'a',
          { href: `#/allocation/${encodeURIComponent(r.allocationId)}` },
          `${communeName(r.commune)} · ${lineName(r.fundingLine)} · ${r.component}`,
        ),
      ],
      [
        t().contract,
        contract
          ? `${contract.number} (${formatDate(contract.signedOn)}) · ${contract.payee.name} · ${t().advanceOutstanding}: ${formatVnd(contract.advanceOutstandingVnd)}`
          : r.contractId,
      ],
      [t().payee, r.payee.name],
      [t().purpose, r.purpose],
      [recovery !== undefined ? t().gross : t().amount, formatVnd(r.amountVnd)],
      [t().recovery, recovery !== undefined ? formatVnd(recovery) : undefined],
      [t().net, recovery !== undefined ? formatVnd(r.amountVnd - recovery) : undefined],
      [t().budgetItem, r.budgetItem ? `${r.budgetItem.item} – ${r.budgetItem.subItem}` : undefined],
      [
        t().treasuryVoucher,
        voucher ? `${voucher.number} · ${t().voucherDate} ${formatDate(voucher.valueDate)}` : undefined,
      ],
      [t().submitted, formatDateTime(r.createdAt)],
    ]),
    documents,
    r.status === 'pending_approval' && ctx.session.groups.includes('finance')
      ? uploadForm(ctx, r, drawDocuments)
      : undefined,
  );
  await drawDocuments();
};
