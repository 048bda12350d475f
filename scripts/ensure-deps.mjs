// Installs dependencies when they are missing or older than package-lock.json, then makes sure the
// script runs on Node 24, so `npm start` and `npm test` work straight after a clone on a machine whose
// own Node is older. Plain JavaScript that Node 20 can run: it starts before TypeScript tooling exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');

/** The Node major the project runs on (as Lambda does); an older one hands over to the project's own. */
const NODE_MAJOR = 24;
/** npm links the `node` dev dependency's binary here, and puts this folder first on npm scripts' PATH. */
const projectBin = resolve(repoRoot, 'node_modules/.bin');
const projectNode = resolve(projectBin, 'node');
/** Set once the line saying which Node runs is printed, so the scripts this one starts do not repeat it. */
const ANNOUNCED = 'GIAI_NGAN_NODE_ANNOUNCED';

/**
 * What `root`'s dependencies need: `fresh` (installed after its lock file was written), `install`, or
 * `linked` when its `node_modules` is a link to another checkout's (a git worktree sharing main's):
 * installing through the link would replace that checkout's packages, so it is never done; `differs`
 * says whether the owner's lock file is another than this one.
 */
export const dependencyState = (root) => {
  const modules = resolve(root, 'node_modules');
  const lock = resolve(root, 'package-lock.json');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    const owner = dirname(realpathSync(modules));
    const ownerLock = resolve(owner, 'package-lock.json');
    const differs = !existsSync(ownerLock) || readFileSync(ownerLock, 'utf8') !== readFileSync(lock, 'utf8');
    return { state: 'linked', owner, differs };
  }
  const marker = resolve(modules, '.package-lock.json');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  return { state: fresh ? 'fresh' : 'install' };
};

export const ensureDeps = () => {
  const deps = dependencyState(repoRoot);
  if (deps.state === 'fresh') return;
  if (deps.state === 'linked') {
    if (deps.differs)
      process.stderr.write(
        `node_modules links to ${deps.owner}, whose package-lock.json is not this one: run npm ci there, or give this checkout its own node_modules (remove the link, then npm ci).\n`,
      );
    return;
  }
  process.stderr.write('Installing dependencies (npm ci)…\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    process.stderr.write('npm ci failed: see the messages above (is the npm registry reachable?).\n');
    process.exit(result.status ?? 1);
  }
};

const isProjectNode = () => {
  try {
    return realpathSync(process.execPath) === realpathSync(projectNode);
  } catch {
    return false;
  }
};

/**
 * Returns when this process runs on Node 24 or newer, after printing one line saying which Node runs.
 * On an older Node it runs this same script again under the project's Node 24 (the `node` dev
 * dependency), with that Node first on PATH for every process the script starts, passes signals on,
 * and exits with the new run's status: the returned promise then never settles.
 */
export const ensureNode = async () => {
  if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) {
    if (!process.env[ANNOUNCED]) {
      const source = isProjectNode() ? "from the project's node@24 dev dependency" : "this machine's own";
      process.stderr.write(`Node ${process.version} (${source})\n`);
      process.env[ANNOUNCED] = 'true';
    }
    return;
  }
  if (!existsSync(projectNode)) {
    process.stderr.write(
      `Node ${process.version} is too old and the project's Node ${NODE_MAJOR} (node_modules/.bin/node) is missing: run npm ci.\n`,
    );
    process.exit(1);
  }
  const child = spawn(projectNode, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${projectBin}${delimiter}${process.env.PATH ?? ''}` },
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, () => child.kill(signal));
  const [code, signal] = await new Promise((settle) => {
    child.once('error', (error) => {
      process.stderr.write(`Could not start the project's Node ${NODE_MAJOR}: ${error.message}\n`);
      settle([1, null]);
    });
    child.once('exit', (exitCode, exitSignal) => settle([exitCode, exitSignal]));
  });
  if (signal) {
    // Die of the same signal, as the shell expects of a process it interrupted.
    for (const s of signals) process.removeAllListeners(s);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
};
