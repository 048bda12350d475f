import { demoPayees, demoPayments } from '../../local/demo-history.ts';
import { DEMO_FISCAL_YEAR, demoAllocations } from '../../local/demo-plan.ts';
import { approvalChainFor, DEFAULT_INVESTOR } from '../../shared/ledger/domain/approval-policy.ts';
import { cashOutVnd } from '../../shared/ledger/domain/contract.ts';
import { defaultDeadline } from '../../shared/ledger/domain/disbursement-deadline.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { curvesFor } from '../../shared/monitoring/domain/expected-curve.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import type { BacktestCase, HistoryPayment } from './backtest.ts';

/** The provincial counterpart ratio `npm start` seeds with (local/runtime.ts). */
const DEMO_PROVINCIAL_RATIO = 0.11;

/**
 * The Tây Giang 2024 demo's allocations and their history, built in memory from the demo's own
 * generation (local/demo-plan.ts, local/demo-history.ts) with no server: each request is paid on the
 * day of its last approval (the demo decides each level two days after the one before, from its
 * submission), pending where the demo leaves it waiting, released on a rejection's day.
 */
export const demoCases = (): BacktestCase[] => {
  const jurisdiction = UPGRADE_DEFAULT_JURISDICTION;
  const allocations = demoAllocations(DEMO_PROVINCIAL_RATIO);
  const byId = new Map(allocations.map((a) => [a.id, a]));
  const { households } = demoPayees();
  const payments = demoPayments(new Map(allocations.map((a) => [a.id, a.amountVnd])), households).flat();
  const curves = curvesFor(monitoringConfig.curves, jurisdiction, DEMO_FISCAL_YEAR);
  return allocations.map((a): BacktestCase => {
    const history = payments
      .filter((p) => p.allocationId === a.id)
      .map((p): HistoryPayment => {
        const chain = approvalChainFor(approvalPolicies, {
          jurisdiction,
          fiscalYear: DEMO_FISCAL_YEAR,
          fundingLine: a.fundingLine,
          investor: a.investor ?? DEFAULT_INVESTOR,
          amountVnd: p.amountVnd,
        });
        const approved = p.approvedLevels ?? chain.length;
        const decidedOn = (levels: number) =>
          vnDateOf(new Date(p.submittedAt.getTime() + 2 * levels * 86_400_000));
        const amountVnd = cashOutVnd({
          kind: p.kind ?? 'direct',
          amountVnd: p.amountVnd,
          recoveryVnd: p.recoveryVnd,
        });
        return {
          submittedOn: vnDateOf(p.submittedAt),
          amountVnd,
          ...(p.rejected ? { rejectedOn: decidedOn(approved + 1) } : {}),
          ...(!p.rejected && approved >= chain.length ? { postedOn: decidedOn(chain.length) } : {}),
        };
      });
    return {
      id: a.id,
      group: 'demo',
      fiscalYear: DEMO_FISCAL_YEAR,
      assignedVnd: byId.get(a.id)?.amountVnd ?? 0,
      payments: history,
      pastYears: [],
      curve: curves[a.capitalType],
      deadline: defaultDeadline(deadlineRules, { fiscalYear: DEMO_FISCAL_YEAR, capitalType: a.capitalType }),
    };
  });
};
