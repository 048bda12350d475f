import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { allLedgerEntries, listLedgerEntries } from '../../shared/audit/app/ledger-audit.ts';
import { AUDIT_ROUTES } from '../../shared/audit/http/routes.ts';
import { ledgerCsv } from '../../shared/audit/presentation/ledger-csv.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { pagedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/**
 * GET /ledger/entries: a page of JSON, or every matching entry as CSV (Accept: text/csv or format=csv;
 * lang=vi for Vietnamese headers).
 */
export const handler = pagedApiHandler(
  routeIn(AUDIT_ROUTES, 'list-ledger-entries'),
  async ({ actor, query, headers }) => {
    const { limit = 100, cursor, format, lang = 'en', ...filters } = query;
    if (format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(headers.accept ?? ''))) {
      const entries = await allLedgerEntries(deps, actor, filters);
      return {
        raw: true,
        body: ledgerCsv(entries, lang),
        rows: entries.length,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${lang === 'vi' ? 'so-cai' : 'ledger'}-${filters.fiscalYear}.csv"`,
        },
      };
    }
    return { body: await listLedgerEntries(deps, actor, filters, limit, cursor) };
  },
);
