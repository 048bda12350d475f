import type { IdempotencyRecord, LedgerStore } from '../../ledger/app/ports.ts';
import type { AllocationFigures, Indicator, Measurement } from '../domain/plan-target.ts';

/** Storage of plan indicators and their measurements, and the year's allocation figures they are counted from. */
export interface TargetStore extends Pick<LedgerStore, 'getIdempotency'>, OutputCatalogue {
  /** Creates or replaces an indicator's definition; true when it was new. */
  putIndicator(indicator: Indicator): Promise<boolean>;
  getIndicator(id: string): Promise<Indicator | undefined>;
  listIndicators(fiscalYear: number): Promise<Indicator[]>;
  /**
   * Stores a measurement with its idempotency record, in one transaction conditional on the indicator
   * still being measured; throws IdempotencyRecordExists when the key was taken meanwhile.
   */
  recordMeasurement(measurement: Measurement, idempotency: IdempotencyRecord): Promise<void>;
  /** The latest measurement of an indicator by the day it describes. */
  latestMeasurement(indicatorId: string): Promise<Measurement | undefined>;
  /**
   * Running totals and counted outputs of every allocation of the year, as stored (one read per
   * allocation, never per entry).
   */
  allocationFigures(fiscalYear: number): Promise<(AllocationFigures & { allocationId: string })[]>;
}

/** The output keys a year's plan declares (see declaredOutputKeys): what a request's outputs may name. */
export interface OutputCatalogue {
  declaredOutputKeys(fiscalYear: number): Promise<string[]>;
}
