import { h, mount } from '../dom.ts';
import { saveBlob } from '../download.ts';
import { formatDate } from '../format.ts';
import { t } from '../i18n.ts';
import { REPORT_MEDIA_TYPES, type ReportFormat, reportFileName, reportPath } from '../report-files.ts';
import type { ViewContext } from '../types.ts';
import { failure } from './common.ts';

/**
 * The overview's report files: the disbursement result report as XLSX or PDF for the screen's year and
 * as-of day, read with the bearer token (the API needs it, so not a plain link) and saved as a file.
 */
export const reportDownloads = (ctx: ViewContext, asOf: string) => {
  const status = h('div', { id: 'report-status' });
  const button = (format: ReportFormat, label: string) => {
    const b = h('button', { type: 'button', 'data-format': format }, label);
    b.addEventListener('click', async () => {
      const fileName = reportFileName(format, ctx.fiscalYear, asOf);
      b.disabled = true;
      mount(status, h('p', { role: 'status' }, t().preparingFile.replace('{file}', fileName)));
      try {
        const blob = await ctx.api.blob(reportPath(format, ctx.fiscalYear, asOf), REPORT_MEDIA_TYPES[format]);
        saveBlob(blob, fileName);
        mount(status, h('p', { role: 'status' }, t().fileSaved.replace('{file}', fileName)));
      } catch (error) {
        mount(status, failure(error));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'reports-title' },
    h('h2', { id: 'reports-title' }, t().reportsTitle),
    h(
      'p',
      { class: 'muted' },
      t()
        .reportsHelp.replace('{year}', String(ctx.fiscalYear))
        .replace('{asOf}', asOf ? formatDate(asOf) : t().today),
    ),
    h('div', { class: 'downloads' }, button('xlsx', t().downloadXlsx), button('pdf', t().downloadPdf)),
    status,
  );
};
