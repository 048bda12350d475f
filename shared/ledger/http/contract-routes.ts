import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err, outOfRangeResponse } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import * as c from './contract-schemas.ts';

/** Contracts ("hợp đồng"): recorded by finance, read by every role within its scope, amended by decision. */
export const CONTRACT_ROUTES = [
  {
    method: 'POST',
    path: '/contracts',
    functionId: 'create-contract',
    table: 'read-write',
    summary: 'Record a contract on an allocation, with a payee of the register',
    roles: ['finance'],
    body: c.CreateContractBody,
    idempotencyKey: 'optional',
    responses: {
      201: { description: 'Created', schema: c.ContractView },
      404: err('Unknown allocation or payee'),
      ...outOfRangeResponse('a total of the allocation is stored out of range'),
    },
  },
  {
    method: 'GET',
    path: '/contracts',
    functionId: 'list-contracts',
    table: 'read',
    summary:
      'Contracts of an allocation, a year or a commune, with their figures (value, paid, advanced, recovered, advance outstanding)',
    roles: ROLES,
    query: c.ListContractsQuery,
    responses: {
      200: { description: 'The contracts within the caller’s reach', schema: c.ContractList },
    },
  },
  {
    method: 'GET',
    path: '/contracts/{id}',
    functionId: 'get-contract',
    table: 'read',
    summary: 'One contract: value, paid, advanced, recovered, advance outstanding and pending claims',
    roles: ROLES,
    responses: {
      200: { description: 'The contract', schema: c.ContractView },
      404: err('Unknown id'),
    },
  },
  {
    method: 'POST',
    path: '/contracts/{id}/amendments',
    functionId: 'amend-contract',
    table: 'read-write',
    summary: "Change a contract's value under a numbered decision (new value or signed delta)",
    roles: ['finance'],
    body: c.AmendmentBody,
    idempotencyKey: 'optional',
    responses: {
      201: { description: 'Amended', schema: c.AmendmentView },
      404: err('Unknown contract'),
      409: err(
        'below_paid: the value would drop below what is paid or pending payment; idempotency_key_reused',
      ),
    },
  },
] as const satisfies readonly RouteSpec[];
