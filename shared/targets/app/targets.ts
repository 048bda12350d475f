import { type Actor, assertDistrictWide, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { NotFoundError, NotMeasuredError, ValidationError } from '../../platform/errors.ts';
import { fingerprint, idempotencyScope, idempotent, type Replayable } from '../../platform/idempotency.ts';
import { problemsField, splitByRange, type TotalsProblem } from '../../platform/total-range.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import {
  byPlanOrder,
  definitionProblem,
  evaluateIndicator,
  figureTotals,
  type Indicator,
  type IndicatorProgress,
  latestMeasurement,
  type Measurement,
  measurementDateProblem,
  parseIndicatorId,
  yearFigures,
} from '../domain/plan-target.ts';
import type { TargetStore } from './ports.ts';

export interface TargetDeps extends Env {
  targets: TargetStore;
}

/** What a planner gives to define an indicator; its year and code come from the id. */
export type IndicatorDefinition = Pick<
  Indicator,
  'name' | 'unit' | 'target' | 'source' | 'order' | 'outputKeys' | 'breakdown'
>;

export interface NewMeasurement {
  value: number;
  date: string;
  source: string;
}

/**
 * Indicators are plan figures of the whole jurisdiction: every role of it reads them, a commune-scoped
 * user included (they show no commune's own data), but only a jurisdiction-wide planner changes them.
 * Nobody reads or changes another jurisdiction's: each has its own indicators, ids included.
 */
const assertMayChange = (actor: Actor): void => assertDistrictWide(scopeOf(actor), 'Plan indicators');

/** The jurisdiction whose indicators the caller works on: their own. */
const jurisdictionOfActor = (actor: Actor): string => jurisdictionOfScope(scopeOf(actor));

/**
 * Evaluates indicators of one year. An allocation whose totals or output counts are stored out of
 * range is left out of every actual and named in `problems`.
 */
const evaluateAll = async (
  targets: TargetStore,
  jurisdiction: string,
  indicators: Indicator[],
): Promise<{ items: IndicatorProgress[]; problems: TotalsProblem[] }> => {
  if (indicators.length === 0) return { items: [], problems: [] };
  const fiscalYear = indicators[0]?.fiscalYear ?? 0;
  const needsAllocations = indicators.some((i) => i.source !== 'measurements');
  const { items: kept, problems } = splitByRange(
    needsAllocations ? await targets.allocationFigures(jurisdiction, fiscalYear) : [],
    (f) => f.allocationId,
    figureTotals,
  );
  const figures = yearFigures(kept);
  const items = await Promise.all(
    indicators.map(async (indicator) =>
      evaluateIndicator(
        indicator,
        figures,
        indicator.source === 'measurements'
          ? await targets.latestMeasurement(jurisdiction, indicator.id)
          : undefined,
      ),
    ),
  );
  return { items, problems };
};

/** Every indicator of the caller's jurisdiction's year with its target, actual, progress and status. */
export const listTargets = async (deps: Pick<TargetDeps, 'targets'>, actor: Actor, fiscalYear: number) => {
  const jurisdiction = jurisdictionOfActor(actor);
  const indicators = await deps.targets.listIndicators(jurisdiction, fiscalYear);
  indicators.sort(byPlanOrder);
  const { items, problems } = await evaluateAll(deps.targets, jurisdiction, indicators);
  return { fiscalYear, items, ...problemsField(problems) };
};

/** One of the jurisdiction's indicators: another jurisdiction's of the same id is not found, as if it did not exist. */
const requireIndicator = async (
  targets: TargetStore,
  jurisdiction: string,
  id: string,
): Promise<Indicator> => {
  const indicator = await targets.getIndicator(jurisdiction, id);
  if (!indicator) throw new NotFoundError(`No plan indicator with id ${id}; see GET /targets?fiscalYear=.`);
  return indicator;
};

/** Creates or replaces an indicator's definition (name, unit, target, source, output keys). */
export const defineIndicator = async (
  deps: TargetDeps,
  actor: Actor,
  id: string,
  definition: IndicatorDefinition,
): Promise<{ indicator: IndicatorProgress; created: boolean }> => {
  assertMayChange(actor);
  const parsed = parseIndicatorId(id);
  if (!parsed) throw new ValidationError('path.id: must be <fiscalYear>.<code>, e.g. 2024.houses');
  const problem = definitionProblem(definition);
  if (problem) throw new ValidationError(`body: ${problem}.`);
  const jurisdiction = jurisdictionOfActor(actor);
  const indicator: Indicator = {
    id,
    jurisdiction,
    ...parsed,
    name: definition.name,
    unit: definition.unit,
    target: definition.target,
    source: definition.source,
    ...(definition.order !== undefined ? { order: definition.order } : {}),
    ...(definition.outputKeys ? { outputKeys: definition.outputKeys } : {}),
    ...(definition.breakdown ? { breakdown: definition.breakdown } : {}),
    updatedAt: deps.now().toISOString(),
    updatedBy: actor.sub,
  };
  const created = await deps.targets.putIndicator(indicator);
  const {
    items: [item],
  } = await evaluateAll(deps.targets, jurisdiction, [indicator]);
  if (!item) throw new Error(`indicator ${id} was not evaluated`);
  return { indicator: item, created };
};

/**
 * Records a figure that comes from outside the ledger (e.g. poor households after the annual review),
 * once per Idempotency-Key; answers with the indicator as it now stands.
 */
export const recordMeasurement = async (
  deps: TargetDeps,
  actor: Actor,
  id: string,
  input: NewMeasurement,
  idempotencyKey: string,
): Promise<Replayable<IndicatorProgress>> => {
  assertMayChange(actor);
  const key = idempotencyScope('record-measurement', actor, idempotencyKey, id);
  const { scope } = key;
  const print = fingerprint(input);
  return idempotent(deps.targets, key, print, async () => {
    const jurisdiction = jurisdictionOfActor(actor);
    const indicator = await requireIndicator(deps.targets, jurisdiction, id);
    if (indicator.source !== 'measurements') {
      throw new NotMeasuredError(
        `Indicator ${id} is computed from ${indicator.source}, not measured; only indicators with source "measurements" take measurements.`,
        { source: indicator.source },
      );
    }
    const now = deps.now();
    const problem = measurementDateProblem(input.date, indicator.fiscalYear, vnDateOf(now));
    if (problem) throw new ValidationError(`body.date: ${problem}.`);
    const measurement: Measurement = {
      id: deps.newId(),
      indicatorId: id,
      jurisdiction,
      value: input.value,
      date: input.date,
      source: input.source,
      recordedBy: actor.sub,
      recordedAt: now.toISOString(),
    };
    // The answer is computed before the write, so a replay returns exactly what the first call said.
    const previous = await deps.targets.latestMeasurement(jurisdiction, id);
    const latest = latestMeasurement(previous ? [previous, measurement] : [measurement]);
    // A measured indicator's actual needs no allocation figures.
    const result = evaluateIndicator(indicator, yearFigures([]), latest);
    await deps.targets.recordMeasurement(measurement, {
      jurisdiction: key.jurisdiction,
      scope,
      fingerprint: print,
      result,
      createdAt: measurement.recordedAt,
    });
    return result;
  });
};
