import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err, ListOf } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import { ALERT_EMAIL_DOMAINS_ENV, ALERTS_QUEUE_ID, SUBSCRIPTION_CONFIRM_SECRET_ENV } from '../topology.ts';
import * as m from './schemas.ts';

/** Who reads monitoring results: inspectors watch, auditors check, planners act on them. */
export const PROGRESS_READERS = ['inspector', 'auditor', 'planner'] as const;
const readers = PROGRESS_READERS;

/** Routes of monitoring: runs, subscriptions, alerts, progress reports (issue 3). */
export const MONITORING_ROUTES = [
  {
    method: 'POST',
    path: '/monitor/runs',
    functionId: 'start-monitor-run',
    table: 'read-write',
    sendsTo: [ALERTS_QUEUE_ID],
    // A run records and queues one alert after the other (three calls each, the mailer sees them in
    // turn); with recurrent capital judged a district has dozens of findings a day.
    timeoutSeconds: 29,
    summary:
      'Run the monitor now (body {} for today in Vietnam): progress against the expected curve, stalled approvals, integrity cases; alerts queued once per day (an integrity case once)',
    roles: ['planner'],
    body: m.MonitorRunBody,
    responses: {
      202: {
        description: 'Run done; its alerts are on the alerts queue, e-mailed shortly',
        schema: m.MonitorRunView,
      },
    },
  },
  {
    method: 'POST',
    path: '/subscriptions',
    functionId: 'create-subscription',
    table: 'read-write',
    secrets: [SUBSCRIPTION_CONFIRM_SECRET_ENV],
    settings: [ALERT_EMAIL_DOMAINS_ENV],
    sendsEmail: true,
    summary:
      'Subscribe an e-mail address to the alerts of a scope (đăng ký nhận cảnh báo; inspectors), or to the daily ledger digest (kind ledger-digest; auditors); an address outside the allow-listed domains is e-mailed a confirmation link and gets nothing until it follows it',
    roles: ['inspector', 'auditor'],
    body: m.SubscriptionBody,
    responses: {
      201: {
        description: 'Subscribed; `status` pending until the address confirms',
        schema: m.SubscriptionView,
      },
      200: { description: 'The same subscription existed already', schema: m.SubscriptionView },
    },
  },
  {
    method: 'GET',
    path: '/subscriptions',
    functionId: 'list-subscriptions',
    table: 'read',
    settings: [ALERT_EMAIL_DOMAINS_ENV],
    summary: "The caller's own subscriptions",
    roles: ['inspector', 'auditor'],
    responses: { 200: { description: 'Subscriptions', schema: ListOf(m.SubscriptionView) } },
  },
  {
    method: 'DELETE',
    path: '/subscriptions/{id}',
    functionId: 'delete-subscription',
    table: 'read-write',
    settings: [ALERT_EMAIL_DOMAINS_ENV],
    summary: 'Delete one of your subscriptions',
    roles: ['inspector', 'auditor'],
    responses: {
      200: { description: 'Deleted; the subscription as it was', schema: m.SubscriptionView },
      404: err('Unknown subscription'),
    },
  },
  {
    method: 'GET',
    path: '/subscriptions/confirm',
    functionId: 'confirm-subscription',
    table: 'subscriptions',
    secrets: [SUBSCRIPTION_CONFIRM_SECRET_ENV],
    settings: [ALERT_EMAIL_DOMAINS_ENV],
    summary:
      'The link e-mailed to a subscribed address: confirms that it wants the alerts (no token: the signed link is the proof)',
    roles: 'public',
    query: m.ConfirmSubscriptionQuery,
    responses: {
      200: { description: 'Confirmed (again: the first confirmation is kept)', schema: m.SubscriptionView },
      400: err('invalid_confirmation: the link was altered or has expired; invalid_request: no token'),
      404: err('The subscription was deleted or replaced since the link was sent'),
    },
  },
  {
    method: 'GET',
    path: '/alerts',
    functionId: 'list-alerts',
    table: 'read',
    summary:
      'Alerts in the order to act on them: critical first, then the largest lag, then the newest; filters fiscalYear, status, severity, kind (`integrity`: splitting, shared accounts, double support, bunching before a deadline); `total` counts every alert the filters match',
    roles: readers,
    query: m.ListAlertsQuery,
    responses: { 200: { description: 'A page of alerts, with the total', schema: m.AlertPageView } },
  },
  {
    method: 'POST',
    path: '/alerts/{id}/ack',
    functionId: 'acknowledge-alert',
    table: 'read-write',
    summary: 'Acknowledge an alert (the first acknowledgement is kept)',
    roles: ['inspector'],
    responses: {
      200: { description: 'The acknowledged alert', schema: m.AlertView },
      404: err('Unknown alert'),
    },
  },
  {
    method: 'GET',
    path: '/alerts/acknowledge',
    functionId: 'show-alert-acknowledgement',
    table: 'alerts',
    secrets: [SUBSCRIPTION_CONFIRM_SECRET_ENV],
    summary:
      'The acknowledge link of an alert e-mail (no token: the signed link is the proof): a page showing the alert with one button that acknowledges it; opening it changes nothing, as mail scanners open links',
    roles: 'public',
    query: m.AcknowledgeAlertQuery,
    responses: {
      200: {
        description: 'The page',
        html: 'The alert and, while it is open, one button (a form POST to this URL)',
      },
      400: err('invalid_confirmation: the link was altered or has expired; invalid_request: no token'),
      404: err('The alert no longer exists'),
    },
  },
  {
    method: 'POST',
    path: '/alerts/acknowledge',
    functionId: 'acknowledge-alert-by-link',
    table: 'alerts',
    secrets: [SUBSCRIPTION_CONFIRM_SECRET_ENV],
    summary:
      "The acknowledge page's button: acknowledges the alert the signed link names, in the name of the address it was e-mailed to (the first acknowledgement is kept)",
    roles: 'public',
    query: m.AcknowledgeAlertQuery,
    responses: {
      200: {
        description: 'A page saying the alert is acknowledged, by whom and when',
        html: 'The acknowledged alert',
      },
      400: err('invalid_confirmation: the link was altered or has expired; invalid_request: no token'),
      404: err('The alert no longer exists'),
    },
  },
  {
    method: 'GET',
    path: '/reports/progress',
    functionId: 'progress-report',
    table: 'read',
    summary:
      'Progress against the expected curve, grouped by district (the whole jurisdiction), fundingLine, commune, component or allocation, split by capital type',
    roles: readers,
    query: m.ProgressReportQuery,
    responses: { 200: { description: 'The report', schema: m.ProgressReportView } },
  },
  {
    method: 'GET',
    path: '/reports/disbursement-series',
    functionId: 'disbursement-series',
    table: 'read',
    summary:
      "Cumulative disbursement of a fiscal year by posting day, per capital type, with the expected curve (the dashboard's chart)",
    roles: ROLES,
    query: m.SeriesQuery,
    responses: { 200: { description: 'The series', schema: m.SeriesView } },
  },
] as const satisfies readonly RouteSpec[];
