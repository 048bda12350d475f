import type { Page } from '../../ledger/app/ports.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import type { Payee } from '../../payees/domain/payee.ts';
import type { Alert, StoredAlert } from '../domain/alert.ts';
import type { AcknowledgementClaim } from '../domain/alert-link.ts';
import type { DaySnapshot } from '../domain/day-snapshot.ts';
import type { DaySummary, SeriesDay } from '../domain/day-summary.ts';
import type { DigestMember } from '../domain/integrity/integrity-digest.ts';
import type { Severity } from '../domain/monitoring-policy.ts';
import type { ConfirmationClaim, Subscription } from '../domain/subscription.ts';

/**
 * What the monitor reads: running totals and pending requests, never ledger entries, so its cost
 * grows with allocations and pending requests, not with the ledger. Every read is of one
 * jurisdiction's partition (platform/table/keys.ts): nothing of another is ever read.
 */
export interface ProgressSource {
  /** The jurisdiction's allocations of the fiscal year, with their running totals. */
  listAllocationsOfYear(jurisdiction: string, fiscalYear: number): Promise<Allocation[]>;
  /** The jurisdiction's requests waiting for a decision (any year). */
  listPendingRequests(jurisdiction: string): Promise<DisbursementRequest[]>;
}

/**
 * What the integrity rules read besides the allocations: the requests of the year's allocations (each
 * allocation's own listing, whatever their status), the jurisdiction's payee register (its own
 * listing) and, for bunching, the tails of allocations' chains. Bounded reads of one jurisdiction's
 * partitions, never a scan.
 */
export interface IntegritySource {
  /** Every request drawing on these allocations of the jurisdiction. */
  listRequestsOfAllocations(
    jurisdiction: string,
    allocationIds: readonly string[],
  ): Promise<DisbursementRequest[]>;
  /** The jurisdiction's payee register. */
  listPayees(jurisdiction: string): Promise<Payee[]>;
  /**
   * The jurisdiction's requests created from `from` (inclusive) to `to` (exclusive), ISO instants, either
   * open (its requests listing, gsi6, a key range), whatever their fiscal year and status.
   */
  listRequestsCreatedBetween(
    jurisdiction: string,
    from?: string,
    to?: string,
  ): Promise<DisbursementRequest[]>;
  /** These requests of the jurisdiction by id (those not found left out). */
  getRequests(jurisdiction: string, ids: readonly string[]): Promise<DisbursementRequest[]>;
  /**
   * The tail of an allocation's chain up to the head given (its seq): its payment entries (capital
   * moves left out), newest first, read back until the first payment posted before `since` (an ISO
   * instant, that payment not returned). Strongly consistent; a few reads however long the chain.
   */
  listPaymentsSince(
    jurisdiction: string,
    allocation: Pick<Allocation, 'id' | 'headSeq'>,
    since: string,
  ): Promise<LedgerEntry[]>;
}

/**
 * The integrity digest of a jurisdiction's fiscal year (domain/integrity/integrity-digest.ts), one
 * partition: written by the daily job, read by the monitor.
 */
export interface IntegrityDigestStore {
  /**
   * Adds members to groups (sets: a member added again changes nothing); returns, for each addition that
   * may become a candidate, its whole group as it now stands.
   */
  addToGroups(
    jurisdiction: string,
    fiscalYear: number,
    additions: readonly { group: string; candidate: boolean; members: readonly DigestMember[] }[],
  ): Promise<{ group: string; members: DigestMember[] }[]>;
  /** Copies whole groups to the candidates (what a run lists). */
  markCandidates(
    jurisdiction: string,
    fiscalYear: number,
    groups: readonly { group: string; members: readonly DigestMember[] }[],
  ): Promise<void>;
  /** The ids of the requests of these groups (groups never written: none). */
  groupIds(jurisdiction: string, fiscalYear: number, groups: readonly string[]): Promise<string[]>;
  /** The ids of the requests of every candidate group of the year. */
  candidateIds(jurisdiction: string, fiscalYear: number): Promise<string[]>;
  /**
   * The last day whose requests are all in the digest, and the fingerprint of the settings its
   * candidates were judged with; undefined when no day is.
   */
  digestDay(
    jurisdiction: string,
    fiscalYear: number,
  ): Promise<{ date: string; settings: string } | undefined>;
  /** Records that a day's requests are all in: never moves back, unless the settings changed. */
  setDigestDay(jurisdiction: string, fiscalYear: number, date: string, settings: string): Promise<void>;
}

export interface AlertFilter {
  fiscalYear?: number;
  status?: StoredAlert['status'];
  severity?: Exclude<Severity, 'none'>;
  /** Only alerts of this kind (`integrity`: the inspectors' integrity cases). */
  kind?: Alert['kind'];
  /** Only alerts whose scope is this commune (commune-scoped readers). */
  commune?: string;
  /** The jurisdiction whose alerts are listed: the listing reads its partition only. */
  jurisdiction: string;
}

/**
 * Stored alerts: the deduplication record, and what inspectors list and acknowledge. An alert is kept
 * in its scope's jurisdiction (`jurisdictionOf(alert.scope)`: absent, the upgrade default); reads
 * name the jurisdiction, and one of another is simply not found.
 */
export interface AlertStore {
  /**
   * Records an alert unless one with its id was already queued. True when the caller must queue it:
   * it is new, or a run stored it but failed before queueing.
   */
  recordAlert(alert: Alert): Promise<boolean>;
  markAlertQueued(jurisdiction: string, id: string, at: string): Promise<void>;
  getAlert(jurisdiction: string, id: string): Promise<StoredAlert | undefined>;
  listAlerts(filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>>;
  /** Marks an open alert acknowledged; returns the alert as it now stands (unchanged if already acknowledged). */
  acknowledgeAlert(
    jurisdiction: string,
    id: string,
    by: string,
    at: string,
  ): Promise<StoredAlert | undefined>;
}

/**
 * Inspectors' subscriptions, each kept in its owner's jurisdiction (`ownerJurisdiction`: absent, the
 * upgrade default); reads name the jurisdiction, and one of another is simply not found.
 */
export interface SubscriptionStore {
  /** Stores the subscription; false when one with its id exists. */
  putSubscription(subscription: Subscription): Promise<boolean>;
  getSubscription(jurisdiction: string, id: string): Promise<Subscription | undefined>;
  /** One owner's subscriptions, or every subscription of the jurisdiction when no owner is given. */
  listSubscriptions(jurisdiction: string, owner?: string): Promise<Subscription[]>;
  /** Deletes it if `owner` owns it; false otherwise. */
  deleteSubscription(jurisdiction: string, id: string, owner: string, at: string): Promise<boolean>;
  /** Marks it confirmed (the first confirmation is kept); undefined when it does not exist (any more). */
  confirmSubscription(jurisdiction: string, id: string, at: string): Promise<Subscription | undefined>;
}

/** Seals and opens the claims of confirmation links (HMAC-signed in production). */
export interface ConfirmationLinks {
  seal(claim: ConfirmationClaim): string;
  /** The claim of a genuine token; throws InvalidConfirmationError for an altered or foreign one. */
  open(token: string): ConfirmationClaim;
}

/** Seals and opens the claims of alert e-mails' acknowledge links (HMAC-signed). */
export interface AcknowledgementLinks {
  seal(claim: AcknowledgementClaim): string;
  /** The claim of a genuine token; throws InvalidConfirmationError for an altered or foreign one. */
  open(token: string): AcknowledgementClaim;
}

/**
 * The once-per-recipient record of an alert's e-mails, so redelivery never sends twice; kept beside
 * the alert, in its jurisdiction.
 */
/**
 * What a claim on one e-mail found: `claimed`, this caller must send it; `sent`, it went already;
 * `busy`, another sender holds a fresh claim on it (it may still be sending, or may crash: try later).
 */
export type DeliveryClaim = 'claimed' | 'sent' | 'busy';

export interface DeliveryLog {
  /**
   * Claims the sending of an alert to one address in the name of `claimant` (one sender's attempt).
   * A claim left by a crashed sender may be taken over once older than `staleBefore`, a failed one at
   * once, and the claimant's own claim again (an SDK retry of a claim whose answer was lost).
   */
  claimDelivery(
    jurisdiction: string,
    alertId: string,
    email: string,
    claim: { at: string; staleBefore: string; claimant: string },
  ): Promise<DeliveryClaim>;
  completeDelivery(
    jurisdiction: string,
    alertId: string,
    email: string,
    at: string,
    messageId: string,
  ): Promise<void>;
  /** Gives the claim up after a failed send, so the next delivery of the alert tries again. */
  releaseDelivery(jurisdiction: string, alertId: string, email: string, error: string): Promise<void>;
  /** How many e-mails of an alert were sent (by whichever transport: SMTP, SES or .eml files). */
  sentCount(jurisdiction: string, alertId: string): Promise<number>;
}

/** Puts alerts on the alerts queue. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/** One e-mail to one recipient. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 Message-ID, without angle brackets. */
  messageId: string;
  date: Date;
  /** The alert it carries (a header, and the .eml file name). */
  alertId?: string;
  /** The subscription whose confirmation it asks for (a header, and the .eml file name). */
  subscriptionId?: string;
}

/** Sends an e-mail: SES in AWS, an .eml file or SMTP locally. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * The day summaries of the disbursement series (domain/day-summary.ts), one partition per jurisdiction
 * and fiscal year: written by the daily job, read by the series.
 */
export interface DaySummaryStore {
  /** Writes summaries (a repeated day is written again: the same entries give the same summary). */
  putDaySummaries(summaries: readonly DaySummary[]): Promise<void>;
  /** A fiscal year's summaries, in date order. */
  listDaySummaries(jurisdiction: string, fiscalYear: number): Promise<DaySummary[]>;
  /**
   * A fiscal year's days as one reader's series reads them (`seriesDayOf`), in date order: one commune's
   * cells, or the whole jurisdiction's totals; only those are read, not every commune's cells.
   */
  listSeriesDays(jurisdiction: string, fiscalYear: number, commune?: string): Promise<SeriesDay[]>;
  /** The last summarised day of a fiscal year, or undefined when none is. */
  lastSummarisedDay(jurisdiction: string, fiscalYear: number): Promise<string | undefined>;
}

/**
 * The day snapshots (domain/day-snapshot.ts), one partition per jurisdiction and fiscal year: written by
 * the daily job, read on a few days by the forecast and the monitor.
 */
export interface DaySnapshotStore {
  /** Writes one day's snapshot (a repeated day is written again: the same entries give the same one). */
  putDaySnapshot(snapshot: DaySnapshot): Promise<void>;
  /** The snapshots of these days that exist, by date: one BatchGetItem for a forecast's few days. */
  getDaySnapshots(
    jurisdiction: string,
    fiscalYear: number,
    dates: readonly string[],
  ): Promise<Map<string, DaySnapshot>>;
  /** The last snapshotted day of a fiscal year, or undefined when none is. */
  lastSnapshotDay(jurisdiction: string, fiscalYear: number): Promise<string | undefined>;
  /**
   * Writes the ids of the requests pending at the end of a day, in chunks (a rewrite writes the same
   * chunks again), kept until `expiresAt` (seconds since the epoch); returns the number of chunks.
   */
  putPendingSet(
    jurisdiction: string,
    fiscalYear: number,
    date: string,
    ids: readonly string[],
    expiresAt: number,
  ): Promise<number>;
  /** A day's pending set from its `chunks` chunks, or undefined when one is missing (expired, say). */
  getPendingSet(
    jurisdiction: string,
    fiscalYear: number,
    date: string,
    chunks: number,
  ): Promise<string[] | undefined>;
}
