import {
  type DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { QueryFilter, queryAll, stripKeys } from '../../platform/aws/dynamo-items.ts';
import {
  allocationKeys,
  contractAmendmentKeys,
  contractKeys,
  contractListingKeys,
} from '../../platform/table/keys.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { ContractCommitment, ContractFilter, IdempotencyRecord } from '../app/ports.ts';
import { type Contract, type ContractAmendment, claimOf } from '../domain/contract.ts';
import type { DisbursementRequest } from '../domain/disbursement-request.ts';
import { FiscalYearClosedError } from '../domain/year-end-close.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const contractItem = (c: Contract) => ({
  ...contractKeys.item(c.jurisdiction, c),
  ...contractListingKeys.item(c.jurisdiction, c),
  ...c,
});

/**
 * The contract's part of a submission: its pending totals as the claim was checked, conditional on the
 * version it was checked on, so two submissions can never both pass on the same room.
 */
export const contractCommitItem = (tableName: string, commitment: ContractCommitment): TransactItem => {
  const c = commitment.committed;
  return {
    Update: {
      TableName: tableName,
      Key: contractKeys.key(c.jurisdiction, c.id),
      UpdateExpression:
        'SET pendingPaymentVnd = :pp, pendingAdvanceVnd = :pa, pendingRecoveryVnd = :pr, version = :next, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND version = :v',
      ExpressionAttributeValues: {
        ':pp': c.pendingPaymentVnd,
        ':pa': c.pendingAdvanceVnd,
        ':pr': c.pendingRecoveryVnd,
        ':next': commitment.expectedVersion + 1,
        ':at': c.updatedAt,
        ':v': commitment.expectedVersion,
      },
    },
  };
};

/**
 * The contract's part of a posting (`post`) or of a rejection or cancellation (`release`) of a contract
 * request; none for a direct one. Conditional on the claim being pending, so a total never goes
 * negative. Posting moves amounts between totals whose sum the submission already bounded (paid +
 * pending ≤ value, advanced + pending ≤ limit), and amendments keep that bound: paid ≤ value holds.
 */
export const contractClaimItems = (
  tableName: string,
  request: DisbursementRequest,
  action: 'post' | 'release',
): TransactItem[] => {
  const claim = claimOf(request);
  if (!claim) return [];
  const moves =
    claim.kind === 'advance'
      ? [['pendingAdvanceVnd', 'advancedVnd', claim.amountVnd] as const]
      : [
          ['pendingPaymentVnd', 'paidVnd', claim.amountVnd] as const,
          ['pendingRecoveryVnd', 'recoveredVnd', claim.recoveryVnd] as const,
        ];
  const values: Record<string, number> = {};
  const sets: string[] = [];
  const conditions: string[] = ['attribute_exists(pk)'];
  moves.forEach(([pending, posted, amount], i) => {
    values[`:a${i}`] = amount;
    sets.push(`${pending} = ${pending} - :a${i}`);
    if (action === 'post') sets.push(`${posted} = ${posted} + :a${i}`);
    conditions.push(`${pending} >= :a${i}`);
  });
  return [
    {
      Update: {
        TableName: tableName,
        Key: contractKeys.key(jurisdictionOf(request), claim.contractId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
      },
    },
  ];
};

/** Signing date, then id: the order a contract list is given in, whichever index read it. */
export const bySigning = (a: Contract, b: Contract): number =>
  a.signedOn === b.signedOn ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.signedOn < b.signedOn ? -1 : 1;

/** A contract write refused on its allocation's closed year. */
const yearClosed = (contract: Contract) =>
  new FiscalYearClosedError(
    `Contract ${contract.id} draws on allocation ${contract.allocationId}, whose fiscal year ${contract.fiscalYear} is closed: it takes no more contracts or amendments.`,
    { fiscalYear: contract.fiscalYear },
  );

/** Contracts on the table (the ledger repository delegates to it, and joins its items to its transactions). */
export class DynamoContractRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly transact: (items: TransactItem[]) => Promise<(string | undefined)[] | undefined>,
    private readonly idempotencyPut: (record: IdempotencyRecord) => TransactItem,
  ) {}

  /** The last item of a contract's writes: its allocation's fiscal year is not closed. */
  private yearOpenCheck(contract: Contract): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: allocationKeys.key(contract.jurisdiction, contract.allocationId),
        ConditionExpression: 'attribute_not_exists(closing)',
      },
    };
  }

  async createContract(contract: Contract, idempotency?: IdempotencyRecord): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: contractItem(contract),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    items.push(this.yearOpenCheck(contract));
    const codes = await this.transact(items);
    if (!codes) return true;
    if (codes.at(-1) === 'ConditionalCheckFailed') throw yearClosed(contract);
    if (idempotency && codes[1] === 'ConditionalCheckFailed') return false;
    throw new Error(`contract ${contract.id} could not be created: ${codes.join(',')}`);
  }

  async getContract(jurisdiction: string, id: string): Promise<Contract | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: contractKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<Contract>(out.Item) : undefined;
  }

  /**
   * An allocation's contracts (gsi1), else the jurisdiction's by the longest key prefix of year and
   * commune (gsi3); what the key does not narrow is filtered.
   */
  async listContracts(filter: ContractFilter): Promise<Contract[]> {
    const { jurisdiction, allocationId, fiscalYear, commune } = filter;
    const leading =
      fiscalYear === undefined ? [] : commune === undefined ? [fiscalYear] : [fiscalYear, commune];
    const key =
      allocationId !== undefined
        ? contractListingKeys.ofAllocation(jurisdiction, allocationId)
        : contractListingKeys.listing(jurisdiction, leading);
    const query = new QueryFilter(key.ExpressionAttributeValues);
    if (allocationId !== undefined && fiscalYear !== undefined) query.where('fiscalYear', '=', fiscalYear);
    if (commune !== undefined && (allocationId !== undefined || fiscalYear === undefined)) {
      query.where('commune', '=', commune);
    }
    const contracts = await queryAll<Contract>(this.db, this.tableName, { ...key, ...query.expression() });
    return contracts.sort(bySigning);
  }

  /** undefined when saved; else which condition failed: the contract's version, or the idempotency record. */
  async amendContract(
    amended: Contract,
    expectedVersion: number,
    amendment: ContractAmendment,
    idempotency?: IdempotencyRecord,
  ): Promise<'changed' | 'recorded' | undefined> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: contractItem(amended),
          ConditionExpression: 'attribute_exists(pk) AND version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...contractAmendmentKeys.item(amendment.jurisdiction, amendment), ...amendment },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    items.push(this.yearOpenCheck(amended));
    const codes = await this.transact(items);
    if (!codes) return undefined;
    if (codes.at(-1) === 'ConditionalCheckFailed') throw yearClosed(amended);
    if (codes[2] === 'ConditionalCheckFailed') return 'recorded';
    if (codes[0] === 'ConditionalCheckFailed') return 'changed';
    throw new Error(`amendment of contract ${amended.id} failed: ${codes.join(',')}`);
  }
}
