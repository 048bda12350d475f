import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
beforeAll(async () => {
  // "Today" is the wall clock's: no plan is paid here.
  rt = await startRuntime({ clock: 'wall' });
});
afterAll(() => rt?.stop());

/** `npm run -s token -- …` against the runtime's data folder (its signing key). */
const tokenCommand = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/run.mjs', 'local/token.ts', ...args], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATA_DIR: rt.dataDir },
    encoding: 'utf8',
  });
/** A token without the claim: the upgrade default, tay-giang. */
const defaultToken = () => rt.token('an', ['planner']);
const daNangToken = (role = 'planner') => rt.token(`dn-${role}`, [role], { jurisdiction: 'da-nang' });
const units = async (token: string, id: string, on?: string) =>
  rt.call('GET', `/jurisdictions/${id}/units${on === undefined ? '' : `?on=${on}`}`, { token });

describe('GET /jurisdictions', () => {
  it('answers a token without the jurisdiction claim with Tây Giang district, the upgrade default', async () => {
    const res = await rt.call('GET', '/jurisdictions', { token: await defaultToken() });

    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: 'tay-giang',
        unit: expect.objectContaining({ id: 'tay-giang', tier: 'district', label: 'huyện Tây Giang' }),
        validFrom: '2003-06-20',
        validTo: '2025-06-30',
        localBudget: { vi: 'Ngân sách huyện', en: 'district budget' },
      },
    ]);
  });

  it('answers a token minted by the token command with --jurisdiction da-nang with Đà Nẵng city', async () => {
    const minted = tokenCommand('--sub', 'lan-dn', '--groups', 'finance', '--jurisdiction', 'da-nang');
    expect(minted.status, minted.stderr).toBe(0);

    const res = await rt.call('GET', '/jurisdictions', { token: minted.stdout.trim() });

    expect(res.status).toBe(200);
    expect(res.body.items.map((j: { id: string; unit: { label: string } }) => [j.id, j.unit.label])).toEqual([
      ['da-nang', 'thành phố Đà Nẵng'],
    ]);
  });

  it('has the token command refuse an unknown jurisdiction and a commune not in the jurisdiction', () => {
    const planner = (...more: string[]) => tokenCommand('--sub', 'x', '--groups', 'planner', ...more);
    const unknown = planner('--jurisdiction', 'ha-noi');
    const foreignCommune = planner('--jurisdiction', 'da-nang', '--commune', 'Dang');
    const ownCommune = planner('--jurisdiction', 'da-nang', '--commune', 'Avương');

    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown jurisdiction "ha-noi"; use one of: tay-giang, da-nang');
    expect(foreignCommune.status).toBe(2);
    expect(foreignCommune.stderr).toContain('use one of: Avương, Tây Giang, Hùng Sơn');
    expect(ownCommune.status, ownCommune.stderr).toBe(0);
  });
});

describe('GET /jurisdictions/{id}/units', () => {
  it('answers Tây Giang’s three tiers on 30/06/2025 and nothing on 01/07/2025', async () => {
    const token = await defaultToken();
    const before = await units(token, 'tay-giang', '2025-06-30');
    const after = await units(token, 'tay-giang', '2025-07-01');

    expect(before.status).toBe(200);
    expect(before.body.jurisdiction).toBe('tay-giang');
    expect(before.body.items.slice(0, 3).map((u: { label: string }) => u.label)).toEqual([
      'tỉnh Quảng Nam',
      'huyện Tây Giang',
      'xã A Nông',
    ]);
    expect(before.body.items).toHaveLength(12);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ jurisdiction: 'tay-giang', on: '2025-07-01', items: [] });
  });

  it('answers Đà Nẵng’s two tiers from 01/07/2025, each new commune with the communes it was merged from', async () => {
    const res = await units(await daNangToken(), 'da-nang', '2025-07-01');

    expect(res.status).toBe(200);
    expect(
      res.body.items.map((u: { label: string; mergedFrom?: string[] }) => [u.label, u.mergedFrom]),
    ).toEqual([
      ['thành phố Đà Nẵng', ['quang-nam', 'da-nang']],
      ['xã Avương', ['bha-le', 'a-vuong']],
      ['xã Tây Giang', ['a-tieng', 'dang', 'a-nong', 'lang']],
      ['xã Hùng Sơn', ['chom', 'ga-ri', 'tr-hy', 'a-xan']],
    ]);
    expect(res.body.items[1]).toMatchObject({ tier: 'commune', parent: 'da-nang', validFrom: '2025-07-01' });
    expect(res.body.items[1]).not.toHaveProperty('validTo');
  });

  it('answers for today in Vietnam when no day is given', async () => {
    const token = await daNangToken('auditor');
    const res = await units(token, 'da-nang');

    expect(res.status).toBe(200);
    expect([vnDateOf(new Date(Date.now() - 60_000)), vnDateOf(new Date())]).toContain(res.body.on);
    expect(res.body.items).toEqual((await units(token, 'da-nang', res.body.on)).body.items);
  });

  it('answers 404 for an unknown jurisdiction and 403 for another jurisdiction’s', async () => {
    const unknown = await units(await daNangToken(), 'ha-noi', '2025-07-01');
    const foreign = await units(await daNangToken(), 'tay-giang', '2024-09-30');
    const foreignToDefault = await units(await defaultToken(), 'da-nang', '2025-07-01');

    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatchObject({
      code: 'forbidden',
      message:
        'Jurisdiction "tay-giang" is not yours; your account belongs to "da-nang" (GET /jurisdictions).',
    });
    expect(foreignToDefault.status).toBe(403);
  });

  it.each([
    ['a day that does not exist', '2025-02-30'],
    ['a Vietnamese-style date', '01/07/2025'],
    ['a timestamp', '2025-07-01T00:00:00Z'],
    ['an empty value', ''],
  ])('answers %s with 400 saying to write the day YYYY-MM-DD', async (_what, on) => {
    const res = await units(await daNangToken(), 'da-nang', encodeURIComponent(on));

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/^query\.on: .*YYYY-MM-DD/);
  });

  it('answers a malformed jurisdiction id and unknown query parameters with 400', async () => {
    const token = await daNangToken();
    const badId = await rt.call('GET', '/jurisdictions/Da_Nang/units', { token });
    const extra = await rt.call('GET', '/jurisdictions/da-nang/units?at=2025-07-01', { token });
    const listExtra = await rt.call('GET', '/jurisdictions?on=2025-07-01', { token });

    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/^path\.id: must be a kebab-case id/);
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('"at"');
    expect(listExtra.status).toBe(400);
  });
});
