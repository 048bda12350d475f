/**
 * The approval-event outbox: an accepted decision stays pending until its event has been applied
 * (or found stale, duplicate or refused) by the funding line's handler. A relay re-publishes the
 * events left pending too long, a bounded number of times, so an event lost between the store and
 * the queue (a failed publish, a purged queue, an emulator restart) still reaches its handler.
 */

/** One pending event as the relay sees it. */
export interface PendingEvent {
  /** When it was last published (accepted, or re-published by the relay). */
  lastPublishedAt: string;
  /** Re-publishes the relay has made so far. */
  relayCount: number;
}

export interface OutboxRelaySettings {
  /** How long an event may stay pending after its last publish before it is re-published. */
  graceSeconds: number;
  /** Re-publishes per event; after them the event is left to the dead-letter queue and its alarm. */
  maxRepublishes: number;
}

/** What the relay does with a pending event. */
export type RelayStep = 'wait' | 'republish' | 'give-up';

/** The last-publish time before which a pending event is due: `now − grace`, as an ISO string. */
export const dueBefore = (now: Date, settings: Pick<OutboxRelaySettings, 'graceSeconds'>): string =>
  new Date(now.getTime() - settings.graceSeconds * 1000).toISOString();

/**
 * Decides for one pending event: wait while its grace period runs, re-publish while re-publishes
 * remain, then give up (a poison message is not cycled forever once it reached the dead-letter queue).
 */
export const relayStep = (event: PendingEvent, now: Date, settings: OutboxRelaySettings): RelayStep => {
  if (event.lastPublishedAt >= dueBefore(now, settings)) return 'wait';
  return event.relayCount < settings.maxRepublishes ? 'republish' : 'give-up';
};

const wholeNumber = (name: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number ≥ ${min}; got "${raw}".`);
  }
  return value;
};

/** Names of the relay's settings in a function's environment. */
export const OUTBOX_GRACE_ENV = 'OUTBOX_GRACE_SECONDS';
export const OUTBOX_MAX_REPUBLISHES_ENV = 'OUTBOX_MAX_REPUBLISHES';

/** Defaults in AWS: longer than a normal retry, short enough for a lost event to arrive the same hour. */
export const DEFAULT_RELAY_SETTINGS: OutboxRelaySettings = { graceSeconds: 600, maxRepublishes: 3 };

/** Reads the relay's settings from environment values; a malformed value fails fast with its name. */
export const relaySettings = (env: Record<string, string | undefined>): OutboxRelaySettings => ({
  graceSeconds: wholeNumber(OUTBOX_GRACE_ENV, env[OUTBOX_GRACE_ENV], DEFAULT_RELAY_SETTINGS.graceSeconds, 0),
  maxRepublishes: wholeNumber(
    OUTBOX_MAX_REPUBLISHES_ENV,
    env[OUTBOX_MAX_REPUBLISHES_ENV],
    DEFAULT_RELAY_SETTINGS.maxRepublishes,
    0,
  ),
});
