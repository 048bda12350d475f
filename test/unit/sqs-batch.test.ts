import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type BatchSteps,
  HeldBackError,
  NotJsonError,
  processBatch,
} from '../../shared/platform/aws/sqs-batch.ts';

const Message = z.object({ key: z.string(), n: z.number() });
type Message = z.infer<typeof Message>;
type Record = { messageId: string; body: string };

const record = (messageId: string, body: unknown): Record => ({
  messageId,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/**
 * A consumer that records what happens, in order: `start id` and `end id` around each run, `fail id
 * ErrorName` for each reported failure. `fails` lists the records whose run throws; `gate` makes a
 * record's run wait for a promise, to decide which run finishes first.
 */
const consumer = (options: { fails?: string[]; gate?: Map<string, Promise<void>> } = {}) => {
  const trace: string[] = [];
  const contexts: string[] = [];
  const steps: BatchSteps<Record, Message, string> = {
    open: (r) => {
      contexts.push(r.messageId);
      return `context of ${r.messageId}`;
    },
    read: (body) => Message.parse(body),
    orderKey: (m) => m.key,
    process: async (_m, context, r) => {
      expect(context).toBe(`context of ${r.messageId}`);
      trace.push(`start ${r.messageId}`);
      await options.gate?.get(r.messageId);
      trace.push(`end ${r.messageId}`);
      if (options.fails?.includes(r.messageId)) throw new Error(`${r.messageId} failed`);
    },
    failed: (error, context, r) => {
      expect(context).toBe(`context of ${r.messageId}`);
      trace.push(`fail ${r.messageId} ${(error as Error).name}`);
    },
  };
  return { steps, trace, contexts };
};

const deferred = () => {
  let release = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
};

describe('working through one SQS batch', () => {
  it('runs the records of one key one after the other, in the order of the batch', async () => {
    const slow = deferred();
    const { steps, trace } = consumer({ gate: new Map([['a1', slow.promise]]) });
    const run = processBatch([record('a1', { key: 'a', n: 1 }), record('a2', { key: 'a', n: 2 })], steps);
    await new Promise((r) => setTimeout(r, 5));
    slow.release();
    expect(await run).toEqual([]);
    expect(trace).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('runs records of different keys concurrently', async () => {
    const slow = deferred();
    const { steps, trace } = consumer({ gate: new Map([['a1', slow.promise]]) });
    const run = processBatch([record('a1', { key: 'a', n: 1 }), record('b1', { key: 'b', n: 1 })], steps);
    await new Promise((r) => setTimeout(r, 5));
    // b1 finished while a1 was still running.
    expect(trace).toEqual(['start a1', 'start b1', 'end b1']);
    slow.release();
    expect(await run).toEqual([]);
  });

  it('holds back the later records of a key once one fails, without running them, and reports them all', async () => {
    const { steps, trace } = consumer({ fails: ['a2'] });
    const failures = await processBatch(
      [
        record('a1', { key: 'a', n: 1 }),
        record('a2', { key: 'a', n: 2 }),
        record('b1', { key: 'b', n: 1 }),
        record('a3', { key: 'a', n: 3 }),
      ],
      steps,
    );
    expect(failures).toEqual([{ itemIdentifier: 'a2' }, { itemIdentifier: 'a3' }]);
    expect(trace).not.toContain('start a3');
    expect(trace).toContain('fail a2 Error');
    expect(trace).toContain('fail a3 HeldBackError');
    expect(trace).toContain('end b1');
  });

  it('says which record a held-back one waits for', async () => {
    const errors: unknown[] = [];
    const { steps } = consumer({ fails: ['a1'] });
    await processBatch([record('a1', { key: 'a', n: 1 }), record('a2', { key: 'a', n: 2 })], {
      ...steps,
      failed: (error) => errors.push(error),
    });
    expect(errors[1]).toBeInstanceOf(HeldBackError);
    expect((errors[1] as Error).message).toContain(
      'message a1 of the same key (a) failed earlier in this batch',
    );
  });

  it('reports a body that is not JSON, or not a message, on its own and lets every key run', async () => {
    const { steps, trace } = consumer();
    const failures = await processBatch(
      [
        record('x1', '{"key": "a", not json'),
        record('a1', { key: 'a', n: 1 }),
        record('x2', { key: 'a', n: 'two' }),
        record('a2', { key: 'a', n: 2 }),
      ],
      steps,
    );
    expect(failures).toEqual([{ itemIdentifier: 'x1' }, { itemIdentifier: 'x2' }]);
    expect(trace).toContain(`fail x1 ${new NotJsonError().name}`);
    expect(trace).toContain('fail x2 ZodError');
    expect(trace.filter((t) => t.startsWith('end'))).toEqual(['end a1', 'end a2']);
  });

  it('lists the failures in the order of the batch, whichever finished first', async () => {
    const slow = deferred();
    const { steps } = consumer({ fails: ['a1', 'b1'], gate: new Map([['a1', slow.promise]]) });
    const run = processBatch([record('a1', { key: 'a', n: 1 }), record('b1', { key: 'b', n: 1 })], steps);
    await new Promise((r) => setTimeout(r, 5));
    slow.release();
    expect(await run).toEqual([{ itemIdentifier: 'a1' }, { itemIdentifier: 'b1' }]);
  });

  it('opens one context per record, the one its run and its failure are given', async () => {
    const { steps, contexts } = consumer({ fails: ['a1'] });
    await processBatch(
      [record('a1', { key: 'a', n: 1 }), record('a2', { key: 'a', n: 2 }), record('x', 'nope')],
      steps,
    );
    expect(contexts.sort()).toEqual(['a1', 'a2', 'x']);
  });
});
