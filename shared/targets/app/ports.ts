import type { IdempotencyRecord, LedgerStore } from '../../ledger/app/ports.ts';
import type { AllocationFigures, Indicator, Measurement } from '../domain/plan-target.ts';

/**
 * Storage of plan indicators and their measurements, and the year's allocation figures they are
 * counted from. Everything is one jurisdiction's: `jurisdiction` is the caller's (absent: the upgrade
 * default, whose indicators were stored before jurisdictions); indicators are put and measurements
 * recorded in the jurisdiction they carry.
 */
export interface TargetStore extends Pick<LedgerStore, 'getIdempotency'>, OutputCatalogue {
  /** Creates or replaces an indicator's definition; true when it was new. */
  putIndicator(indicator: Indicator): Promise<boolean>;
  getIndicator(id: string, jurisdiction?: string): Promise<Indicator | undefined>;
  listIndicators(fiscalYear: number, jurisdiction?: string): Promise<Indicator[]>;
  /**
   * Stores a measurement with its idempotency record, in one transaction conditional on the indicator
   * still being measured; throws IdempotencyRecordExists when the key was taken meanwhile.
   */
  recordMeasurement(measurement: Measurement, idempotency: IdempotencyRecord): Promise<void>;
  /** The latest measurement of an indicator by the day it describes. */
  latestMeasurement(indicatorId: string, jurisdiction?: string): Promise<Measurement | undefined>;
  /**
   * Running totals and counted outputs of every allocation of the jurisdiction's year, as stored (one
   * read per allocation, never per entry).
   */
  allocationFigures(
    fiscalYear: number,
    jurisdiction?: string,
  ): Promise<(AllocationFigures & { allocationId: string })[]>;
}

/**
 * The output keys a jurisdiction's plan of a year declares (see declaredOutputKeys): what a request's
 * outputs may name. Absent jurisdiction: the upgrade default's.
 */
export interface OutputCatalogue {
  declaredOutputKeys(fiscalYear: number, jurisdiction?: string): Promise<string[]>;
}
