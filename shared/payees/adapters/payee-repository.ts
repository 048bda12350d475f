import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  idempotencyItem,
  putNew,
  TableRepository,
  transactOrCodes,
} from '../../ledger/adapters/ledger-repository.ts';
import { type IdempotencyRecord, IdempotencyRecordExists, type Page } from '../../ledger/app/ports.ts';
import { queryKeyPage, stripKeys } from '../../platform/aws/dynamo-items.ts';
import { payeeIdentifierKeys, payeeKeys } from '../../platform/table/keys.ts';
import { duplicatePayee } from '../app/payees.ts';
import type { PayeeFilter, PayeeStore } from '../app/ports.ts';
import { identifierOf, type Payee, type PayeeIdentifier } from '../domain/payee.ts';

/**
 * The payee register in the single table (keys: `payeeKeys`, `payeeIdentifierKeys` in
 * platform/table/keys.ts), in the payee's jurisdiction's partitions. A payee is written with a
 * uniqueness item for its identifier, so one tax code or citizen ID names one payee per jurisdiction.
 */
export class DynamoPayeeRepository extends TableRepository implements PayeeStore {
  async createPayee(payee: Payee, idempotency: IdempotencyRecord): Promise<void> {
    const identifier = identifierOf(payee);
    const codes = await transactOrCodes(this.db, [
      putNew(this.tableName, { ...payeeKeys.item(payee.jurisdiction, payee), ...payee }),
      putNew(this.tableName, {
        ...payeeIdentifierKeys.item(payee.jurisdiction, {
          type: identifier.type,
          identifier: identifier.value,
        }),
        jurisdiction: payee.jurisdiction,
        identifierType: identifier.type,
        identifier: identifier.value,
        payeeId: payee.id,
      }),
      putNew(this.tableName, idempotencyItem(idempotency)),
    ]);
    if (!codes) return;
    if (codes[2] === 'ConditionalCheckFailed') throw new IdempotencyRecordExists();
    if (codes[1] === 'ConditionalCheckFailed') {
      const holder = await this.identifierHolder(payee.jurisdiction, identifier);
      throw duplicatePayee({ id: holder ?? 'unknown' }, identifier);
    }
    throw new Error(`payee ${payee.id} could not be registered: ${codes.join(',')}`);
  }

  async getPayee(jurisdiction: string, id: string): Promise<Payee | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: payeeKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<Payee>(out.Item) : undefined;
  }

  /** The id of the payee holding an identifier, from its uniqueness item. */
  private async identifierHolder(
    jurisdiction: string,
    identifier: Pick<PayeeIdentifier, 'type' | 'value'>,
  ): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: payeeIdentifierKeys.key(jurisdiction, identifier.type, identifier.value),
        ConsistentRead: true,
      }),
    );
    return out.Item?.payeeId as string | undefined;
  }

  async findByIdentifier(
    jurisdiction: string,
    identifier: Pick<PayeeIdentifier, 'type' | 'value'>,
  ): Promise<Payee | undefined> {
    const id = await this.identifierHolder(jurisdiction, identifier);
    return id === undefined ? undefined : this.getPayee(jurisdiction, id);
  }

  listPayees(filter: PayeeFilter, limit: number, cursor?: string): Promise<Page<Payee>> {
    const key = payeeKeys.byName(filter.jurisdiction, filter.commune, filter.namePrefix);
    return queryKeyPage<Payee>(this.db, this.tableName, key, {}, limit, cursor);
  }
}
