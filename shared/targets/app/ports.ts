import type { IdempotencyRecord, LedgerStore } from '../../ledger/app/ports.ts';
import type { AllocationFigures, Indicator, Measurement } from '../domain/plan-target.ts';

/**
 * Storage of plan indicators and their measurements, and the year's allocation figures they are
 * counted from. Everything is one jurisdiction's, kept in its partitions (platform/table/keys.ts):
 * reads name the jurisdiction (the caller's), and one of another is simply not found; indicators are
 * put and measurements recorded in the jurisdiction they carry (`jurisdictionOf`: absent, the upgrade
 * default).
 */
export interface TargetStore extends Pick<LedgerStore, 'getIdempotency'>, OutputCatalogue {
  /** Creates or replaces an indicator's definition; true when it was new. */
  putIndicator(indicator: Indicator): Promise<boolean>;
  getIndicator(jurisdiction: string, id: string): Promise<Indicator | undefined>;
  listIndicators(jurisdiction: string, fiscalYear: number): Promise<Indicator[]>;
  /**
   * Stores a measurement with its idempotency record, in one transaction conditional on the indicator
   * still being measured; throws IdempotencyRecordExists when the key was taken meanwhile.
   */
  recordMeasurement(measurement: Measurement, idempotency: IdempotencyRecord): Promise<void>;
  /** The latest measurement of an indicator by the day it describes. */
  latestMeasurement(jurisdiction: string, indicatorId: string): Promise<Measurement | undefined>;
  /**
   * Running totals and counted outputs of every allocation of the jurisdiction's year, as stored (one
   * read per allocation, never per entry).
   */
  allocationFigures(
    jurisdiction: string,
    fiscalYear: number,
  ): Promise<(AllocationFigures & { allocationId: string })[]>;
}

/**
 * The output keys a jurisdiction's plan of a year declares (see declaredOutputKeys): what a request's
 * outputs may name. (Year first, as the ledger's request use case calls it.)
 */
export interface OutputCatalogue {
  declaredOutputKeys(fiscalYear: number, jurisdiction: string): Promise<string[]>;
}
