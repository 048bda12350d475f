import { placeNamesIn } from '../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../shared/jurisdictions/config/index.ts';
import { createAllocation, type NewAllocation } from '../shared/ledger/app/allocations.ts';
import type { LedgerStore } from '../shared/ledger/app/ports.ts';
import type { Actor } from '../shared/platform/access.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../shared/platform/tenancy.ts';
import { demoBudgetCodes } from './demo-budget-codes.ts';

/**
 * The Tây Giang 2024 sustainable poverty-reduction plan, as demo data. Amounts are illustrative,
 * shaped by public reporting (DESIGN §7), not official figures.
 */
export const DEMO_FISCAL_YEAR = 2024;

/** Houses per commune under DA5: 451 in all, the plan's target. */
const HOUSES: Record<string, number> = {
  'A Nông': 52,
  'A Tiêng': 38,
  'A Vương': 47,
  'A Xan': 41,
  'Bha Lê': 55,
  "Ch'ơm": 44,
  Dang: 39,
  'Ga Ri': 46,
  Lăng: 48,
  "Tr'Hy": 41,
};
/** DA1 central investment per commune, in millions of VND. */
const INFRASTRUCTURE_MILLIONS = [3_600, 4_200, 2_900, 3_300, 4_800, 2_700, 3_100, 2_500, 3_900, 2_400];
const HOUSE_SUPPORT_VND = 40_000_000;
const COMMUNITY_CONTRIBUTION_PER_HOUSE_VND = 5_000_000;
/** The district seat carries district-wide components. */
const DISTRICT_SEAT = 'A Tiêng';

export type DemoAllocation = Omit<NewAllocation, 'fiscalYear'> & { id: string };

/** ASCII slug of a Vietnamese name, for readable ids: "Ch'ơm" → "chom". */
export const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const roundThousand = (n: number) => Math.round(n / 1000) * 1000;

/** The demo plan's allocations; the provincial counterpart is `ratio` × central (roughly 10–12% in Quảng Nam). */
export const demoAllocations = (provincialRatio: number): DemoAllocation[] => {
  const out: DemoAllocation[] = [];
  const add = (a: Omit<DemoAllocation, 'id'>) =>
    out.push({
      id: `${DEMO_FISCAL_YEAR}-${a.component.toLowerCase()}-${a.fundingLine}-${slug(a.commune)}`,
      ...a,
    });
  placeNamesIn(jurisdictionCatalog, 'tay-giang').communes.forEach((commune, i) => {
    const infra = (INFRASTRUCTURE_MILLIONS[i % INFRASTRUCTURE_MILLIONS.length] ?? 3_000) * 1_000_000;
    add({
      fundingLine: 'central',
      capitalType: 'investment',
      component: 'DA1',
      commune,
      title: `Hạ tầng thiết yếu xã ${commune}`,
      amountVnd: infra,
    });
    add({
      fundingLine: 'provincial',
      capitalType: 'investment',
      component: 'DA1',
      commune,
      title: `Vốn đối ứng tỉnh — hạ tầng xã ${commune}`,
      amountVnd: roundThousand(infra * provincialRatio),
    });
    add({
      fundingLine: 'local',
      capitalType: 'investment',
      component: 'DA1',
      commune,
      title: `Vốn đối ứng huyện — hạ tầng xã ${commune}`,
      amountVnd: roundThousand(infra * 0.05),
    });
    // DA2: about 8 billion in all, of which about 7.2 billion central.
    add({
      fundingLine: 'central',
      capitalType: 'recurrent',
      component: 'DA2',
      commune,
      title: `Đa dạng hóa sinh kế, mô hình giảm nghèo xã ${commune}`,
      amountVnd: 720_000_000,
    });
    add({
      fundingLine: 'provincial',
      capitalType: 'recurrent',
      component: 'DA2',
      commune,
      title: `Ngân sách tỉnh — sinh kế xã ${commune}`,
      amountVnd: roundThousand(720_000_000 * provincialRatio),
    });
    const houses = HOUSES[commune] ?? 40;
    add({
      fundingLine: 'central',
      capitalType: 'recurrent',
      component: 'DA5',
      commune,
      title: `Hỗ trợ nhà ở (${houses} nhà) xã ${commune}`,
      amountVnd: houses * HOUSE_SUPPORT_VND,
    });
    add({
      fundingLine: 'community',
      capitalType: 'recurrent',
      component: 'DA5',
      commune,
      title: `Đóng góp cộng đồng — nhà ở xã ${commune}`,
      amountVnd: houses * COMMUNITY_CONTRIBUTION_PER_HOUSE_VND,
    });
  });
  add({
    fundingLine: 'central',
    capitalType: 'recurrent',
    component: 'DA3',
    commune: DISTRICT_SEAT,
    title: 'Hỗ trợ phát triển sản xuất toàn huyện',
    amountVnd: 2_400_000_000,
  });
  add({
    fundingLine: 'central',
    capitalType: 'recurrent',
    component: 'DA4',
    commune: DISTRICT_SEAT,
    title: 'Đào tạo nghề, việc làm bền vững (300 lao động, 50 tại Lào)',
    amountVnd: 1_500_000_000,
  });
  add({
    fundingLine: 'central',
    capitalType: 'recurrent',
    component: 'DA6',
    commune: DISTRICT_SEAT,
    title: 'Truyền thông và giảm nghèo về thông tin',
    amountVnd: 300_000_000,
  });
  add({
    fundingLine: 'central',
    capitalType: 'recurrent',
    component: 'DA7',
    commune: DISTRICT_SEAT,
    title: 'Nâng cao năng lực, giám sát, đánh giá',
    amountVnd: 450_000_000,
  });
  return out;
};

/** Records a demo's allocations of a year as its planner, with their own ids. */
export const createDemoAllocations = async (
  store: LedgerStore,
  planner: Actor,
  fiscalYear: number,
  plan: DemoAllocation[],
  now: Date,
): Promise<number> => {
  for (const [index, { id, ...input }] of plan.entries()) {
    const budgetCodes = input.budgetCodes ?? demoBudgetCodes(input, index);
    await createAllocation({ store, now: () => now, newId: () => id }, planner, {
      fiscalYear,
      ...input,
      ...(budgetCodes ? { budgetCodes } : {}),
    });
  }
  return plan.length;
};

/**
 * Seeds the demo plan when the store holds no allocation of the demo year; returns how many it wrote.
 * Recorded on 05/01/2024 (the plan assigned early in its year), before its history's first request:
 * what reads a year's requests from its allocations' creation on (GET /forecasts) finds them all.
 */
export const seedDemoPlan = async (
  store: LedgerStore,
  provincialRatio: number,
  now = new Date('2024-01-05T09:00:00+07:00'),
): Promise<number> => {
  const existing = await store.listAllocations({
    fiscalYear: DEMO_FISCAL_YEAR,
    jurisdiction: UPGRADE_DEFAULT_JURISDICTION,
  });
  if (existing.length > 0) return 0;
  const planner = { sub: 'seed-planner', groups: ['planner'] };
  return createDemoAllocations(store, planner, DEMO_FISCAL_YEAR, demoAllocations(provincialRatio), now);
};
