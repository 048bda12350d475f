import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { cancelRequest, submitRequest } from '../../shared/ledger/app/requests.ts';
import { DynamoPayeeRepository } from '../../shared/payees/adapters/payee-repository.ts';
import { createPayee, getPayee, searchPayees } from '../../shared/payees/app/payees.ts';
import type { NewPayee } from '../../shared/payees/domain/payee.ts';
import { AlreadySupportedError, DuplicatePayeeError, UnknownPayeeError } from '../../shared/payees/errors.ts';
import type { Actor } from '../../shared/platform/access.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/platform/errors.ts';
import { approvalEvents, finance, givenAllocation, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

let store: LedgerStore;
let payees: DynamoPayeeRepository;

beforeAll(async () => {
  const table = await freshTable('payees');
  store = table.store;
  payees = new DynamoPayeeRepository(table.db, table.tableName);
});

const deps = () => ({ payees, ...testEnv });
const daNangFinance: Actor = { sub: 'dn-finance', groups: ['finance'], jurisdiction: 'da-nang' };
const auditor: Actor = { sub: 'auditor-1', groups: ['auditor'] };
const communeAuditor: Actor = { sub: 'auditor-2', groups: ['auditor'], commune: 'A Nông' };

/** A random valid citizen ID: 12 digits. */
const aCitizenId = () => `0${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;

const aHousehold = (overrides: Partial<NewPayee> = {}): NewPayee => ({
  kind: 'household',
  name: 'Hộ bà Đinh Thị Ánh',
  citizenId: aCitizenId(),
  bankAccount: { number: '3704205123456', bankCode: '970405' },
  commune: 'A Tiêng',
  ...overrides,
});

const register = async (input: NewPayee, by: Actor = finance) =>
  (await createPayee(deps(), by, input, randomUUID())).result;

describe('registering payees', () => {
  it('stores a payee and reads it back by id in its jurisdiction only', async () => {
    const payee = await register(aHousehold());

    expect(await getPayee(payees, auditor, payee.id)).toEqual(payee);
    expect(payee).toMatchObject({ jurisdiction: 'tay-giang', searchName: 'ho ba dinh thi anh' });
    await expect(getPayee(payees, { ...auditor, jurisdiction: 'da-nang' }, payee.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getPayee(payees, communeAuditor, payee.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses the same citizen ID twice in a jurisdiction with duplicate_payee naming the first', async () => {
    const first = await register(aHousehold());

    const refusal = await register(aHousehold({ citizenId: first.citizenId, name: 'Hộ khác' })).catch(
      (e) => e,
    );

    expect(refusal).toBeInstanceOf(DuplicatePayeeError);
    expect(refusal.details).toEqual({ payeeId: first.id, field: 'citizenId' });
  });

  it('refuses the same tax code twice even when the store is the only check (a race), naming the first', async () => {
    const contractor: NewPayee = {
      kind: 'contractor',
      name: 'Công ty Xây dựng',
      taxCode: '0100047516-001',
      bankAccount: { number: '1234567890', bankCode: '970418' },
      commune: 'A Tiêng',
    };
    const first = await register(contractor);
    const twin = { ...first, id: randomUUID() };
    const record = {
      jurisdiction: 'tay-giang',
      scope: randomUUID(),
      fingerprint: 'f',
      result: {},
      createdAt: first.createdAt,
    };

    const refusal = await payees.createPayee(twin, record).catch((e) => e);

    expect(refusal).toBeInstanceOf(DuplicatePayeeError);
    expect(refusal.details.payeeId).toBe(first.id);
    expect(await payees.getPayee('tay-giang', twin.id)).toBeUndefined();
  });

  it('lets exactly one of two concurrent registrations of one citizen ID through', async () => {
    const input = aHousehold();
    const results = await Promise.allSettled([register(input), register({ ...input, name: 'Hộ trùng' })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason.code === 'duplicate_payee' || refused.reason.code === 'service_unavailable').toBe(
      true,
    );
  });

  it('accepts the same citizen ID in another jurisdiction (each keeps its own register)', async () => {
    const here = await register(aHousehold());
    const there = await register(
      aHousehold({ citizenId: here.citizenId, commune: 'Hùng Sơn' }),
      daNangFinance,
    );
    expect(there.jurisdiction).toBe('da-nang');
    expect(there.id).not.toBe(here.id);
  });

  it('refuses a commune outside the jurisdiction and a kind without its identifier, writing nothing', async () => {
    await expect(register(aHousehold({ commune: 'Hùng Sơn' }))).rejects.toBeInstanceOf(ValidationError);
    const { citizenId: _, ...noId } = aHousehold();
    await expect(register({ ...noId, taxCode: '0100047516' })).rejects.toThrow(/send citizenId instead/);
  });

  it('replays a retry with the same Idempotency-Key instead of registering twice', async () => {
    const input = aHousehold();
    const key = randomUUID();
    const first = await createPayee(deps(), finance, input, key);
    const again = await createPayee(deps(), finance, input, key);
    expect(again).toEqual({ result: first.result, replayed: true });
  });
});

describe('searching the register', () => {
  const tag = () => `Zq${randomUUID().slice(0, 8)}`;

  it('finds payees by name prefix, accents and case ignored, in name order, page by page', async () => {
    const t = tag();
    const names = [`${t} Đinh Văn B`, `${t} Đinh Thị A`, `${t} Bhling C`];
    for (const name of names) await register(aHousehold({ name }));

    const first = await searchPayees(payees, auditor, `${t.toLowerCase()} dinh`, 1);
    expect(first.items.map((p) => p.name)).toEqual([`${t} Đinh Thị A`]);
    const second = await searchPayees(payees, auditor, `${t} dinh`, 1, first.nextCursor);
    expect(second.items.map((p) => p.name)).toEqual([`${t} Đinh Văn B`]);
    const all = await searchPayees(payees, auditor, t, 10);
    expect(all.items).toHaveLength(3);
  });

  it('finds the one payee of a tax code or citizen ID, and none of another jurisdiction', async () => {
    const payee = await register(aHousehold());
    expect((await searchPayees(payees, auditor, payee.citizenId, 10)).items).toEqual([payee]);
    expect(
      (await searchPayees(payees, { ...auditor, jurisdiction: 'da-nang' }, payee.citizenId, 10)).items,
    ).toEqual([]);
  });

  it('shows a commune-scoped account its commune’s payees only', async () => {
    const t = tag();
    await register(aHousehold({ name: `${t} ở A Tiêng` }));
    const there = await register(aHousehold({ name: `${t} ở A Nông`, commune: 'A Nông' }));
    expect((await searchPayees(payees, communeAuditor, t, 10)).items).toEqual([there]);
    expect((await searchPayees(payees, auditor, t, 10)).items).toHaveLength(2);
  });
});

describe('requests naming a register payee', () => {
  const requestDeps = () => ({
    store,
    ...testEnv,
    policies: approvalPolicies,
    register: { payees, supportRules },
  });
  const housingRequest = (allocationId: string, payeeId: string) => ({
    allocationId,
    amountVnd: 40_000_000,
    payeeId,
    purpose: 'Hỗ trợ xây mới nhà ở',
    outputs: { houses: 1 },
  });
  const givenHousing = () => givenAllocation(store, { component: 'DA5', commune: 'A Tiêng' });
  /** Submits a housing request for the payee, as finance would (a fresh Idempotency-Key each time). */
  const submitHousing = (allocationId: string, payeeId: string, fields: Record<string, unknown> = {}) =>
    submitRequest(
      requestDeps(),
      finance,
      { ...housingRequest(allocationId, payeeId), ...fields },
      randomUUID(),
    );

  it('keeps the payee’s name and kind as a snapshot, with its id and the housing claim', async () => {
    const allocation = await givenHousing();
    const payee = await register(aHousehold());

    const { result } = await submitHousing(allocation.id, payee.id);

    expect(result).toMatchObject({
      payee: { name: payee.name, kind: 'household' },
      payeeId: payee.id,
      supportClaims: ['housing-once'],
    });
  });

  it('refuses housing support twice for one household with already_supported, naming the first request', async () => {
    const allocation = await givenHousing();
    const payee = await register(aHousehold());
    const first = await submitHousing(allocation.id, payee.id);

    const refusal = await submitHousing(allocation.id, payee.id, { amountVnd: 1 }).catch((e) => e);

    expect(refusal).toBeInstanceOf(AlreadySupportedError);
    expect(refusal.details).toEqual({ rule: 'housing-once', payeeId: payee.id, requestId: first.result.id });
    expect((await store.getAllocation('tay-giang', allocation.id))?.reservedVnd).toBe(40_000_000);
  });

  it('frees the household for housing support again once the request is rejected or cancelled', async () => {
    const allocation = await givenHousing();
    const payee = await register(aHousehold());
    const first = await submitHousing(allocation.id, payee.id);
    await cancelRequest(requestDeps(), finance, first.result.id);

    const second = await submitHousing(allocation.id, payee.id);
    const [reject] = approvalEvents(testEnv, second.result);
    await applyApprovalEvent(
      { ...requestDeps(), sleep: async () => {} },
      { ...(reject as NonNullable<typeof reject>), decision: 'reject' },
    );

    const third = await submitHousing(allocation.id, payee.id);
    expect(third.result.supportClaims).toEqual(['housing-once']);
  });

  it('refuses a payee id unknown to the caller’s register (another jurisdiction’s included) with unknown_payee', async () => {
    const allocation = await givenHousing();
    const theirs = await register(aHousehold({ commune: 'Hùng Sơn' }), daNangFinance);

    for (const payeeId of [randomUUID(), theirs.id]) {
      await expect(
        submitRequest(requestDeps(), finance, housingRequest(allocation.id, payeeId), randomUUID()),
      ).rejects.toBeInstanceOf(UnknownPayeeError);
    }
    expect((await store.getAllocation('tay-giang', allocation.id))?.reservedVnd).toBe(0);
  });
});
