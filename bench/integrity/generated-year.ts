import { seededRandom } from '../../local/sdk-faults.ts';
import { JURISDICTIONS } from '../../shared/jurisdictions/config/index.ts';
import { communeNamesIn } from '../../shared/jurisdictions/domain/administrative-unit.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import type { CapitalType, FundingLine, PayeeKind } from '../../shared/ledger/domain/funding-line.ts';
import type { Payee } from '../../shared/payees/domain/payee.ts';
import { searchNameOf } from '../../shared/payees/domain/payee.ts';
import { addDays, daysBetween, type IsoDate } from '../../shared/platform/vn-calendar.ts';

/**
 * A generated jurisdiction-year for measuring the integrity rules: allocations, a payee register and
 * requests with realistic amounts and dates, clean of the four patterns by construction but full of
 * near misses (homonyms in other communes, contractors paid in stages, households supported by several
 * programmes, the year-end rush), plus planted cases of each rule whose ids the measurement checks.
 * Everything is ILLUSTRATIVE: names, identifiers, accounts and amounts are made up (docs/integrity.md).
 */
export interface GeneratedYear {
  jurisdiction: string;
  fiscalYear: number;
  allocations: Allocation[];
  payees: Payee[];
  requests: DisbursementRequest[];
  planted: PlantedCase[];
}

/** A planted case: its rule and what a finding must name to count as found. */
export type PlantedCase =
  | { rule: 'splitting'; requestIds: string[] }
  | { rule: 'shared-account'; account: string }
  | { rule: 'double-support'; requestIds: string[] }
  | { rule: 'deadline-bunching'; allocationId: string };

/** How many cases of each rule to plant (0: a clean year). */
export interface Planting {
  splitting: number;
  sharedAccount: number;
  doubleSupport: number;
  deadlineBunching: number;
}

export const CLEAN: Planting = { splitting: 0, sharedAccount: 0, doubleSupport: 0, deadlineBunching: 0 };

const FAMILY = [
  'Alăng',
  'Bhling',
  'Briu',
  'Clâu',
  'Zơrâm',
  'Hốih',
  'Arất',
  'Pơloong',
  'Ating',
  'Coor',
  'Bríu',
  'Hiên',
];
const GIVEN_MEN = [
  'Văn Bốp',
  'Văn Dư',
  'Văn Pai',
  'Văn Tiến',
  'Văn Hùng',
  'Văn Blúp',
  'Văn Nhiên',
  'Văn Sơn',
];
const GIVEN_WOMEN = ['Thị Nhiên', 'Thị Bích', 'Thị Xuân', 'Thị Loan', 'Thị Dung', 'Thị Hoa', 'Thị Mai'];
const AGRIBANK = '970405';
const BIDV = '970418';
const HOUSEHOLDS_PER_COMMUNE = 60;
const CONTRACTORS = 24;
const BILLION = 1_000_000_000;

/** The expected curve's cumulative shares (31/3 15%, 30/6 35%, 30/9 60%, 31/12 95%, 31/1 100%). */
const INVESTMENT_CURVE: [string, number][] = [
  ['01-01', 0],
  ['03-31', 0.15],
  ['06-30', 0.35],
  ['09-30', 0.6],
  ['12-31', 0.95],
];

export const generateYear = (seed: number, planting: Planting = CLEAN, fiscalYear = 2024): GeneratedYear => {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const roundTo = (v: number, step: number) => Math.max(step, Math.round(v / step) * step);
  const jurisdiction = 'tay-giang';
  const served = JURISDICTIONS.find((j) => j.id === jurisdiction);
  const communes = served ? communeNamesIn(served, fiscalYear) : ['A Tiêng'];
  const y = String(fiscalYear);
  const investmentDeadline = `${fiscalYear + 1}-01-31`;
  const recurrentDeadline = `${y}-12-31`;
  let ids = 0;
  const id = (prefix: string) => `${prefix}-${seed}-${++ids}`;
  let accounts = 0;
  const nextAccount = () =>
    `3900${String(seed % 1000).padStart(3, '0')}${String(++accounts).padStart(6, '0')}`;
  let citizen = 0;
  const nextCitizenId = () =>
    `0999${String(seed % 10_000).padStart(4, '0')}${String(++citizen).padStart(4, '0')}`;
  /** 09:00 in Vietnam on the day. */
  const at = (day: IsoDate) => `${day}T02:00:00.000Z`;
  /** A day drawn from the expected curve (piecewise uniform between its milestones), up to `last`. */
  const curveDay = (last: IsoDate): IsoDate => {
    const u = random() * 0.999;
    const points: [IsoDate, number][] = [
      ...INVESTMENT_CURVE.map(([md, share]) => [`${y}-${md}`, share] as [IsoDate, number]),
      [last, 1],
    ];
    for (let i = 1; i < points.length; i++) {
      const [from, lo] = points[i - 1] as [IsoDate, number];
      const [to, hi] = points[i] as [IsoDate, number];
      if (u <= hi || i === points.length - 1) {
        const span = Math.max(0, daysBetween(from, to));
        const day = addDays(from, Math.floor(((u - lo) / Math.max(hi - lo, 1e-9)) * span));
        return day > last ? last : day;
      }
    }
    return last;
  };

  const payees: Payee[] = [];
  const register = (
    kind: PayeeKind,
    name: string,
    commune: string,
    account: string,
    bank = AGRIBANK,
  ): Payee => {
    const p: Payee = {
      id: id('payee'),
      jurisdiction,
      kind,
      name,
      searchName: searchNameOf(name),
      ...(kind === 'household' || kind === 'individual'
        ? { citizenId: nextCitizenId() }
        : { taxCode: `40999${String(payees.length).padStart(5, '0')}` }),
      bankAccount: { number: account, bankCode: bank },
      commune,
      createdAt: `${fiscalYear - 1}-12-01T02:00:00.000Z`,
      createdBy: 'generator',
    };
    payees.push(p);
    return p;
  };
  // Households: names repeat across communes (a few dozen family and given names), each its own account.
  const householdsOf = new Map<string, Payee[]>();
  for (const commune of communes) {
    const list: Payee[] = [];
    for (let n = 0; n < HOUSEHOLDS_PER_COMMUNE; n++) {
      const woman = random() < 0.3;
      const name = `Hộ ${woman ? 'bà' : 'ông'} ${pick(FAMILY)} ${pick(woman ? GIVEN_WOMEN : GIVEN_MEN)}`;
      list.push(register('household', name, commune, nextAccount()));
    }
    householdsOf.set(commune, list);
  }
  const contractors = Array.from({ length: CONTRACTORS }, (_, n) =>
    register(
      'contractor',
      `Công ty TNHH Xây dựng ${pick(FAMILY)} ${n + 1}`,
      pick(communes),
      nextAccount(),
      BIDV,
    ),
  );
  const cooperatives = communes.map((c) =>
    register('cooperative', `Hợp tác xã nông nghiệp ${c}`, c, nextAccount()),
  );

  const allocations: Allocation[] = [];
  const allocation = (
    commune: string,
    fundingLine: FundingLine,
    capitalType: CapitalType,
    component: string,
    title: string,
  ): Allocation => {
    const a: Allocation = {
      id: id('alloc'),
      fiscalYear,
      fundingLine,
      capitalType,
      component,
      commune,
      investor: 'commune',
      jurisdiction,
      title,
      assignedVnd: 0,
      reservedVnd: 0,
      disbursedVnd: 0,
      availableVnd: 0,
      deadline: capitalType === 'investment' ? investmentDeadline : recurrentDeadline,
      headSeq: 0,
      headHash: '',
      createdAt: `${y}-01-05T02:00:00.000Z`,
      createdBy: 'generator',
    };
    allocations.push(a);
    return a;
  };
  const requests: DisbursementRequest[] = [];
  const request = (
    a: Allocation,
    payee: Payee,
    amountVnd: number,
    submittedOn: IsoDate,
    paidOn: IsoDate | undefined,
    extra: Partial<DisbursementRequest> = {},
  ): DisbursementRequest => {
    const r: DisbursementRequest = {
      id: id('req'),
      allocationId: a.id,
      fiscalYear,
      fundingLine: a.fundingLine,
      capitalType: a.capitalType,
      component: a.component,
      commune: a.commune,
      jurisdiction,
      investor: 'commune',
      amountVnd,
      payee: { name: payee.name, kind: payee.kind },
      payeeId: payee.id,
      purpose: a.title,
      status: paidOn ? 'disbursed' : 'pending_approval',
      chain: [],
      approvals: [],
      submittedBy: 'finance',
      createdAt: at(submittedOn),
      updatedAt: at(paidOn ?? submittedOn),
      version: 1,
      ...extra,
    };
    requests.push(r);
    a.disbursedVnd += paidOn ? amountVnd : 0;
    a.assignedVnd += amountVnd;
    return r;
  };
  /** Posted 2–15 days after submission, by the deadline (a request submitted late is paid sooner). */
  const paidAfter = (day: IsoDate, deadline: IsoDate) => {
    const paid = addDays(day, Math.floor(between(2, 15)));
    return paid > deadline
      ? addDays(day, Math.floor(between(0, Math.max(0, daysBetween(day, deadline)) + 1)))
      : paid;
  };

  for (const commune of communes) {
    const households = householdsOf.get(commune) ?? [];
    // Infrastructure (DA1): contracts of 0.6–3.5 billion paid in stages: an advance, then work done.
    for (const fundingLine of ['central', 'provincial', 'local'] as const) {
      const a = allocation(
        commune,
        fundingLine,
        'investment',
        'DA1',
        `Đường giao thông ${commune} (${fundingLine})`,
      );
      for (let c = 0; c < 1 + Math.floor(random() * 2); c++) {
        const contractor = pick(contractors);
        const value = roundTo(between(0.6, 3.5) * BILLION, 1_000_000);
        const signed = curveDay(`${y}-09-30`);
        const advance = roundTo(value * between(0.2, 0.3), 1_000_000);
        request(a, contractor, advance, signed, paidAfter(signed, investmentDeadline), { kind: 'advance' });
        // Work paid in 1–3 stages after acceptance ("nghiệm thu"), at most monthly, days drawn from the curve.
        const stages = 1 + Math.floor(random() * 3);
        const days = Array.from({ length: stages }, () => curveDay(addDays(investmentDeadline, -3)))
          .filter((d) => d > signed)
          .sort();
        let last = signed;
        let left = value - advance;
        days.forEach((drawn, i) => {
          const day = daysBetween(last, drawn) < 25 ? addDays(last, 25 + Math.floor(between(0, 10))) : drawn;
          if (day > addDays(investmentDeadline, -3) || left <= 0) return;
          const part = i === days.length - 1 ? left : roundTo(left * between(0.3, 0.6), 1_000_000);
          request(a, contractor, part, day, paidAfter(day, investmentDeadline), { kind: 'payment' });
          left -= part;
          last = day;
        });
      }
    }
    // Housing (DA5): 40 million a new house, 20 million a repair, once per household.
    const housing = allocation(commune, 'central', 'recurrent', 'DA5', `Hỗ trợ nhà ở ${commune}`);
    const housed = households.filter(() => random() < 0.18);
    for (const h of housed) {
      const day = curveDay(addDays(recurrentDeadline, -3));
      const repair = random() < 0.3;
      request(housing, h, repair ? 20_000_000 : 40_000_000, day, paidAfter(day, recurrentDeadline), {
        outputs: { houses: 1 },
      });
    }
    // Livelihoods (DA2, DA3): cows and seedlings to households, often in two rounds; a cooperative's model.
    const livelihood = allocation(commune, 'central', 'recurrent', 'DA2', `Hỗ trợ sinh kế ${commune}`);
    for (const h of households.filter(() => random() < 0.35)) {
      const rounds = random() < 0.3 ? 2 : 1;
      let day = curveDay(addDays(recurrentDeadline, -20));
      for (let round = 0; round < rounds; round++) {
        request(
          livelihood,
          h,
          roundTo(between(8, 25) * 1_000_000, 500_000),
          day,
          paidAfter(day, recurrentDeadline),
        );
        day = addDays(day, Math.floor(between(60, 150)));
        if (day > addDays(recurrentDeadline, -5)) break;
      }
    }
    const cooperative = cooperatives[communes.indexOf(commune)] as Payee;
    const model = allocation(commune, 'provincial', 'recurrent', 'DA3', `Mô hình sản xuất ${commune}`);
    for (let k = 0; k < 2 + Math.floor(random() * 2); k++) {
      const day = curveDay(addDays(recurrentDeadline, -10));
      request(
        model,
        cooperative,
        roundTo(between(0.1, 0.45) * BILLION, 1_000_000),
        day,
        paidAfter(day, recurrentDeadline),
      );
    }
  }

  const planted: PlantedCase[] = [];
  const da1 = allocations.filter((a) => a.component === 'DA1');
  for (let k = 0; k < planting.splitting; k++) {
    // One bill of 1.1–2.4 billion split in 2–4 parts, each under the 1 billion threshold, within two weeks.
    const a = pick(da1);
    const contractor = pick(contractors);
    const parts = 2 + Math.floor(random() * 3);
    const total = roundTo(
      between(Math.max(1.1, parts * 0.4), Math.min(2.4, parts * 0.97)) * BILLION,
      1_000_000,
    );
    let day = curveDay(`${y}-12-15`);
    const ids: string[] = [];
    for (let p = 0; p < parts; p++) {
      const part =
        p === parts - 1 ? total - Math.floor(total / parts) * (parts - 1) : Math.floor(total / parts);
      ids.push(request(a, contractor, part, day, paidAfter(day, investmentDeadline), { kind: 'payment' }).id);
      day = addDays(day, Math.floor(between(0, 4)));
    }
    planted.push({ rule: 'splitting', requestIds: ids });
  }
  for (let k = 0; k < planting.sharedAccount; k++) {
    // A second payee, under another citizen ID and name, paid into an existing household's account.
    const commune = pick(communes);
    const owner = pick(householdsOf.get(commune) ?? []);
    const alias = register(
      'individual',
      `${pick(FAMILY)} ${pick(GIVEN_MEN)}`,
      commune,
      owner.bankAccount.number,
    );
    const a = pick(allocations.filter((x) => x.component === 'DA2'));
    const day = curveDay(`${y}-11-30`);
    request(a, alias, roundTo(between(10, 25) * 1_000_000, 500_000), day, paidAfter(day, recurrentDeadline));
    planted.push({
      rule: 'shared-account',
      account: `${owner.bankAccount.bankCode}:${owner.bankAccount.number}`,
    });
  }
  for (let k = 0; k < planting.doubleSupport; k++) {
    // A household housed, registered again under the spouse's name and citizen ID (same account), and housed
    // again, in its own commune or (every other case) in a neighbouring one.
    const commune = pick(communes);
    const housing = (c: string) =>
      allocations.find((a) => a.component === 'DA5' && a.commune === c) as Allocation;
    const first = pick(householdsOf.get(commune) ?? []);
    const other = k % 2 === 0 ? commune : pick(communes.filter((c) => c !== commune));
    const spouse = register(
      'household',
      `Hộ bà ${pick(FAMILY)} ${pick(GIVEN_WOMEN)}`,
      other,
      first.bankAccount.number,
    );
    const d1 = curveDay(`${y}-11-30`);
    const d2 = curveDay(`${y}-11-30`);
    const r1 = request(housing(commune), first, 40_000_000, d1, paidAfter(d1, recurrentDeadline), {
      outputs: { houses: 1 },
    });
    const r2 = request(housing(other), spouse, 40_000_000, d2, paidAfter(d2, recurrentDeadline), {
      outputs: { houses: 1 },
    });
    planted.push({ rule: 'double-support', requestIds: [r1.id, r2.id] });
  }
  for (let k = 0; k < planting.deadlineBunching; k++) {
    // An allocation paid little all year, then most of it in the last week before its deadline.
    const commune = pick(communes);
    const a = allocation(commune, 'central', 'investment', 'DA1', `Kè chống sạt lở ${commune}`);
    const contractor = pick(contractors);
    const early = curveDay(`${y}-08-31`);
    request(
      a,
      contractor,
      roundTo(between(0.15, 0.3) * BILLION, 1_000_000),
      early,
      paidAfter(early, investmentDeadline),
      {
        kind: 'advance',
      },
    );
    for (let p = 0; p < 2 + Math.floor(random() * 2); p++) {
      const day = addDays(investmentDeadline, -Math.floor(between(1, 7)));
      request(a, contractor, roundTo(between(0.3, 0.8) * BILLION, 1_000_000), addDays(day, -2), day, {
        kind: 'payment',
      });
    }
    planted.push({ rule: 'deadline-bunching', allocationId: a.id });
  }
  for (const a of allocations) a.availableVnd = a.assignedVnd - a.disbursedVnd - a.reservedVnd;
  return { jurisdiction, fiscalYear, allocations, payees, requests, planted };
};
