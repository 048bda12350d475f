import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { requestHistoryFromEnv } from '../../shared/forecast/adapters/request-history.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import { monitoringRepositoryFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { readBundledFile } from '../../shared/platform/bundled-file.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { PDF_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../shared/platform/format/media-types.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { disbursementReportOf } from '../../shared/reports/app/disbursement-report.ts';
import { reportNames } from '../../shared/reports/config/programme.ts';
import { REPORT_ROUTES } from '../../shared/reports/http/routes.ts';
import { reportPdf } from '../../shared/reports/presentation/report-pdf.ts';
import { reportXlsx } from '../../shared/reports/presentation/report-xlsx.ts';
import { REPORT_FONTS } from '../../shared/reports/topology.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  audit: auditStoreFromEnv(),
  requests: requestHistoryFromEnv(),
  config: monitoringConfig,
  deadlines: deadlineRules,
  jurisdictions: jurisdictionCatalog,
  now: systemEnv.now,
};
// Read once per container: the fonts ship beside the bundle (RouteSpec.bundleFiles).
const fonts = { regular: readBundledFile(REPORT_FONTS.regular), bold: readBundledFile(REPORT_FONTS.bold) };

/** GET /reports/{file}?fiscalYear=&asOf= (inspector, auditor, planner): the report as XLSX or PDF. */
export const handler = apiHandler(routeIn(REPORT_ROUTES, 'report-file'), async ({ actor, query, params }) => {
  const output = await disbursementReportOf(deps, actor, query);
  const pdf = params.file?.endsWith('.pdf') ?? false;
  const name = `ket-qua-giai-ngan-${output.report.fiscalYear}-${output.report.asOf}.${pdf ? 'pdf' : 'xlsx'}`;
  return {
    body: pdf ? await reportPdf(output, reportNames, fonts) : await reportXlsx(output, reportNames),
    binary: true,
    rows: output.report.details.length,
    headers: {
      'content-type': pdf ? PDF_MEDIA_TYPE : XLSX_MEDIA_TYPE,
      'content-disposition': `attachment; filename="${name}"`,
    },
  };
});
