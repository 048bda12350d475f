/**
 * The official Vietnamese term of each concept a person reads (dashboard, e-mails, CSV headers, reports,
 * import templates), the variants it replaces, and where it comes from (docs/glossary.md). Pure data:
 * the places that show a term take it from here, and test/unit/official-terms.test.ts fails when a
 * replaced variant comes back into user-facing text.
 */

/** Where a term comes from: a named document, and whether the stored references confirmed it. */
export interface TermSource {
  /** The document (and article or form) the term is taken from. */
  document: string;
  /** A stored public reference consulted, when there was one. */
  reference?: string;
  /** True when the wording is our choice, not confirmed from the document's text: review before relying on it. */
  illustrative: boolean;
}

/** One concept: its official Vietnamese term, an English gloss, the Vietnamese variants it replaces. */
export interface Term {
  vi: string;
  en: string;
  /** Vietnamese variants no longer shown anywhere a person reads (matched case-insensitively). */
  replaces: readonly string[];
  source: TermSource;
}

const LUAT_DTC: TermSource = {
  document:
    'Luật Đầu tư công số 58/2024/QH15 (thay Luật 39/2019/QH14): kế hoạch đầu tư công hằng năm, vốn kế hoạch được giao, thời hạn giải ngân',
  reference: 'https://faolex.fao.org/docs/pdf/vie202112.pdf (Luật Đầu tư công 39/2019, bản tiếng Anh)',
  illustrative: false,
};
const QD_90: TermSource = {
  document:
    'Quyết định 90/QĐ-TTg ngày 18/01/2022 phê duyệt CTMTQG giảm nghèo bền vững 2021–2025, mục nguồn vốn thực hiện',
  reference: 'https://vnews.gov.vn/video/phan-dau-giam-1-2-so-ho-ngheo-26476.htm',
  illustrative: false,
};
const TT_KBNN: TermSource = {
  document:
    'Mẫu giấy đề nghị thanh toán vốn của Kho bạc Nhà nước (Thông tư 08/2016/TT-BTC; Nghị định 99/2021/NĐ-CP): "Đơn vị thụ hưởng", "Nội dung thanh toán"',
  reference:
    'https://hosoxaydung.com/thong-tu-082016tt-btc-quan-ly-thanh-toan-von-dau-tu-su-dung-nguon-von-ngan-sach/',
  illustrative: false,
};
const LUAT_NSNN: TermSource = {
  document: 'Luật Ngân sách nhà nước 83/2015/QH13: dự toán ngân sách được giao cho chi thường xuyên',
  illustrative: false,
};
const OURS: TermSource = {
  document: 'Cách gọi thống nhất của hệ thống, không lấy từ văn bản',
  illustrative: true,
};

/** Every concept with an official term, by a stable id. */
export const TERMS = {
  planYear: {
    vi: 'Năm kế hoạch',
    en: 'Plan year',
    replaces: ['Năm ngân sách'],
    source: LUAT_DTC,
  },
  assignedInvestment: {
    vi: 'Kế hoạch vốn giao',
    en: 'Assigned plan capital',
    replaces: ['Vốn kế hoạch giao'],
    source: LUAT_DTC,
  },
  assignedRecurrent: {
    vi: 'Dự toán được giao',
    en: 'Assigned budget estimate',
    replaces: [],
    source: LUAT_NSNN,
  },
  payee: {
    vi: 'Đơn vị thụ hưởng',
    en: 'Payee',
    replaces: ['Người nhận', 'Đối tượng thụ hưởng'],
    source: TT_KBNN,
  },
  purpose: {
    vi: 'Nội dung thanh toán',
    en: 'Purpose',
    replaces: ['Mục đích'],
    source: TT_KBNN,
  },
  approvalQueue: {
    vi: 'Hồ sơ chờ bạn phê duyệt',
    en: 'Requests awaiting your approval',
    replaces: ['Hồ sơ chờ duyệt', 'Hồ sơ bạn được quyết định'],
    source: OURS,
  },
  stalled: {
    vi: 'Chậm phê duyệt',
    en: 'Stalled approvals',
    replaces: ['Tồn đọng', 'chờ quá hạn', 'phê duyệt quá hạn'],
    source: OURS,
  },
  expectedCurve: {
    vi: 'Tiến độ yêu cầu',
    en: 'Required progress',
    replaces: ['Dự kiến', 'Kế hoạch đến'],
    source: OURS,
  },
  behindSchedule: {
    vi: 'Chậm tiến độ',
    en: 'Behind schedule',
    replaces: ['Chậm so với kế hoạch'],
    source: OURS,
  },
  onTrack: { vi: 'Đúng tiến độ', en: 'On track', replaces: [], source: OURS },
  slightlyBehind: { vi: 'Chậm nhẹ', en: 'Slightly behind', replaces: [], source: OURS },
  centralBudget: {
    vi: 'Ngân sách trung ương',
    en: 'central budget',
    replaces: ['Vốn trung ương'],
    source: QD_90,
  },
  provincialBudget: {
    vi: 'Ngân sách tỉnh',
    en: 'provincial budget',
    replaces: ['Vốn tỉnh'],
    source: QD_90,
  },
  communityContributions: {
    vi: 'Đóng góp của người dân và vốn huy động hợp pháp khác',
    en: 'contributions of the people and other lawfully raised capital',
    replaces: ['Vốn huy động cộng đồng'],
    source: QD_90,
  },
  // "Vốn đầu tư" alone is a prefix of the term, so it cannot be listed as a replaced variant: the
  // dashboard, e-mails and reports take the label from here instead.
  investmentCapital: {
    vi: 'Vốn đầu tư công',
    en: 'public investment',
    replaces: [],
    source: LUAT_DTC,
  },
  recurrentCapital: {
    vi: 'Vốn sự nghiệp',
    en: 'recurrent spending',
    replaces: [],
    source: LUAT_NSNN,
  },
  ledgerDigest: {
    vi: 'Bản chốt sổ cái hằng ngày',
    en: 'daily ledger digest',
    replaces: [],
    source: OURS,
  },
  digestHash: { vi: 'Mã băm SHA-256', en: 'SHA-256 hash', replaces: [], source: OURS },
} as const satisfies Record<string, Term>;

/** A concept's id in {@link TERMS}. */
export type TermId = keyof typeof TERMS;

/** A concept's official term in a language. */
export const term = (id: TermId, lang: 'vi' | 'en' = 'vi'): string => TERMS[id][lang];

/** A capital type's assigned amount: plan capital for investment, the budget estimate for recurrent funds. */
export const assignedTerm = (capitalType: 'investment' | 'recurrent', lang: 'vi' | 'en' = 'vi'): string =>
  term(capitalType === 'investment' ? 'assignedInvestment' : 'assignedRecurrent', lang);

/** Every replaced variant with the term that replaces it. */
export const replacedVariants = (): { variant: string; id: TermId; term: string }[] =>
  (Object.keys(TERMS) as TermId[]).flatMap((id) =>
    TERMS[id].replaces.map((variant) => ({ variant, id, term: TERMS[id].vi })),
  );
