import {
  API_ERROR_MESSAGES_VI,
  type ApiErrorCode,
  CELL_ERROR_MESSAGES_VI,
  isApiErrorCode,
} from './error-catalogue.ts';
import { formatVnd } from './format/vnd-format.ts';

/**
 * The words of some codes with the figures their `details` carry (what is left, the latest date
 * allowed), `{name}` naming a detail; used only when every named detail is there.
 */
export const API_ERROR_TEMPLATES_VI: Partial<Record<ApiErrorCode, string>> = {
  insufficient_funds:
    'Không đủ kế hoạch vốn còn lại: còn {availableVnd}, cần {amountVnd}. Giảm số tiền, chờ các hồ sơ đang chờ duyệt được quyết định, hoặc điều chỉnh kế hoạch vốn.',
  below_committed:
    'Không giảm được kế hoạch vốn xuống dưới số đã tạm giữ và đã giải ngân ({committedVnd}): giảm tối đa {maxCutVnd}.',
  invalid_extension:
    'Thời hạn kéo dài không hợp lệ: chọn một ngày sau {currentDeadline} và không muộn hơn {limit}.',
  advance_limit_exceeded:
    'Tạm ứng vượt mức tạm ứng tối đa của hợp đồng: chỉ còn tạm ứng được {maxAdvanceVnd}.',
  contract_value_exceeded: 'Số thanh toán vượt giá trị hợp đồng: chỉ còn thanh toán được {maxPaymentVnd}.',
  disbursement_period_closed:
    'Kế hoạch vốn đã hết thời hạn giải ngân ({deadline}): cần quyết định kéo dài thời hạn trước.',
  fiscal_year_closed:
    'Năm kế hoạch {fiscalYear} đã khoá sổ (quyết định {decisionNumber}): không ghi thêm; ghi vào năm kế hoạch đang mở.',
};

/** A detail as a Vietnamese reader reads it: amounts in đồng, ISO dates as dd/mm/yyyy. */
const shown = (name: string, value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value))
    return name.endsWith('Vnd') ? formatVnd(value) : String(value);
  if (typeof value !== 'string' || value === '') return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return iso ? `${iso[3]}/${iso[2]}/${iso[1]}` : value;
};

/**
 * The Vietnamese message of a code: its template filled from `details` when they carry every figure
 * it names, else the code's plain words; undefined for a code outside the catalogue.
 */
export const errorMessageVi = (code: string, details?: Record<string, unknown>): string | undefined => {
  const template = isApiErrorCode(code) ? API_ERROR_TEMPLATES_VI[code] : undefined;
  if (template && details) {
    let complete = true;
    const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = shown(name, details[name]);
      if (value === undefined) complete = false;
      return value ?? '';
    });
    if (complete) return filled;
  }
  if (isApiErrorCode(code)) return API_ERROR_MESSAGES_VI[code];
  return Object.hasOwn(CELL_ERROR_MESSAGES_VI, code)
    ? CELL_ERROR_MESSAGES_VI[code as keyof typeof CELL_ERROR_MESSAGES_VI]
    : undefined;
};
