import * as z from 'zod';
import type {} from 'zod-openapi';
import { ProgressReportQuery } from '../../monitoring/http/schemas.ts';

/** The report files `GET /reports/{file}` writes: the disbursement result report, as XLSX or PDF. */
export const REPORT_FILES = ['ket-qua-giai-ngan.xlsx', 'ket-qua-giai-ngan.pdf'] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/** `{file}`: one of the report files by name. */
export const ReportFilePath = z.strictObject({
  file: z.enum(REPORT_FILES).meta({
    description: `The report and its format: ${REPORT_FILES.join(' or ')}`,
    example: 'ket-qua-giai-ngan.xlsx',
  }),
});

/**
 * The query of GET /reports/progress, as it is: the same fiscal year and day select the same figures
 * (groupBy is accepted for the same links, and leaves the form's own grouping as it is).
 */
export const ReportFileQuery = ProgressReportQuery;
