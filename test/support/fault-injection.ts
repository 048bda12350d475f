import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// The errors are built in one place, shared with the local runtime's SDK faults.
export { throttled, transactionConflict } from '../../local/sdk-faults.ts';

export interface FaultPlan {
  /** SDK command name, e.g. TransactWriteItemsCommand. */
  command: string;
  /** Decides per call whether to fail; gets the 1-based call number and the command's input. */
  fail: (call: number, input: Record<string, unknown>) => boolean;
  error: (input: Record<string, unknown>) => Error;
  /** 'before-retries' fails once per operation; 'inside-retries' lets the SDK's retry strategy see it. */
  where: 'before-retries' | 'inside-retries';
}

/** Injects faults into a real client at the SDK middleware layer; returns counters. */
export const injectFaults = (client: DynamoDBClient, plan: FaultPlan) => {
  const counters = { calls: 0, injected: 0 };
  // biome-ignore lint/suspicious/noExplicitAny: one middleware serves two steps with different handler types.
  const middleware = ((next: any, context: any) => async (args: any) => {
    if (context.commandName === plan.command) {
      counters.calls += 1;
      if (plan.fail(counters.calls, args.input as Record<string, unknown>)) {
        counters.injected += 1;
        throw plan.error(args.input as Record<string, unknown>);
      }
    }
    return next(args);
  }) as never;
  const name = `fault-${plan.command}`;
  if (plan.where === 'before-retries') {
    client.middlewareStack.add(middleware, { step: 'initialize', name, override: true });
  } else {
    client.middlewareStack.add(middleware, { step: 'deserialize', name, override: true });
  }
  return counters;
};
