import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { allocationKeys } from '../../shared/platform/table/keys.ts';
import { FORMAT_MARKER_KEY } from '../../shared/platform/table/upgrade.ts';
import { checkInvariants } from '../reliability/support/invariant-checker.ts';
import { PRE_JURISDICTION_ITEMS, preJurisdictionTable } from '../support/pre-jurisdiction-table.ts';
import { startRuntime } from './support/local-runtime.ts';

describe('npm start on a data folder from before jurisdictions in keys', () => {
  it('moves its items into their jurisdiction before serving, says what it moved, and only once', async () => {
    const namespace = `e2e-up-${randomUUID().slice(0, 8)}`;
    const { db, raw, tableName } = await preJurisdictionTable('unused', `${namespace}-ledger`);
    // The relay must not pick up the fixture's pending decisions meanwhile: this test is about the start.
    // The wall clock, as when the fixture was made (its decisions' grace is counted from their own time).
    const env = { OUTBOX_GRACE_SECONDS: '3600' };
    const first = await startRuntime({ namespace, env, clock: 'wall' });
    try {
      expect(first.logs()).toMatch(
        new RegExp(
          `table ${tableName} upgraded to jurisdiction keys: moved ${PRE_JURISDICTION_ITEMS.length} items`,
        ),
      );
      // Before the banner: nothing was served on the old keys.
      expect(first.logs().indexOf('upgraded to jurisdiction keys')).toBeLessThan(
        first.logs().indexOf('running at'),
      );
      // Every chain verifies through the API, each jurisdiction's auditor seeing exactly its own.
      const verify = async (fiscalYear: number, jurisdiction?: string) =>
        (
          await first.call('GET', `/ledger/verify?fiscalYear=${fiscalYear}`, {
            token: await first.token('auditor', ['auditor'], jurisdiction ? { jurisdiction } : undefined),
          })
        ).body;
      const entriesOf = (j: string) =>
        PRE_JURISDICTION_ITEMS.filter((i) => i.type === 'entry' && i.jurisdiction === j).length;
      expect(await verify(2024)).toMatchObject({ valid: true, checked: entriesOf('tay-giang'), broken: [] });
      expect(await verify(2026, 'da-nang')).toMatchObject({
        valid: true,
        checked: entriesOf('da-nang'),
        broken: [],
      });
      // And the independent checker finds every item kept in its jurisdiction, every invariant held.
      const report = await checkInvariants(raw, tableName);
      expect(report.violations).toEqual([]);
    } finally {
      await first.stop();
    }
    const marker = await db.send(new GetCommand({ TableName: tableName, Key: FORMAT_MARKER_KEY }));
    expect(marker.Item?.format).toBe('jurisdiction-keys');
    const allocation = PRE_JURISDICTION_ITEMS.find(
      (i) => i.type === 'allocation' && i.jurisdiction === 'da-nang',
    );
    const moved = await db.send(
      new GetCommand({ TableName: tableName, Key: allocationKeys.key('da-nang', String(allocation?.id)) }),
    );
    expect(moved.Item?.headHash).toBe(allocation?.headHash);

    const second = await startRuntime({ namespace, env, clock: 'wall' });
    try {
      expect(second.logs()).not.toMatch(/upgraded to jurisdiction keys/);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
