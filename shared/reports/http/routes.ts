import { PROGRESS_READERS } from '../../monitoring/http/routes.ts';
import { PDF_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../platform/format/media-types.ts';
import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { REPORT_FONTS } from '../topology.ts';
import * as r from './schemas.ts';

/** Routes of report files (issue 18). */
export const REPORT_ROUTES = [
  {
    method: 'GET',
    path: '/reports/{file}',
    functionId: 'report-file',
    table: 'read',
    summary:
      'The disbursement result report (báo cáo kết quả giải ngân) of a fiscal year at a day as XLSX or PDF: by project (DA1–DA7) × funding line × commune, plan and carried-over capital, disbursed (advances and payments apart), rate and forecast to 31/12; same query, scope and totals as GET /reports/progress',
    // Who reads progress reports reads them as files.
    roles: PROGRESS_READERS,
    pathId: r.ReportFilePath,
    query: r.ReportFileQuery,
    // It reads the year's ledger for the forecasts and draws the file: more than a list's 10 s on a large plan.
    timeoutSeconds: 29,
    bundleFiles: [REPORT_FONTS.regular, REPORT_FONTS.bold],
    responses: {
      200: { description: 'The report file', binary: [XLSX_MEDIA_TYPE, PDF_MEDIA_TYPE] },
    },
  },
] as const satisfies readonly RouteSpec[];
