import * as iam from 'aws-cdk-lib/aws-iam';
import { DECISION_OPERATION } from '../shared/ledger/topology.ts';
import {
  approvalOutboxKeys,
  auditLogKeys,
  idempotencyKeys,
  subscriptionKeys,
} from '../shared/platform/table/keys.ts';
import type { FunctionSpec, TableSpec } from '../shared/platform/topology.ts';

/**
 * Reads the code performs: single items, transactions' reads and queries on the table and its
 * indexes. No Scan: every read path is keyed (DESIGN §3), so a scan would be a bug, and IAM says so.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/**
 * Writes the code performs: puts and updates, alone, batched or in a transaction (whose condition
 * checks need ConditionCheckItem). No DeleteItem: the ledger is append-only, and idempotency records
 * expire by TTL, which DynamoDB applies itself.
 */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * The statements granting a function the table access its spec declares. Indexes are named one by
 * one (rather than CDK's `index/*` grant) so the policy holds no wildcard, and only reads reach them.
 */
export const tableAccessStatements = (
  fn: Pick<FunctionSpec, 'table' | 'auditTrail'>,
  tableArn: string,
  spec: TableSpec,
): iam.PolicyStatement[] => {
  const access = fn.table;
  if (access === 'none') return [];
  if (access === 'outbox') {
    // The outbox relay: it queries the outbox index and moves the decisions' records along it.
    return [
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${tableArn}/index/${approvalOutboxKeys.index.name}`],
      }),
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [idempotencyKeys.ofOperationPattern(DECISION_OPERATION)],
          },
        },
      }),
    ];
  }
  if (access === 'subscriptions') {
    // The public confirmation route: it reads and updates subscription items, and nothing else.
    return [
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [subscriptionKeys.pattern] },
        },
      }),
    ];
  }
  const indexArns = spec.indexes.map((index) => `${tableArn}/index/${index.name}`);
  const read = new iam.PolicyStatement({
    actions: [...TABLE_READ_ACTIONS],
    resources: [tableArn, ...indexArns],
  });
  if (access === 'read' && fn.auditTrail) {
    // A reader records auditors' queries: it may add items to the audit log's partition, nothing else.
    const trail = new iam.PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [auditLogKeys.partition] } },
    });
    return [read, trail];
  }
  if (access === 'read') return [read];
  return [read, new iam.PolicyStatement({ actions: [...TABLE_WRITE_ACTIONS], resources: [tableArn] })];
};
