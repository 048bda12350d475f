import type { LedgerEntry } from './ledger-entry.ts';

/** Columns of the ledger CSV export, in order. */
export const LEDGER_CSV_COLUMNS = [
  'postedAt',
  'fiscalYear',
  'fundingLine',
  'capitalType',
  'component',
  'commune',
  'allocationId',
  'seq',
  'requestId',
  'amountVnd',
  'payeeName',
  'payeeKind',
  'purpose',
  'submittedBy',
  'approvals',
  'prevHash',
  'hash',
] as const;

/** Byte order mark: lets Excel read the UTF-8 (Vietnamese) text correctly. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const row = (e: LedgerEntry): (string | number)[] => [
  e.postedAt,
  e.fiscalYear,
  e.fundingLine,
  e.capitalType,
  e.component,
  e.commune,
  e.allocationId,
  e.seq,
  e.requestId,
  e.amountVnd,
  e.payee.name,
  e.payee.kind,
  e.purpose,
  e.submittedBy,
  // Lossless: level, who and when of every approval, as JSON.
  JSON.stringify(e.approvals),
  e.prevHash,
  e.hash,
];

/** The header line of the export (with the BOM), CRLF-terminated. */
export const csvHeader = (): string => `${UTF8_BOM}${LEDGER_CSV_COLUMNS.join(',')}\r\n`;

/** Entries as CSV lines, CRLF-terminated; amounts as plain integers. */
export const csvRows = (entries: readonly LedgerEntry[]): string =>
  entries.map((e) => `${row(e).map(csvField).join(',')}\r\n`).join('');
