import { type MonitoringConfig, validateMonitoringConfig } from '../domain/monitoring-policy.ts';
import monitoringJson from './monitoring.json' with { type: 'json' };

/** The expected-disbursement curve, lag and stalled-approval thresholds, per fiscal year (edit the JSON file). */
export const monitoringConfig: MonitoringConfig = validateMonitoringConfig(
  monitoringJson as MonitoringConfig,
);
