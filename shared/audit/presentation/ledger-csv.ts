import type { Allocation } from '../../ledger/domain/allocation.ts';
import type { PayeeKind } from '../../ledger/domain/funding-line.ts';
import {
  contractPostings,
  disbursementPostings,
  type LedgerEntry,
  movesCapital,
} from '../../ledger/domain/ledger-entry.ts';
import { type Column, csvHeaderLine, csvRowLines, readCell } from '../../platform/format/spreadsheet-cell.ts';
import { term } from '../../platform/glossary/glossary.ts';
import { vnDayMonthYear } from '../../platform/vn-calendar.ts';

/** Columns of the ledger CSV export, in order, each typed for spreadsheets (see spreadsheet-cell.ts). */
export const LEDGER_CSV_COLUMNS: readonly Column<LedgerEntry>[] = [
  { name: 'postedAt', kind: 'instant', value: (e) => e.postedAt },
  { name: 'fiscalYear', kind: 'number', value: (e) => e.fiscalYear },
  { name: 'fundingLine', kind: 'text', value: (e) => e.fundingLine },
  { name: 'capitalType', kind: 'text', value: (e) => e.capitalType },
  { name: 'component', kind: 'text', value: (e) => e.component },
  { name: 'commune', kind: 'text', value: (e) => e.commune },
  // Hashed with the entry; empty on entries of allocations stored before jurisdictions (tay-giang).
  { name: 'jurisdiction', kind: 'text', value: (e) => e.jurisdiction ?? '' },
  { name: 'allocationId', kind: 'id', value: (e) => e.allocationId },
  { name: 'seq', kind: 'number', value: (e) => e.seq },
  { name: 'requestId', kind: 'id', value: (e) => e.requestId },
  { name: 'amountVnd', kind: 'number', value: (e) => e.amountVnd },
  { name: 'payeeName', kind: 'text', value: (e) => e.payee.name },
  { name: 'payeeKind', kind: 'text', value: (e) => e.payee.kind },
  { name: 'purpose', kind: 'text', value: (e) => e.purpose },
  { name: 'submittedBy', kind: 'text', value: (e) => e.submittedBy },
  // Lossless: level, who and when of every approval, as JSON.
  { name: 'approvals', kind: 'text', value: (e) => JSON.stringify(e.approvals) },
  { name: 'prevHash', kind: 'digest', value: (e) => e.prevHash },
  { name: 'hash', kind: 'digest', value: (e) => e.hash },
  // Issue 15: a contract's advance or payment (empty on a direct entry): hashed with the entry.
  { name: 'kind', kind: 'text', value: (e) => e.kind },
  { name: 'contractId', kind: 'text', value: (e) => e.contractId ?? '' },
  { name: 'grossVnd', kind: 'text', value: (e) => (e.grossVnd === undefined ? '' : String(e.grossVnd)) },
  {
    name: 'recoveryVnd',
    kind: 'text',
    value: (e) => (e.recoveryVnd === undefined ? '' : String(e.recoveryVnd)),
  },
  // Budget codes and the Treasury voucher (issue 15), last so that older readers keep their columns;
  // empty on entries without them. Codes are text: "0070" stays "0070" in a spreadsheet.
  { name: 'budgetChapter', kind: 'text', value: (e) => e.budgetCodes?.chapter ?? '' },
  { name: 'budgetSector', kind: 'text', value: (e) => e.budgetCodes?.sector ?? '' },
  { name: 'budgetProgramme', kind: 'text', value: (e) => e.budgetCodes?.programme ?? '' },
  { name: 'budgetProject', kind: 'text', value: (e) => e.budgetCodes?.project ?? '' },
  { name: 'budgetSource', kind: 'text', value: (e) => e.budgetCodes?.source ?? '' },
  { name: 'budgetItem', kind: 'text', value: (e) => e.budgetItem?.item ?? '' },
  { name: 'budgetSubItem', kind: 'text', value: (e) => e.budgetItem?.subItem ?? '' },
  // As JSON, like approvals: a spreadsheet retypes a bare (even marked) YYYY-MM-DD as a date serial.
  {
    name: 'treasuryVoucher',
    kind: 'text',
    value: (e) => (e.treasuryVoucher ? JSON.stringify(e.treasuryVoucher) : ''),
  },
  // The dossier's verified documents (type and SHA-256) the entry hashes, as JSON; empty when none.
  { name: 'documents', kind: 'text', value: (e) => (e.documents ? JSON.stringify(e.documents) : '') },
  // Issues 16–17: an entry moving capital (carry-over, reallocation) names a transit account no other
  // column gives, so its postings are written whole, as JSON; and a reallocation's decision and
  // counterpart. Empty on every other entry (their postings follow from the columns above).
  {
    name: 'transferPostings',
    kind: 'text',
    value: (e) => (movesCapital(e) ? JSON.stringify(e.postings) : ''),
  },
  {
    name: 'reallocation',
    kind: 'text',
    value: (e) => (e.reallocation ? JSON.stringify(e.reallocation) : ''),
  },
  // Issue 18, for people: the posting's day in Vietnam. Not hashed, and no verifier reads it (postedAt is
  // the exact instant); empty when postedAt is not an instant (only a tampered item could hold one).
  {
    name: 'postedDate',
    kind: 'date',
    value: (e) => (Number.isNaN(Date.parse(e.postedAt)) ? '' : vnDayMonthYear(e.postedAt)),
  },
];

/** Languages of the export's header line: the column names (`en`, what tools read) or Vietnamese. */
export type LedgerCsvLang = 'en' | 'vi';

/**
 * Vietnamese headers of the ledger CSV (`?lang=vi`), by column name: the terms of payment dossiers
 * and budget classification ("Đơn vị thụ hưởng", "Nội dung thanh toán", "Mã chương"…; docs/ledger-csv.md).
 */
export const LEDGER_CSV_HEADERS_VI: Readonly<Record<string, string>> = {
  postedAt: 'Thời điểm ghi sổ (UTC)',
  fiscalYear: term('planYear'),
  fundingLine: 'Nguồn vốn',
  capitalType: 'Loại vốn',
  component: 'Dự án thành phần',
  commune: 'Xã',
  jurisdiction: 'Địa bàn',
  allocationId: 'Mã kế hoạch vốn',
  seq: 'Số thứ tự bút toán',
  requestId: 'Mã hồ sơ thanh toán',
  amountVnd: 'Số tiền (đồng)',
  payeeName: term('payee'),
  payeeKind: `Loại ${term('payee').toLocaleLowerCase('vi')}`,
  purpose: term('purpose'),
  submittedBy: 'Người lập hồ sơ',
  approvals: 'Phê duyệt (JSON)',
  prevHash: 'Mã băm bút toán trước',
  hash: 'Mã băm bút toán',
  kind: 'Loại bút toán',
  contractId: 'Mã hợp đồng',
  grossVnd: 'Giá trị thanh toán (đồng)',
  recoveryVnd: 'Thu hồi tạm ứng (đồng)',
  budgetChapter: 'Mã chương',
  budgetSector: 'Mã ngành kinh tế (loại, khoản)',
  budgetProgramme: 'Mã chương trình mục tiêu',
  budgetProject: 'Mã dự án',
  budgetSource: 'Mã nguồn ngân sách',
  budgetItem: 'Mục',
  budgetSubItem: 'Tiểu mục',
  treasuryVoucher: 'Chứng từ Kho bạc (JSON)',
  documents: 'Tài liệu hồ sơ (JSON)',
  transferPostings: 'Bút toán chuyển vốn (JSON)',
  reallocation: 'Quyết định điều chỉnh vốn (JSON)',
  postedDate: 'Ngày ghi sổ',
};

/** The columns with their headers in a language (the values are the same in both). */
const columnsIn = (lang: LedgerCsvLang): readonly Column<LedgerEntry>[] =>
  lang === 'en'
    ? LEDGER_CSV_COLUMNS
    : LEDGER_CSV_COLUMNS.map((c) => ({ ...c, name: LEDGER_CSV_HEADERS_VI[c.name] ?? c.name }));

/** Column names by Vietnamese header: a verifier reads a `lang=vi` copy as it reads the other. */
const NAME_OF_VI_HEADER = new Map(Object.entries(LEDGER_CSV_HEADERS_VI).map(([name, vi]) => [vi, name]));

/** A contract entry's fields and postings back from its record; a direct one's (or a copy from before issue 15). */
const contractPart = (
  record: Readonly<Record<string, string>>,
  cell: (name: string) => string,
  allocationId: string,
  payee: LedgerEntry['payee'],
  amountVnd: number,
): Pick<LedgerEntry, 'kind' | 'postings' | 'contractId' | 'grossVnd' | 'recoveryVnd'> => {
  const kind = record.kind === undefined ? 'disbursement' : cell('kind');
  if (movesCapital({ kind: kind as LedgerEntry['kind'] })) {
    return { kind: kind as LedgerEntry['kind'], postings: JSON.parse(cell('transferPostings')) };
  }
  if (kind !== 'advance' && kind !== 'payment') {
    return { kind: 'disbursement', postings: disbursementPostings(allocationId, payee, amountVnd) };
  }
  const contractId = cell('contractId');
  if (kind === 'advance') {
    return {
      kind,
      contractId,
      postings: contractPostings(allocationId, payee, { kind, contractId, amountVnd, recoveryVnd: 0 }),
    };
  }
  const grossVnd = Number(cell('grossVnd'));
  const recoveryVnd = Number(cell('recoveryVnd'));
  return {
    kind,
    contractId,
    grossVnd,
    recoveryVnd,
    postings: contractPostings(allocationId, payee, { kind, contractId, amountVnd: grossVnd, recoveryVnd }),
  };
};

/** The codes and voucher of a CSV record, each only when present (a copy made before the columns: none). */
const dossierFieldsOfRecord = (cell: (name: string) => string, record: Readonly<Record<string, string>>) => {
  const optional = (name: string) => (record[name] === undefined ? '' : cell(name));
  const project = optional('budgetProject');
  const chapter = optional('budgetChapter');
  const item = optional('budgetItem');
  const voucher = optional('treasuryVoucher');
  return {
    ...(chapter !== ''
      ? {
          budgetCodes: {
            chapter,
            sector: cell('budgetSector'),
            programme: cell('budgetProgramme'),
            ...(project !== '' ? { project } : {}),
            source: cell('budgetSource'),
          },
        }
      : {}),
    ...(item !== '' ? { budgetItem: { item, subItem: cell('budgetSubItem') } } : {}),
    ...(voucher !== '' ? { treasuryVoucher: JSON.parse(voucher) } : {}),
  };
};

/** The documents a record's entry hashes, when it has any (a copy made before the column: none). */
const documentsOfRecord = (record: Readonly<Record<string, string>>, cell: (name: string) => string) => {
  const documents = record.documents === undefined ? '' : cell('documents');
  return documents !== '' ? { documents: JSON.parse(documents) as LedgerEntry['documents'] } : {};
};

/**
 * The ledger export (UTF-8 with BOM, CRLF, RFC 4180): the header line (column names, or Vietnamese
 * headers with `vi`), then one line per entry, amounts as plain integers.
 */
export const ledgerCsv = (entries: readonly LedgerEntry[], lang: LedgerCsvLang = 'en'): string => {
  const columns = columnsIn(lang);
  return csvHeaderLine(columns) + csvRowLines(columns, entries);
};

/**
 * The verifier's side: a CSV record (header → cell text, as a CSV reader or a spreadsheet's copy gives
 * it) back to the ledger entry it was written from — every field its hash covers — so that
 * `verifyChain` can re-check a chain from an auditor's copy alone. Headers may be the column names or
 * the Vietnamese ones; `postedDate` (for people) is not read.
 */
export const entryFromCsvRecord = (headed: Readonly<Record<string, string>>): LedgerEntry => {
  const record = Object.fromEntries(
    Object.entries(headed).map(([header, text]) => [NAME_OF_VI_HEADER.get(header) ?? header, text]),
  );
  const cell = (name: string) => {
    const column = LEDGER_CSV_COLUMNS.find((c) => c.name === name);
    const text = record[name];
    if (!column || text === undefined) throw new Error(`the CSV record has no ${name} column`);
    return readCell(column.kind, text);
  };
  const allocationId = cell('allocationId');
  const seq = Number(cell('seq'));
  const amountVnd = Number(cell('amountVnd'));
  const payee = { name: cell('payeeName'), kind: cell('payeeKind') as PayeeKind };
  // A copy made before the column existed has none: its entries predate jurisdictions.
  const jurisdiction = record.jurisdiction === undefined ? '' : cell('jurisdiction');
  return {
    entryId: `${allocationId}#${seq}`,
    ...contractPart(record, cell, allocationId, payee, amountVnd),
    allocationId,
    fiscalYear: Number(cell('fiscalYear')),
    fundingLine: cell('fundingLine') as Allocation['fundingLine'],
    capitalType: cell('capitalType') as Allocation['capitalType'],
    component: cell('component'),
    commune: cell('commune'),
    ...(jurisdiction !== '' ? { jurisdiction } : {}),
    requestId: cell('requestId'),
    amountVnd,
    payee,
    purpose: cell('purpose'),
    submittedBy: cell('submittedBy'),
    approvals: JSON.parse(cell('approvals')),
    ...dossierFieldsOfRecord(cell, record),
    ...documentsOfRecord(record, cell),
    ...(record.reallocation !== undefined && cell('reallocation') !== ''
      ? { reallocation: JSON.parse(cell('reallocation')) as LedgerEntry['reallocation'] }
      : {}),
    postedAt: cell('postedAt'),
    seq,
    prevHash: cell('prevHash'),
    hash: cell('hash'),
  };
};
