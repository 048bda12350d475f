/**
 * The report files of issue 18 (docs/reports.md): the disbursement result report by project, funding
 * line and commune, as XLSX or PDF, for the overview's year and as-of day (the caller's scope is the
 * token's). Pure, unit-tested.
 */

/** The report's name in its path: "kết quả giải ngân". */
export const REPORT_NAME = 'ket-qua-giai-ngan';

export type ReportFormat = 'xlsx' | 'pdf';

/** The media type each format is asked for with (Accept). */
export const REPORT_MEDIA_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** GET /reports/ket-qua-giai-ngan.{xlsx|pdf} with the query of GET /reports/progress: the year, and the day when one is set. */
export const reportPath = (format: ReportFormat, fiscalYear: number, asOf = ''): string => {
  const q = new URLSearchParams({ fiscalYear: String(fiscalYear) });
  if (asOf) q.set('asOf', asOf);
  return `/reports/${REPORT_NAME}.${format}?${q}`;
};

/** The name the file is saved under: the report, its year, and its day when one is set. */
export const reportFileName = (format: ReportFormat, fiscalYear: number, asOf = ''): string =>
  `${REPORT_NAME}-${fiscalYear}${asOf ? `-${asOf}` : ''}.${format}`;
