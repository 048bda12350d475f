import { describe, expect, it } from 'vitest';
import { deliveryClaimTimeoutMs } from '../../shared/monitoring/adapters/from-env.ts';
import { ALERTS_QUEUE_ID, MONITORING_QUEUES } from '../../shared/monitoring/topology.ts';

describe('how long a crashed sender’s delivery claim blocks a redelivered alert', () => {
  it('is stale before the alerts queue redelivers, so a mail claimed by a dead sender still goes out', () => {
    const queue = MONITORING_QUEUES.find((q) => q.id === ALERTS_QUEUE_ID);
    expect(deliveryClaimTimeoutMs({})).toBeLessThan((queue?.visibilityTimeoutSeconds ?? 0) * 1000);
  });

  it('follows ALERT_CLAIM_TIMEOUT_SECONDS and refuses a value that is not a positive number', () => {
    expect(deliveryClaimTimeoutMs({ ALERT_CLAIM_TIMEOUT_SECONDS: '1.5' })).toBe(1500);
    expect(() => deliveryClaimTimeoutMs({ ALERT_CLAIM_TIMEOUT_SECONDS: 'soon' })).toThrow(
      'ALERT_CLAIM_TIMEOUT_SECONDS must be a positive number of seconds',
    );
  });
});
