import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import type { PayeeLookup } from '../app/contracts.ts';

/**
 * STAND-IN for the payee register (shared/payees, built beside contracts): reads a payee item
 * `J#<j>#PAYEE#<id>` / `P` holding `{ id, kind, name }`. When the register is merged, payeeLookupFromEnv
 * returns its store instead (its getPayee has this signature) and this file goes.
 */
export class StandInPayeeLookup implements PayeeLookup {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getPayee(jurisdiction: string, id: string) {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: StandInPayeeLookup.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    const item = out.Item as { id?: unknown; kind?: unknown; name?: unknown } | undefined;
    if (typeof item?.kind !== 'string' || typeof item.name !== 'string') return undefined;
    return { id, kind: item.kind, name: item.name };
  }

  /** The stand-in's key of a payee (the tests write payees there until the register lands). */
  static key(jurisdiction: string, id: string) {
    return { pk: `J#${jurisdiction}#PAYEE#${id}`, sk: 'P' };
  }
}

/** The payee register a function reads contracts' payees from. */
export const payeeLookupFromEnv = (): PayeeLookup =>
  new StandInPayeeLookup(sharedDocumentClient(), tableName());
