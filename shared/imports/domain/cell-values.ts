import type { CellErrorCode } from '../../platform/error-catalogue.ts';
import { folded } from './folded-text.ts';
import type { SheetCell } from './sheet-table.ts';

/** A cell read as a value, or what is wrong with it (Vietnamese, says what to write instead). */
export type CellReading<T> = { ok: true; value: T } | { ok: false; code: CellErrorCode; problem: string };

const bad = (code: CellErrorCode, problem: string): CellReading<never> => ({ ok: false, code, problem });

/** "1.500.000.000", "1,500,000,000", "1 500 000 000" or plain digits, with an optional đ/đồng/VND after. */
const GROUPED = /^\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$/;
const PLAIN = /^\d+$/;
const CURRENCY = /\s*(?:đ|đồng|vnd|vnđ)$/iu;
const DECIMAL = /^\d+(?:[.,]\d+)+$/;

/**
 * A whole number (đồng, a year, a count): a numeric cell that is whole, or text written with
 * Vietnamese thousands dots ("40.000.000"), commas ("40,000,000") or spaces. Fractions and negative
 * numbers are refused: money is whole đồng.
 */
export const wholeNumber = (cell: SheetCell): CellReading<number> => {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return bad('not_a_number', 'không phải là số');
    if (!Number.isInteger(cell)) return bad('fraction', `${cell} có phần lẻ: chỉ nhập số nguyên`);
    if (cell < 0) return bad('negative', 'không được là số âm');
    if (!Number.isSafeInteger(cell)) return bad('too_large', 'số quá lớn');
    return { ok: true, value: cell };
  }
  if (typeof cell === 'boolean') return bad('not_a_number', 'là giá trị đúng/sai, không phải là số');
  const text = (cell ?? '').trim().replace(CURRENCY, '');
  if (text.startsWith('-')) return bad('negative', 'không được là số âm');
  if (PLAIN.test(text) || GROUPED.test(text)) {
    const value = Number(text.replace(/[.,\u00a0 ]/g, ''));
    return Number.isSafeInteger(value) ? { ok: true, value } : bad('too_large', 'số quá lớn');
  }
  if (DECIMAL.test(text)) {
    return bad(
      'fraction',
      `"${text}" không phải là số nguyên: ghi đủ các nhóm ba chữ số (ví dụ 40.000.000), không có phần lẻ`,
    );
  }
  return bad('not_a_number', `"${text}" không phải là số`);
};

/** Text of a cell: a number as its digits (left-padded with zeros to `digits` for a code such as "0070"). */
export const cellText = (cell: SheetCell, digits?: number): string => {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    const text = String(cell);
    return digits !== undefined && /^\d+$/.test(text) ? text.padStart(digits, '0') : text;
  }
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return cell.trim();
};

/** A value a cell may name, by its code or any of its labels (matched without accents or case). */
export interface Choice<T extends string = string> {
  value: T;
  labels: readonly string[];
}

/** The value a cell names among the choices, by code or label; else a problem listing the labels. */
export const choiceOf = <T extends string>(
  cell: SheetCell,
  choices: readonly Choice<T>[],
): CellReading<T> => {
  const text = cellText(cell);
  const key = folded(text);
  const found = choices.find((c) => folded(c.value) === key || c.labels.some((l) => folded(l) === key));
  if (found) return { ok: true, value: found.value };
  return bad(
    'unknown_choice',
    `"${text}" không có trong danh sách: ghi một trong ${choices.map((c) => `«${c.labels[0] ?? c.value}»`).join(', ')}`,
  );
};

const OUTPUT_PAIR = /^([A-Za-z0-9][A-Za-z0-9._-]{0,31})\s*[=:]\s*(.+)$/;

/** Outputs written "houses=3; km=2" (key = whole number, separated by ; or a new line). */
export const outputsOf = (cell: SheetCell): CellReading<Record<string, number>> => {
  const outputs: Record<string, number> = {};
  for (const part of cellText(cell).split(/[;\n]/)) {
    if (part.trim() === '') continue;
    const match = OUTPUT_PAIR.exec(part.trim());
    const count = match?.[2] === undefined ? undefined : wholeNumber(match[2]);
    if (!match?.[1] || !count?.ok) {
      return bad(
        'invalid_outputs',
        `"${part.trim()}" không đúng dạng: ghi mã=số, cách nhau bằng dấu chấm phẩy (ví dụ houses=1; km=2)`,
      );
    }
    if (Object.hasOwn(outputs, match[1])) return bad('invalid_outputs', `mã ${match[1]} ghi hai lần`);
    outputs[match[1]] = count.value;
  }
  return { ok: true, value: outputs };
};
