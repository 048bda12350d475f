/**
 * esbuild options of the functions' bundles that the CDK app (infra/topology-functions.ts) and the
 * benchmark (bench/bundle.ts) share, so the bench measures what is deployed. Paths are relative to the
 * repository root, esbuild's working directory in both.
 *
 * Node built-ins whose ESM import costs a cold start for nothing. An ESM `import … from 'node:http'`
 * makes Node build the module's ESM facade, which reads every export, and `http`'s lazy `WebSocket`,
 * `CloseEvent` and `MessageEvent` getters load all of undici (likewise `fs`'s streams): about a third
 * of the import of a bundle holding the DynamoDB client (npm run bench, cold start; `--cpu-prof` of the
 * import shows it under `node:http lazyUndici`). Aliased to a CommonJS file that takes the module from
 * `process.getBuiltinModule` (Node 22.3+), the bundle reads only the exports it uses.
 */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  ['http', 'https', 'fs', 'fs/promises'].flatMap((name) => {
    const shim = `./infra/node-builtins/${name.replace('/', '-')}.cjs`;
    return [
      [name, shim],
      [`node:${name}`, shim],
    ];
  }),
);

/**
 * Every alias of a function's bundle: the built-ins above, and the SDK's default credential chain
 * replaced by the environment credentials Lambda provides (infra/lambda-credentials.ts; about 140 KB
 * and a seventh of the import of a bundle with an SDK client).
 */
export const FUNCTION_ALIASES: Readonly<Record<string, string>> = {
  ...BUILTIN_ALIASES,
  '@aws-sdk/credential-provider-node': './infra/lambda-credentials.ts',
};

/**
 * Constants esbuild substitutes in a function's bundle. `process.env.GIAI_NGAN_SMTP` = "absent": the
 * SMTP transport is for the local runtime only (shared/monitoring/adapters/from-env.ts), so its branch,
 * and nodemailer's transports with it, are dropped from the bundles (about 110 KB of the e-mailing
 * functions).
 */
export const FUNCTION_DEFINES: Readonly<Record<string, string>> = {
  'process.env.GIAI_NGAN_SMTP': '"absent"',
};
