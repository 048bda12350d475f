import type { ApprovalOutbox, OutboxEntry } from '../../../shared/ledger/app/ports.ts';
import type { ApprovalEvent } from '../../../shared/ledger/domain/disbursement-request.ts';
import { jurisdictionOf, UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
// An outbox entry is a decision's idempotency record: kept where the ledger fake keeps records.
import { recordKey } from './in-memory-ledger-store.ts';

/**
 * An in-memory {@link ApprovalOutbox} with the adapter's conditions: a re-publish or give-up is
 * recorded only if the entry is still as it was read, and an entry is settled once.
 */
export class InMemoryApprovalOutbox implements ApprovalOutbox {
  readonly entries = new Map<string, OutboxEntry & { state: 'pending' | 'given-up' | 'settled' }>();
  /** How many entries the relay read, over every call: its cost. */
  read = 0;

  /** An accepted decision's entry, kept in the decider's jurisdiction (the event's actor's). */
  add(key: string, event: ApprovalEvent, lastPublishedAt: string, relayCount = 0) {
    const jurisdiction = jurisdictionOf(event.actor);
    this.entries.set(recordKey(jurisdiction, key), {
      jurisdiction,
      key,
      event,
      lastPublishedAt,
      relayCount,
      state: 'pending',
    });
  }

  /** The entry of a decision's record, as kept in a jurisdiction (the fixtures': the upgrade default). */
  entryOf(key: string, jurisdiction = UPGRADE_DEFAULT_JURISDICTION) {
    return this.entries.get(recordKey(jurisdiction, key));
  }

  async listDue(before: string, limit: number): Promise<OutboxEntry[]> {
    // Ordered as the adapter's index is: by `lastPublishedAt#eventId`, compared as plain strings.
    const position = (e: OutboxEntry) => `${e.lastPublishedAt}#${e.event.eventId}`;
    const due = [...this.entries.values()]
      .filter((e) => e.state === 'pending' && position(e) < before)
      .sort((a, b) => (position(a) < position(b) ? -1 : 1))
      .slice(0, limit)
      .map(({ state: _, ...entry }) => structuredClone(entry));
    this.read += due.length;
    return due;
  }

  private current(entry: OutboxEntry) {
    const stored = this.entries.get(recordKey(entry.jurisdiction, entry.key));
    return stored?.state === 'pending' && stored.lastPublishedAt === entry.lastPublishedAt
      ? stored
      : undefined;
  }

  async recordRepublish(entry: OutboxEntry, at: string): Promise<boolean> {
    const stored = this.current(entry);
    if (!stored) return false;
    stored.lastPublishedAt = at;
    stored.relayCount = entry.relayCount + 1;
    return true;
  }

  async giveUp(entry: OutboxEntry): Promise<boolean> {
    const stored = this.current(entry);
    if (!stored) return false;
    stored.state = 'given-up';
    return true;
  }

  async settle(jurisdiction: string, key: string, eventId: string): Promise<boolean> {
    const stored = this.entries.get(recordKey(jurisdiction, key));
    if (!stored || stored.state === 'settled' || stored.event.eventId !== eventId) return false;
    stored.state = 'settled';
    return true;
  }
}
