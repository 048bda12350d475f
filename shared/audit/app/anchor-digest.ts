import {
  type AnchoredHead,
  buildDigestDocument,
  dateOfDigestKey,
  digestObjectKey,
  digestObjectPrefix,
  type ReadDigestCopy,
  readDigestCopy,
} from '../domain/anchored-digest.ts';
import type { DigestAnchorStore } from './ports.ts';

/** What an auditor is e-mailed about a day's anchored digest. */
export interface DigestNotice {
  jurisdiction: string;
  date: string;
  /** How many chains (allocations) the document records. */
  chains: number;
  /** The SHA-256 of the stored document: an auditor can check a copy against it. */
  sha256: string;
  objectKey: string;
}

export interface AnchorDeps {
  anchors: DigestAnchorStore;
  /** How long each document is kept locked (Object Lock compliance retention in AWS). */
  retentionYears: number;
  /** Tells the jurisdiction's subscribed auditors, each once however often it is called (e-mail). */
  notify?: (notice: DigestNotice) => Promise<void>;
}

/** The instant `years` calendar years after `now` (UTC). */
export const retainUntil = (now: Date, years: number): Date => {
  const until = new Date(now.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until;
};

/**
 * Anchors a jurisdiction's day: writes its digest document where the table's writers cannot rewrite it,
 * once (a later run of the day finds it there and writes nothing), and tells the subscribed auditors
 * about the copy that is stored (the first run's). Idempotent: running it twice writes one object, and
 * `notify` sends each auditor one e-mail.
 */
export const anchorDigest = async (
  deps: AnchorDeps,
  jurisdiction: string,
  date: string,
  now: Date,
  heads: readonly AnchoredHead[],
) => {
  const built = buildDigestDocument(jurisdiction, date, now.toISOString(), heads);
  const objectKey = digestObjectKey(jurisdiction, date);
  const outcome = await deps.anchors.putIfAbsent(
    objectKey,
    built.body,
    built.sha256,
    retainUntil(now, deps.retentionYears),
  );
  let notice: DigestNotice = {
    jurisdiction,
    date,
    chains: built.document.heads.length,
    sha256: built.sha256,
    objectKey,
  };
  if (outcome === 'existed') {
    // Another run of the day wrote it first: the e-mail describes that copy, the one kept.
    const stored = await deps.anchors.get(objectKey);
    const copy = stored && readDigestCopy(stored, jurisdiction, date);
    if (!copy?.ok) throw new Error(`the anchored digest ${objectKey} exists but cannot be read back`);
    notice = { ...notice, chains: copy.document.heads.length, sha256: copy.sha256 };
  }
  if (deps.notify) await deps.notify(notice);
  return { objectKey, sha256: notice.sha256, outcome };
};

/**
 * The anchored copies one verification reads, each at most once: by day, and the jurisdiction's latest
 * day (its last key).
 */
export const anchoredCopies = (anchors: DigestAnchorStore, jurisdiction: string) => {
  const byDate = new Map<string, Promise<ReadDigestCopy | undefined>>();
  let latest: Promise<string | undefined> | undefined;
  let first: Promise<string | undefined> | undefined;
  const copyOf = (date: string) => {
    let copy = byDate.get(date);
    if (!copy) {
      copy = anchors
        .get(digestObjectKey(jurisdiction, date))
        .then((stored) => (stored ? readDigestCopy(stored, jurisdiction, date) : undefined));
      byDate.set(date, copy);
    }
    return copy;
  };
  return {
    copyOf,
    latestDate: () => {
      latest ??= anchors
        .lastKey(digestObjectPrefix(jurisdiction))
        .then((k) => (k ? dateOfDigestKey(k) : undefined));
      return latest;
    },
    /** The first anchored day: the table's digests of earlier days were written before anchoring began. */
    firstDate: () => {
      first ??= anchors
        .firstKey(digestObjectPrefix(jurisdiction))
        .then((k) => (k ? dateOfDigestKey(k) : undefined));
      return first;
    },
    /** The copies of these days and of the latest day, by day, and the first anchored day. */
    async read(dates: readonly string[]) {
      const latestDate = await this.latestDate();
      const firstDate = await this.firstDate();
      const days = [...new Set([...dates, ...(latestDate ? [latestDate] : [])])].filter(
        (date) => firstDate !== undefined && date >= firstDate,
      );
      const copies = new Map<string, ReadDigestCopy | undefined>();
      for (const date of days) copies.set(date, await copyOf(date));
      return { copies, latestDate, firstDate };
    },
  };
};
