/** Types of ensure-deps.mjs (plain JavaScript, run by Node 20 before the TypeScript tooling exists). */
export declare const repoRoot: string;
export declare const dependencyState: (
  root: string,
) => { state: 'fresh' | 'install' } | { state: 'linked'; owner: string; differs: boolean };
export declare const ensureDeps: () => void;
export declare const ensureNode: () => Promise<void>;
