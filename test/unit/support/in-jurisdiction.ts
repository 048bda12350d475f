import { jurisdictionOf } from '../../../shared/platform/tenancy.ts';

/**
 * The fakes' reading of a jurisdiction filter, as `QueryFilter.inJurisdiction` reads it in DynamoDB:
 * no filter keeps everything; an item stored without a jurisdiction is the upgrade default's.
 */
export const inJurisdiction = (
  jurisdiction: string | undefined,
  item: { jurisdiction?: string | undefined },
): boolean => jurisdiction === undefined || jurisdictionOf(item) === jurisdiction;
