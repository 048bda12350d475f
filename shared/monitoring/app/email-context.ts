import type { JurisdictionCatalog } from '../../jurisdictions/app/jurisdictions.ts';
import { placeNamesIn } from '../../jurisdictions/app/jurisdictions.ts';
import { type ApprovalPolicies, covers } from '../../ledger/domain/approval-policy.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import type { EmailContext } from '../presentation/alert-email.ts';

/**
 * The context an e-mail of a jurisdiction is written in (absent: the upgrade default's, that of data
 * from before jurisdictions), with its places as they were on `on` and, given a fiscal year, the levels
 * of that year's approval policy.
 */
export type EmailContextOf = (
  jurisdiction: string | undefined,
  on: IsoDate,
  fiscalYear?: number,
) => EmailContext;

/** Names e-mails from the jurisdiction files and the approval policies of the deployment. */
export const emailContextOf =
  (jurisdictions: JurisdictionCatalog, policies: ApprovalPolicies): EmailContextOf =>
  (jurisdiction, on, fiscalYear) => {
    const id = jurisdiction ?? jurisdictions.upgradeDefault;
    const policy =
      fiscalYear === undefined
        ? undefined
        : policies.policies.find((p) => p.jurisdiction === id && covers(p, fiscalYear));
    return { places: placeNamesIn(jurisdictions, id, on), ...(policy ? { levels: policy.levels } : {}) };
  };
