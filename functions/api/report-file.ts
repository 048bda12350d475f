import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { requestHistoryFromEnv } from '../../shared/forecast/adapters/request-history.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import {
  daySnapshotStoreFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { readBundledFile } from '../../shared/platform/bundled-file.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { PDF_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../shared/platform/format/media-types.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';
import {
  type DisbursementReportOutput,
  disbursementReportOf,
} from '../../shared/reports/app/disbursement-report.ts';
import { reportNames } from '../../shared/reports/config/programme.ts';
import { REPORT_ROUTES } from '../../shared/reports/http/routes.ts';
import { REPORT_FONTS } from '../../shared/reports/topology.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  audit: auditStoreFromEnv(),
  requests: requestHistoryFromEnv(),
  snapshots: daySnapshotStoreFromEnv(),
  config: monitoringConfig,
  deadlines: deadlineRules,
  jurisdictions: jurisdictionCatalog,
  now: systemEnv.now,
};
/**
 * Each format's writer and the fonts are loaded by the first report in that format, once per container:
 * pdfkit and its fonts take more to start than all the rest of the function, and an XLSX never needs
 * them (the fonts ship beside the bundle: RouteSpec.bundleFiles).
 */
let pdfWriter: Promise<(output: DisbursementReportOutput) => Promise<Buffer>> | undefined;
const writePdf = async (output: DisbursementReportOutput) => {
  pdfWriter ??= import('../../shared/reports/presentation/report-pdf.ts').then(({ reportPdf }) => {
    const fonts = {
      regular: readBundledFile(REPORT_FONTS.regular),
      bold: readBundledFile(REPORT_FONTS.bold),
    };
    return (o) => reportPdf(o, reportNames, fonts);
  });
  return (await pdfWriter)(output);
};
const writeXlsx = async (output: DisbursementReportOutput) =>
  (await import('../../shared/reports/presentation/report-xlsx.ts')).reportXlsx(output, reportNames);

/** GET /reports/{file}?fiscalYear=&asOf= (inspector, auditor, planner): the report as XLSX or PDF. */
export const handler = auditedApiHandler(
  routeIn(REPORT_ROUTES, 'report-file'),
  async ({ actor, query, params }) => {
    const output = await disbursementReportOf(deps, actor, query);
    const pdf = params.file?.endsWith('.pdf') ?? false;
    const name = `ket-qua-giai-ngan-${output.report.fiscalYear}-${output.report.asOf}.${pdf ? 'pdf' : 'xlsx'}`;
    return {
      body: pdf ? await writePdf(output) : await writeXlsx(output),
      binary: true,
      rows: output.report.details.length,
      headers: {
        'content-type': pdf ? PDF_MEDIA_TYPE : XLSX_MEDIA_TYPE,
        'content-disposition': `attachment; filename="${name}"`,
      },
    };
  },
);
