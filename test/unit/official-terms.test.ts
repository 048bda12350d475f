import { describe, expect, it } from 'vitest';
import { LEDGER_CSV_HEADERS_VI } from '../../shared/audit/presentation/ledger-csv.ts';
import { ALLOCATION_COLUMNS, REQUEST_COLUMNS } from '../../shared/imports/domain/import-columns.ts';
import { JURISDICTIONS } from '../../shared/jurisdictions/config/index.ts';
import { placeNames } from '../../shared/jurisdictions/domain/place-names.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import { emailContextFromConfig } from '../../shared/monitoring/adapters/from-env.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { toAlert } from '../../shared/monitoring/domain/alert.ts';
import type { Finding } from '../../shared/monitoring/domain/lag-detector.ts';
import { policyFor } from '../../shared/monitoring/domain/monitoring-policy.ts';
import { measureProgress } from '../../shared/monitoring/domain/progress.ts';
import { renderAlertEmail } from '../../shared/monitoring/presentation/alert-email.ts';
import { replacedVariants, TERMS } from '../../shared/platform/glossary/glossary.ts';
import programme from '../../shared/reports/config/programme-projects.json' with { type: 'json' };
import { disbursementReport } from '../../shared/reports/domain/disbursement-report.ts';
import { detailTable, summaryTable } from '../../shared/reports/presentation/report-table.ts';
import { anAllocation } from './support/domain-fixtures.ts';

/** One piece of text a person reads, and where it comes from. */
interface Shown {
  where: string;
  text: string;
}

/** The dashboard's messages (error messages too), loaded by path: the root type check has no DOM, which i18n.ts refers to. */
const I18N_MODULE = '../../web/src/i18n.ts';
const { t } = (await import(I18N_MODULE)) as { t: () => Record<string, unknown> };

const dashboardStrings = (): Shown[] => {
  const walk = (value: unknown, path: string): Shown[] =>
    typeof value === 'string'
      ? [{ where: `web/src/i18n.ts ${path}`, text: value }]
      : typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([k, v]) => walk(v, `${path}.${k}`))
        : [];
  return walk(t(), 'vi');
};

const LINKS = { dashboard: 'https://dashboard.test/#/alerts/a', acknowledge: 'https://api.test/ack?token=t' };

const lagFinding = (capitalType: 'investment' | 'recurrent'): Finding => ({
  kind: 'lag',
  severity: 'warning',
  fiscalYear: 2024,
  day: '2024-09-30',
  scope: { level: 'commune', capitalType, commune: 'A Tiêng', fundingLine: 'central' },
  progress: {
    assignedVnd: 4_200_000_000,
    reservedVnd: 10_000_000,
    disbursedVnd: 1_344_000_000,
    ratePercent: 32,
    expectedPercent: 60,
    lagPoints: 28,
  },
  laggingAllocations: [
    {
      allocationId: 'a-1',
      capitalType,
      fundingLine: 'community',
      commune: 'A Tiêng',
      component: 'DA1',
      title: 'Đường nội thôn',
      assignedVnd: 4_200_000_000,
      disbursedVnd: 1_344_000_000,
      ratePercent: 32,
      lagPoints: 28,
    },
  ],
  stalledRequests: [],
  stalledTotal: 0,
});

const stalledFinding = (): Finding => ({
  ...lagFinding('investment'),
  kind: 'stalled',
  severity: 'critical',
  progress: undefined,
  laggingAllocations: [],
  stalledRequests: [
    {
      requestId: 'r1',
      allocationId: 'a-1',
      capitalType: 'investment',
      fundingLine: 'provincial',
      commune: 'Dang',
      component: 'DA5',
      amountVnd: 400_000_000,
      payeeName: 'Hộ ông A',
      purpose: 'Hỗ trợ nhà ở',
      level: 'commune',
      pendingSince: '2024-09-10T02:00:00Z',
      waitingDays: 20,
      severity: 'critical',
    },
  ],
  stalledTotal: 1,
});

/** The alert e-mails of every kind that renders from figures alone, in each jurisdiction. */
const emails = (): Shown[] =>
  JURISDICTIONS.flatMap((j) => {
    const ctx = emailContextFromConfig()(j.id, '2024-09-30', 2024);
    return [lagFinding('investment'), lagFinding('recurrent'), stalledFinding()].flatMap((f) => {
      const email = renderAlertEmail(toAlert(f, '2024-09-30T00:00:00Z'), ctx, LINKS);
      const where = `shared/monitoring/presentation/alert-email.ts (${f.kind} e-mail, ${j.id})`;
      return [
        { where, text: email.subject },
        { where, text: email.text },
      ];
    });
  });

const csvHeaders = (): Shown[] =>
  Object.entries(LEDGER_CSV_HEADERS_VI).map(([k, text]) => ({
    where: `shared/audit/presentation/ledger-csv.ts ${k}`,
    text,
  }));

/** What a template shows: headers, hints and examples (accepted aliases are not shown, and may keep old words). */
const templateText = (): Shown[] =>
  [...ALLOCATION_COLUMNS, ...REQUEST_COLUMNS].flatMap((c) =>
    [c.header, c.hint ?? '', ...(c.examples ?? []).map(String)].map((text) => ({
      where: `shared/imports/domain/import-columns.ts ${c.field}`,
      text,
    })),
  );

const reportText = (): Shown[] => {
  const jurisdiction = JURISDICTIONS[0];
  if (!jurisdiction) throw new Error('no jurisdiction');
  const policy = policyFor(monitoringConfig, 2024, jurisdiction.id);
  const plan: Allocation[] = [
    anAllocation({ id: 'a-1', component: 'DA1', commune: 'A Tiêng', assignedVnd: 1_000, disbursedVnd: 400 }),
    anAllocation({
      id: 'a-2',
      component: 'DA5',
      fundingLine: 'community',
      assignedVnd: 500,
      disbursedVnd: 0,
    }),
  ];
  const output = {
    report: disbursementReport({
      fiscalYear: 2024,
      asOf: '2024-10-01',
      rows: measureProgress(plan, policy, 2024, '2024-10-01', ['allocation']),
      yearEndRates: null,
    }),
    places: placeNames(jurisdiction, '2024-10-01'),
    problems: [],
  };
  return [summaryTable(output, { projects: programme.projects }), detailTable(output)].flatMap((table) =>
    JSON.stringify(table)
      .split('"')
      .map((text) => ({ where: 'shared/reports/presentation/report-table.ts', text })),
  );
};

/** Each replaced variant found in user-facing text, as `where: "variant" (use "term")`. */
const variantsIn = (shown: Shown[]): string[] =>
  shown.flatMap(({ where, text }) =>
    replacedVariants()
      .filter(({ variant }) => text.toLocaleLowerCase('vi').includes(variant.toLocaleLowerCase('vi')))
      .map(({ variant, term }) => `${where}: "${variant}" (use "${term}")`),
  );

describe('one official term per concept, from the glossary', () => {
  it('gives every term a source, and says when the wording is our own', () => {
    for (const entry of Object.values(TERMS)) {
      expect(entry.source.document.length).toBeGreaterThan(10);
      expect(typeof entry.source.illustrative).toBe('boolean');
      expect(entry.replaces).not.toContain(entry.vi);
    }
  });

  it('finds the text it checks in every place a person reads', () => {
    expect(dashboardStrings().length).toBeGreaterThan(200);
    expect(emails().length).toBe(JURISDICTIONS.length * 6);
    expect(csvHeaders().map((s) => s.text)).toContain('Đơn vị thụ hưởng');
    expect(templateText().map((s) => s.text)).toContain('Năm kế hoạch');
    expect(reportText().some((s) => s.text.includes('Năm kế hoạch 2024'))).toBe(true);
  });

  it('catches a replaced variant, naming the place and the term to use', () => {
    expect(variantsIn([{ where: 'x.ts', text: 'Năm ngân sách 2024' }])).toEqual([
      'x.ts: "Năm ngân sách" (use "Năm kế hoạch")',
    ]);
  });

  it.each([
    ['the dashboard', dashboardStrings],
    ['the alert e-mails', emails],
    ['the ledger CSV headers', csvHeaders],
    ['the import templates', templateText],
    ['the report tables', reportText],
  ])('leaves no replaced variant in %s', (_, shown) => {
    expect(variantsIn(shown())).toEqual([]);
  });
});
