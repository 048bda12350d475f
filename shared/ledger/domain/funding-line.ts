/** Where the money comes from: central budget, provincial budget, district counterpart funds ("vốn đối ứng"), community. */
export const FUNDING_LINES = ['central', 'provincial', 'local', 'community'] as const;
export type FundingLine = (typeof FUNDING_LINES)[number];

/** Public investment (the 100% disbursement target applies) or recurrent spending ("vốn sự nghiệp"). */
export const CAPITAL_TYPES = ['investment', 'recurrent'] as const;
export type CapitalType = (typeof CAPITAL_TYPES)[number];

export const PAYEE_KINDS = ['household', 'cooperative', 'contractor', 'agency', 'individual'] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];
