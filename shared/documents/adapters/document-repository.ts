import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalPut, isConditionFailure, queryAll, stripKeys } from '../../platform/aws/dynamo-items.ts';
import { documentKeys } from '../../platform/table/keys.ts';
import type { DocumentStore } from '../app/ports.ts';
import type { DossierDocument } from '../domain/dossier-document.ts';

/**
 * The table's `type` attribute names the item type (`document`): a document's own type is stored as
 * `documentType` and read back as `type`.
 */
type StoredDocument = Omit<DossierDocument, 'type'> & { documentType: string };

/** A document's item as the table keeps it (an archive's restore writes the same). */
export const documentItem = ({ type, ...rest }: DossierDocument) => ({
  ...documentKeys.item(rest.jurisdiction, rest),
  ...rest,
  documentType: type,
});

const fromItem = (item: Record<string, unknown>): DossierDocument => {
  const { documentType, ...rest } = stripKeys<StoredDocument>(item);
  return { ...rest, type: documentType };
};

/** DynamoDB adapter of the {@link DocumentStore} port: each document in its request's partition. */
export class DynamoDocumentRepository implements DocumentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putDocument(document: DossierDocument): Promise<void> {
    const written = await conditionalPut(this.db, {
      TableName: this.tableName,
      Item: documentItem(document),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (!written) throw new Error(`document ${document.id} of request ${document.requestId} exists already`);
  }

  async getDocument(
    jurisdiction: string,
    requestId: string,
    id: string,
  ): Promise<DossierDocument | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: documentKeys.key(jurisdiction, requestId, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async listDocuments(jurisdiction: string, requestId: string): Promise<DossierDocument[]> {
    const items = await queryAll<Record<string, unknown>>(this.db, this.tableName, {
      ...documentKeys.ofRequest(jurisdiction, requestId),
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  async markVerified(document: DossierDocument): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: documentKeys.key(document.jurisdiction, document.requestId, document.id),
          // Only the declaration that was checked turns verified, and only once.
          ConditionExpression: '#status = :pending AND sha256 = :sha256 AND sizeBytes = :size',
          UpdateExpression: 'SET #status = :verified, verifiedAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':verified': 'verified',
            ':sha256': document.sha256,
            ':size': document.sizeBytes,
            ':at': document.verifiedAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
