import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateYear } from '../../bench/integrity/generated-year.ts';
import { policyFor } from '../../shared/ledger/domain/approval-policy.ts';
import { DynamoIntegrityDigestRepository } from '../../shared/monitoring/adapters/integrity-digest-repository.ts';
import { DynamoMonitoringRepository } from '../../shared/monitoring/adapters/monitoring-repository.ts';
import {
  candidateSettingsFrom,
  digestClosedDays,
  requestsTheRulesJudge,
} from '../../shared/monitoring/app/integrity-digest.ts';
import { integrityConfig } from '../../shared/monitoring/config/integrity.ts';
import { evaluateIntegrity } from '../../shared/monitoring/domain/integrity/evaluate-integrity.ts';
import { digestAdditions, isCandidate } from '../../shared/monitoring/domain/integrity/integrity-digest.ts';
import { integrityPolicyFor } from '../../shared/monitoring/domain/integrity/integrity-policy.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { entryKeys, integrityDigestKeys, requestKeys } from '../../shared/platform/table/keys.ts';
import type { IsoDate } from '../../shared/platform/vn-calendar.ts';
import { ledgerOf } from '../support/generated-ledger.ts';
import { freshTable } from '../support/local-aws.ts';

const year = generateYear(2, { splitting: 2, sharedAccount: 2, doubleSupport: 2, deadlineBunching: 2 });
// The ledger the requests would have left: bunching reads the chains' tails.
const ledger = ledgerOf(year.allocations, year.requests);
const J = year.jurisdiction;
const FY = year.fiscalYear;
const settingsOf = candidateSettingsFrom(integrityConfig, approvalPolicies);

let table: Awaited<ReturnType<typeof freshTable>>;
let source: DynamoMonitoringRepository;
let digest: DynamoIntegrityDigestRepository;

/** Every item of the year's digest partition, keys and all. */
const digestItems = async () => {
  const out = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': integrityDigestKeys.day(J, FY).pk },
    }),
  );
  return out.Items ?? [];
};

const digestThrough = (through: IsoDate) =>
  digestClosedDays(
    { source, digest, supportRules, settingsOf },
    J,
    FY,
    async () => `${FY}-01-01`,
    through,
    400,
  );

beforeAll(async () => {
  table = await freshTable('integrity-digest');
  source = new DynamoMonitoringRepository(table.db, table.tableName);
  digest = new DynamoIntegrityDigestRepository(table.db, table.tableName);
  const items = [
    ...year.requests.map((r) => ({ ...requestKeys.item(J, r), ...r })),
    ...ledger.entries.map((e) => ({ ...entryKeys.item(J, e), ...e })),
  ];
  for (let i = 0; i < items.length; i += 25) {
    await table.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
}, 120_000);

describe('integrity digest against DynamoDB Local (issue 20)', () => {
  it('lists requests by creation in a key range, and gets them by id', async () => {
    const made = await source.listRequestsCreatedBetween(
      J,
      `${FY}-09-01T00:00:00.000Z`,
      `${FY}-10-01T00:00:00.000Z`,
    );
    const expected = year.requests
      .filter((r) => r.createdAt >= `${FY}-09-01T00:00:00.000Z` && r.createdAt < `${FY}-10-01T00:00:00.000Z`)
      .map((r) => r.id)
      .sort();
    expect(made.map((r) => r.id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    const some = expected.slice(0, 3);
    expect((await source.getRequests(J, [...some, 'no-such-request'])).map((r) => r.id).sort()).toEqual(some);
  });

  it('digested through a day, a run finds the cases of the whole year from the digest', async () => {
    const through = `${FY}-11-30` as IsoDate;
    const result = await digestThrough(through);
    expect(result.days).toBeGreaterThan(300);
    expect((await digest.digestDay(J, FY))?.date).toBe(through);
    const input = {
      fiscalYear: FY,
      allocations: ledger.allocations,
      payees: year.payees,
      approvalPolicy: policyFor(approvalPolicies, J, FY),
      supportRules,
      deadlineRules,
      policy: integrityPolicyFor(integrityConfig, J),
    };
    for (const asOf of [`${FY}-11-30`, `${FY + 1}-01-31`] as IsoDate[]) {
      const whole = evaluateIntegrity({
        ...input,
        asOf,
        requests: await source.listRequestsOfAllocations(
          J,
          year.allocations.map((a) => a.id),
        ),
      });
      const judged = await requestsTheRulesJudge(
        { source, digest, supportRules, settingsOf },
        {
          jurisdiction: J,
          fiscalYear: FY,
          asOf,
          allocations: ledger.allocations,
          payees: year.payees,
          deadlineRules,
          policy: input.policy,
        },
      );
      expect(judged).toBeDefined();
      if (judged) expect(evaluateIntegrity({ ...input, asOf, ...judged })).toEqual(whole);
      expect(whole.length).toBeGreaterThan(0);
      // Bunching judged from the chains' tails, on a real case once the windows have opened.
      if (asOf > `${FY}-12-31`) expect(whole.some((c) => c.details.rule === 'deadline-bunching')).toBe(true);
    }
  });

  it('writing a day again changes no item; the day never moves back unless the settings change', async () => {
    const before = await digestItems();
    // The days digested, written again (as a rerun after a crash would): the same items.
    const digested = year.requests.filter((r) => r.createdAt < `${FY}-11-30T17:00:00.000Z`);
    const whole = await digest.addToGroups(J, FY, digestAdditions(digested, FY, supportRules));
    await digest.markCandidates(
      J,
      FY,
      whole.filter((g) => isCandidate(g.group, g.members, settingsOf(J, FY))),
    );
    await digest.setDigestDay(J, FY, `${FY}-03-01`, (await digest.digestDay(J, FY))?.settings ?? '');
    expect(await digestItems()).toEqual(before);
    expect(before.filter((i) => String(i.sk).startsWith('C#')).length).toBeGreaterThan(0);
    expect((await digest.digestDay(J, FY))?.date).toBe(`${FY}-11-30`);
    await digest.setDigestDay(J, FY, `${FY}-03-01`, 'other-settings');
    expect(await digest.digestDay(J, FY)).toEqual({ date: `${FY}-03-01`, settings: 'other-settings' });
    // A digest of other settings is not used by a run; the job starts it over and catches up.
    const run = {
      jurisdiction: J,
      fiscalYear: FY,
      asOf: `${FY}-11-30` as IsoDate,
      allocations: ledger.allocations,
      payees: year.payees,
      deadlineRules,
      policy: integrityPolicyFor(integrityConfig, J),
    };
    expect(await requestsTheRulesJudge({ source, digest, supportRules, settingsOf }, run)).toBeUndefined();
    await digestThrough(`${FY}-11-30`);
    expect((await digest.digestDay(J, FY))?.date).toBe(`${FY}-11-30`);
    expect(await requestsTheRulesJudge({ source, digest, supportRules, settingsOf }, run)).toBeDefined();
  }, 120_000);
});
