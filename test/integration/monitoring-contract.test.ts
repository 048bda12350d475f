import { beforeAll } from 'vitest';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import { describeMonitoringContracts } from '../support/contracts/monitoring-contract.ts';
import { freshTable } from '../support/local-aws.ts';

// One table for every contract: each test works on ids, owners and years of its own.
let ledger: LedgerStore;
let monitoring: DynamoMonitoringRepository;
beforeAll(async () => {
  const table = await freshTable('monitoring-contract');
  ledger = table.store;
  monitoring = new DynamoMonitoringRepository(table.db, table.tableName);
});

describeMonitoringContracts('DynamoMonitoringRepository on DynamoDB Local', () => ({
  progress: monitoring,
  monitoring,
  ledger,
}));
