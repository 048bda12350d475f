import type { FunctionSpec } from './topology.ts';

/** Non-HTTP functions of the audit side (the daily chain digest; issue 4). */
export const AUDIT_FUNCTIONS: FunctionSpec[] = [];
