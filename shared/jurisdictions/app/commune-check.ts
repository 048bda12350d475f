import { ValidationError } from '../../platform/errors.ts';
import { quoteForMessage } from '../../platform/text-hygiene.ts';
import { communeNamesIn } from '../domain/administrative-unit.ts';
import { placeNames } from '../domain/place-names.ts';
import { type JurisdictionCatalog, servedJurisdiction } from './jurisdictions.ts';

/** Where a commune was named and for which year: `body.commune` of a 2024 allocation, `query.commune` of a filter. */
export interface CommuneUse {
  field: string;
  /** The fiscal year it is for; absent (a filter without one, a subscription): any year the jurisdiction has records of. */
  fiscalYear?: number | undefined;
}

/**
 * Refuses (400 `invalid_request`, field `commune`) a commune that is not a commune-level unit of the
 * caller's jurisdiction in the year: the request schema knows the communes of every jurisdiction
 * served, this knows whose they are and when. The message, in Vietnamese then English, lists the
 * names that would do.
 */
export const assertCommuneOf = (
  catalog: JurisdictionCatalog,
  jurisdictionId: string,
  commune: string | undefined,
  use: CommuneUse,
): void => {
  if (commune === undefined) return;
  const jurisdiction = servedJurisdiction(catalog, jurisdictionId);
  const allowed = communeNamesIn(jurisdiction, use.fiscalYear);
  if (allowed.includes(commune.normalize('NFC'))) return;
  const unit = placeNames(jurisdiction).unit;
  const year = use.fiscalYear === undefined ? '' : ` năm ${use.fiscalYear}`;
  const yearEn = use.fiscalYear === undefined ? '' : ` in fiscal year ${use.fiscalYear}`;
  const named = quoteForMessage(commune);
  const choice =
    allowed.length > 0
      ? `Chọn một trong / use one of: ${allowed.join(', ')}.`
      : `${unit.vi} không có xã nào${year} / ${unit.en} has no commune-level unit${yearEn}.`;
  throw new ValidationError(
    `${use.field}: ${named} không phải là xã, phường của ${unit.vi}${year} (is not a commune-level unit of ${unit.en}${yearEn}). ${choice}`,
    {
      field: use.field.replace(/^(body|query)\./, ''),
      commune,
      jurisdiction: jurisdiction.id,
      ...(use.fiscalYear !== undefined ? { fiscalYear: use.fiscalYear } : {}),
      allowed,
    },
  );
};
