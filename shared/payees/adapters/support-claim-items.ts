import {
  type DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import { supportClaimKeys } from '../../platform/table/keys.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { alreadySupported } from '../errors.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Claiming = Pick<DisbursementRequest, 'id' | 'jurisdiction' | 'payeeId' | 'supportClaims'>;

const claimsOf = (request: Claiming) =>
  request.payeeId === undefined
    ? []
    : (request.supportClaims ?? []).map((rule) => ({ rule, payeeId: request.payeeId as string }));

/**
 * The support claims a submission writes in its transaction, one per rule the request falls under,
 * each conditional on no other request holding it (a payee receives the support once, across years).
 */
export const supportClaimPuts = (tableName: string, request: Claiming): TransactItem[] =>
  claimsOf(request).map((claim) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...supportClaimKeys.item(jurisdictionOf(request), claim),
        ...claim,
        jurisdiction: jurisdictionOf(request),
        requestId: request.id,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));

/**
 * The deletes that release a rejected or cancelled request's claims in its closing transaction: only a
 * claim this request holds (a claim absent, e.g. never written, is no obstacle).
 */
export const supportClaimReleases = (tableName: string, request: Claiming): TransactItem[] =>
  claimsOf(request).map((claim) => ({
    Delete: {
      TableName: tableName,
      Key: supportClaimKeys.key(jurisdictionOf(request), claim.rule, claim.payeeId),
      ConditionExpression: 'attribute_not_exists(pk) OR requestId = :request',
      ExpressionAttributeValues: { ':request': request.id },
    },
  }));

/**
 * After a submission's transaction was cancelled: throws already_supported when one of its claims
 * (items from `offset` on) was the condition that failed, naming the request that holds it.
 */
export const assertClaimsHeld = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  request: Claiming,
  codes: (string | undefined)[],
  offset: number,
): Promise<void> => {
  const claims = claimsOf(request);
  for (const [i, claim] of claims.entries()) {
    if (codes[offset + i] !== 'ConditionalCheckFailed') continue;
    const out = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: supportClaimKeys.key(jurisdictionOf(request), claim.rule, claim.payeeId),
        ConsistentRead: true,
      }),
    );
    throw alreadySupported({ ...claim, requestId: out.Item?.requestId as string | undefined });
  }
};
