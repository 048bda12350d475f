import { stripKeys } from '../../platform/aws/dynamo-items.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import type { Allocation } from '../domain/allocation.ts';

/**
 * Outputs counted on an allocation item (README "DynamoDB table design"): one top-level number
 * attribute `output#<key>` per output key, added by the posting transaction. Top-level attributes,
 * not a map, because ADD creates a missing top-level attribute but cannot create a path inside a
 * missing map (allocations written before outputs were counted have none).
 */
export const OUTPUT_ATTRIBUTE_PREFIX = 'output#';

/**
 * The ` ADD …` clause (with its names and values) that counts a request's outputs, and the condition
 * (` AND …`) that keeps each count within 10^15; both empty when it declares none. `totals` are other
 * top-level attributes the same clause adds to (the allocation's `advancedVnd`, `recoveredVnd`: each
 * at most `disbursedVnd`, which the caller's condition keeps within 10^15).
 */
export const addOutputs = (
  outputs: Record<string, number> | undefined,
  totals: Record<string, number> = {},
): {
  expression: string;
  condition: string;
  names?: Record<string, string>;
  values: Record<string, number>;
} => {
  const counted = Object.entries(outputs ?? {}).filter(([, n]) => n > 0);
  const added = Object.entries(totals).filter(([, n]) => n > 0);
  if (counted.length === 0 && added.length === 0) return { expression: '', condition: '', values: {} };
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = counted.map(([key, n], i) => {
    names[`#out${i}`] = `${OUTPUT_ATTRIBUTE_PREFIX}${key}`;
    values[`:out${i}`] = n;
    values[`:outMax${i}`] = MAX_AMOUNT_VND - n;
    return `#out${i} :out${i}`;
  });
  for (const [i, [name, n]] of added.entries()) {
    values[`:total${i}`] = n;
    adds.push(`${name} :total${i}`);
  }
  const fits = counted.map((_, i) => ` AND (attribute_not_exists(#out${i}) OR #out${i} <= :outMax${i})`);
  return {
    expression: ` ADD ${adds.join(', ')}`,
    condition: fits.join(''),
    ...(counted.length > 0 ? { names } : {}),
    values,
  };
};

/**
 * The outputs counted on an allocation item, per key, as stored: a count past 2^53 comes back as a
 * bigint, which readers must report (shared/platform/total-range.ts) rather than drop or add up.
 */
export const outputsOfItem = (item: Record<string, unknown>): Record<string, number> => {
  const outputs: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(OUTPUT_ATTRIBUTE_PREFIX)) {
      outputs[name.slice(OUTPUT_ATTRIBUTE_PREFIX.length)] = value as number;
    }
  }
  return outputs;
};

/** An allocation item without its output counters: the counts are the store's, not the domain's. */
export const withoutOutputs = <T extends Record<string, unknown>>(item: T): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith(OUTPUT_ATTRIBUTE_PREFIX))) as T;

/**
 * The allocation an item holds, without its storage keys and output counters: how every reader of
 * allocation items (the ledger's, the monitor's) gives them back.
 */
export const allocationOf = (item: Record<string, unknown>): Allocation =>
  stripKeys<Allocation>(withoutOutputs(item));
