import { systemEnv } from '../app/clock.ts';
import { recordAuditorQuery } from '../app/ledger-audit.ts';
import { tableName } from '../config/runtime-config.ts';
import type { Actor } from '../domain/disbursement-request.ts';
import { DynamoAuditRepository } from './audit-repository.ts';
import { sharedDocumentClient } from './aws-clients.ts';

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
  if (!actor.groups.includes('auditor')) return Promise.resolve();
  repository ??= new DynamoAuditRepository(sharedDocumentClient(), tableName());
  return recordAuditorQuery({ audit: repository, ...systemEnv }, actor, route, filters, rows);
};
