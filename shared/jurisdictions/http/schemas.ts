import * as z from 'zod';
import type {} from 'zod-openapi';
import { ListOf } from '../../platform/http/schemas.ts';
import { calendarDay, unitId } from '../config/load-jurisdictions.ts';
import { UNIT_TIERS } from '../domain/administrative-unit.ts';

/** `{id}` of `/jurisdictions/{id}/units`: a jurisdiction id such as `tay-giang`. */
export const JurisdictionIdPath = z.strictObject({ id: unitId.meta({ example: 'da-nang' }) });

/** `GET /jurisdictions` takes no parameters: any is refused (400) rather than silently ignored. */
export const NoQuery = z.strictObject({}).meta({ id: 'NoQuery' });

/** `?on=YYYY-MM-DD`; absent: today in Vietnam. */
export const UnitsQuery = z
  .strictObject({
    on: calendarDay
      .meta({ description: 'The day, YYYY-MM-DD in Vietnam time; today when absent', example: '2025-07-01' })
      .optional(),
  })
  .meta({ id: 'UnitsQuery' });

export const UnitView = z
  .object({
    id: z.string().meta({ example: 'xa-avuong' }),
    name: z.string().meta({ example: 'Avương' }),
    tier: z.enum(UNIT_TIERS),
    label: z.string().meta({ description: 'Tier word and name', example: 'xã Avương' }),
    labelEn: z.string().meta({ example: 'Avương commune' }),
    parent: z.string().optional(),
    validFrom: z.string().meta({ example: '2025-07-01' }),
    validTo: z.string().optional().meta({ description: 'Last day it exists; absent while it does' }),
    mergedFrom: z
      .array(z.string())
      .optional()
      .meta({ description: 'Units that ended the day before and were merged into this one' }),
  })
  .meta({ id: 'AdministrativeUnit' });

export const JurisdictionView = z
  .object({
    id: z.string().meta({ example: 'tay-giang' }),
    unit: UnitView,
    validFrom: z.string(),
    validTo: z.string().optional(),
    localBudget: z.object({ vi: z.string(), en: z.string() }).meta({
      description: "The `local` funding line's name: the budget of the jurisdiction's own tier",
      example: { vi: 'Ngân sách thành phố', en: 'city budget' },
    }),
  })
  .meta({ id: 'Jurisdiction' });

export const JurisdictionsView = ListOf(JurisdictionView);

export const UnitsView = z
  .object({ jurisdiction: z.string(), on: z.string(), items: z.array(UnitView) })
  .meta({ id: 'UnitsOnDay' });
