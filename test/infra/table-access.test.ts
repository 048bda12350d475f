import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tableAccessStatements } from '../../infra/table-access.ts';
import { JURISDICTIONS } from '../../shared/jurisdictions/config/index.ts';
import { DECISION_OPERATION } from '../../shared/ledger/topology.ts';
import { alertId } from '../../shared/monitoring/domain/alert.ts';
import { subscriptionId } from '../../shared/monitoring/domain/subscription.ts';
import { idempotencyScope } from '../../shared/platform/idempotency.ts';
import {
  alertKeys,
  allocationKeys,
  auditLogKeys,
  idempotencyKeys,
  indicatorKeys,
  payeeIdentifierKeys,
  payeeKeys,
  requestKeys,
  subscriptionKeys,
  supportClaimKeys,
} from '../../shared/platform/table/keys.ts';
import { TABLE } from '../../shared/platform/topology.ts';

import { like } from '../support/iam-string-like.ts';

const TABLE_ARN = 'arn:aws:dynamodb:ap-southeast-1:123456789012:table/giai-ngan';

/** The table partition of every kind of item, as the system writes it, in one jurisdiction. */
const partitionsOf = (j: string): Record<string, string> => {
  const scope = (operation: string) =>
    idempotencyScope(operation, { sub: 'user-1' }, randomUUID(), randomUUID()).scope;
  return {
    allocation: allocationKeys.key(j, randomUUID()).pk,
    request: requestKeys.key(j, randomUUID()).pk,
    decision: idempotencyKeys.key(j, scope(DECISION_OPERATION)).pk,
    otherIdempotency: idempotencyKeys.key(j, scope('create-allocation')).pk,
    alert: alertKeys.key(
      j,
      alertId({
        fiscalYear: 2026,
        day: '2026-03-02',
        kind: 'lag',
        severity: 'warning',
        scope: { jurisdiction: j, level: 'commune', capitalType: 'investment', commune: 'Hùng Sơn' },
      }),
    ).pk,
    subscription: subscriptionKeys.key(j, subscriptionId('user-1', 'a@example.org', {})).pk,
    indicator: indicatorKeys.key(j, '2026.houses').pk,
    auditLog: auditLogKeys.partition(j),
    payee: payeeKeys.key(j, randomUUID()).pk,
    payeeIdentifier: payeeIdentifierKeys.key(j, 'CCCD', '049087000123').pk,
    supportClaim: supportClaimKeys.key(j, 'housing-once', randomUUID()).pk,
  };
};

/** The LeadingKeys patterns a function gets for one action, by its table access. */
const leadingKeysOf = (fn: Parameters<typeof tableAccessStatements>[0], action: string): string[] => {
  const statement = tableAccessStatements(fn, TABLE_ARN, TABLE)
    .map((s) => s.toStatementJson())
    .find((s) => [s.Action].flat().includes(action));
  return statement?.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'] ?? [];
};

describe("the table's LeadingKeys patterns match one kind of partition in every jurisdiction, and no other", () => {
  const cases = [
    {
      what: "a reader's audit trail",
      fn: { table: 'read', auditTrail: true },
      action: 'dynamodb:PutItem',
      kind: 'auditLog',
    },
    { what: 'the outbox relay', fn: { table: 'outbox' }, action: 'dynamodb:UpdateItem', kind: 'decision' },
    {
      what: 'the confirmation route',
      fn: { table: 'subscriptions' },
      action: 'dynamodb:UpdateItem',
      kind: 'subscription',
    },
  ] as const;
  for (const { what, fn, action, kind } of cases) {
    it(`${what}: ${kind} only`, () => {
      const patterns = leadingKeysOf(fn, action);
      expect(patterns).toHaveLength(1);
      for (const j of JURISDICTIONS.map((x) => x.id)) {
        for (const [other, pk] of Object.entries(partitionsOf(j))) {
          expect(
            patterns.some((p) => like(p, pk)),
            `${pk} (${other})`,
          ).toBe(other === kind);
        }
      }
    });
  }
});
