import { describeApprovalOutboxContract } from '../support/contracts/approval-outbox-contract.ts';
import { InMemoryApprovalOutbox } from './support/in-memory-approval-outbox.ts';

describeApprovalOutboxContract('InMemoryApprovalOutbox', async () => {
  const outbox = new InMemoryApprovalOutbox();
  return { outbox, accept: async (key, event, acceptedAt) => outbox.add(key, event, acceptedAt) };
});
