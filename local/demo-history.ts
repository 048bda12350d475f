import { applyApprovalEvent } from '../shared/ledger/app/apply-approval-event.ts';
import type { LedgerStore } from '../shared/ledger/app/ports.ts';
import { submitRequest } from '../shared/ledger/app/requests.ts';
import type { ApprovalPolicies } from '../shared/ledger/domain/approval-policy.ts';
import type { DisbursementRequest, Payee } from '../shared/ledger/domain/disbursement-request.ts';
import type { Actor } from '../shared/platform/access.ts';
import { jurisdictionOf, UPGRADE_DEFAULT_JURISDICTION } from '../shared/platform/tenancy.ts';
import { demoBudgetItem, demoVoucher } from './demo-budget-codes.ts';
import { DEMO_FISCAL_YEAR, slug } from './demo-plan.ts';
import { demoOutputCatalogue } from './demo-targets.ts';

/**
 * The disbursement history of the Tây Giang 2024 demo up to the end of September, so the monitor has
 * something to find on 30/09/2024: DA1 infrastructure of A Tiêng and Ch'ơm far behind (critical),
 * A Xan and Lăng behind (warning), the other communes on track; the provincial counterpart line
 * behind as a whole; two requests stalled in approval. Every payment goes through the real path
 * (submission, then each level's approval event applied with the clock set to its 2024 date), so
 * the ledger's hash chains are those of real postings. Illustrative figures, not official ones.
 */

/** Share of each DA1 (investment) allocation disbursed by 30/09/2024, per commune and funding line. */
const DA1_DISBURSED: Record<string, { central: number; provincial: number; local: number }> = {
  'A Nông': { central: 0.68, provincial: 0.62, local: 0.7 },
  'A Tiêng': { central: 0.32, provincial: 0.3, local: 0.45 },
  'A Vương': { central: 0.62, provincial: 0.55, local: 0.65 },
  'A Xan': { central: 0.45, provincial: 0.4, local: 0.55 },
  'Bha Lê': { central: 0.58, provincial: 0.52, local: 0.6 },
  "Ch'ơm": { central: 0.2, provincial: 0.15, local: 0.3 },
  Dang: { central: 0.65, provincial: 0.56, local: 0.66 },
  'Ga Ri': { central: 0.55, provincial: 0.53, local: 0.58 },
  Lăng: { central: 0.47, provincial: 0.42, local: 0.52 },
  "Tr'Hy": { central: 0.61, provincial: 0.54, local: 0.63 },
};

/** Houses paid for under DA5 by 30/09/2024, per commune (of the 451 planned). */
const HOUSES_PAID: Record<string, number> = {
  'A Nông': 30,
  'A Tiêng': 12,
  'A Vương': 25,
  'A Xan': 20,
  'Bha Lê': 28,
  "Ch'ơm": 10,
  Dang: 22,
  'Ga Ri': 24,
  Lăng: 21,
  "Tr'Hy": 20,
};

/**
 * Infrastructure works completed by 30/09/2024 and declared on each commune's DA1 central payment
 * (the counterpart payments of the same works declare none, so nothing is counted twice).
 */
const WORKS_DONE: Record<string, Record<string, number>> = {
  'A Nông': { worksRoad: 2, worksIrrigation: 1 },
  'A Tiêng': { worksSchool: 1 },
  'A Vương': { worksRoad: 1, worksClinic: 1, worksPower: 1 },
  'A Xan': { worksRoad: 1, worksIrrigation: 1 },
  'Bha Lê': { worksRoad: 2, worksBridge: 1 },
  "Ch'ơm": { worksIrrigation: 1 },
  Dang: { worksRoad: 1, worksSchool: 1, worksIrrigation: 1 },
  'Ga Ri': { worksRoad: 1, worksPower: 1 },
  Lăng: { worksRoad: 1, worksClinic: 1 },
  "Tr'Hy": { worksRoad: 1, worksSchool: 1 },
};

/** Livelihood models (DA2) supported by 30/09/2024, per commune, each paid to a cooperative. */
const MODELS_PAID: Record<string, number> = {
  'A Nông': 2,
  'A Tiêng': 1,
  'A Vương': 1,
  'A Xan': 1,
  'Bha Lê': 2,
  "Ch'ơm": 1,
  Dang: 2,
  'Ga Ri': 1,
  Lăng: 1,
  "Tr'Hy": 1,
};
const MODEL_SUPPORT_VND = 180_000_000;

const CONTRACTORS = [
  'Công ty TNHH Xây dựng Tây Giang',
  'Công ty CP Xây dựng Giao thông Quảng Nam',
  'Công ty TNHH MTV Xây lắp Điện Trường Sơn',
  'Hợp tác xã Xây dựng Bhalêê',
];

/** Who submits and decides a demo's payments: its finance officer and, per level, an approver of its group. */
export interface DemoStaff {
  finance: Actor;
  approverOf(request: DisbursementRequest, level: string): Actor;
}

/** A demo's staff, at addresses of `domain`, in `jurisdiction` (none: the upgrade default, as the 2024 seed's). */
export const demoStaff = (domain: string, jurisdiction?: string): DemoStaff => {
  const claims = jurisdiction ? { jurisdiction } : {};
  return {
    finance: { sub: 'seed-ke-toan', email: `ketoan@${domain}`, groups: ['finance'], ...claims },
    approverOf: (request, level) => {
      const group = request.approvalLevels?.find((l) => l.level === level)?.group ?? level;
      return { sub: `seed-${group}`, email: `${group}@${domain}`, groups: [group], ...claims };
    },
  };
};
const TAY_GIANG_STAFF = demoStaff('taygiang.gov.vn');

/** A time of day in Vietnam. */
export const at = (date: string, time = '09:00') => new Date(`${date}T${time}:00+07:00`);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
const millions = (vnd: number) => Math.round(vnd / 1_000_000) * 1_000_000;

export interface Payment {
  requestId: string;
  allocationId: string;
  amountVnd: number;
  payee: Payee;
  purpose: string;
  submittedAt: Date;
  /** Outputs the payment delivers, counted toward the plan's indicators once it is posted. */
  outputs?: Record<string, number>;
  /** How many levels approve, in order, two days apart; undefined approves the whole chain. */
  approvedLevels?: number;
  /** The level after the approved ones rejects the request (its reservation is released). */
  rejected?: boolean;
}

/** Submits one payment and applies its approvals, each with the clock at its own date. */
const pay = async (
  store: LedgerStore,
  policies: ApprovalPolicies,
  staff: DemoStaff,
  p: Payment,
): Promise<void> => {
  const id = p.requestId;
  const allocation = await store.getAllocation(jurisdictionOf(staff.finance), p.allocationId);
  const budgetItem = allocation && demoBudgetItem(allocation, p.payee);
  const submitted = await submitRequest(
    { store, policies, catalogue: demoOutputCatalogue, now: () => p.submittedAt, newId: () => id },
    staff.finance,
    {
      allocationId: p.allocationId,
      amountVnd: p.amountVnd,
      payee: p.payee,
      purpose: p.purpose,
      ...(p.outputs ? { outputs: p.outputs } : {}),
      ...(budgetItem ? { budgetItem } : {}),
    },
    `seed-${id}`,
  );
  const request = submitted.result;
  const approved = p.approvedLevels ?? request.chain.length;
  const levels = request.chain.slice(0, p.rejected ? approved + 1 : approved);
  for (const [i, level] of levels.entries()) {
    const decidedAt = addDays(p.submittedAt, 2 + i * 2);
    const decision = i < approved ? 'approve' : 'reject';
    // The Treasury's approval records its voucher, as the API requires of it.
    const atTreasury =
      decision === 'approve' && request.approvalLevels?.find((l) => l.level === level)?.tier === 'treasury';
    await applyApprovalEvent(
      { store, policies, now: () => decidedAt },
      {
        eventId: `${id}-${level}`,
        requestId: id,
        fundingLine: request.fundingLine,
        level,
        decision,
        ...(atTreasury ? { treasuryVoucher: demoVoucher(id, decidedAt) } : {}),
        actor: staff.approverOf(request, level),
        decidedAt: decidedAt.toISOString(),
      },
    );
  }
};

/**
 * Posts a demo's payments. Allocations are independent, so their payments run a few at a time;
 * within one allocation they are posted in order, as its hash chain requires.
 */
export const payAll = async (
  store: LedgerStore,
  policies: ApprovalPolicies,
  staff: DemoStaff,
  groups: Payment[][],
): Promise<number> => {
  const queue = [...groups];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const payment of group) await pay(store, policies, staff, payment);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return groups.flat().length;
};

/** Numbers each allocation's payments, in order, as its requests' ids (`<allocation>-r1`, …); empty ones are left out. */
export const numbered = (payments: Omit<Payment, 'requestId'>[]): Payment[][] => {
  const byAllocation = Map.groupBy(
    payments.filter((p) => p.amountVnd > 0),
    (p) => p.allocationId,
  );
  return [...byAllocation.values()].map((list) =>
    list.map((p, i): Payment => ({ ...p, requestId: `${p.allocationId}-r${i + 1}` })),
  );
};

/** The payments of the demo, grouped by allocation, each group in date order, with deterministic ids. */
export const demoPayments = (assigned: ReadonlyMap<string, number>): Payment[][] => {
  const groups: Omit<Payment, 'requestId'>[][] = [];
  const id = (component: string, line: string, commune: string) =>
    `${DEMO_FISCAL_YEAR}-${component.toLowerCase()}-${line}-${slug(commune)}`;
  Object.entries(DA1_DISBURSED).forEach(([commune, shares], c) => {
    // One payment per allocation keeps seeding to a few seconds: the monitor reads totals, not entries.
    const month = String(5 + (c % 4)).padStart(2, '0');
    const day = String(8 + c).padStart(2, '0');
    for (const line of ['central', 'provincial', 'local'] as const) {
      const allocationId = id('DA1', line, commune);
      groups.push([
        {
          allocationId,
          amountVnd: millions((assigned.get(allocationId) ?? 0) * shares[line]),
          payee: { name: CONTRACTORS[c % CONTRACTORS.length] ?? 'Nhà thầu', kind: 'contractor' },
          purpose: `Thanh toán khối lượng hoàn thành, công trình hạ tầng xã ${commune}`,
          submittedAt: at(`2024-${month}-${day}`),
          ...(line === 'central' && WORKS_DONE[commune] ? { outputs: WORKS_DONE[commune] } : {}),
        },
      ]);
    }
    const houses = HOUSES_PAID[commune] ?? 0;
    groups.push([
      {
        allocationId: id('DA5', 'central', commune),
        amountVnd: houses * 40_000_000,
        payee: { name: `UBND xã ${commune}`, kind: 'agency' },
        purpose: `Hỗ trợ xây mới nhà ở (${houses} hộ)`,
        submittedAt: at(`2024-08-${day}`),
        outputs: { houses },
      },
    ]);
    const models = MODELS_PAID[commune] ?? 0;
    groups.push([
      {
        allocationId: id('DA2', 'central', commune),
        amountVnd: models * MODEL_SUPPORT_VND,
        payee: { name: `Hợp tác xã nông nghiệp ${commune}`, kind: 'cooperative' },
        purpose: `Hỗ trợ mô hình sinh kế giảm nghèo (${models} mô hình)`,
        submittedAt: at(`2024-07-${day}`),
        outputs: { models },
      },
    ]);
  });
  // District-wide production support (DA3) and jobs (DA4), at the district seat.
  groups.push([
    {
      allocationId: id('DA3', 'central', 'A Tiêng'),
      amountVnd: 600_000_000,
      payee: { name: 'Hợp tác xã Dược liệu Tây Giang', kind: 'cooperative' },
      purpose: 'Dự án hỗ trợ phát triển sản xuất chuỗi giá trị ba kích, đảng sâm (2 dự án)',
      submittedAt: at('2024-06-12'),
      outputs: { models: 2 },
    },
    {
      allocationId: id('DA3', 'central', 'A Tiêng'),
      amountVnd: 450_000_000,
      payee: { name: 'Tổ hợp tác chăn nuôi bò A Tiêng', kind: 'cooperative' },
      purpose: 'Dự án hỗ trợ phát triển sản xuất cộng đồng, chăn nuôi bò sinh sản (1 dự án)',
      submittedAt: at('2024-08-20'),
      outputs: { models: 1 },
    },
  ]);
  groups.push([
    {
      allocationId: id('DA4', 'central', 'A Tiêng'),
      amountVnd: 420_000_000,
      payee: { name: 'Trung tâm Giáo dục nghề nghiệp - GDTX huyện Tây Giang', kind: 'agency' },
      purpose: 'Đào tạo nghề và giới thiệu việc làm trong nước (126 lao động)',
      submittedAt: at('2024-05-15'),
      outputs: { workers: 126 },
    },
    {
      allocationId: id('DA4', 'central', 'A Tiêng'),
      amountVnd: 280_000_000,
      payee: { name: 'Công ty CP Hợp tác lao động Việt - Lào', kind: 'agency' },
      purpose: 'Hỗ trợ đưa lao động đi làm việc tại Lào (31 lao động)',
      submittedAt: at('2024-08-05'),
      outputs: { workersAbroad: 31 },
    },
  ]);
  // Requests still waiting on 30/09/2024: two stalled in approval, one recent.
  groups.push([
    {
      allocationId: id('DA5', 'central', 'Dang'),
      amountVnd: 10 * 40_000_000,
      payee: { name: 'UBND xã Dang', kind: 'agency' },
      purpose: 'Hỗ trợ xây mới nhà ở đợt 3 (10 hộ)',
      submittedAt: at('2024-09-10'),
      approvedLevels: 0, // waits at district from 10/09: 20 days on 30/09, critical
    },
  ]);
  groups.push([
    {
      allocationId: id('DA1', 'central', 'A Xan'),
      amountVnd: 300_000_000,
      payee: { name: CONTRACTORS[3] ?? 'Nhà thầu', kind: 'contractor' },
      purpose: 'Thanh toán khối lượng hoàn thành đợt 2, công trình hạ tầng xã A Xan',
      submittedAt: at('2024-09-17'),
      approvedLevels: 1, // district approves on 19/09, then it waits at province: 11 days, a warning
    },
  ]);
  groups.push([
    {
      allocationId: id('DA1', 'local', 'Bha Lê'),
      amountVnd: 60_000_000,
      payee: { name: CONTRACTORS[1] ?? 'Nhà thầu', kind: 'contractor' },
      purpose: 'Thanh toán khối lượng hoàn thành, đường nội thôn Bha Lê',
      submittedAt: at('2024-09-26'),
      approvedLevels: 0, // 4 days on 30/09: not stalled
    },
  ]);
  return numbered(groups.flat());
};

/** Seeds the history over the freshly seeded plan. */
export const seedDemoHistory = async (store: LedgerStore, policies: ApprovalPolicies): Promise<number> => {
  const allocations = await store.listAllocations({
    fiscalYear: DEMO_FISCAL_YEAR,
    jurisdiction: UPGRADE_DEFAULT_JURISDICTION,
  });
  const groups = demoPayments(new Map(allocations.map((a) => [a.id, a.assignedVnd])));
  return payAll(store, policies, TAY_GIANG_STAFF, groups);
};
