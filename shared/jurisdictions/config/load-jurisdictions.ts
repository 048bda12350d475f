import * as z from 'zod';
import { text } from '../../platform/http/schemas.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';
import {
  type AdministrativeUnit,
  dayBefore,
  type Jurisdiction,
  levelOf,
  UNIT_TIERS,
} from '../domain/administrative-unit.ts';

/** One jurisdiction's configuration file as read: its path (for messages) and its parsed JSON. */
export interface JurisdictionFile {
  file: string;
  content: unknown;
}

/** The configuration is wrong; `problems` each name the file, the unit and what to fix. */
export class JurisdictionConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The jurisdiction configuration is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'JurisdictionConfigError';
  }
}

/** A unit or jurisdiction id: kebab-case ASCII. */
export const unitId = z
  .string('must be a unit id (text)')
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'must be a kebab-case id: lower-case letters a-z, digits and single dashes, e.g. "a-vuong"',
  )
  .max(64, 'must be at most 64 characters');
/** A calendar day as configuration and queries write it. */
export const calendarDay = z
  .string('must be a date written YYYY-MM-DD')
  .refine(isIsoDate, 'must be a real calendar date written YYYY-MM-DD, e.g. 2025-07-01');

const UnitRecord = z.strictObject({
  id: unitId,
  name: text(100),
  tier: z.enum(UNIT_TIERS, `must be one of: ${UNIT_TIERS.join(', ')}`),
  parent: unitId.optional(),
  validFrom: calendarDay,
  validTo: calendarDay.optional(),
  mergedFrom: z.array(unitId).min(1, 'must name at least one unit, or be left out').optional(),
});

const JurisdictionRecord = z.strictObject({
  id: unitId,
  unit: unitId,
  /** Where the facts come from (resolutions, decrees); free text for people, not read by the code. */
  sources: z.array(text(500)).optional(),
  units: z.array(UnitRecord).min(1, 'must list at least the jurisdiction’s own unit'),
  /** The `local` funding line's name in e-mails, reports and the dashboard: the budget of this tier. */
  localBudget: z.strictObject(
    { vi: text(100), en: text(100) },
    'must give the local budget\'s name as {"vi": "Ngân sách …", "en": "… budget"}',
  ),
});

const fileName = (file: string) => file.split('/').pop() ?? file;
/**
 * A file's records by unit id. Not `Map.groupBy`: the dashboard type-checks this file (its API types
 * reach it) against the browsers it supports, which lack it.
 */
const byUnitId = (units: AdministrativeUnit[]): Map<string, AdministrativeUnit[]> => {
  const out = new Map<string, AdministrativeUnit[]>();
  for (const u of units) out.set(u.id, [...(out.get(u.id) ?? []), u]);
  return out;
};
const span = (u: AdministrativeUnit) => `${u.validFrom} to ${u.validTo ?? 'today'}`;
const overlaps = (a: AdministrativeUnit, b: AdministrativeUnit) =>
  a.validFrom <= (b.validTo ?? '9999-12-31') && b.validFrom <= (a.validTo ?? '9999-12-31');

/**
 * The first day of [from, to] (to absent: open-ended) on which none of `records` exists, or undefined
 * when together they cover every day of it.
 */
const firstUncoveredDay = (records: AdministrativeUnit[], from: string, to?: string): string | undefined => {
  let day = from;
  // ISO dates order as plain strings; localeCompare would start ICU's collator in every function's
  // import, where the jurisdiction files are checked (about 10 ms of CPU, npm run bench's cold start).
  const byStart = [...records].sort((a, b) =>
    a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0,
  );
  for (const r of byStart) {
    if (r.validFrom > day) break;
    if (r.validTo === undefined) return undefined;
    if (r.validTo >= day) day = nextDay(r.validTo);
    if (to !== undefined && day > to) return undefined;
  }
  return day;
};
const nextDay = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** The ids above a unit, through the parents of any of its records (a parent cycle ends the walk). */
const idsAbove = (byId: Map<string, AdministrativeUnit[]>, id: string): Set<string> => {
  const seen = new Set<string>();
  for (let next = [id]; next.length > 0; ) {
    next = next
      .flatMap((i) => (byId.get(i) ?? []).flatMap((u) => (u.parent ? [u.parent] : [])))
      .filter((p) => !seen.has(p));
    for (const p of next) seen.add(p);
  }
  return seen;
};

/** Problems of one file's units on their own (dates, parents, duplicates, membership). */
const fileProblems = (where: string, j: Jurisdiction): string[] => {
  const problems: string[] = [];
  const at = (u: AdministrativeUnit) => `${where}: unit "${u.id}"`;
  const byId = byUnitId(j.units);
  for (const u of j.units) {
    if (u.validTo !== undefined && u.validTo < u.validFrom) {
      problems.push(
        `${at(u)}: validTo ${u.validTo} is before validFrom ${u.validFrom}; a unit lasts at least one day — fix one of the two dates`,
      );
    }
    if (levelOf(u.tier) === 1 && u.parent !== undefined) {
      problems.push(`${at(u)}: a ${u.tier} is of province level and has no parent; remove "parent"`);
    }
    if (levelOf(u.tier) > 1 && u.parent === undefined) {
      problems.push(`${at(u)}: a ${u.tier} needs a parent; give the id of the unit directly above it`);
    }
    if (u.parent === undefined) continue;
    const parents = byId.get(u.parent);
    if (!parents) {
      problems.push(`${at(u)}: parent "${u.parent}" is not a unit of this file; add it or correct the id`);
      continue;
    }
    const lower = parents.find((p) => overlaps(p, u) && levelOf(p.tier) >= levelOf(u.tier));
    if (lower) {
      problems.push(
        `${at(u)}: parent "${u.parent}" is a ${lower.tier}, not above a ${u.tier}; give a unit of a higher level`,
      );
    }
    const gap = firstUncoveredDay(parents, u.validFrom, u.validTo);
    if (gap !== undefined && (u.validTo === undefined || gap <= u.validTo)) {
      problems.push(
        `${at(u)}: parent "${u.parent}" does not exist on ${gap} (it exists ${parents.map(span).join(', ')}) but the unit does (${span(u)}); the parent must exist on every day the unit does — correct the dates or the parent`,
      );
    }
  }
  for (const [id, records] of byId) {
    records.forEach((a, i) => {
      for (const b of records.slice(i + 1)) {
        if (overlaps(a, b)) {
          problems.push(
            `${where}: unit "${id}" is declared twice for overlapping days (${span(a)} and ${span(b)}); end the first (validTo) the day before the second begins, or remove one`,
          );
        }
      }
    });
  }
  if (!byId.has(j.unit)) {
    problems.push(
      `${where}: the jurisdiction's unit "${j.unit}" is not among its units; add it or correct "unit"`,
    );
    return problems;
  }
  // Every unit is the jurisdiction's own, one above it or one under it.
  const above = idsAbove(byId, j.unit);
  for (const u of j.units) {
    const orphan = u.parent !== undefined && !byId.has(u.parent); // reported above
    if (u.id !== j.unit && !orphan && !above.has(u.id) && !idsAbove(byId, u.id).has(j.unit)) {
      problems.push(
        `${at(u)}: it is neither the jurisdiction's unit "${j.unit}", one above it nor one under it; move it to its own jurisdiction's file or correct its parent`,
      );
    }
  }
  return problems;
};

/** Problems across files: jurisdiction ids, units declared in two files, `mergedFrom`. */
const crossProblems = (loaded: { where: string; j: Jurisdiction }[]): string[] => {
  const problems: string[] = [];
  const seenJurisdiction = new Map<string, string>();
  const declared = new Map<string, { where: string; records: AdministrativeUnit[] }>();
  for (const { where, j } of loaded) {
    const first = seenJurisdiction.get(j.id);
    if (first) {
      problems.push(
        `${where}: jurisdiction "${j.id}" is also declared in ${first}; give each jurisdiction its own id`,
      );
    } else seenJurisdiction.set(j.id, where);
    for (const [id, records] of byUnitId(j.units)) {
      const other = declared.get(id);
      if (!other) declared.set(id, { where, records });
      else if (JSON.stringify(other.records) !== JSON.stringify(records)) {
        problems.push(
          `${where}: unit "${id}" is declared differently in ${other.where}; a unit shared by two jurisdictions (e.g. their province) must be declared the same in both`,
        );
      }
    }
  }
  for (const { where, j } of loaded) {
    for (const u of j.units) {
      const seen = new Set<string>();
      for (const from of u.mergedFrom ?? []) {
        const at = `${where}: unit "${u.id}": mergedFrom "${from}"`;
        if (seen.has(from)) problems.push(`${at} is listed twice; list it once`);
        seen.add(from);
        const records = declared.get(from)?.records;
        if (!records) {
          problems.push(`${at} is not a unit of any jurisdiction file; add it or correct the id`);
          continue;
        }
        const end = dayBefore(u.validFrom);
        if (!records.some((r) => r.validTo === end)) {
          problems.push(
            `${at} must end the day before this unit begins (validTo ${end}), but it exists ${records.map(span).join(', ')}; correct its validTo or this unit's validFrom`,
          );
        }
      }
    }
  }
  return problems;
};

/**
 * Reads and checks jurisdiction files: each against the schema, then every rule across units and
 * files. Throws one {@link JurisdictionConfigError} listing every problem, so a deployment with a wrong
 * file fails at start with all that is to fix, never later on a request.
 */
export const loadJurisdictions = (files: readonly JurisdictionFile[]): Jurisdiction[] => {
  const problems: string[] = [];
  const loaded: { where: string; j: Jurisdiction }[] = [];
  for (const { file, content } of files) {
    const parsed = JurisdictionRecord.safeParse(content);
    if (!parsed.success) {
      const units = (content as { units?: { id?: unknown }[] } | undefined)?.units;
      for (const issue of parsed.error.issues) {
        const [first, index, ...rest] = issue.path;
        const id = first === 'units' && typeof index === 'number' ? units?.[index]?.id : undefined;
        const where =
          first === 'units' && typeof index === 'number'
            ? `${file}: ${typeof id === 'string' ? `unit "${id}"` : `units[${index}]`}${rest.length ? `: ${rest.join('.')}` : ''}`
            : `${file}${issue.path.length ? `: ${issue.path.join('.')}` : ''}`;
        problems.push(`${where}: ${issue.message}`);
      }
      continue;
    }
    const { sources: _, ...j } = parsed.data;
    if (fileName(file) !== `${j.id}.json`) {
      problems.push(`${file}: declares jurisdiction "${j.id}"; name the file ${j.id}.json or correct "id"`);
    }
    problems.push(...fileProblems(file, j));
    loaded.push({ where: file, j });
  }
  problems.push(...crossProblems(loaded));
  if (problems.length > 0) throw new JurisdictionConfigError(problems);
  return loaded.map(({ j }) => j);
};
