import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { voucherKeys } from '../../platform/table/keys.ts';
import type { LedgerEntry } from '../domain/ledger-entry.ts';
import type { VoucherClaim } from '../domain/treasury-voucher.ts';

/**
 * The conditional put of a voucher number's uniqueness item: it succeeds when no request holds the
 * number yet, or the same request does (a retried approval, then its posting).
 */
export const voucherPut = (tableName: string, claim: VoucherClaim): PutCommandInput => ({
  TableName: tableName,
  Item: { ...voucherKeys.item(claim.jurisdiction, claim), ...claim },
  ConditionExpression: 'attribute_not_exists(pk) OR requestId = :requestId',
  ExpressionAttributeValues: { ':requestId': claim.requestId },
});

/** The voucher an entry posts, as held by its request; undefined for an entry without a voucher. */
export const postedVoucherOf = (entry: LedgerEntry, jurisdiction: string): VoucherClaim | undefined =>
  entry.treasuryVoucher && {
    jurisdiction,
    fiscalYear: entry.fiscalYear,
    number: entry.treasuryVoucher.number,
    requestId: entry.requestId,
    entryId: entry.entryId,
    at: entry.postedAt,
  };
