import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApprovalOutbox, OutboxEntry } from '../../../shared/ledger/app/ports.ts';
import type { ApprovalEvent } from '../../../shared/ledger/domain/disbursement-request.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
import { anActor, anEvent, aRequest, T0 } from '../../unit/support/domain-fixtures.ts';

/**
 * An outbox to test, empty, and how a decision is accepted into it: the record of an accepted
 * decision, stored with its event at `acceptedAt` (the DynamoDB adapter: `LedgerStore.putIdempotency`).
 */
export interface OutboxUnderTest {
  outbox: ApprovalOutbox;
  accept(key: string, event: ApprovalEvent, acceptedAt: string): Promise<void>;
}

const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();
const district = anActor('approver-1', ['approver-district']);

/**
 * The observable behaviour of the {@link ApprovalOutbox} port, run on the in-memory fake and on the
 * DynamoDB adapter. `make` gives an empty outbox for each test.
 */
export const describeApprovalOutboxContract = (name: string, make: () => Promise<OutboxUnderTest>) => {
  /** An outbox holding one accepted decision per given [event id, minute accepted]. */
  const givenAccepted = async (decisions: [string, number][]) => {
    const subject = await make();
    const keys: Record<string, string> = {};
    for (const [eventId, minute] of decisions) {
      const key = `decide-request#${randomUUID()}`;
      keys[eventId] = key;
      await subject.accept(key, anEvent(aRequest(), 'district', district, 'approve', eventId), at(minute));
    }
    return { ...subject, keys };
  };
  /** An outbox holding one decision accepted at minute 1, and its entry as the relay reads it at minute 2. */
  const givenOneDue = async () => {
    const { outbox } = await givenAccepted([['evt-a', 1]]);
    const [entry] = await outbox.listDue(at(2), 10);
    if (!entry) throw new Error('arrange failed: nothing due');
    return { outbox, entry };
  };
  const ids = (entries: OutboxEntry[]) => entries.map((e) => e.event.eventId);

  describe(`${name} keeps the ApprovalOutbox contract`, () => {
    it('lists the entries accepted before a time, oldest first (ties by event id), at most a limit', async () => {
      const { outbox, keys } = await givenAccepted([
        ['evt-c', 3],
        ['evt-b', 1],
        ['evt-a', 1],
        ['evt-d', 5],
      ]);

      const due = await outbox.listDue(at(4), 10);
      const firstTwo = await outbox.listDue(at(4), 2);
      const atTheMinute = await outbox.listDue(at(3), 10);

      expect(ids(due)).toEqual(['evt-a', 'evt-b', 'evt-c']);
      expect(due[0]).toEqual({
        jurisdiction: UPGRADE_DEFAULT_JURISDICTION,
        key: keys['evt-a'],
        event: anEvent(aRequest(), 'district', district, 'approve', 'evt-a'),
        lastPublishedAt: at(1),
        relayCount: 0,
      });
      expect(ids(firstTwo)).toEqual(['evt-a', 'evt-b']);
      expect(ids(atTheMinute)).toEqual(['evt-a', 'evt-b']);
    });

    it('records a re-publish only on the entry as it was read, and lists it as of then', async () => {
      const { outbox, entry } = await givenOneDue();

      const first = await outbox.recordRepublish(entry, at(3));
      const again = await outbox.recordRepublish(entry, at(4));

      expect([first, again]).toEqual([true, false]);
      expect(await outbox.listDue(at(3), 10)).toEqual([]);
      expect(await outbox.listDue(at(5), 10)).toEqual([{ ...entry, lastPublishedAt: at(3), relayCount: 1 }]);
    });

    it('gives up an entry once: it leaves the listing and takes no re-publish', async () => {
      const { outbox, entry } = await givenOneDue();

      const first = await outbox.giveUp(entry, at(3));
      const again = await outbox.giveUp(entry, at(3));
      const republished = await outbox.recordRepublish(entry, at(4));

      expect([first, again, republished]).toEqual([true, false, false]);
      expect(await outbox.listDue(at(9), 10)).toEqual([]);
    });

    it('settles an entry once, only for its own event and in its own jurisdiction, whether pending or given up', async () => {
      const { outbox, keys } = await givenAccepted([
        ['evt-a', 1],
        ['evt-b', 1],
      ]);
      const [, b] = await outbox.listDue(at(2), 10);
      if (!b) throw new Error('arrange failed');
      await outbox.giveUp(b, at(2));

      const j = b.jurisdiction;
      const other = await outbox.settle(j, keys['evt-a'] as string, 'evt-b', at(3));
      const elsewhere = await outbox.settle(`not-${j}`, keys['evt-a'] as string, 'evt-a', at(3));
      const first = await outbox.settle(j, keys['evt-a'] as string, 'evt-a', at(3));
      const again = await outbox.settle(j, keys['evt-a'] as string, 'evt-a', at(3));
      const givenUp = await outbox.settle(j, keys['evt-b'] as string, 'evt-b', at(3));
      const unknown = await outbox.settle(j, `decide-request#${randomUUID()}`, 'evt-a', at(3));

      expect([other, elsewhere, first, again, givenUp, unknown]).toEqual([
        false,
        false,
        true,
        false,
        true,
        false,
      ]);
      expect(await outbox.listDue(at(9), 10)).toEqual([]);
    });
  });
};
