import type { CellErrorCode } from '../../platform/error-catalogue.ts';

/** One bad cell: row is the spreadsheet's own 1-based row number, column its letter ("C"). */
export interface CellError {
  sheet: string;
  row: number;
  column: string;
  code: CellErrorCode;
  message: string;
}
