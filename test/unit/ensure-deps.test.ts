import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dependencyState } from '../../scripts/ensure-deps.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A checkout with a lock file written at `lockAt` and, when given, packages installed at `installedAt`. */
const checkout = (lock: string, lockAt: number, installedAt?: number) => {
  const root = mkdtempSync(join(tmpdir(), 'ensure-deps-'));
  dirs.push(root);
  writeFileSync(join(root, 'package-lock.json'), lock);
  utimesSync(join(root, 'package-lock.json'), lockAt, lockAt);
  if (installedAt !== undefined) {
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), lock);
    utimesSync(join(root, 'node_modules', '.package-lock.json'), installedAt, installedAt);
  }
  return root;
};

describe('the dependencies a script checks before it runs', () => {
  it('installs when packages are missing or older than the lock file, not when newer', () => {
    expect(dependencyState(checkout('{}', 1000)).state).toBe('install');
    expect(dependencyState(checkout('{}', 2000, 1000)).state).toBe('install');
    expect(dependencyState(checkout('{}', 1000, 2000)).state).toBe('fresh');
  });

  it('never installs through a node_modules linked to another checkout, and says when the lock files differ', () => {
    // Main installed at 2000; a worktree checked out later (lock at 3000) links to main's packages.
    const main = checkout('{"v":1}', 1000, 2000);
    const same = checkout('{"v":1}', 3000);
    symlinkSync(join(main, 'node_modules'), join(same, 'node_modules'));
    expect(dependencyState(same)).toEqual({ state: 'linked', owner: main, differs: false });
    const other = checkout('{"v":2}', 3000);
    symlinkSync(join(main, 'node_modules'), join(other, 'node_modules'));
    expect(dependencyState(other)).toEqual({ state: 'linked', owner: main, differs: true });
  });
});
