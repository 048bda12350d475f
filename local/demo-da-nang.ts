import { placeNamesIn } from '../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../shared/jurisdictions/config/index.ts';
import type { SubscriptionStore } from '../shared/monitoring/app/ports.ts';
import { type ContractPlan, contractPlan } from './demo-contracts.ts';
import {
  at,
  type DemoCounts,
  type DemoDeps,
  demoContract,
  demoStaff,
  numbered,
  type Payment,
  payAll,
  workRequests,
} from './demo-history.ts';
import type { DemoInspector } from './demo-inspectors.ts';
import { seedDemoInspectors } from './demo-inspectors.ts';
import { type DemoPayee, demoHousehold, demoOrganisation, registerDemoPayees } from './demo-payees.ts';
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
/** Houses paid for by 30/09/2026 in the commune of index c (illustrative). */
const housesPaid = (c: number) => 20 + 5 * c;

/**
 * The demo's payees: the two contractors (at the seat), a cooperative per commune, the households
 * housed by 30/09/2026 and Hùng Sơn's household still waiting. Their identifiers follow the Tây Giang
 * demo's (distinct numbers, so none is taken for the same person in both registers).
 */
export const daNangDemoPayees = (): DemoPayee[] => {
  const communes = daNangDemoCommunes();
  const seat = communes[1] ?? communes[0] ?? '';
  const payees: DemoPayee[] = CONTRACTORS.map((name, i) =>
    demoOrganisation(`dn-nha-thau-${i + 1}`, 'contractor', name, seat, 101 + i),
  );
  communes.forEach((commune, c) => {
    payees.push(
      demoOrganisation(
        `dn-htx-${slug(commune)}`,
        'cooperative',
        `Hợp tác xã nông nghiệp ${commune}`,
        commune,
        111 + c,
      ),
    );
    const count = housesPaid(c) + (c === 2 ? 1 : 0);
    for (let i = 0; i < count; i++)
      payees.push(demoHousehold(`dn-ho-${slug(commune)}-${i + 1}`, commune, 10_001 + 100 * c + i));
  });
  return payees;
};

/** The demo's payments up to 30/09/2026, grouped by allocation, with deterministic ids. */
export const daNangDemoPayments = (assigned: ReadonlyMap<string, number>): Payment[][] => {
  const communes = daNangDemoCommunes();
  const payments: Omit<Payment, 'requestId'>[] = [];
  let contractNumber = 0;
  const contractOf = (allocationId: string, c: number, plan: ContractPlan) =>
    demoContract(
      {
        id: `${allocationId}-hd`,
        number: `${String(++contractNumber).padStart(2, '0')}/2026/HĐXD`,
        signedOn: `2026-03-1${c}`,
        payeeId: `dn-nha-thau-${(c % CONTRACTORS.length) + 1}`,
      },
      plan,
    );
  communes.forEach((commune, c) => {
    const shares = COMMUNES_PLAN[c % COMMUNES_PLAN.length]?.da1Disbursed ?? { central: 0.5, local: 0.5 };
    for (const line of ['central', 'local'] as const) {
      const allocationId = id('DA1', line, commune);
      const recovered = c === 0 && line === 'local';
      const plan = contractPlan(millions((assigned.get(allocationId) ?? 0) * shares[line]), {
        ceilingVnd: assigned.get(allocationId) ?? 0,
        recovered,
      });
      const title = `${line === 'central' ? 'đường giao thông' : 'nhà văn hóa thôn'} xã ${commune}`;
      payments.push(
        ...workRequests({
          allocationId,
          contract: contractOf(allocationId, c, plan),
          plan,
          title,
          dates: [at(`2026-04-1${c}`), at(`2026-0${5 + c}-1${c}`), at(`2026-08-2${c}`)],
          // The commune rejects a further payment of Tây Giang's (the works were not accepted yet).
          ...(c === 1 && line === 'local'
            ? {
                more: [
                  {
                    grossVnd: 150_000_000,
                    submittedAt: at('2026-08-18'),
                    purpose: `Thanh toán khối lượng đợt 2, ${title}`,
                    approvedLevels: 0,
                    rejected: true,
                  },
                ],
              }
            : {}),
        }),
      );
    }
    // Housing: one request per household of the register, each housed once.
    for (let i = 0; i < housesPaid(c); i++) {
      payments.push({
        allocationId: id('DA5', 'central', commune),
        amountVnd: HOUSE_SUPPORT_VND,
        payeeId: `dn-ho-${slug(commune)}-${i + 1}`,
        payeeKind: 'household',
        purpose: 'Hỗ trợ xây mới nhà ở cho hộ nghèo (1 nhà)',
        submittedAt: new Date(at(`2026-06-0${2 + c}`).getTime() + 2 * i * 86_400_000),
      });
    }
  });
  const [avuong = '', tayGiang = '', hungSon = ''] = communes;
  const boardId = id('DA1', 'central', tayGiang, 'project-board');
  const boardPlan = contractPlan(4_800_000_000, { ceilingVnd: assigned.get(boardId) ?? 0 });
  payments.push(
    ...workRequests({
      allocationId: boardId,
      contract: contractOf(boardId, 1, boardPlan),
      plan: boardPlan,
      title: 'đường liên xã Avương – Tây Giang – Hùng Sơn',
      dates: [at('2026-04-20'), at('2026-06-15')],
    }),
    {
      // Waits at the commune from 10/09: 20 days on 30/09, critical.
      allocationId: id('DA5', 'central', hungSon),
      amountVnd: HOUSE_SUPPORT_VND,
      payeeId: `dn-ho-${slug(hungSon)}-${housesPaid(2) + 1}`,
      payeeKind: 'household',
      purpose: 'Hỗ trợ xây mới nhà ở cho hộ nghèo, đợt 2 (1 nhà)',
      submittedAt: at('2026-09-10'),
      approvedLevels: 0,
    },
    {
      // The commune approves on 23/09; it then waits at the Treasury.
      allocationId: id('DA2', 'central', avuong),
      amountVnd: 400_000_000,
      payeeId: `dn-htx-${slug(avuong)}`,
      payeeKind: 'cooperative',
      purpose: 'Hỗ trợ mô hình chăn nuôi bò sinh sản (2 mô hình)',
      submittedAt: at('2026-09-21'),
      approvedLevels: 1,
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
  deps: DemoDeps,
  subscriptions: SubscriptionStore,
  /** When its plan is recorded: early in its year, before its history's first request. */
  now = new Date('2026-01-05T09:00:00+07:00'),
): Promise<(DemoCounts & { allocations: number; inspectors: number }) | undefined> => {
  const { store } = deps;
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
  const staff = demoStaff('danang.gov.vn', DA_NANG);
  const payees = await registerDemoPayees(
    { payees: deps.payees, now: () => at('2026-01-15') },
    staff.finance,
    daNangDemoPayees(),
  );
  const counts = await payAll(deps, staff, daNangDemoPayments(assigned));
  const inspectors = await seedDemoInspectors(subscriptions, now, DA_NANG_INSPECTORS);
  return { allocations, payees, ...counts, inspectors };
};
