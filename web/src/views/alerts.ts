import { h, mount, table } from '../dom.ts';
import { formatDate, formatDateTime, pct } from '../format.ts';
import { t } from '../i18n.ts';
import type { Alert, Page, ViewContext } from '../types.ts';
import { allPages, scopeText, severityBadge } from './common.ts';

/** The year's alerts, open first; an inspector acknowledges them. */
export const renderAlerts = async (root: HTMLElement, ctx: ViewContext) => {
  const alerts = await allPages((cursor) =>
    ctx.api.get<Page<Alert>>(
      `/alerts?fiscalYear=${ctx.fiscalYear}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  );
  // The alert an e-mail linked to (`#/alerts/<id>`) first, then the open ones, in the API's order.
  const linked = decodeURIComponent(location.hash.split('/')[2] ?? '');
  alerts.sort(
    (a, b) =>
      Number(a.id !== linked) - Number(b.id !== linked) ||
      Number(a.status !== 'open') - Number(b.status !== 'open'),
  );
  const inspector = ctx.session.groups.includes('inspector');
  const acknowledge = async (alert: Alert, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await ctx.api.post(`/alerts/${encodeURIComponent(alert.id)}/ack`);
      ctx.announce(`${t().acknowledged}: ${scopeText(alert)}`);
      ctx.refresh();
    } catch (error) {
      button.disabled = false;
      ctx.announce(`${t().error}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const rows = alerts.map((a) => {
    let action: Node | string = '';
    if (a.status === 'open' && inspector) {
      const button = h(
        'button',
        { type: 'button', class: 'primary', 'aria-label': `${t().acknowledge}: ${scopeText(a)}` },
        t().acknowledge,
      );
      button.addEventListener('click', () => void acknowledge(a, button));
      action = button;
    } else if (a.status === 'acknowledged') {
      action = `${t().acknowledgedBy} ${a.acknowledgedBy ?? ''} ${a.acknowledgedAt ? formatDateTime(a.acknowledgedAt) : ''}`;
    }
    const detail =
      a.kind === 'lag' && a.progress
        ? `${t().rate} ${pct((a.progress.ratePercent ?? 0) / 100)} / ${t().expected} ${pct(a.progress.expectedPercent / 100)}`
        : `${a.stalledRequests.length} ${t().requests.toLowerCase()}`;
    return [
      severityBadge(a.severity),
      a.kind === 'lag' ? t().lagKind : t().stalledKind,
      scopeText(a),
      detail,
      formatDate(a.day),
      h('span', { class: `status-${a.status}` }, a.status === 'open' ? t().open : t().acknowledged),
      action,
    ];
  });
  mount(
    root,
    h('h1', {}, `${t().alertsTitle} ${ctx.fiscalYear}`),
    alerts.length === 0
      ? h('p', { class: 'muted' }, t().noAlerts)
      : table(
          t().alertsTitle,
          [t().severity, t().kind, t().scope, t().rate, t().day, t().status, t().actions],
          rows,
        ),
  );
};
