import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { itemsOfListing, queryAllItems } from '../../platform/aws/dynamo-items.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import { forecastKeys, requestKeys } from '../../platform/table/keys.ts';
import type { RequestHistory } from '../app/ports.ts';

/** DynamoDB adapter of the request history: a key range of the requests' gsi6 listing (never a Scan), then the requests by key. */
export class DynamoRequestHistory implements RequestHistory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listRequestsSubmittedBetween(
    jurisdiction: string,
    from: string,
    to: string,
  ): Promise<DisbursementRequest[]> {
    return queryAllItems<DisbursementRequest>(
      this.db,
      this.tableName,
      forecastKeys.requestsSubmittedBetween(jurisdiction, from, to),
    );
  }

  getRequests(jurisdiction: string, ids: readonly string[]): Promise<DisbursementRequest[]> {
    return itemsOfListing<DisbursementRequest>(
      this.db,
      this.tableName,
      [...new Set(ids)].map((id) => ({ ...requestKeys.key(jurisdiction, id) })),
    );
  }
}

/** The request history of a function, wired from its environment (read once, at init). */
export const requestHistoryFromEnv = (): DynamoRequestHistory =>
  new DynamoRequestHistory(sharedDocumentClient(), tableName());
