import type { Env } from '../../platform/clock.ts';
import { dueBefore, type OutboxRelaySettings, relayStep } from '../domain/approval-outbox.ts';
import type { ApprovalOutbox, ApprovalPublisher } from './ports.ts';

export interface RelayDeps extends Pick<Env, 'now'> {
  outbox: ApprovalOutbox;
  publisher: ApprovalPublisher;
  settings: OutboxRelaySettings;
  /** Entries read per page, and pages per run (the rest waits for the next run). */
  pageSize?: number;
  maxPages?: number;
}

export interface RelayReport {
  /** Pending entries past their grace period that this run looked at. */
  due: number;
  republished: number;
  givenUp: number;
  /** Due to be given up, but settled or changed by someone else between the read and the write. */
  skipped: number;
  /**
   * Re-published, but settled (the consumer applied the event) or re-published by another run before
   * this one recorded it, so the record's conditional write failed: sent all the same, applied once.
   */
  sentUnrecorded: number;
  /** Publishes that failed: the entry stays due, and the next run tries again. */
  failed: number;
}

/**
 * The outbox relay: re-publishes the approval events that stayed pending past their grace period (an
 * event lost between the store and the queue), each a bounded number of times. It reads only the
 * pending entries, so its cost grows with them, never with the ledger. A re-publish is recorded after
 * the publish succeeds: a failed publish does not use up the bound, and a duplicate is harmless
 * because the handler applies an event once.
 */
export const relayApprovalEvents = async (deps: RelayDeps): Promise<RelayReport> => {
  const report: RelayReport = {
    due: 0,
    republished: 0,
    givenUp: 0,
    skipped: 0,
    sentUnrecorded: 0,
    failed: 0,
  };
  const pageSize = deps.pageSize ?? 100;
  const maxPages = deps.maxPages ?? 10;
  const seen = new Set<string>();
  for (let page = 0; page < maxPages; page++) {
    const now = deps.now();
    const entries = (await deps.outbox.listDue(dueBefore(now, deps.settings), pageSize)).filter(
      (e) => !seen.has(e.key),
    );
    if (entries.length === 0) break;
    for (const entry of entries) {
      seen.add(entry.key);
      const step = relayStep(entry, now, deps.settings);
      if (step === 'wait') continue;
      report.due += 1;
      const at = deps.now().toISOString();
      if (step === 'give-up') {
        if (await deps.outbox.giveUp(entry, at)) report.givenUp += 1;
        else report.skipped += 1;
        continue;
      }
      try {
        await deps.publisher.publish(entry.event);
      } catch {
        report.failed += 1;
        continue;
      }
      if (await deps.outbox.recordRepublish(entry, at)) report.republished += 1;
      else report.sentUnrecorded += 1;
    }
  }
  return report;
};
