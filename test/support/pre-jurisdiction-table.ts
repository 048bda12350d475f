import { readFileSync } from 'node:fs';
import { BatchWriteCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredItem } from '../../shared/platform/table/upgrade.ts';
import { FORMAT_MARKER_KEY } from '../../shared/platform/table/upgrade.ts';
import { freshTable } from './local-aws.ts';

/** The items of a table as the code before jurisdictions in keys left it: see its fixture's .md. */
export const PRE_JURISDICTION_ITEMS = JSON.parse(
  readFileSync(new URL('../integration/fixtures/pre-jurisdiction-table.json', import.meta.url), 'utf8'),
) as StoredItem[];

/**
 * A table on the shared DynamoDB Local holding those items and no format marker, as a table created
 * before there was one; named `name` when given (a local runtime's `<namespace>-ledger`).
 */
export const preJurisdictionTable = async (label: string, name?: string) => {
  const table = await freshTable(label, name);
  await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: FORMAT_MARKER_KEY }));
  for (let i = 0; i < PRE_JURISDICTION_ITEMS.length; i += 25) {
    const batch = PRE_JURISDICTION_ITEMS.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch } }));
  }
  return table;
};
