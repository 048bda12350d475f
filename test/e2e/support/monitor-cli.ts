import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Runtime } from './local-runtime.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** Runs `npm run -s monitor -- <args>` against the runtime, as a user would (same script, same process model). */
export const monitorCli = (rt: Runtime, ...args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', 'local/monitor-cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: rt.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
