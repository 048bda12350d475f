import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { RequestThrottled, type SQSClient } from '@aws-sdk/client-sqs';
import type { SdkClientHook } from '../shared/platform/aws/aws-clients.ts';
import { currentInvocation, type Invocation } from './function-loader.ts';

/**
 * Faults and crashes injected into the SDK clients the handlers use, for reliability runs of the local
 * runtime. Registered through the `sdkClientHooks` extension point of shared/platform/aws/aws-clients.ts;
 * nothing here is part of a deployed function.
 *
 * Faults are thrown at the SDK's `initialize` step, above its retry strategy: each one reaches our
 * code the way an error does once the SDK has given up retrying (a burst of throttling or a network
 * outage longer than its three attempts). Below the retry strategy most of them would be retried away
 * by the SDK and our own handling would rarely be exercised. The SDK's own retries are tested apart
 * (test/integration/fault-injection.test.ts).
 */

/** Errors DynamoDB Local never produces, built the way the SDK surfaces them. */
export const transactionConflict = (items: number) =>
  new TransactionCanceledException({
    message:
      'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: Array.from({ length: Math.max(1, items) }, (_, i) =>
      i === 0
        ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
        : { Code: 'None' },
    ),
  });

export const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput.',
    $metadata: { httpStatusCode: 400 },
  });

/** What can go wrong with one AWS call. */
export const FAULT_KINDS = [
  /** TransactWriteItems cancelled for a TransactionConflict (TransactionConflictException on a single write). */
  'transaction-conflict',
  /** ProvisionedThroughputExceededException (DynamoDB). */
  'throughput-exceeded',
  /** ThrottlingException (DynamoDB) or RequestThrottled (SQS). */
  'throttling',
  /** ECONNRESET before the request reached the service: nothing happened. */
  'connection-reset',
  /** TimeoutError after the service applied the call: it happened, the answer was lost. */
  'response-lost',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const networkError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, $metadata: {} });

const faultError = (kind: FaultKind, service: 'dynamodb' | 'sqs', command: string, input: unknown) => {
  const $metadata = { httpStatusCode: 400 };
  switch (kind) {
    case 'transaction-conflict':
      return command === 'TransactWriteItemsCommand'
        ? transactionConflict((input as { TransactItems?: unknown[] }).TransactItems?.length ?? 1)
        : new TransactionConflictException({
            message: 'Transaction is ongoing for the item',
            $metadata,
          });
    case 'throughput-exceeded':
      return throttled();
    case 'throttling':
      return service === 'sqs'
        ? new RequestThrottled({ message: 'Request is throttled.', $metadata })
        : new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata });
    case 'connection-reset':
      return networkError('ECONNRESET', 'socket hang up');
    case 'response-lost':
      return Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
  }
};

const WRITES = /^(Put|Update|Delete)(Item)?Command$/;

/** The faults that fit a call: conflicts only on writes, DynamoDB-only errors only on DynamoDB. */
const kindsFor = (service: 'dynamodb' | 'sqs', command: string): FaultKind[] => {
  if (service === 'sqs') return ['throttling', 'connection-reset', 'response-lost'];
  const conflict = command === 'TransactWriteItemsCommand' || WRITES.test(command);
  return FAULT_KINDS.filter((k) => k !== 'transaction-conflict' || conflict);
};

/** mulberry32: a small seeded generator, so a run's sequence of fault decisions can be replayed. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** An injected crash: the Lambda died right after an AWS call; it answers nothing, later calls never happen. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

/** Where to crash: the first invocation of `functionId` to make `afterCall` AWS calls dies right after that call returns. */
export interface CrashPoint {
  functionId: string;
  afterCall: number;
}

/** The AWS calls one invocation made, in order. */
export interface InvocationTrace {
  functionId: string;
  commands: string[];
}

/** A switchable source of SDK faults and crashes for the handlers of a local runtime. */
export const createSdkFaults = () => {
  let random = seededRandom(1);
  let rate = 0;
  let armed: CrashPoint | undefined;
  const traces = new WeakMap<Invocation, InvocationTrace>();
  const recent: InvocationTrace[] = [];
  const counts = {
    /** AWS calls the handlers made. */
    calls: 0,
    injected: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    crashes: 0,
  };

  const traceOf = (invocation: Invocation) => {
    let trace = traces.get(invocation);
    if (!trace) {
      trace = { functionId: invocation.functionId, commands: [] };
      traces.set(invocation, trace);
      recent.push(trace);
      if (recent.length > 500) recent.shift();
    }
    return trace;
  };

  const middlewareFor =
    (service: 'dynamodb' | 'sqs') =>
    // biome-ignore lint/suspicious/noExplicitAny: one middleware serves both clients' handler types.
    (next: any, context: any) =>
    // biome-ignore lint/suspicious/noExplicitAny: the arguments of any command.
    async (args: any) => {
      const invocation = currentInvocation.getStore();
      if (!invocation) return next(args); // not a handler's call (seeding, the test's own reads)
      // A dead Lambda makes no more calls: whatever its code still tries fails at once.
      if (invocation.died) throw invocation.died;
      const command = String(context.commandName);
      counts.calls += 1;
      invocation.awsCalls += 1;
      // This call's own number: calls of one invocation may run concurrently (Promise.all), so the
      // count may have moved on by the time this one returns.
      const callNumber = invocation.awsCalls;
      traceOf(invocation).commands.push(command);
      let kind: FaultKind | undefined;
      if (rate > 0 && random() < rate) {
        const kinds = kindsFor(service, command);
        kind = kinds[Math.floor(random() * kinds.length)];
      }
      if (kind && kind !== 'response-lost') {
        counts.injected[kind] += 1;
        throw faultError(kind, service, command, args.input);
      }
      const output = await next(args);
      if (armed?.functionId === invocation.functionId && callNumber === armed.afterCall) {
        armed = undefined;
        counts.crashes += 1;
        invocation.died = new InjectedCrash(
          `${invocation.functionId} crashed after AWS call ${callNumber} (${command})`,
        );
        throw invocation.died;
      }
      if (kind === 'response-lost') {
        counts.injected[kind] += 1;
        throw faultError(kind, service, command, args.input);
      }
      return output;
    };

  const hook: SdkClientHook = (client: DynamoDBClient | SQSClient, service) => {
    (client.middlewareStack as DynamoDBClient['middlewareStack']).add(middlewareFor(service) as never, {
      step: 'initialize',
      name: 'localSdkFaults',
      override: true,
    });
  };

  return {
    hook,
    counts,
    /** Faults on a share `rate` of the handlers' AWS calls, decided by a generator seeded with `seed`. */
    start: (options: { rate: number; seed: number }) => {
      rate = options.rate;
      random = seededRandom(options.seed);
    },
    stop: () => {
      rate = 0;
    },
    /** Arms one crash; `armedCrashPending()` stays true until it happened. */
    armCrash: (point: CrashPoint) => {
      armed = { ...point };
    },
    disarm: () => {
      armed = undefined;
    },
    armedCrashPending: () => armed !== undefined,
    /** Total faults injected so far, all kinds. */
    injectedTotal: () => Object.values(counts.injected).reduce((a, b) => a + b, 0),
    clearTraces: () => {
      recent.length = 0;
    },
    /** The AWS calls of the latest invocations of a function, newest last. */
    tracesOf: (functionId: string) => recent.filter((t) => t.functionId === functionId),
  };
};

export type SdkFaults = ReturnType<typeof createSdkFaults>;
