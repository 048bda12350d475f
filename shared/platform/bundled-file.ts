import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A file a function reads at run time besides its code (a font): taken from `source` (relative to the
 * repository root, e.g. in node_modules) and shipped beside the bundle at `target` (relative to it).
 * Declared on the route (RouteSpec.bundleFiles) and copied by the CDK app after bundling.
 */
export interface BundledFile {
  source: string;
  target: string;
}

/** The repository root, where the local runtime and the tests run from the sources. */
const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * The bytes of a bundled file: beside the bundle in Lambda (its entry is the bundle's root, where
 * `import.meta.dirname` points), else from its source in the repository (the local runtime, the tests).
 */
export const readBundledFile = (file: BundledFile, bundleDir: string = import.meta.dirname): Buffer => {
  const shipped = join(bundleDir, file.target);
  if (existsSync(shipped)) return readFileSync(shipped);
  const source = join(REPO_ROOT, file.source);
  if (existsSync(source)) return readFileSync(source);
  throw new Error(
    `${file.target} is neither beside the bundle (${shipped}) nor at ${source}: declare it in the route's bundleFiles`,
  );
};
