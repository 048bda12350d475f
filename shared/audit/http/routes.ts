import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err, ListOf, outOfRangeResponse, PageOf } from '../../platform/http/schemas.ts';
import * as a from './schemas.ts';

const readers = ['auditor', 'planner', 'inspector'] as const;

/** Routes of the audit side: ledger queries, exports, statements, verification, digests, the audit trail. */
export const AUDIT_ROUTES = [
  {
    method: 'GET',
    path: '/ledger/entries',
    functionId: 'list-ledger-entries',
    table: 'read',
    summary:
      'Ledger entries of a fiscal year in posting order, paged; every match as CSV with Accept: text/csv or format=csv',
    roles: readers,
    query: a.LedgerEntriesQuery,
    responses: {
      200: {
        description: 'A page of entries, or every matching entry as CSV',
        schema: PageOf(a.LedgerEntryView),
        csv: 'Every matching entry, a header line first (with Accept: text/csv or format=csv; lang=vi: Vietnamese headers); the last column, postedDate, is the posting day in Vietnam (dd/mm/yyyy), for people and not hashed',
      },
    },
  },
  {
    method: 'GET',
    path: '/allocations/{id}/statement',
    functionId: 'get-allocation-statement',
    table: 'read',
    summary:
      "An allocation's statement: opening balance, entries with running balance, closing balance; with limit, a page of its newest lines (cursor: the older ones)",
    roles: [...readers, 'finance'],
    query: a.StatementQuery,
    responses: {
      200: { description: 'The statement', schema: a.StatementView },
      404: err('Unknown allocation'),
      ...outOfRangeResponse('a total of the allocation is stored out of range'),
    },
  },
  {
    method: 'GET',
    path: '/ledger/verify',
    functionId: 'verify-ledger',
    table: 'read',
    anchors: 'read',
    summary:
      'Verify hash chains of an allocation or a fiscal year against heads, daily digests and the digests anchored outside the table',
    roles: readers,
    query: a.VerifyQuery,
    responses: {
      200: { description: 'The verification report', schema: a.VerifyView },
      404: err('Unknown allocation'),
    },
  },
  {
    method: 'GET',
    path: '/ledger/digests',
    functionId: 'list-ledger-digests',
    table: 'read',
    summary: 'The chain heads recorded on a day (Asia/Ho_Chi_Minh)',
    roles: readers,
    query: a.DigestsQuery,
    responses: { 200: { description: 'Digests', schema: ListOf(a.DigestView) } },
  },
  {
    method: 'GET',
    path: '/audit-log',
    functionId: 'list-audit-log',
    table: 'read',
    summary: "Auditors' queries, newest first",
    roles: ['auditor'],
    query: a.AuditLogQuery,
    responses: {
      200: { description: 'A page of audit records', schema: PageOf(a.AuditRecordView) },
    },
  },
] as const satisfies readonly RouteSpec[];
