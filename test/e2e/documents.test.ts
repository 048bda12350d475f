import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { entryKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { steps, voucherFieldsFor } from './support/api-steps.ts';
import { contractSteps, givenPayee } from './support/contract-steps.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;
const PDF = 'application/pdf';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let db: ReturnType<typeof createDocumentClient>;
let table: string;
let c: ReturnType<typeof contractSteps>;
let contractorId: string;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  // The same finance officer as the dossier's: the submitter cancels, in the last case.
  c = contractSteps(rt, () => s.as('finance-lan', 'finance'));
  contractorId = await givenPayee(rt, { kind: 'contractor', name: 'Công ty Xây dựng Tây Giang' });
  db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
  table = `${rt.namespace}-ledger`;
});
afterAll(async () => {
  db?.destroy();
  await rt?.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fileOf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

/** A pending payment (kind `payment`) on a fresh contract, submitted as finance does. */
const pendingPayment = async () => {
  const allocation = await s.createAllocation({ fundingLine: 'central' });
  const contract = await c.createContract({
    allocationId: allocation.id,
    payeeId: contractorId,
    valueVnd: 500_000_000,
  });
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
  const submitted = await c.submitOn(contract.body.id, { kind: 'payment', amountVnd: 120_000_000 });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  return { allocationId: allocation.id as string, requestId: submitted.body.id as string };
};

const register = async (requestId: string, type: string, file: Buffer, token?: string) =>
  rt.call('POST', `/requests/${requestId}/documents`, {
    token: token ?? (await s.as('finance-lan', 'finance')),
    body: { type, fileName: `${type}.pdf`, contentType: PDF, sizeBytes: file.length, sha256: sha256(file) },
  });

const upload = (answer: { upload: { url: string; headers: Record<string, string> } }, bytes: Buffer) =>
  fetch(answer.upload.url, { method: 'PUT', headers: answer.upload.headers, body: bytes });

const verify = async (requestId: string, documentId: string) =>
  rt.call('POST', `/requests/${requestId}/documents/${documentId}/verify`, {
    token: await s.as('finance-lan', 'finance'),
  });

describe('dossier documents over HTTP against the local runtime and its S3-compatible server', () => {
  it('uploads to a presigned URL, verifies size and hash, refuses the last approval until every required document is verified, and hashes them into the entry', async () => {
    const { allocationId, requestId } = await pendingPayment();
    const finance = await s.as('finance-lan', 'finance');
    const dossier = await rt.call('GET', `/requests/${requestId}/documents`, { token: finance });
    expect(dossier.body).toMatchObject({
      kind: 'payment',
      required: ['payment-request', 'completed-work-statement'],
      missing: ['payment-request', 'completed-work-statement'],
      items: [],
    });

    const form = fileOf('Giấy đề nghị thanh toán');
    const registered = await register(requestId, 'payment-request', form);
    expect(registered.status).toBe(201);
    expect(registered.body.document).toMatchObject({ status: 'pending', sha256: sha256(form) });
    const notYet = await verify(requestId, registered.body.document.id);
    expect(notYet.status).toBe(422);
    expect(notYet.body.error.code).toBe('document_not_uploaded');
    expect((await upload(registered.body, form)).status).toBe(200);
    const verified = await verify(requestId, registered.body.document.id);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', sha256: sha256(form) });

    // The statement's upload is another file of the same length: its hash does not match.
    const statement = fileOf('Bảng xác định giá trị khối lượng hoàn thành');
    // First a file of another length to the statement's URL: its size does not match.
    const second = await register(requestId, 'completed-work-statement', statement);
    const longer = fileOf('Bảng xác định giá trị khối lượng hoàn thành (bản nháp)');
    // (S3 refuses it, the URL signing the length; the local server takes it, so the check is seen.)
    expect((await upload(second.body, longer)).status).toBe(200);
    const wrongSize = await verify(requestId, second.body.document.id);
    expect(wrongSize.status).toBe(422);
    expect(wrongSize.body.error).toMatchObject({
      code: 'document_size_mismatch',
      details: { declared: statement.length, found: longer.length },
    });
    const other = fileOf('Bảng xác định giá trị khối lượng hoàn thànx');
    await upload(second.body, other);
    const mismatch = await verify(requestId, second.body.document.id);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error).toMatchObject({
      code: 'document_hash_mismatch',
      details: { declared: sha256(statement), found: sha256(other) },
    });

    await s.decide(requestId, await s.as('district-approver', 'approver-district'));
    await s.waitPast(requestId, 'district');
    await s.decide(requestId, await s.as('province-approver', 'approver-province'));
    await s.waitPast(requestId, 'province');
    const refused = await s.decide(requestId, await s.as('treasury-approver', 'treasury'));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'documents_missing',
      details: { missing: ['completed-work-statement'] },
    });
    expect(await s.getRequest(requestId)).toMatchObject({
      status: 'pending_approval',
      nextLevel: 'treasury',
    });

    // The right file to the same (still valid) URL, verified: the last approval goes through.
    await upload(second.body, statement);
    expect((await verify(requestId, second.body.document.id)).body.status).toBe('verified');
    const voucher = voucherFieldsFor(await s.getRequest(requestId), 'treasury');
    const approved = await s.decide(
      requestId,
      await s.as('treasury-approver', 'treasury'),
      'approve',
      randomUUID(),
      voucher,
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(202);
    await eventually(
      'disbursed',
      () => s.getRequest(requestId),
      (r) => r.status === 'disbursed',
    );

    const [entry] = await rt.store.listEntries(J, allocationId);
    expect(entry?.documents).toEqual([
      { type: 'completed-work-statement', sha256: sha256(statement) },
      { type: 'payment-request', sha256: sha256(form) },
    ]);
    const auditor = await s.as('auditor-an', 'auditor');
    const intact = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}`, { token: auditor });
    expect(intact.body).toMatchObject({ valid: true, checked: 1 });

    // A swapped file's hash put in the entry in place of the one posted: the chain no longer verifies.
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: entryKeys.key(J, allocationId, 1),
        UpdateExpression: 'SET documents[0].sha256 = :swapped',
        ExpressionAttributeValues: { ':swapped': sha256(other) },
      }),
    );
    const broken = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}`, { token: auditor });
    expect(broken.body).toMatchObject({ valid: false });
    expect(broken.body.broken[0]).toMatchObject({ seq: 1 });
  });

  it('downloads through a short-lived presigned URL, scoped like the request', async () => {
    const { requestId } = await pendingPayment();
    const file = fileOf('Hợp đồng');
    const registered = await register(requestId, 'payment-request', file);
    await upload(registered.body, file);
    const path = `/requests/${requestId}/documents/${registered.body.document.id}/download`;

    const own = await rt.call('GET', path, { token: await s.as('auditor-an', 'auditor') });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ method: 'GET', fileName: 'payment-request.pdf' });
    const fetched = await fetch(own.body.url);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(file)).toBe(true);

    const dang = await rt.token('finance-dang', ['finance'], { commune: 'Dang' });
    const daNang = await rt.token('auditor-dn', ['auditor'], { jurisdiction: 'da-nang' });
    expect((await rt.call('GET', path, { token: dang })).status).toBe(403);
    expect((await rt.call('GET', path, { token: daNang })).status).toBe(404);
    const unknown = await rt.call('GET', `/requests/${requestId}/documents/${randomUUID()}/download`, {
      token: await s.as('auditor-an', 'auditor'),
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses a type the kind does not take, a format outside PDF/JPEG/PNG/XLSX, a file over 20 MB, and documents of a request no longer pending', async () => {
    const { requestId } = await pendingPayment();
    const finance = await s.as('finance-lan', 'finance');
    const body = {
      type: 'payment-request',
      fileName: 'a.pdf',
      contentType: PDF,
      sizeBytes: 10,
      sha256: sha256(Buffer.from('x')),
    };
    const post = (b: Record<string, unknown>) =>
      rt.call('POST', `/requests/${requestId}/documents`, { token: finance, body: b });

    const wrongType = await post({ ...body, type: 'beneficiary-list' });
    const wrongFormat = await post({ ...body, contentType: 'application/zip' });
    const tooLarge = await post({ ...body, sizeBytes: 20 * 1024 * 1024 + 1 });
    const badHash = await post({ ...body, sha256: 'ABC' });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error).toMatchObject({ code: 'document_type_not_accepted' });
    expect([wrongFormat.status, tooLarge.status, badHash.status]).toEqual([400, 400, 400]);
    expect((await rt.call('GET', `/requests/${requestId}/documents`, { token: finance })).body.items).toEqual(
      [],
    );

    const cancelled = await rt.call('POST', `/requests/${requestId}/cancel`, { token: finance });
    expect(cancelled.status).toBe(200);
    const late = await post(body);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_pending');
  });

  it('lets the dashboard’s origin, and no other, send a presigned upload from a browser (CORS on the bucket)', async () => {
    const { requestId } = await pendingPayment();
    const file = fileOf('preflight');
    const registered = await register(requestId, 'payment-request', file);
    expect(registered.status).toBe(201);
    const preflight = (origin: string, method = 'PUT') =>
      fetch(registered.body.upload.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          'access-control-request-headers': 'content-type,x-amz-checksum-sha256',
        },
      });

    for (const origin of [rt.url, rt.url.replace('//localhost:', '//127.0.0.1:')]) {
      const allowed = await preflight(origin);
      expect(allowed.status, origin).toBe(200);
      expect(allowed.headers.get('access-control-allow-methods')).toBe('PUT, GET');
      expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-checksum-sha256');
    }
    expect((await preflight('http://elsewhere.example')).status).toBe(403);
    expect((await preflight(rt.url, 'DELETE')).status).toBe(403);
    // The page may reach the S3 server: its CSP names that origin, and nothing else beside itself.
    const csp = (await fetch(`${rt.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${new URL(registered.body.upload.url).origin};`);
  });
});
