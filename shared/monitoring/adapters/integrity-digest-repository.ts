import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchGetByKey, isConditionFailure, keyId } from '../../platform/aws/dynamo-items.ts';
import { type ItemKey, integrityDigestKeys } from '../../platform/table/keys.ts';
import type { IntegrityDigestStore } from '../app/ports.ts';
import { type DigestMember, decodeMember, encodeMember } from '../domain/integrity/integrity-digest.ts';

/**
 * The members an item of a group holds at most, by default: about 50 KB (a member is 90–140 bytes),
 * so an item stays far under DynamoDB's 400 KB and an addition is billed at most ~50 write units
 * (an update costs the larger of the item before and after).
 */
export const INTEGRITY_CHUNK_MEMBERS = 500;

/** How many groups' updates are in flight at once. */
const UPDATES_AT_ONCE = 16;
/** Sealed chunks one transaction writes at most (a larger addition seals in turns). */
const SEALS_AT_ONCE = 8;
/** Tries of one group's addition while other writers keep changing it. */
const ADD_ATTEMPTS = 10;
/** BatchGetItem takes at most this many keys a request. */
const BATCH_GET_LIMIT = 100;

/** A group (`G#`) or its candidate copy (`C#`): the same layout under two prefixes. */
type Part = 'group' | 'candidate';

const TYPES: Record<Part, { head: string; chunk: string }> = {
  group: { head: 'integrity-group', chunk: 'integrity-group-chunk' },
  candidate: { head: 'integrity-candidate', chunk: 'integrity-candidate-chunk' },
};

/** A head as stored: the open chunk, and the sealed chunks' count and latest member (absent: none). */
type HeadItem = { members?: Set<string>; sealedChunks?: number; sealedThrough?: string };

/** A group as read at one moment: its head's open chunk and every sealed chunk's members. */
interface GroupState {
  sealed: number;
  /** The latest `createdAt` of a sealed member (none sealed: undefined). */
  sealedThrough: string | undefined;
  open: string[];
  sealedMembers: string[];
}

const membersIn = (item: Record<string, unknown> | undefined): string[] => [
  ...((item as HeadItem | undefined)?.members ?? []),
];
const sealedIn = (item: Record<string, unknown> | undefined): number =>
  Number((item as HeadItem | undefined)?.sealedChunks ?? 0);

/** Members as the rules read them: decoded, each request once (the first of its encodings). */
const wholeOf = (encoded: readonly string[]): DigestMember[] => {
  const byId = new Map<string, DigestMember>();
  for (const e of encoded) {
    const m = decodeMember(e);
    if (!byId.has(m.id)) byId.set(m.id, m);
  }
  return [...byId.values()];
};

/** Runs `work` on every item, a few at a time. */
const inTurns = async <T>(items: readonly T[], work: (item: T) => Promise<void>) => {
  for (let i = 0; i < items.length; i += UPDATES_AT_ONCE) {
    await Promise.all(items.slice(i, i + UPDATES_AT_ONCE).map(work));
  }
};

/** Whether a transaction was cancelled only by its conditions or a concurrent one: worth another try. */
const lostTheRace = (error: unknown): boolean => {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name === 'TransactionConflictException') return true;
  if (e?.name !== 'TransactionCanceledException') return false;
  return (e.CancellationReasons ?? []).every((r) =>
    ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(r.Code),
  );
};

/**
 * DynamoDB adapter of the integrity digest: `J#<j>#INTEG#<fiscalYear>` (platform/table/keys.ts). A
 * group is a head `G#<group>` (its open chunk, a string set of encoded members, with `sealedChunks` and
 * `sealedThrough`, the latest `createdAt` sealed) and sealed chunks `G#<n>#<group>`, written once and
 * never changed; a candidate is the same under `C#`. No item holds more than `chunkMembers` members
 * (a head written before chunks, with more, is split at its next addition). An addition:
 *
 * - in one conditional update when the group has room and none of the new members can be sealed
 *   already (all made after `sealedThrough`): ADD to the open set (a member added again changes
 *   nothing);
 * - otherwise it reads the group, keeps only members it lacks, and adds them by an update conditional
 *   on the sealed count it read, or, when the open chunk would overflow, by a transaction that puts
 *   the full chunks (each conditional on its absence) and leaves the rest open, conditional on the
 *   head being exactly as read (sealed count and open size: the open set only grows between seals).
 *   A condition that fails (another run, or a retry of a write whose answer was lost) starts it over.
 *
 * So each request is held once per group, and a member is never lost: only a seal moves members, and
 * only when the head is as it read it.
 */
export class DynamoIntegrityDigestRepository implements IntegrityDigestStore {
  private readonly chunkMembers: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { chunkMembers?: number } = {},
  ) {
    this.chunkMembers = options.chunkMembers ?? INTEGRITY_CHUNK_MEMBERS;
    if (!Number.isSafeInteger(this.chunkMembers) || this.chunkMembers < 1) {
      throw new Error(`integrity digest: chunkMembers must be a positive integer, not ${this.chunkMembers}`);
    }
  }

  async addToGroups(
    jurisdiction: string,
    fiscalYear: number,
    additions: readonly { group: string; candidate: boolean; members: readonly DigestMember[] }[],
  ): Promise<{ group: string; members: DigestMember[] }[]> {
    const whole: { group: string; members: DigestMember[] }[] = [];
    await inTurns(additions, async (a) => {
      if (a.members.length === 0) return;
      const members = await this.add('group', jurisdiction, fiscalYear, a.group, a.members, a.candidate);
      if (a.candidate) whole.push({ group: a.group, members });
    });
    return whole.sort((a, b) => a.group.localeCompare(b.group));
  }

  async markCandidates(
    jurisdiction: string,
    fiscalYear: number,
    groups: readonly { group: string; members: readonly DigestMember[] }[],
  ): Promise<void> {
    await inTurns(groups, async (g) => {
      if (g.members.length === 0) return;
      await this.add('candidate', jurisdiction, fiscalYear, g.group, g.members, false);
    });
  }

  async groupIds(jurisdiction: string, fiscalYear: number, groups: readonly string[]): Promise<string[]> {
    if (groups.length === 0) return [];
    const named = [...new Set(groups)];
    const heads = await this.getAll(named.map((g) => integrityDigestKeys.group(jurisdiction, fiscalYear, g)));
    const encoded: string[] = [];
    const chunked: { group: string; sealed: number }[] = [];
    for (const group of named) {
      const head = heads.get(keyId({ ...integrityDigestKeys.group(jurisdiction, fiscalYear, group) }));
      encoded.push(...membersIn(head));
      if (sealedIn(head) > 0) chunked.push({ group, sealed: sealedIn(head) });
    }
    // Only chunked groups take a second round: all their sealed chunks at once.
    for (const members of (
      await this.sealedMembers('group', jurisdiction, fiscalYear, chunked, new Map())
    ).values()) {
      encoded.push(...members);
    }
    return [...new Set(wholeOf(encoded).map((m) => m.id))];
  }

  async candidateIds(jurisdiction: string, fiscalYear: number): Promise<string[]> {
    // One key range holds every candidate's head and sealed chunks (chunks sort first: `C#<n>#…`).
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...integrityDigestKeys.candidates(jurisdiction, fiscalYear),
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const seen = new Map<string, string[]>();
    const chunked: { group: string; sealed: number }[] = [];
    for (const item of items) {
      seen.set(keyId(item), membersIn(item));
      const part = integrityDigestKeys.partOf(item as ItemKey);
      if (part?.group !== undefined && part.chunk === undefined && sealedIn(item) > 0) {
        chunked.push({ group: part.group, sealed: sealedIn(item) });
      }
    }
    // A chunk sealed after the query passed the chunks but before it reached its head: read by key.
    const late = await this.sealedMembers('candidate', jurisdiction, fiscalYear, chunked, seen);
    const encoded = [...seen.values(), ...late.values()].flat();
    return [...new Set(wholeOf(encoded).map((m) => m.id))];
  }

  async digestDay(
    jurisdiction: string,
    fiscalYear: number,
  ): Promise<{ date: string; settings: string } | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: integrityDigestKeys.day(jurisdiction, fiscalYear),
        ConsistentRead: true,
      }),
    );
    const { date, settings } = out.Item ?? {};
    return typeof date === 'string' && typeof settings === 'string' ? { date, settings } : undefined;
  }

  async setDigestDay(
    jurisdiction: string,
    fiscalYear: number,
    date: string,
    settings: string,
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: integrityDigestKeys.day(jurisdiction, fiscalYear),
          UpdateExpression: 'SET #date = :date, #settings = :settings, #type = :type',
          ConditionExpression: 'attribute_not_exists(#date) OR #date < :date OR #settings <> :settings',
          ExpressionAttributeNames: { '#date': 'date', '#settings': 'settings', '#type': 'type' },
          ExpressionAttributeValues: {
            ':date': date,
            ':settings': settings,
            ':type': 'integrity-digest-day',
          },
        }),
      );
    } catch (error) {
      // A later day is already recorded with these settings (a run that overlapped this one): it stays.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private head(part: Part, jurisdiction: string, fiscalYear: number, group: string): ItemKey {
    return part === 'group'
      ? integrityDigestKeys.group(jurisdiction, fiscalYear, group)
      : integrityDigestKeys.candidate(jurisdiction, fiscalYear, group);
  }

  private chunk(part: Part, jurisdiction: string, fiscalYear: number, group: string, n: number): ItemKey {
    return part === 'group'
      ? integrityDigestKeys.groupChunk(jurisdiction, fiscalYear, group, n)
      : integrityDigestKeys.candidateChunk(jurisdiction, fiscalYear, group, n);
  }

  /**
   * Adds members to a group or candidate (each request once); answers the whole group as it stands
   * after the addition when `whole`, else nothing (an empty list).
   */
  private async add(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
    members: readonly DigestMember[],
    whole: boolean,
  ): Promise<DigestMember[]> {
    const fast = await this.addWithoutReading(part, jurisdiction, fiscalYear, group, members, whole);
    if (fast !== undefined) return fast;
    for (let attempt = 0; attempt < ADD_ATTEMPTS; attempt++) {
      const state = await this.read(part, jurisdiction, fiscalYear, group);
      const held = new Set(wholeOf([...state.sealedMembers, ...state.open]).map((m) => m.id));
      const fresh = wholeOf(members.map(encodeMember)).filter((m) => !held.has(m.id));
      if (fresh.length === 0) return whole ? wholeOf([...state.sealedMembers, ...state.open]) : [];
      const added =
        state.open.length + fresh.length <= this.chunkMembers
          ? await this.addToOpen(part, jurisdiction, fiscalYear, group, state, fresh, whole)
          : await this.seal(part, jurisdiction, fiscalYear, group, state, fresh);
      if (added !== undefined) return whole ? added : [];
    }
    throw new Error(
      `integrity digest ${jurisdiction} ${fiscalYear}: ${part} ${group} kept changing under ${ADD_ATTEMPTS} tries`,
    );
  }

  /**
   * The common addition, one update and no read: the open chunk has room for every member, and none
   * can be in a sealed chunk (there is none, or each member was made after the latest sealed). Answers
   * undefined when its condition fails (the caller reads the group).
   */
  private async addWithoutReading(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
    members: readonly DigestMember[],
    whole: boolean,
  ): Promise<DigestMember[] | undefined> {
    if (members.length > this.chunkMembers) return undefined;
    const earliest = members.map((m) => m.createdAt).sort()[0] ?? '';
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.head(part, jurisdiction, fiscalYear, group),
          UpdateExpression: 'ADD members :members SET #type = :type',
          ConditionExpression:
            '(attribute_not_exists(sealedChunks) OR sealedThrough < :earliest) AND ' +
            '(attribute_not_exists(members) OR size(members) <= :room)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':members': new Set(members.map(encodeMember)),
            ':type': TYPES[part].head,
            ':earliest': earliest,
            ':room': this.chunkMembers - members.length,
          },
          ReturnValues: whole ? 'ALL_NEW' : 'NONE',
        }),
      );
      if (!whole) return [];
      const sealed = sealedIn(out.Attributes);
      const chunks = await this.sealedMembers(
        part,
        jurisdiction,
        fiscalYear,
        sealed > 0 ? [{ group, sealed }] : [],
        new Map(),
      );
      return wholeOf([...(chunks.get(group) ?? []), ...membersIn(out.Attributes)]);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Adds members the group lacks to its open chunk, if no chunk was sealed since `state` was read. */
  private async addToOpen(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
    state: GroupState,
    fresh: readonly DigestMember[],
    whole: boolean,
  ): Promise<DigestMember[] | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.head(part, jurisdiction, fiscalYear, group),
          UpdateExpression: 'ADD members :members SET #type = :type',
          ConditionExpression: `${sealedIs(state.sealed)} AND (attribute_not_exists(members) OR size(members) <= :room)`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':members': new Set(fresh.map(encodeMember)),
            ':type': TYPES[part].head,
            ':room': this.chunkMembers - fresh.length,
            ...(state.sealed > 0 ? { ':sealed': state.sealed } : {}),
          },
          ReturnValues: whole ? 'ALL_NEW' : 'NONE',
        }),
      );
      // The sealed chunks are those read (the count did not move; a chunk never changes).
      return whole ? wholeOf([...state.sealedMembers, ...membersIn(out.Attributes)]) : [];
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Seals full chunks of the open members and those the group lacks, leaving the rest open, in one
   * transaction conditional on the head being exactly as read. Answers the group after it when every
   * member is in, undefined when the transaction lost a race or more is left to add (the caller reads
   * the group again).
   */
  private async seal(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
    state: GroupState,
    fresh: readonly DigestMember[],
  ): Promise<DigestMember[] | undefined> {
    const size = this.chunkMembers;
    const all = [...state.open, ...fresh.map(encodeMember)];
    // Enough chunks to leave at most a chunk of the open members (a head written before chunks may
    // hold more), and at most SEALS_AT_ONCE for the new ones.
    const chunks = Math.min(
      Math.ceil(all.length / size) - 1,
      Math.max(SEALS_AT_ONCE, Math.ceil(state.open.length / size) - 1),
    );
    const sealing = all.slice(0, chunks * size);
    const open = all.slice(chunks * size, chunks * size + size);
    const through =
      wholeOf(sealing)
        .map((m) => m.createdAt)
        .sort()
        .at(-1) ?? '';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...Array.from({ length: chunks }, (_, i) => ({
              Put: {
                TableName: this.tableName,
                Item: {
                  ...this.chunk(part, jurisdiction, fiscalYear, group, state.sealed + i + 1),
                  type: TYPES[part].chunk,
                  members: new Set(sealing.slice(i * size, (i + 1) * size)),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            {
              Update: {
                TableName: this.tableName,
                Key: this.head(part, jurisdiction, fiscalYear, group),
                UpdateExpression:
                  'SET members = :open, sealedChunks = :next, #type = :type, ' + 'sealedThrough = :through',
                ConditionExpression: `${sealedIs(state.sealed)} AND ${
                  state.open.length > 0 ? 'size(members) = :size' : 'attribute_not_exists(members)'
                }`,
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: {
                  ':open': new Set(open),
                  ':next': state.sealed + chunks,
                  ':type': TYPES[part].head,
                  // The latest member sealed, in these chunks or an earlier one.
                  ':through':
                    state.sealedThrough !== undefined && state.sealedThrough > through
                      ? state.sealedThrough
                      : through,
                  ...(state.sealed > 0 ? { ':sealed': state.sealed } : {}),
                  ...(state.open.length > 0 ? { ':size': state.open.length } : {}),
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (lostTheRace(error)) return undefined;
      throw error;
    }
    if (all.length > sealing.length + open.length) return undefined;
    return wholeOf([...state.sealedMembers, ...sealing, ...open]);
  }

  /** A group as it stands: its head read consistently, then its sealed chunks. */
  private async read(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
  ): Promise<GroupState> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: this.head(part, jurisdiction, fiscalYear, group),
        ConsistentRead: true,
      }),
    );
    const sealed = sealedIn(out.Item);
    const chunks = await this.sealedMembers(
      part,
      jurisdiction,
      fiscalYear,
      sealed > 0 ? [{ group, sealed }] : [],
      new Map(),
    );
    return {
      sealed,
      sealedThrough: (out.Item as HeadItem | undefined)?.sealedThrough,
      open: membersIn(out.Item),
      sealedMembers: chunks.get(group) ?? [],
    };
  }

  /**
   * The members of the sealed chunks of these groups (by group), those whose key is in `seen` left
   * out. Read eventually consistent (a sealed chunk never changes, so a copy read is whole or absent);
   * one not found yet is read again consistently, and one still missing is an error.
   */
  private async sealedMembers(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    chunked: readonly { group: string; sealed: number }[],
    seen: ReadonlyMap<string, unknown>,
  ): Promise<Map<string, string[]>> {
    const wanted = chunked.flatMap(({ group, sealed }) =>
      Array.from({ length: sealed }, (_, i) => ({
        group,
        key: this.chunk(part, jurisdiction, fiscalYear, group, i + 1),
      })).filter((c) => !seen.has(keyId({ ...c.key }))),
    );
    const found = await this.getAll(wanted.map((c) => c.key));
    const missing = wanted.filter((c) => !found.has(keyId({ ...c.key })));
    if (missing.length > 0) {
      for (const [id, item] of await this.getAll(
        missing.map((c) => c.key),
        true,
      )) {
        found.set(id, item);
      }
    }
    const byGroup = new Map<string, string[]>();
    for (const { group, key } of wanted) {
      const item = found.get(keyId({ ...key }));
      if (!item) throw new Error(`integrity digest: sealed chunk ${key.pk} / ${key.sk} is missing`);
      byGroup.set(group, [...(byGroup.get(group) ?? []), ...membersIn(item)]);
    }
    return byGroup;
  }

  /** Items by key (keys id as {@link keyId}), 100 keys a BatchGetItem. */
  private async getAll(keys: readonly ItemKey[], consistentRead = false) {
    const found = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
      const batch = await batchGetByKey(this.db, this.tableName, keys.slice(i, i + BATCH_GET_LIMIT), {
        consistentRead,
      });
      for (const [id, item] of batch) found.set(id, item);
    }
    return found;
  }
}

/** The condition that a head's sealed count is `sealed` (none: no chunk sealed yet). */
const sealedIs = (sealed: number) =>
  sealed > 0 ? 'sealedChunks = :sealed' : 'attribute_not_exists(sealedChunks)';
