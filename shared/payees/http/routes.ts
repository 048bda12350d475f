import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err, PageOf } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import * as p from './schemas.ts';

/** Who reads the register: everyone who prepares, decides or audits payments (not inspectors: it holds personal identifiers). */
const READERS = ROLES.filter((role) => role !== 'inspector');

/** Routes of the payee register (issue 15): payees with tax code or citizen ID and bank account. */
export const PAYEE_ROUTES = [
  {
    method: 'POST',
    path: '/payees',
    functionId: 'create-payee',
    table: 'read-write',
    summary:
      'Register a payee (đối tượng thụ hưởng): kind, name, tax code or citizen ID as fits the kind, bank account, commune',
    roles: ['finance'],
    body: p.CreatePayeeBody,
    idempotencyKey: 'required',
    responses: {
      201: { description: 'Registered', schema: p.PayeeView },
      409: err(
        'duplicate_payee: the tax code or citizen ID is already registered (details.payeeId names the payee); or idempotency_key_reused',
      ),
    },
  },
  {
    method: 'GET',
    path: '/payees',
    functionId: 'list-payees',
    table: 'read',
    summary: 'Search the payee register by name prefix (accents ignored) or by tax code or citizen ID',
    roles: READERS,
    query: p.ListPayeesQuery,
    responses: { 200: { description: 'A page of payees, by name', schema: PageOf(p.PayeeView) } },
  },
  {
    method: 'GET',
    path: '/payees/{id}',
    functionId: 'get-payee',
    table: 'read',
    summary: 'One payee of the register',
    roles: READERS,
    responses: {
      200: { description: 'The payee', schema: p.PayeeView },
      404: err('Unknown id'),
    },
  },
] as const satisfies readonly RouteSpec[];
