import { createHash, randomUUID } from 'node:crypto';
import { JURISDICTIONS, UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/jurisdictions/config/index.ts';
import { communeNamesIn } from '../../../shared/jurisdictions/domain/administrative-unit.ts';
import { vnDateOf } from '../../../shared/platform/vn-calendar.ts';
import type { Runtime } from './local-runtime.ts';
import { eventually } from './local-runtime.ts';

/**
 * The commune an allocation is for when a test names none: A Tiêng for tay-giang (the upgrade
 * default), else the jurisdiction's first commune-level unit in the year, as its data lists them.
 */
export const defaultCommune = (jurisdiction: string | undefined, fiscalYear: number): string => {
  if (jurisdiction === undefined || jurisdiction === UPGRADE_DEFAULT_JURISDICTION) return 'A Tiêng';
  const served = JURISDICTIONS.find((j) => j.id === jurisdiction);
  return (served && communeNamesIn(served, fiscalYear)[0]) ?? 'A Tiêng';
};

/** A Treasury voucher with a number no other test uses, valued the day the request was created. */
export const freshVoucher = (createdAt: string) => ({
  number: `T-${randomUUID().slice(0, 13).toUpperCase()}`,
  valueDate: vnDateOf(createdAt),
});

/**
 * The fields a decision at `level` needs beyond its decision: a fresh Treasury voucher when the level
 * sits at the Treasury tier (voucher_required otherwise), nothing at other levels.
 */
export const voucherFieldsFor = (
  request: { createdAt: string; approvalLevels?: { level: string; tier: string }[] },
  level: string,
): { treasuryVoucher?: ReturnType<typeof freshVoucher> } => {
  const tier = request.approvalLevels?.find((l) => l.level === level)?.tier ?? level;
  return tier === 'treasury' ? { treasuryVoucher: freshVoucher(request.createdAt) } : {};
};

/**
 * Common steps of the HTTP flow, as a client would take them; every token carries `claims` (a
 * jurisdiction: none is the upgrade default, tay-giang).
 */
export const steps = (rt: Runtime, claims: { jurisdiction?: string } = {}) => {
  const tokens = new Map<string, Promise<string>>();
  const as = (sub: string, ...groups: string[]) => {
    const key = `${sub}:${groups.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, rt.token(sub, groups, claims));
    return tokens.get(key) as Promise<string>;
  };
  const createAllocation = async (overrides: Record<string, unknown> = {}) => {
    const res = await rt.call('POST', '/allocations', {
      token: await as('planner-an', 'planner'),
      body: {
        fiscalYear: 2024,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        commune: defaultCommune(claims.jurisdiction, Number(overrides.fiscalYear ?? 2024)),
        title: 'Đường liên thôn',
        amountVnd: 2_000_000_000,
        ...overrides,
      },
    });
    if (res.status !== 201) throw new Error(`allocation not created: ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  /** Submits a request with a given token (e.g. one carrying an e-mail). */
  const submitWith = async (
    token: string,
    allocationId: string,
    amountVnd: number,
    key: string = randomUUID(),
    fields: Record<string, unknown> = {},
  ) =>
    rt.call('POST', '/requests', {
      token,
      headers: { 'idempotency-key': key },
      body: {
        allocationId,
        amountVnd,
        payee: { name: 'Công ty Xây dựng Tây Giang', kind: 'contractor' },
        purpose: 'Thanh toán khối lượng',
        ...fields,
      },
    });
  const submit = async (
    allocationId: string,
    amountVnd: number,
    submitter = 'finance-lan',
    key: string = randomUUID(),
    fields: Record<string, unknown> = {},
  ) => submitWith(await as(submitter, 'finance'), allocationId, amountVnd, key, fields);
  const decide = async (
    requestId: string,
    token: string,
    decision: 'approve' | 'reject' = 'approve',
    key: string = randomUUID(),
    fields: Record<string, unknown> = {},
  ) =>
    rt.call('POST', `/requests/${requestId}/decisions`, {
      token,
      headers: { 'idempotency-key': key },
      body: { decision, ...fields },
    });
  const getRequest = async (id: string) =>
    (await rt.call('GET', `/requests/${id}`, { token: await as('auditor-x', 'auditor') })).body;
  const getAllocation = async (id: string) =>
    (await rt.call('GET', `/allocations/${id}`, { token: await as('auditor-x', 'auditor') })).body;
  /** Waits until the funding line's handler has moved the request past `level`. */
  const waitPast = (id: string, level: string) =>
    eventually(
      `request ${id} past ${level}`,
      () => getRequest(id),
      (r) => r.nextLevel !== level,
    );
  const approver: Record<string, string> = {
    commune: 'approver-commune',
    district: 'approver-district',
    'district-leader': 'approver-district-leader',
    province: 'approver-province',
    treasury: 'treasury',
  };
  /**
   * Every level approves, each by a different person; resolves with the final request. With `stopAt`,
   * stops when the request waits at that level.
   */
  /**
   * Registers, uploads (to its presigned URL) and verifies a small PDF for every document type the
   * request's dossier requires and does not yet hold verified, as finance does before the last level.
   */
  const provideDossier = async (id: string) => {
    const finance = await as('finance-lan', 'finance');
    const dossier = await rt.call('GET', `/requests/${id}/documents`, { token: finance });
    const held = new Set(
      (dossier.body.items as { type: string; status: string }[])
        .filter((d) => d.status === 'verified')
        .map((d) => d.type),
    );
    for (const type of (dossier.body.required as string[]).filter((t) => !held.has(t))) {
      const file = Buffer.from(`%PDF-1.7\n${type} ${id}\n%%EOF\n`);
      const registered = await rt.call('POST', `/requests/${id}/documents`, {
        token: finance,
        body: {
          type,
          fileName: `${type}.pdf`,
          contentType: 'application/pdf',
          sizeBytes: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
        },
      });
      if (registered.status !== 201) throw new Error(`document refused: ${JSON.stringify(registered.body)}`);
      const { upload, document } = registered.body as {
        upload: { url: string; headers: Record<string, string> };
        document: { id: string };
      };
      await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: file });
      const verified = await rt.call('POST', `/requests/${id}/documents/${document.id}/verify`, {
        token: finance,
      });
      if (verified.status !== 200) throw new Error(`document not verified: ${JSON.stringify(verified.body)}`);
    }
  };
  const approveAll = async (id: string, stopAt?: string) => {
    let request = await getRequest(id);
    while (request.status === 'pending_approval' && request.nextLevel !== stopAt) {
      const level: string = request.nextLevel;
      // The last level takes a complete dossier (documents_missing otherwise).
      if (level === request.chain?.at(-1)) await provideDossier(id);
      // The group the request names for its level (its jurisdiction's policy), else the default one's.
      const group: string =
        request.approvalLevels?.find((l: { level: string }) => l.level === level)?.group ??
        approver[level] ??
        level;
      const fields = voucherFieldsFor(request, level);
      const res = await decide(id, await as(`${level}-approver`, group), 'approve', randomUUID(), fields);
      if (res.status !== 202) throw new Error(`decision at ${level} refused: ${JSON.stringify(res.body)}`);
      request = await waitPast(id, level);
    }
    return request;
  };
  /** Declares output keys for a year (one indicator counting them all), so requests may declare outputs under them. */
  const declareOutputs = async (outputKeys: string[], fiscalYear = 2024) => {
    const res = await rt.call('PUT', `/targets/${fiscalYear}.testOutputs`, {
      token: await as('planner-an', 'planner'),
      body: {
        name: { vi: 'Kết quả đầu ra', en: 'Outputs' },
        unit: { vi: 'đơn vị', en: 'units' },
        target: { min: 1 },
        source: 'outputs',
        outputKeys,
      },
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`outputs not declared: ${JSON.stringify(res.body)}`);
  };
  /** Registers a payee as finance (a household of the default commune unless `fields` say otherwise). */
  const registerPayee = async (fields: Record<string, unknown> = {}, key: string = randomUUID()) =>
    rt.call('POST', '/payees', {
      token: await as('finance-lan', 'finance'),
      headers: { 'idempotency-key': key },
      body: {
        kind: 'household',
        name: 'Hộ bà Đinh Thị Ánh',
        citizenId: `0${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`,
        bankAccount: { number: '3704205123456', bankCode: '970405' },
        // Payees outlive fiscal years: a commune the jurisdiction has now (Đà Nẵng's exist from 2025).
        commune: defaultCommune(claims.jurisdiction, 2026),
        ...fields,
      },
    });
  return {
    as,
    createAllocation,
    registerPayee,
    submit,
    submitWith,
    decide,
    getRequest,
    getAllocation,
    waitPast,
    approveAll,
    provideDossier,
    approver,
    declareOutputs,
  };
};
