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
import {
  type ChunkBound,
  type ChunkPlan,
  chunkBound,
  distinctMembers,
  isLongMember,
  memberId,
  planChunks,
} from '../domain/integrity/digest-chunks.ts';
import { type DigestMember, decodeMember, encodeMember } from '../domain/integrity/integrity-digest.ts';

/**
 * The members a chunk of a group holds at most, by default: ~110 bytes each (a UUID id), so about 55 KB,
 * and never more than 500 × 256 bytes (domain/integrity/digest-chunks.ts): far under DynamoDB's 400 KB,
 * and an update of the open chunk is billed at most that many 1 KB write units.
 */
export const INTEGRITY_CHUNK_MEMBERS = 500;

/** How many groups' updates are in flight at once. */
const UPDATES_AT_ONCE = 16;
/** Chunks one transaction seals at most (more are sealed in further writes; 100 items a transaction). */
const SEALS_AT_ONCE = 24;
/** Writes of one group that may lose a race to another writer before the job gives up. */
const LOST_RACES = 10;
/** BatchGetItem takes at most this many keys a request. */
const BATCH_GET_LIMIT = 100;

/** A group (`G#`) or its candidate copy (`C#`): the same layout under two prefixes. */
type Part = 'group' | 'candidate';

const TYPES: Record<Part, { head: string; chunk: string }> = {
  group: { head: 'integrity-group', chunk: 'integrity-group-chunk' },
  candidate: { head: 'integrity-candidate', chunk: 'integrity-candidate-chunk' },
};

/**
 * A head as stored: the open chunk; how many chunks are sealed (absent: a head written before chunks);
 * the latest `createdAt` of a sealed member (absent: none sealed); `longOpen` when the open chunk holds a
 * long member (then every addition reads and counts bytes).
 */
type HeadItem = { members?: Set<string>; sealedChunks?: number; sealedThrough?: string; longOpen?: boolean };

/** A group as read at one moment: its head and every sealed chunk's members. */
interface GroupState {
  /** Whether the head exists. */
  exists: boolean;
  /** Whether the head carries `sealedChunks` (false: written before chunks, or absent). */
  chunked: boolean;
  sealed: number;
  sealedThrough: string | undefined;
  open: string[];
  sealedMembers: string[];
}

const membersIn = (item: Record<string, unknown> | undefined): string[] => [
  ...((item as HeadItem | undefined)?.members ?? []),
];
const sealedIn = (item: Record<string, unknown> | undefined): number =>
  Number((item as HeadItem | undefined)?.sealedChunks ?? 0);

/** Runs `work` on every item, a few at a time. */
const inTurns = async <T>(items: readonly T[], work: (item: T) => Promise<void>) => {
  for (let i = 0; i < items.length; i += UPDATES_AT_ONCE) {
    await Promise.all(items.slice(i, i + UPDATES_AT_ONCE).map(work));
  }
};

/** Whether a write failed only on its conditions or a concurrent transaction: read again and retry. */
const lostTheRace = (error: unknown): boolean => {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (isConditionFailure(error) || e?.name === 'TransactionConflictException') return true;
  if (e?.name !== 'TransactionCanceledException') return false;
  return (e.CancellationReasons ?? []).every((r) =>
    ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(r.Code),
  );
};

/** The condition that a head is exactly as read: its sealed count and open size (the open set only grows). */
const unchangedSince = (state: GroupState) => ({
  condition: [
    state.chunked ? 'sealedChunks = :readSealed' : 'attribute_not_exists(sealedChunks)',
    state.exists ? 'size(members) = :readSize' : 'attribute_not_exists(members)',
  ].join(' AND '),
  values: {
    ...(state.chunked ? { ':readSealed': state.sealed } : {}),
    ...(state.exists ? { ':readSize': state.open.length } : {}),
  },
});

/**
 * DynamoDB adapter of the integrity digest: `J#<j>#INTEG#<fiscalYear>` (platform/table/keys.ts). A group
 * is a head `G#<group>` (its open chunk, a string set of encoded members, with `sealedChunks` and
 * `sealedThrough`, the latest `createdAt` sealed) and sealed chunks `G#<nnnn>#<group>`, written once and
 * never changed; a candidate the same under `C#`. No chunk passes its bound (`chunkMembers` members and
 * `chunkMembers × 256` bytes; a head written before chunks, of any size, is split at its next addition).
 * An addition to a group:
 *
 * - one conditional update, no read, when the group was written in chunks, its open chunk has room and
 *   holds no long member, every new member is short, and none can be sealed already (all made after
 *   `sealedThrough`): ADD to the open set (a member added again changes nothing);
 * - otherwise it reads the group, keeps the members it lacks (by id) and writes the open chunk whole,
 *   conditional on the head being as read (sealed count and open size), in a transaction with the
 *   chunks it seals (each conditional on its absence) when the open chunk would pass its bound. A
 *   failed condition (another run, or a retry of a write whose answer was lost) reads it again.
 *
 * So each request is held once per group (the readers still take each id once), and a member is never
 * lost: only a seal moves members, and only when the head is as it read it, in one transaction.
 */
export class DynamoIntegrityDigestRepository implements IntegrityDigestStore {
  private readonly bound: ChunkBound;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { chunkMembers?: number } = {},
  ) {
    const members = options.chunkMembers ?? INTEGRITY_CHUNK_MEMBERS;
    if (!Number.isSafeInteger(members) || members < 1) {
      throw new Error(`integrity digest: chunkMembers must be a positive integer, not ${members}`);
    }
    this.bound = chunkBound(members);
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
    for (const members of (await this.sealedMembers('group', jurisdiction, fiscalYear, chunked)).values()) {
      encoded.push(...members);
    }
    return [...new Set(encoded.map(memberId))];
  }

  async candidateIds(jurisdiction: string, fiscalYear: number): Promise<string[]> {
    // One key range holds every candidate's head and sealed chunks (chunks sort first: `C#<nnnn>#…`).
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
    const seen = new Set<string>();
    const encoded: string[] = [];
    const chunked: { group: string; sealed: number }[] = [];
    for (const item of items) {
      seen.add(keyId(item));
      encoded.push(...membersIn(item));
      const part = integrityDigestKeys.partOf({ pk: String(item.pk), sk: String(item.sk) });
      if (part?.group !== undefined && part.chunk === undefined && sealedIn(item) > 0) {
        chunked.push({ group: part.group, sealed: sealedIn(item) });
      }
    }
    // A chunk sealed after the query passed the chunks but before it reached its head: read by key.
    const late = await this.sealedMembers('candidate', jurisdiction, fiscalYear, chunked, seen);
    for (const members of late.values()) encoded.push(...members);
    return [...new Set(encoded.map(memberId))];
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
    const encoded = [...new Map(members.map((m) => [m.id, encodeMember(m)])).values()];
    const fast = await this.addWithoutReading(part, jurisdiction, fiscalYear, group, encoded, whole);
    if (fast !== undefined) return fast;
    for (let lost = 0; lost < LOST_RACES; ) {
      const state = await this.read(part, jurisdiction, fiscalYear, group);
      const held = new Set([...state.sealedMembers, ...state.open].map(memberId));
      const fresh = encoded.filter((m) => !held.has(memberId(m)));
      if (fresh.length === 0) return whole ? distinctMembers([...state.sealedMembers, ...state.open]) : [];
      const plan = planChunks(state.open, fresh, this.bound, SEALS_AT_ONCE);
      if (!(await this.write(part, jurisdiction, fiscalYear, group, state, plan))) {
        lost += 1;
        continue;
      }
      // All in: the group is what was read, the chunks sealed and the open chunk written.
      if (plan.left.length === 0) {
        return whole ? distinctMembers([...state.sealedMembers, ...plan.sealing.flat(), ...plan.open]) : [];
      }
    }
    throw new Error(
      `integrity digest ${jurisdiction} ${fiscalYear}: ${part} ${group} kept changing under ${LOST_RACES} tries`,
    );
  }

  /**
   * The common addition, one update and no read: the head was written in chunks, its open chunk has
   * room and no long member, no new member is long, and none can be in a sealed chunk (there is none, or
   * each new member was made after the latest sealed). Answers undefined when that does not hold (the
   * caller reads the group).
   */
  private async addWithoutReading(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
    encoded: readonly string[],
    whole: boolean,
  ): Promise<DigestMember[] | undefined> {
    if (encoded.length > this.bound.members || encoded.some(isLongMember)) return undefined;
    const earliest = encoded.map((m) => decodeMember(m).createdAt).sort()[0] ?? '';
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.head(part, jurisdiction, fiscalYear, group),
          UpdateExpression:
            'ADD members :members SET #type = :type, sealedChunks = if_not_exists(sealedChunks, :none)',
          // Short members only, so `room` members stay within the bound's bytes.
          ConditionExpression:
            '(attribute_not_exists(members) AND attribute_not_exists(sealedChunks)) OR ' +
            '(size(members) <= :room AND attribute_not_exists(longOpen) AND ' +
            '(sealedChunks = :none OR sealedThrough < :earliest))',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':members': new Set(encoded),
            ':type': TYPES[part].head,
            ':none': 0,
            ':room': this.bound.members - encoded.length,
            ':earliest': earliest,
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
      );
      return distinctMembers([...(chunks.get(group) ?? []), ...membersIn(out.Attributes)]);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Writes a plan on the group as read: the open chunk whole, and the chunks it seals, in one
   * transaction conditional on the head being as read and each chunk being new. False when another
   * writer came first (the caller reads again).
   */
  private async write(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    group: string,
    state: GroupState,
    plan: ChunkPlan,
  ): Promise<boolean> {
    const sealingThrough = plan.sealing
      .flat()
      .map((m) => decodeMember(m).createdAt)
      .sort()
      .at(-1);
    const through =
      sealingThrough === undefined ||
      (state.sealedThrough !== undefined && state.sealedThrough > sealingThrough)
        ? state.sealedThrough
        : sealingThrough;
    const unchanged = unchangedSince(state);
    const long = plan.open.some(isLongMember);
    const head = {
      TableName: this.tableName,
      Key: this.head(part, jurisdiction, fiscalYear, group),
      UpdateExpression: [
        'SET members = :open, sealedChunks = :sealed, #type = :type',
        ...(through !== undefined ? [', sealedThrough = :through'] : []),
        ...(long ? [', longOpen = :long'] : [' REMOVE longOpen']),
      ].join(''),
      ConditionExpression: unchanged.condition,
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':open': new Set(plan.open),
        ':sealed': state.sealed + plan.sealing.length,
        ':type': TYPES[part].head,
        ...(through !== undefined ? { ':through': through } : {}),
        ...(long ? { ':long': true } : {}),
        ...unchanged.values,
      },
    };
    try {
      if (plan.sealing.length === 0) {
        await this.db.send(new UpdateCommand(head));
        return true;
      }
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...plan.sealing.map((members, i) => ({
              Put: {
                TableName: this.tableName,
                Item: {
                  ...this.chunk(part, jurisdiction, fiscalYear, group, state.sealed + i + 1),
                  type: TYPES[part].chunk,
                  members: new Set(members),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            { Update: head },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (lostTheRace(error)) return false;
      throw error;
    }
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
    const head = out.Item as (HeadItem & Record<string, unknown>) | undefined;
    const sealed = sealedIn(head);
    const chunks = await this.sealedMembers(
      part,
      jurisdiction,
      fiscalYear,
      sealed > 0 ? [{ group, sealed }] : [],
    );
    return {
      exists: head?.members !== undefined,
      chunked: head?.sealedChunks !== undefined,
      sealed,
      sealedThrough: head?.sealedThrough,
      open: membersIn(head),
      sealedMembers: chunks.get(group) ?? [],
    };
  }

  /**
   * The members of the sealed chunks of these groups (by group), those whose key is in `seen` left out.
   * Read eventually consistent (a sealed chunk never changes, so a copy read is whole or absent); one
   * not found is read again consistently, and one still missing is an error.
   */
  private async sealedMembers(
    part: Part,
    jurisdiction: string,
    fiscalYear: number,
    chunked: readonly { group: string; sealed: number }[],
    seen: ReadonlySet<string> = new Set(),
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
      const again = await this.getAll(
        missing.map((c) => c.key),
        true,
      );
      for (const [id, item] of again) found.set(id, item);
    }
    const byGroup = new Map<string, string[]>();
    for (const { group, key } of wanted) {
      const item = found.get(keyId({ ...key }));
      if (!item) throw new Error(`integrity digest: sealed chunk ${key.pk} / ${key.sk} is missing`);
      byGroup.set(group, [...(byGroup.get(group) ?? []), ...membersIn(item)]);
    }
    return byGroup;
  }

  /** Items by key (ids as {@link keyId}), 100 keys a BatchGetItem. */
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
