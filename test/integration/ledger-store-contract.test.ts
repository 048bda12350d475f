import { beforeAll } from 'vitest';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { describeContractStoreContract } from '../support/contracts/contract-store-contract.ts';
import { describeLedgerStoreContract } from '../support/contracts/ledger-store-contract.ts';
import { freshTable } from '../support/local-aws.ts';

// One table for the whole contract: every test of it works on ids, communes and years of its own.
let store: LedgerStore;
beforeAll(async () => {
  ({ store } = await freshTable('contract'));
});

describeLedgerStoreContract('DynamoLedgerRepository on DynamoDB Local', () => store);
describeContractStoreContract('DynamoLedgerRepository on DynamoDB Local', () => store);
