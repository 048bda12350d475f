import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The machine's own `node`: the first on PATH outside this repository (Node 20 on these machines). */
const machineNode = () =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !resolve(dir).startsWith(repoRoot))
    .map((dir) => join(dir, 'node'))
    .find((candidate) => existsSync(candidate)) ?? process.execPath;

describe('npm start on a machine without Java', () => {
  it("says which Node runs (24 or newer, whatever the machine's own), then in one line that Java 17 is needed and how to install it, and exits non-zero", () => {
    // A PATH holding only the machine's node: `java` cannot be found.
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(machineNode(), join(bin, 'node'));
    const result = spawnSync(join(bin, 'node'), ['scripts/run.mjs', 'local/main.ts'], {
      cwd: repoRoot,
      env: { PATH: bin, HOME: process.env.HOME ?? '/tmp', DATA_DIR: join(bin, 'var'), PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = result.stderr.trim().split('\n');
    expect(result.status).toBe(1);
    expect(lines).toHaveLength(2);
    const major = Number(/^Node v(\d+)\.\d+\.\d+ \(/.exec(lines[0] ?? '')?.[1]);
    expect(major, lines[0]).toBeGreaterThanOrEqual(24);
    expect(lines[1]).toMatch(
      /Java was not found.*Java 17 or newer.*apt-get install -y openjdk-17-jre-headless/,
    );
  });
});
