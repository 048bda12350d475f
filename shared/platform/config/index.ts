import { type ApprovalPolicy, validatePolicy } from '../../ledger/domain/approval-policy.ts';
import policyJson from './approval-policy.json' with { type: 'json' };
import districtJson from './district.json' with { type: 'json' };

/** Approval chains per funding line and the amount thresholds that add levels (edit the JSON file). */
export const approvalPolicy: ApprovalPolicy = validatePolicy(policyJson as ApprovalPolicy);

/** The administrative units this deployment serves (edit the JSON file). */
export const district: { district: string; province: string; communes: readonly string[] } = districtJson;
