import { placeNamesIn } from '../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../shared/jurisdictions/config/index.ts';
import type { LedgerStore } from '../shared/ledger/app/ports.ts';
import type { ApprovalPolicies } from '../shared/ledger/domain/approval-policy.ts';
import type { SubscriptionStore } from '../shared/monitoring/app/ports.ts';
import { at, demoStaff, numbered, type Payment, payAll } from './demo-history.ts';
import type { DemoInspector } from './demo-inspectors.ts';
import { seedDemoInspectors } from './demo-inspectors.ts';
import { createDemoAllocations, type DemoAllocation, slug } from './demo-plan.ts';

/**
 * The second demo: Đà Nẵng city (two tiers since 1/7/2025) and an ILLUSTRATIVE 2026 plan for the three
 * communes that replaced Tây Giang district (Avương, Tây Giang, Hùng Sơn). Every amount, payment and
 * date here is made up to show the two-tier chains (commune → treasury; a project board's city →
 * treasury), not taken from any official plan. Its history up to 30/09/2026 leaves Hùng Sơn's
 * infrastructure far behind (critical), Tây Giang's behind (warning), Avương on track, and requests
 * waiting, rejected and paid.
 */
export const DA_NANG = 'da-nang';
export const DA_NANG_DEMO_YEAR = 2026;

/** Per commune (in the file's order): DA1 central investment and houses under DA5, illustrative. */
const COMMUNES_PLAN = [
  { infraMillions: 9_800, houses: 60, da1Disbursed: { central: 0.64, local: 0.6 } },
  { infraMillions: 12_500, houses: 75, da1Disbursed: { central: 0.46, local: 0.42 } },
  { infraMillions: 11_200, houses: 68, da1Disbursed: { central: 0.22, local: 0.28 } },
];
const HOUSE_SUPPORT_VND = 60_000_000;
const COMMUNITY_PER_HOUSE_VND = 6_000_000;
const LIVELIHOOD_VND = 1_200_000_000;

const id = (component: string, line: string, commune: string, investor = '') =>
  `${DA_NANG}-${DA_NANG_DEMO_YEAR}-${component.toLowerCase()}-${line}-${slug(commune)}${investor ? `-${investor}` : ''}`;

/** The communes of the demo, as named on the last day of its fiscal year. */
export const daNangDemoCommunes = (): readonly string[] =>
  placeNamesIn(jurisdictionCatalog, DA_NANG, `${DA_NANG_DEMO_YEAR}-12-31`).communes;

/** The Đà Nẵng 2026 demo plan: five allocations per commune over three funding lines, and a project board's road. */
export const daNangDemoAllocations = (): DemoAllocation[] => {
  const communes = daNangDemoCommunes();
  const out: DemoAllocation[] = [];
  communes.forEach((commune, i) => {
    const plan = COMMUNES_PLAN[i % COMMUNES_PLAN.length] ?? { infraMillions: 10_000, houses: 60 };
    const infra = plan.infraMillions * 1_000_000;
    const base = { commune, investor: 'commune' as const };
    out.push(
      {
        id: id('DA1', 'central', commune),
        ...base,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        title: `Hạ tầng thiết yếu xã ${commune}`,
        amountVnd: infra,
      },
      {
        id: id('DA1', 'local', commune),
        ...base,
        fundingLine: 'local',
        capitalType: 'investment',
        component: 'DA1',
        title: `Vốn đối ứng thành phố — hạ tầng xã ${commune}`,
        amountVnd: infra / 10,
      },
      {
        id: id('DA2', 'central', commune),
        ...base,
        fundingLine: 'central',
        capitalType: 'recurrent',
        component: 'DA2',
        title: `Đa dạng hóa sinh kế, mô hình giảm nghèo xã ${commune}`,
        amountVnd: LIVELIHOOD_VND,
      },
      {
        id: id('DA5', 'central', commune),
        ...base,
        fundingLine: 'central',
        capitalType: 'recurrent',
        component: 'DA5',
        title: `Hỗ trợ nhà ở (${plan.houses} nhà) xã ${commune}`,
        amountVnd: plan.houses * HOUSE_SUPPORT_VND,
      },
      {
        id: id('DA5', 'community', commune),
        ...base,
        fundingLine: 'community',
        capitalType: 'recurrent',
        component: 'DA5',
        title: `Đóng góp cộng đồng — nhà ở xã ${commune}`,
        amountVnd: plan.houses * COMMUNITY_PER_HOUSE_VND,
      },
    );
  });
  const seat = communes[1] ?? communes[0] ?? '';
  out.push({
    id: id('DA1', 'central', seat, 'project-board'),
    commune: seat,
    investor: 'project-board',
    fundingLine: 'central',
    capitalType: 'investment',
    component: 'DA1',
    title: 'Đường liên xã Avương – Tây Giang – Hùng Sơn (Ban quản lý dự án thành phố)',
    amountVnd: 9_000_000_000,
  });
  return out;
};

const CONTRACTORS = ['Công ty TNHH Xây dựng Trường Sơn', 'Công ty CP Giao thông Đà Nẵng'];
const millions = (vnd: number) => Math.round(vnd / 1_000_000) * 1_000_000;

/** The demo's payments up to 30/09/2026, grouped by allocation, with deterministic ids. */
export const daNangDemoPayments = (assigned: ReadonlyMap<string, number>): Payment[][] => {
  const communes = daNangDemoCommunes();
  const payments: Omit<Payment, 'requestId'>[] = [];
  communes.forEach((commune, c) => {
    const shares = COMMUNES_PLAN[c % COMMUNES_PLAN.length]?.da1Disbursed ?? { central: 0.5, local: 0.5 };
    for (const line of ['central', 'local'] as const) {
      const allocationId = id('DA1', line, commune);
      payments.push({
        allocationId,
        amountVnd: millions((assigned.get(allocationId) ?? 0) * shares[line]),
        payee: { name: CONTRACTORS[c % CONTRACTORS.length] ?? 'Nhà thầu', kind: 'contractor' },
        purpose: `Thanh toán khối lượng hoàn thành, công trình hạ tầng xã ${commune}`,
        submittedAt: at(`2026-0${5 + c}-1${c}`),
      });
    }
    payments.push({
      allocationId: id('DA5', 'central', commune),
      amountVnd: (20 + 5 * c) * HOUSE_SUPPORT_VND,
      payee: { name: `UBND xã ${commune}`, kind: 'agency' },
      purpose: `Hỗ trợ xây mới nhà ở (${20 + 5 * c} hộ)`,
      submittedAt: at(`2026-07-0${2 + c}`),
    });
  });
  const [avuong = '', tayGiang = '', hungSon = ''] = communes;
  payments.push(
    {
      allocationId: id('DA1', 'central', tayGiang, 'project-board'),
      amountVnd: 4_800_000_000,
      payee: { name: CONTRACTORS[1] ?? 'Nhà thầu', kind: 'contractor' },
      purpose: 'Thanh toán khối lượng hoàn thành đợt 1, đường liên xã',
      submittedAt: at('2026-06-15'),
    },
    {
      // Waits at the commune from 10/09: 20 days on 30/09, critical.
      allocationId: id('DA5', 'central', hungSon),
      amountVnd: 8 * HOUSE_SUPPORT_VND,
      payee: { name: `UBND xã ${hungSon}`, kind: 'agency' },
      purpose: 'Hỗ trợ xây mới nhà ở đợt 2 (8 hộ)',
      submittedAt: at('2026-09-10'),
      approvedLevels: 0,
    },
    {
      // The commune approves on 23/09; it then waits at the Treasury.
      allocationId: id('DA2', 'central', avuong),
      amountVnd: 400_000_000,
      payee: { name: `Hợp tác xã nông nghiệp ${avuong}`, kind: 'cooperative' },
      purpose: 'Hỗ trợ mô hình chăn nuôi bò sinh sản (2 mô hình)',
      submittedAt: at('2026-09-21'),
      approvedLevels: 1,
    },
    {
      // The commune rejects it (the works were not accepted yet): nothing is paid.
      allocationId: id('DA1', 'local', tayGiang),
      amountVnd: 150_000_000,
      payee: { name: CONTRACTORS[0] ?? 'Nhà thầu', kind: 'contractor' },
      purpose: 'Thanh toán khối lượng đợt 2, nhà văn hóa thôn',
      submittedAt: at('2026-08-18'),
      approvedLevels: 0,
      rejected: true,
    },
  );
  return numbered(payments);
};

/** The Đà Nẵng demo's inspectors: one watching the whole city, one Hùng Sơn commune. */
export const DA_NANG_INSPECTORS: DemoInspector[] = [
  {
    actor: { sub: 'thanh-tra-thanh-pho', groups: ['inspector'], jurisdiction: DA_NANG },
    email: 'thanhtra@danang.gov.vn',
    scope: {},
  },
  {
    actor: { sub: 'giam-sat-hung-son', groups: ['inspector'], jurisdiction: DA_NANG, commune: 'Hùng Sơn' },
    email: 'giamsat.hungson@danang.gov.vn',
    scope: { commune: 'Hùng Sơn' },
  },
];

/**
 * Seeds the Đà Nẵng demo (plan, history, inspectors) when the store holds none of its allocations of
 * 2026, so a data folder seeded before it existed gets it too; answers what it wrote, or undefined.
 */
export const seedDaNangDemo = async (
  store: LedgerStore,
  subscriptions: SubscriptionStore,
  policies: ApprovalPolicies,
  now = new Date(),
): Promise<{ allocations: number; payments: number; inspectors: number } | undefined> => {
  const filter = { fiscalYear: DA_NANG_DEMO_YEAR, jurisdiction: DA_NANG };
  if ((await store.listAllocations(filter)).length > 0) return undefined;
  const planner = { sub: 'seed-planner', groups: ['planner'], jurisdiction: DA_NANG };
  const allocations = await createDemoAllocations(
    store,
    planner,
    DA_NANG_DEMO_YEAR,
    daNangDemoAllocations(),
    now,
  );
  const assigned = new Map((await store.listAllocations(filter)).map((a) => [a.id, a.assignedVnd]));
  const payments = await payAll(
    store,
    policies,
    demoStaff('danang.gov.vn', DA_NANG),
    daNangDemoPayments(assigned),
  );
  const inspectors = await seedDemoInspectors(subscriptions, now, DA_NANG_INSPECTORS);
  return { allocations, payments, inspectors };
};
