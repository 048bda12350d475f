import type { ApprovalPolicies, ApprovalPolicy } from '../../ledger/domain/approval-policy.ts';
import { approvalPolicyFiles, DEFAULT_JURISDICTION } from './approval-policies/index.ts';
import { loadApprovalPolicies } from './approval-policy-files.ts';
import districtJson from './district.json' with { type: 'json' };

/**
 * Approval policies per jurisdiction and fiscal years (edit the JSON files of approval-policies/),
 * checked at load: a broken file stops the deployment with a message naming the file and the fix.
 */
export const approvalPolicies: ApprovalPolicies = loadApprovalPolicies(
  approvalPolicyFiles,
  DEFAULT_JURISDICTION,
);

/** The policy of the default jurisdiction (Tây Giang's chains, the ones before jurisdictions). */
export const approvalPolicy: ApprovalPolicy = approvalPolicies.policies.find(
  (p) => p.jurisdiction === DEFAULT_JURISDICTION,
) as ApprovalPolicy;

/** The jurisdictions an approval policy names. */
export const policyJurisdictions: readonly string[] = [
  ...new Set(approvalPolicies.policies.map((p) => p.jurisdiction)),
];

/** The administrative units this deployment serves (edit the JSON file). */
export const district: { district: string; province: string; communes: readonly string[] } = districtJson;
