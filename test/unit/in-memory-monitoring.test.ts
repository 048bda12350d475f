import { describeMonitoringContracts } from '../support/contracts/monitoring-contract.ts';
import { InMemoryMonitoring } from './support/in-memory-monitoring.ts';

describeMonitoringContracts('InMemoryMonitoring', () => {
  const monitoring = new InMemoryMonitoring();
  return { progress: monitoring, monitoring, ledger: monitoring.ledger };
});
