import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, itemsOfListing, queryAll } from '../../platform/aws/dynamo-items.ts';
import { type ItemKey, integrityDigestKeys } from '../../platform/table/keys.ts';
import type { IntegrityDigestStore } from '../app/ports.ts';
import { type DigestMember, decodeMember, encodeMember } from '../domain/integrity/integrity-digest.ts';

/** How many groups' updates are in flight at once. */
const UPDATES_AT_ONCE = 16;

type MembersItem = { members?: Set<string> };

/** The members an item holds. */
const membersOf = (item: Record<string, unknown> | undefined): DigestMember[] =>
  [...((item as MembersItem | undefined)?.members ?? [])].map(decodeMember);

/** Runs `work` on every item, a few at a time. */
const inTurns = async <T>(items: readonly T[], work: (item: T) => Promise<void>) => {
  for (let i = 0; i < items.length; i += UPDATES_AT_ONCE) {
    await Promise.all(items.slice(i, i + UPDATES_AT_ONCE).map(work));
  }
};

/**
 * DynamoDB adapter of the integrity digest: `J#<j>#INTEG#<fiscalYear>` / `G#<group>`, `C#<group>`, `DAY`
 * (platform/table/keys.ts). Members are string sets (one encoded request each), added with ADD: writing a
 * day again changes nothing.
 */
export class DynamoIntegrityDigestRepository implements IntegrityDigestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async addToGroups(
    jurisdiction: string,
    fiscalYear: number,
    additions: readonly { group: string; candidate: boolean; members: readonly DigestMember[] }[],
  ): Promise<{ group: string; members: DigestMember[] }[]> {
    const whole: { group: string; members: DigestMember[] }[] = [];
    const add = async (a: (typeof additions)[number]) => {
      if (a.members.length === 0) return;
      const out = await this.addMembers(
        integrityDigestKeys.group(jurisdiction, fiscalYear, a.group),
        'integrity-group',
        a.members,
        a.candidate,
      );
      if (a.candidate) whole.push({ group: a.group, members: membersOf(out.Attributes) });
    };
    await inTurns(additions, add);
    return whole.sort((a, b) => a.group.localeCompare(b.group));
  }

  async markCandidates(
    jurisdiction: string,
    fiscalYear: number,
    groups: readonly { group: string; members: readonly DigestMember[] }[],
  ): Promise<void> {
    await inTurns(groups, async (g) => {
      if (g.members.length === 0) return;
      await this.addMembers(
        integrityDigestKeys.candidate(jurisdiction, fiscalYear, g.group),
        'integrity-candidate',
        g.members,
        false,
      );
    });
  }

  /**
   * Adds members to a group's or candidate's string set (adding one twice changes nothing), with the
   * item's type; answers the whole item when `returnAll`.
   */
  private addMembers(
    key: ItemKey,
    type: 'integrity-group' | 'integrity-candidate',
    members: readonly DigestMember[],
    returnAll: boolean,
  ) {
    return this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD members :members SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':members': new Set(members.map(encodeMember)), ':type': type },
        ReturnValues: returnAll ? 'ALL_NEW' : 'NONE',
      }),
    );
  }

  async groupIds(jurisdiction: string, fiscalYear: number, groups: readonly string[]): Promise<string[]> {
    if (groups.length === 0) return [];
    const keys = [...new Set(groups)].map((g) => ({
      ...integrityDigestKeys.group(jurisdiction, fiscalYear, g),
    }));
    const found = await itemsOfListing<Record<string, unknown>>(this.db, this.tableName, keys);
    return [...new Set(found.flatMap((item) => membersOf(item).map((m) => m.id)))];
  }

  async candidateIds(jurisdiction: string, fiscalYear: number): Promise<string[]> {
    const found = await queryAll<Record<string, unknown>>(
      this.db,
      this.tableName,
      integrityDigestKeys.candidates(jurisdiction, fiscalYear),
    );
    return [...new Set(found.flatMap((item) => membersOf(item).map((m) => m.id)))];
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
}
