import { type Actor, hasRole, scopeOf } from '../../platform/access.ts';
import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { systemEnv } from '../../platform/clock.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import { recordAuditorQuery } from '../app/ledger-audit.ts';
import { DynamoAuditRepository } from './audit-repository.ts';

/** Records one query: the actor, the route, its filters and the rows it returned. */
export type AuditTrail = (
  actor: Actor,
  route: string,
  filters: Record<string, unknown>,
  rows: number,
) => Promise<void>;

let repository: DynamoAuditRepository | undefined;

/** The audit trail of a function, wired from its environment on first use (only auditors' queries write). */
export const auditTrailFromEnv: AuditTrail = (actor, route, filters, rows) => {
  if (!hasRole(scopeOf(actor), 'auditor')) return Promise.resolve();
  repository ??= new DynamoAuditRepository(sharedDocumentClient(), tableName());
  return recordAuditorQuery({ audit: repository, ...systemEnv }, actor, route, filters, rows);
};
