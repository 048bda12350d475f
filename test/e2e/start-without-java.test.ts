import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('npm start on a machine without Java', () => {
  it('says in one line that Java 17 is needed and how to install it, and exits non-zero', () => {
    // A PATH holding only node: `java` cannot be found.
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = spawnSync(join(bin, 'node'), ['scripts/run.mjs', 'local/main.ts'], {
      cwd: repoRoot,
      env: { PATH: bin, HOME: process.env.HOME ?? '/tmp', DATA_DIR: join(bin, 'var'), PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = result.stderr.trim().split('\n');
    expect(result.status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /Java was not found.*Java 17 or newer.*apt-get install -y openjdk-17-jre-headless/,
    );
  });
});
