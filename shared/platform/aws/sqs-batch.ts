import type { RetriedLater } from '../errors.ts';

/**
 * How a consumer works through one SQS batch, with no AWS in it (tested with fake records): each
 * record's message is read and given an order key; records of one key run one after the other, in
 * the batch's order, and different keys run concurrently. A record whose body is not a message stands
 * alone. Once a record of a key fails, the later records of that key are not run but failed with it,
 * so SQS redelivers them together and none overtakes the one that failed (what Powertools'
 * `SqsFifoPartialProcessor` does per message group with `skipGroupOnError`).
 */

/** What the batch needs of a record. */
export interface BatchRecord {
  messageId: string;
  body: string;
}

/** The steps of one consumer; `C` is what a record carries through them (its logger). */
export interface BatchSteps<R extends BatchRecord, M, C> {
  /** Opens a record's context, once per record, before anything else is done with it. */
  open: (record: R) => C;
  /** The message a record's JSON body holds; throws when it is not one. */
  read: (body: unknown) => M;
  /** Records with the same key are run in order; keys run concurrently. */
  orderKey: (message: M) => string;
  /** Runs one record; rejects when it failed. */
  process: (message: M, context: C, record: R) => Promise<void>;
  /** Reports a record that failed or was held back; SQS will redeliver it. */
  failed: (error: unknown, context: C, record: R) => void;
}

/** A record's body is not JSON: it can never be read, and is retried then dead-lettered. */
export class NotJsonError extends Error {
  constructor() {
    super('the message body is not JSON');
    this.name = 'NotJsonError';
  }
}

/** A record held back because an earlier record of the same key failed in the batch. */
export class HeldBackError extends Error implements RetriedLater {
  readonly retriedLater = true;
  constructor(key: string, failedMessageId: string) {
    super(
      `not processed: message ${failedMessageId} of the same key (${key}) failed earlier in this batch, so this one waits for it`,
    );
    this.name = 'HeldBackError';
  }
}

type Entry<R, M> = { record: R; index: number } & ({ message: M; key: string } | { error: unknown });

/**
 * The batch in runs: one per order key, records in batch order, and one of its own for each record
 * that could not be read (key `undefined`).
 */
export const orderedRuns = <R extends BatchRecord, M>(
  records: readonly R[],
  steps: Pick<BatchSteps<R, M, unknown>, 'read' | 'orderKey'>,
): Entry<R, M>[][] => {
  const runs = new Map<string, Entry<R, M>[]>();
  const alone: Entry<R, M>[][] = [];
  for (const [index, record] of records.entries()) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      alone.push([{ record, index, error: new NotJsonError() }]);
      continue;
    }
    try {
      const message = steps.read(body);
      const key = steps.orderKey(message);
      runs.set(key, [...(runs.get(key) ?? []), { record, index, message, key }]);
    } catch (error) {
      alone.push([{ record, index, error }]);
    }
  }
  return [...runs.values(), ...alone];
};

/**
 * Works through a batch as described above and returns the records to report to SQS as batch item
 * failures, in the batch's order.
 */
export const processBatch = async <R extends BatchRecord, M, C>(
  records: readonly R[],
  steps: BatchSteps<R, M, C>,
): Promise<{ itemIdentifier: string }[]> => {
  const failed: { index: number; messageId: string }[] = [];
  await Promise.all(
    orderedRuns(records, steps).map(async (run) => {
      let blocker: string | undefined;
      for (const entry of run) {
        const { record } = entry;
        const context = steps.open(record);
        try {
          if ('error' in entry) throw entry.error;
          if (blocker !== undefined) throw new HeldBackError(entry.key, blocker);
          await steps.process(entry.message, context, record);
        } catch (error) {
          steps.failed(error, context, record);
          failed.push({ index: entry.index, messageId: record.messageId });
          blocker ??= record.messageId;
        }
      }
    }),
  );
  return failed.sort((a, b) => a.index - b.index).map((f) => ({ itemIdentifier: f.messageId }));
};
