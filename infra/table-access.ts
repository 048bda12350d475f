import * as iam from 'aws-cdk-lib/aws-iam';
import { DECISION_OPERATION } from '../shared/ledger/topology.ts';
import {
  alertKeys,
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
  // The LeadingKeys conditions below are `StringLike` patterns over `J#<jurisdiction>#<type>…`
  // (platform/table/keys.ts), one kind of partition in every jurisdiction. IAM's `*` matches any
  // characters, `#` included, so what keeps a pattern from over-matching is the keys themselves: a
  // jurisdiction id is kebab-case (jurisdictions/config) and every id after it is `#`-free too (UUIDs,
  // SHA-256 hex, `sub-<hex>`, alert ids of day, kind and hash, `<year>.<code>` with a code of letters,
  // digits, `.`, `_`, `-`). So a table key's `#`s fall only between its fixed segments, and the fixed
  // segments a pattern names (`#IDEM#decide-request#`, `#SUB#`, a final `#AUDITLOG`) are found in no
  // other kind of partition. Patterns are case-sensitive; the type words are upper case, ids lower.
  if (access === 'outbox') {
    // The outbox relay: it queries the outbox index and moves the decisions' records along it
    // (`J#<j>#IDEM#decide-request#<sha256>`; another operation's records name another operation).
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
    // The public confirmation route: it reads and updates subscription items (`J#<j>#SUB#<id>`), and
    // nothing else.
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
  if (access === 'alerts') {
    // The public acknowledgement link: it reads and updates alert items (`J#<j>#ALERT#<id>`), and
    // nothing else.
    return [
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [alertKeys.pattern] } },
      }),
    ];
  }
  const indexArns = spec.indexes.map((index) => `${tableArn}/index/${index.name}`);
  const read = new iam.PolicyStatement({
    actions: [...TABLE_READ_ACTIONS],
    resources: [tableArn, ...indexArns],
  });
  if (access === 'read' && fn.auditTrail) {
    // A reader records auditors' queries: it may add items to the audit log's partitions (one per
    // jurisdiction, `J#<j>#AUDITLOG`), nothing else: no other partition ends in `#AUDITLOG`, as each
    // ends in an id or a type word of its own after its last `#`.
    const trail = new iam.PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [auditLogKeys.pattern] } },
    });
    return [read, trail];
  }
  if (access === 'read') return [read];
  return [read, new iam.PolicyStatement({ actions: [...TABLE_WRITE_ACTIONS], resources: [tableArn] })];
};
