import { formatPercent, formatVnd } from '../../platform/format/vnd-format.ts';
import { daysBetween } from '../../platform/vn-calendar.ts';
import type { IntegrityCase, IntegrityFacts, IntegrityRuleId } from '../domain/integrity/integrity-case.ts';

/**
 * Why an integrity rule fired, in Vietnamese for inspectors, written from the facts the rule found
 * (shared/monitoring/domain/integrity/): the monitor stores it with the alert, so the e-mail and
 * GET /alerts say the same words. One function per rule.
 */

/** The requests' distinct values of a field, in order of first mention. */
const distinct = (facts: IntegrityFacts, field: 'payeeName' | 'commune'): string[] => [
  ...new Set(facts.requests.map((r) => r[field])),
];

/** Splitting: how many parts, to whom, over how many days, each under which threshold, and the level a single request would add. */
export const explainSplitting = (facts: IntegrityFacts): string => {
  const first = facts.requests[0];
  const last = facts.requests[facts.requests.length - 1];
  const span = first && last ? daysBetween(first.submittedOn, last.submittedOn) : 0;
  return (
    `${facts.requests.length} hồ sơ đề nghị giải ngân cho cùng một đơn vị thụ hưởng (${first?.payeeName ?? ''}) ` +
    `được lập trong ${span + 1} ngày, mỗi hồ sơ dưới ngưỡng ${formatVnd(facts.thresholdVnd ?? 0)} ` +
    `nhưng cộng lại ${formatVnd(facts.totalVnd)}, vượt ngưỡng. Nếu lập thành một hồ sơ, khoản chi phải qua ` +
    `thêm cấp phê duyệt "${facts.addedLevel ?? ''}". Đề nghị kiểm tra có phải chia nhỏ để né ngưỡng phê duyệt hay không.`
  );
};

/** Shared account: the payees behind one account (its last four digits only), and what was paid to them. */
export const explainSharedAccount = (facts: IntegrityFacts): string => {
  const account = facts.bankAccount ?? facts.payees[0]?.bankAccount;
  return (
    `${facts.payees.length} đơn vị thụ hưởng khác nhau trong danh mục (${facts.payees.map((p) => p.name).join('; ')}) ` +
    `cùng nhận tiền vào một tài khoản (ngân hàng ${account?.bankCode ?? ''}, số tài khoản kết thúc ${account?.number.slice(-4) ?? ''}); ` +
    `trong năm đã có ${facts.requests.length} hồ sơ, tổng ${formatVnd(facts.totalVnd)}, chi cho các đơn vị thụ hưởng này. ` +
    'Đề nghị xác minh chủ tài khoản và việc đăng ký các đơn vị thụ hưởng.'
  );
};

/** Double support: the once-only policy, the requests, the household's names and its commune or communes. */
export const explainDoubleSupport = (facts: IntegrityFacts): string => {
  const names = distinct(facts, 'payeeName');
  const communes = distinct(facts, 'commune');
  return (
    `Chính sách "${facts.supportRuleLabel ?? facts.supportRule ?? ''}" chỉ hỗ trợ mỗi hộ một lần, nhưng ${facts.requests.length} hồ sơ (tổng ${formatVnd(facts.totalVnd)}) ` +
    `hỗ trợ cùng một hộ (${names.join('; ')})` +
    (communes.length > 1
      ? ` ở ${communes.length} xã khác nhau (${communes.join(', ')})`
      : ` tại ${communes[0] ?? ''}`) +
    (names.length > 1 || facts.requests.some((r) => r.payeeId === undefined)
      ? ', dưới các tên hoặc mã đơn vị thụ hưởng khác nhau (cùng tài khoản nhận tiền, hoặc cùng tên trong một xã).'
      : '.') +
    ' Đề nghị xác minh hộ thụ hưởng.'
  );
};

/** Deadline bunching: the share of the allocation's payments made in the last days before its deadline. */
export const explainDeadlineBunching = (facts: IntegrityFacts, title: string | undefined): string => {
  const windowVnd = facts.windowVnd ?? 0;
  // From the amounts, not the stored sharePercent (rounded to one decimal), so the whole percent is exact.
  const share = facts.totalVnd === 0 ? 0 : (windowVnd / facts.totalVnd) * 100;
  return (
    `${formatPercent(share, 'vi', 0)} số tiền đã giải ngân của khoản vốn "${title ?? facts.requests[0]?.allocationId ?? ''}" (${formatVnd(windowVnd)} / ${formatVnd(facts.totalVnd)}, ` +
    `${facts.requests.length} lần chi) được chi trong ${facts.windowDays ?? 0} ngày cuối trước hạn giải ngân. ` +
    'Chi dồn sát hạn có thể là dấu hiệu thanh toán khi khối lượng chưa hoàn thành; đề nghị kiểm tra hồ sơ nghiệm thu.'
  );
};

const EXPLAIN: Record<IntegrityRuleId, (c: Pick<IntegrityCase, 'title' | 'details'>) => string> = {
  splitting: (c) => explainSplitting(c.details),
  'shared-account': (c) => explainSharedAccount(c.details),
  'double-support': (c) => explainDoubleSupport(c.details),
  'deadline-bunching': (c) => explainDeadlineBunching(c.details, c.title),
};

/** A case's explanation, by its rule. */
export const explainIntegrity = (c: Pick<IntegrityCase, 'title' | 'details'>): string =>
  EXPLAIN[c.details.rule](c);
