import { DynamoApprovalOutbox } from '../../shared/ledger/adapters/approval-outbox-repository.ts';
import { jurisdictionOf } from '../../shared/platform/tenancy.ts';
import { describeApprovalOutboxContract } from '../support/contracts/approval-outbox-contract.ts';
import { freshTable } from '../support/local-aws.ts';

// A table per test: the outbox lists everything due in its table.
describeApprovalOutboxContract('DynamoApprovalOutbox on DynamoDB Local', async () => {
  const { db, tableName, store } = await freshTable('outbox-contract');
  return {
    outbox: new DynamoApprovalOutbox(db, tableName),
    // A decision is accepted into the outbox by storing its idempotency record with its event.
    accept: async (key, event, acceptedAt) => {
      await store.putIdempotency({
        jurisdiction: jurisdictionOf(event.actor),
        scope: key,
        fingerprint: 'f',
        result: {},
        event,
        createdAt: acceptedAt,
      });
    },
  };
});
