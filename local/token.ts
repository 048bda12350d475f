import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JURISDICTIONS, UPGRADE_DEFAULT_JURISDICTION } from '../shared/jurisdictions/config/index.ts';
import { levelOf } from '../shared/jurisdictions/domain/administrative-unit.ts';
import { ROLES } from '../shared/platform/roles.ts';
import { loadLocalKeys } from './local-jwt.ts';
import { runningSystemKey } from './token-keys.ts';

/** `npm run -s token -- --sub <id> --groups <g1,g2> [--jurisdiction <id>] [--commune <name>] [--email <addr>] [--ttl <seconds>]` */
const usage =
  'usage: npm run -s token -- --sub <id> --groups <g1,g2> [--jurisdiction <id>] [--commune <name>] [--email <addr>] [--ttl <seconds>]';
const fail = (message: string): never => {
  console.error(`${message}\n${usage}`);
  process.exit(2);
};

let values: Record<string, string | undefined> = {};
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      groups: { type: 'string' },
      jurisdiction: { type: 'string' },
      commune: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
const sub = values.sub ?? fail('--sub is required');
const groups = (values.groups ?? fail('--groups is required'))
  .split(',')
  .map((g) => g.trim())
  .filter(Boolean);
const unknown = groups.filter((g) => !(ROLES as readonly string[]).includes(g));
if (groups.length === 0 || unknown.length > 0)
  fail(`unknown group(s) ${unknown.join(', ')}; use any of: ${ROLES.join(', ')}`);
// Without --jurisdiction the token carries no claim: the API then reads it as the upgrade default.
const jurisdiction = JURISDICTIONS.find(
  (j) => j.id === (values.jurisdiction ?? UPGRADE_DEFAULT_JURISDICTION),
);
if (!jurisdiction) {
  fail(
    `unknown jurisdiction "${values.jurisdiction}"; use one of: ${JURISDICTIONS.map((j) => j.id).join(', ')}`,
  );
}
const communes = [
  ...new Set(jurisdiction?.units.filter((u) => levelOf(u.tier) === 3).map((u) => u.name) ?? []),
];
if (values.commune !== undefined && !communes.includes(values.commune)) {
  fail(`unknown commune "${values.commune}" in ${jurisdiction?.id}; use one of: ${communes.join(', ')}`);
}
const ttl = Number(values.ttl ?? 8 * 3600);
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');

// The running system's own key: a new one would sign tokens its gateway refuses.
const found = (() => {
  try {
    return runningSystemKey(resolve(process.env.DATA_DIR ?? 'var'));
  } catch (error) {
    console.error((error as Error).message);
    return process.exit(2);
  }
})();
if (found.warning) console.error(found.warning);
const keys = await loadLocalKeys(found.file);
process.stdout.write(
  `${await keys.sign(
    {
      sub,
      groups,
      ...(values.email ? { email: values.email } : {}),
      ...(values.jurisdiction ? { jurisdiction: values.jurisdiction } : {}),
      ...(values.commune ? { commune: values.commune } : {}),
    },
    ttl,
  )}\n`,
);
