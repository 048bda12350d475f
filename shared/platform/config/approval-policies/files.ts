import type { ApprovalPolicies, ApprovalPolicy } from '../../../ledger/domain/approval-policy.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../tenancy.ts';
import daNang2026 from './da-nang-2026.json' with { type: 'json' };
import tayGiang from './tay-giang.json' with { type: 'json' };

/**
 * The approval policy files, by file name (a test checks every JSON file of this folder is listed).
 * A chain changes in its file; a new jurisdiction or period adds a file and its line here.
 */
export const approvalPolicyFiles: Readonly<Record<string, unknown>> = {
  'tay-giang.json': tayGiang,
  'da-nang-2026.json': daNang2026,
};

/**
 * The files read as policies without checking them: for the dashboard, which must not bundle zod (its
 * eval probe trips the page's Content-Security-Policy). The server loads the same files through
 * load.ts, which checks them, and the unit tests load them at every run.
 */
export const uncheckedApprovalPolicies: ApprovalPolicies = {
  defaultJurisdiction: UPGRADE_DEFAULT_JURISDICTION,
  policies: Object.values(approvalPolicyFiles) as ApprovalPolicy[],
};
