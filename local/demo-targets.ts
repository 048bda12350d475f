import { UPGRADE_DEFAULT_JURISDICTION } from '../shared/platform/tenancy.ts';
import type { OutputCatalogue, TargetStore } from '../shared/targets/app/ports.ts';
import { defineIndicator, type IndicatorDefinition } from '../shared/targets/app/targets.ts';
import { declaredOutputKeys, indicatorId } from '../shared/targets/domain/plan-target.ts';
import { DEMO_FISCAL_YEAR } from './demo-plan.ts';

/** The kinds of infrastructure work of the plan's fourth target, with illustrative targets (the plan gives none). */
const WORK_TYPES = [
  { code: 'worksRoad', vi: 'Đường giao thông', en: 'Roads', min: 16 },
  { code: 'worksSchool', vi: 'Trường học', en: 'Schools', min: 6 },
  { code: 'worksClinic', vi: 'Cơ sở y tế', en: 'Clinics', min: 3 },
  { code: 'worksIrrigation', vi: 'Công trình thủy lợi', en: 'Irrigation works', min: 7 },
  { code: 'worksBridge', vi: 'Cầu', en: 'Bridges', min: 4 },
  { code: 'worksPower', vi: 'Hạ tầng điện', en: 'Power lines', min: 4 },
] as const;

/**
 * The six targets of Tây Giang's 2024 sustainable poverty-reduction plan (DESIGN §1, the plan text in
 * the seed folder). The plan gives figures for households (270–330), investment capital (100%),
 * workers (from 300, of which 50 or more in Laos) and houses (451); for models and works it gives
 * none, so 25 models and 40 works (by type above) are illustrative, as the README says.
 */
export const demoIndicators = (): [string, IndicatorDefinition][] => [
  [
    'poorHouseholds',
    {
      order: 1,
      name: { vi: 'Giảm số hộ nghèo', en: 'Fewer poor households' },
      unit: { vi: 'hộ', en: 'households' },
      target: { min: 270, max: 330 },
      source: 'measurements',
    },
  ],
  [
    'investmentDisbursed',
    {
      order: 2,
      name: {
        vi: 'Giải ngân vốn đầu tư công so với kế hoạch giao',
        en: 'Public-investment capital disbursed against the assigned plan',
      },
      unit: { vi: '%', en: '%' },
      target: { min: 100, max: 100 },
      source: 'disbursement',
    },
  ],
  [
    'models',
    {
      order: 3,
      name: {
        vi: 'Mô hình giảm nghèo, dự án hỗ trợ phát triển sản xuất, khởi nghiệp được hỗ trợ',
        en: 'Poverty-reduction models, production and start-up projects supported',
      },
      unit: { vi: 'mô hình, dự án', en: 'models and projects' },
      target: { min: 25 },
      source: 'outputs',
      outputKeys: ['models'],
    },
  ],
  [
    'works',
    {
      order: 4,
      name: { vi: 'Công trình hạ tầng kinh tế - xã hội', en: 'Infrastructure works built' },
      unit: { vi: 'công trình', en: 'works' },
      target: { min: WORK_TYPES.reduce((sum, w) => sum + w.min, 0) },
      source: 'outputs',
      outputKeys: WORK_TYPES.map((w) => w.code),
      breakdown: WORK_TYPES.map((w) => ({
        code: w.code,
        name: { vi: w.vi, en: w.en },
        outputKeys: [w.code],
        target: { min: w.min },
      })),
    },
  ],
  [
    'workers',
    {
      order: 5,
      name: {
        vi: 'Lao động được hỗ trợ tìm việc làm bền vững',
        en: 'Workers placed in sustainable jobs',
      },
      unit: { vi: 'lao động', en: 'workers' },
      target: { min: 300 },
      source: 'outputs',
      // Each worker is declared once: `workers` for a job at home, `workersAbroad` for one in Laos.
      outputKeys: ['workers', 'workersAbroad'],
      breakdown: [
        {
          code: 'workersAbroad',
          name: { vi: 'Trong đó đi làm việc tại Lào', en: 'Of whom working in Laos' },
          outputKeys: ['workersAbroad'],
          target: { min: 50 },
        },
      ],
    },
  ],
  [
    'houses',
    {
      order: 6,
      name: {
        vi: 'Nhà ở an toàn cho hộ nghèo, hộ cận nghèo',
        en: 'Safe houses for poor and near-poor households',
      },
      unit: { vi: 'căn', en: 'houses' },
      target: { min: 451, max: 451 },
      source: 'outputs',
      outputKeys: ['houses'],
    },
  ],
];

/** The output keys the demo plan's indicators declare (houses, models, workers, works…), for its seeded requests and tests. */
export const demoOutputCatalogue: OutputCatalogue = {
  declaredOutputKeys: async () => declaredOutputKeys(demoIndicators().map(([, definition]) => definition)),
};

/** Seeds the demo year's indicators when it has none; returns how many it wrote. */
export const seedDemoTargets = async (targets: TargetStore, now = new Date()): Promise<number> => {
  if ((await targets.listIndicators(UPGRADE_DEFAULT_JURISDICTION, DEMO_FISCAL_YEAR)).length > 0) return 0;
  // A planner without a jurisdiction claim: the upgrade default's, Tây Giang's plan.
  const planner = { sub: 'seed-planner', groups: ['planner'] };
  const indicators = demoIndicators();
  for (const [code, definition] of indicators) {
    await defineIndicator(
      { targets, now: () => now, newId: () => code },
      planner,
      indicatorId(DEMO_FISCAL_YEAR, code),
      definition,
    );
  }
  return indicators.length;
};
