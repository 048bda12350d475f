import type { FunctionSpec, QueueSpec } from './topology.ts';

/** Queues of monitoring (the alerts queue, issue 3). */
export const MONITORING_QUEUES: QueueSpec[] = [];

/** Non-HTTP functions of monitoring (the scheduled monitor, the alert mailer; issue 3). */
export const MONITORING_FUNCTIONS: FunctionSpec[] = [];
