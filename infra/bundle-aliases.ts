/**
 * esbuild aliases for the functions' bundles (infra/topology-functions.ts, mirrored by bench/bundle.ts):
 * Node built-ins whose ESM import costs a cold start for nothing. An ESM `import … from 'node:http'`
 * makes Node build the module's ESM facade, which reads every export, and `http`'s lazy `WebSocket`,
 * `CloseEvent` and `MessageEvent` getters load all of undici (likewise `fs`'s streams): about a third
 * of the import of a bundle holding the DynamoDB client (npm run bench, cold start; `--cpu-prof` of the
 * import shows it under `node:http lazyUndici`). Aliased to a CommonJS file that takes the module from
 * `process.getBuiltinModule` (Node 22.3+), the bundle reads only the exports it uses. Paths are
 * relative to the repository root, esbuild's working directory in both.
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
