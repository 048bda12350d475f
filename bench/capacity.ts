/** Reading the capacity DynamoDB reports on a response, for the benches' request counters. */

/** Capacity as DynamoDB reports it on a response: per table, with its indexes' share when asked (`INDEXES`). */
export interface ConsumedCapacityOf {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** A response's consumed capacity as a list (a batch or a transaction reports one per table). */
export const consumedCapacityOf = (output: unknown): ConsumedCapacityOf[] =>
  [
    (output as { ConsumedCapacity?: ConsumedCapacityOf | ConsumedCapacityOf[] }).ConsumedCapacity ?? [],
  ].flat();

/** The capacity units of a response, all tables and indexes together. */
export const capacityUnitsOf = (consumed: readonly ConsumedCapacityOf[]) =>
  consumed.reduce((a, c) => a + (c.CapacityUnits ?? 0), 0);
