import { h, mount, table } from '../dom.ts';
import { errorText } from '../error-text.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { t } from '../i18n.ts';
import type { Alert, Page, ViewContext } from '../types.ts';
import { alertDetail, allPages, kindLabel, scopeText, severityBadge } from './common.ts';

type AlertKind = Alert['kind'];
/** The kinds, in the order the alert e-mails know them (shared/monitoring/messages.ts ALERT_KINDS). */
const ALERT_KINDS: readonly AlertKind[] = ['lag', 'stalled', 'forecast', 'integrity'];
/** The kind the list shows ('' for all). */
let kindShown: AlertKind | '' = '';

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
      ctx.announce(`${t().error}: ${errorText(error)}`);
    }
  };
  const row = (a: Alert) => {
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
    return [
      severityBadge(a.severity),
      h('span', { class: 'alert-kind', 'data-kind': a.kind }, kindLabel(a.kind)),
      scopeText(a),
      alertDetail(a),
      formatDate(a.day),
      h('span', { class: `status-${a.status}` }, a.status === 'open' ? t().open : t().acknowledged),
      action,
    ];
  };
  const holder = h('div', {});
  const draw = () =>
    mount(
      holder,
      table(
        t().alertsTitle,
        [t().severity, t().kind, t().scope, t().detail, t().day, t().status, t().actions],
        alerts.filter((a) => !kindShown || a.kind === kindShown).map(row),
      ),
    );
  // The kinds present, in the order the e-mails know them; a choice keeps while the screen is redrawn.
  const kinds = ALERT_KINDS.filter((k) => alerts.some((a) => a.kind === k));
  if (kindShown && !kinds.includes(kindShown)) kindShown = '';
  const select = h(
    'select',
    { id: 'alert-kind' },
    h('option', { value: '' }, t().allKinds),
    ...kinds.map((k) =>
      h(
        'option',
        { value: k, selected: k === kindShown },
        `${kindLabel(k)} (${alerts.filter((a) => a.kind === k).length})`,
      ),
    ),
  );
  select.addEventListener('change', () => {
    kindShown = select.value as AlertKind | '';
    draw();
  });
  if (alerts.length > 0) draw();
  mount(
    root,
    h('h1', {}, `${t().alertsTitle} ${ctx.fiscalYear}`),
    alerts.length === 0
      ? h('p', { class: 'muted' }, t().noAlerts)
      : [h('div', { class: 'filters' }, h('label', { for: 'alert-kind' }, t().kind, select)), holder],
  );
};
