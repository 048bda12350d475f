import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a local system keeps the key its gateway checks tokens with. */
export const signingKeyFile = (dataDir: string) => join(dataDir, 'keys', 'jwt-signing-key.json');

/** Whether a process of that id runs (signal 0 only asks). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The signing key of the local system of `dataDir`, never a new one (a token signed with a key the
 * running gateway does not know is refused with 401): an error that says to pass the DATA_DIR the
 * system was started with when the folder has no key, and a warning when no system runs on it now.
 */
export const runningSystemKey = (dataDir: string): { file: string; warning?: string } => {
  const file = signingKeyFile(dataDir);
  const again = `DATA_DIR=<the folder \`npm start\` printed after "data in"> npm run -s token -- …`;
  if (!existsSync(file)) {
    throw new Error(
      `No local system has a signing key in DATA_DIR=${dataDir} (${file} is missing), so a token made here would be refused. Start the system first (npm start), or pass the same DATA_DIR it was started with: ${again}`,
    );
  }
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { pid?: number }).pid;
  } catch {
    // no runtime.json: not running now
  }
  if (pid !== undefined && alive(pid)) return { file };
  return {
    file,
    warning: `No local system is running with DATA_DIR=${dataDir} now: the token works once \`npm start\` runs with this DATA_DIR (if yours runs with another one, pass it: ${again}).`,
  };
};
