import { formatVnd } from '../../platform/format/vnd-format.ts';
import { oneLine } from '../../platform/text-hygiene.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import type { ExplainMove } from '../domain/reallocation-suggestions.ts';

const dd = (date: IsoDate) => date.split('-').reverse().join('/');

/**
 * Why a move is suggested, in Vietnamese ("lý do"): the source's forecast at its deadline and its
 * surplus beyond what is committed, the target's pace and its shortage.
 */
export const suggestionReason: ExplainMove = (from, to, percentile) =>
  oneLine(
    `Chuyển từ "${from.allocation.title}" (${from.allocation.commune}): dự báo chỉ giải ngân ${from[`${percentile}Percent`]}% (mức ${percentile.toUpperCase()}) khi hết hạn ${dd(from.deadline)}, dư ${formatVnd(from.surplusVnd)} ngoài phần đã cam kết; ` +
      `sang "${to.allocation.title}" (${to.allocation.commune}): tốc độ giải ngân gấp ${to.pace.toFixed(2).replace('.', ',')} lần kế hoạch, dự báo thiếu ${formatVnd(to.shortageVnd)} so với vốn giao.`,
  );
