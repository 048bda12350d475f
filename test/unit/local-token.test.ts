import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocalKeys } from '../../local/local-jwt.ts';
import { runningSystemKey, signingKeyFile } from '../../local/token-keys.ts';

const ROOT = join(import.meta.dirname, '../..');
const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'giai-ngan-token-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `npm run -s token` as a newcomer types it, with DATA_DIR set to `dir`. */
const token = (dir: string) =>
  spawnSync(process.execPath, ['scripts/run.mjs', 'local/token.ts', '--sub', 'an', '--groups', 'planner'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('npm run -s token', () => {
  it('refuses to make a key of its own where no system keeps one, and says to pass the same DATA_DIR', () => {
    const dir = dataDir();
    expect(() => runningSystemKey(dir)).toThrow(/DATA_DIR=.*npm start.*same DATA_DIR/s);
    const run = token(dir);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`DATA_DIR=${dir}`);
    expect(run.stderr).toContain('pass the same DATA_DIR');
    expect(existsSync(signingKeyFile(dir))).toBe(false);
  });

  it("signs with the running system's key, which that system's gateway accepts", async () => {
    const dir = dataDir();
    const keys = await loadLocalKeys(signingKeyFile(dir));
    writeFileSync(join(dir, 'runtime.json'), JSON.stringify({ pid: process.pid }));
    expect(runningSystemKey(dir).warning).toBeUndefined();
    const run = token(dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/No local system/);
    await expect(keys.verify(run.stdout.trim())).resolves.toMatchObject({ sub: 'an' });
  }, 60_000);

  it('warns when the folder has a key but no system runs on it now', async () => {
    const dir = dataDir();
    await loadLocalKeys(signingKeyFile(dir));
    expect(runningSystemKey(dir).warning).toMatch(/No local system is running with DATA_DIR=/);
    writeFileSync(join(dir, 'runtime.json'), JSON.stringify({ pid: 2 ** 22 + 7 }));
    expect(runningSystemKey(dir).warning).toMatch(/No local system is running/);
  });
});
