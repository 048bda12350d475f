import type { ApprovalPolicies, ApprovalPolicy } from '../../../ledger/domain/approval-policy.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../tenancy.ts';
import { approvalPolicyFiles } from './files.ts';
import { loadApprovalPolicies } from './load.ts';

/**
 * Approval policies per jurisdiction and fiscal years (edit the JSON files of this folder), checked at
 * load: a broken file stops the deployment with a message naming the file and the fix.
 */
export const approvalPolicies: ApprovalPolicies = loadApprovalPolicies(
  approvalPolicyFiles,
  UPGRADE_DEFAULT_JURISDICTION,
);

/** The policy of the default jurisdiction (Tây Giang's chains, the ones before jurisdictions). */
export const approvalPolicy: ApprovalPolicy = approvalPolicies.policies.find(
  (p) => p.jurisdiction === UPGRADE_DEFAULT_JURISDICTION,
) as ApprovalPolicy;

/** The jurisdictions an approval policy names. */
export const policyJurisdictions: readonly string[] = [
  ...new Set(approvalPolicies.policies.map((p) => p.jurisdiction)),
];
