/**
 * The jurisdiction of accounts whose token carries no `custom:jurisdiction` and of data stored before
 * jurisdictions existed: both belong to the one jurisdiction the system served before (the upgrade
 * default).
 */
export const UPGRADE_DEFAULT_JURISDICTION = 'tay-giang';

/** The jurisdiction a resource belongs to: its own, or the upgrade default for data stored before. */
export const jurisdictionOf = (resource: { jurisdiction?: string | undefined }): string =>
  resource.jurisdiction ?? UPGRADE_DEFAULT_JURISDICTION;
