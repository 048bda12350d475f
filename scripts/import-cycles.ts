// `node scripts/run.mjs scripts/import-cycles.ts`: fails when the project's own modules import one
// another in a cycle, type-only imports included (`npm test` runs it). madge does this job, but it needs
// TypeScript's JavaScript API, which TypeScript 7 no longer ships; the project's imports are simple
// enough (relative, with their `.ts` extension) to follow here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Source text with comments blanked out (strings and template literals kept, so `'//'` stays). */
export const withoutComments = (source: string): string => {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
};

const IMPORT_PATTERNS = [
  // import … from '…', import type … from '…', export … from '…'
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // import '…' (side effects only)
  /\bimport\s*['"]([^'"]+)['"]/g,
  // import('…'), vi.mock('…')
  /\b(?:import|vi\.mock)\(\s*['"]([^'"]+)['"]/g,
];

/** The relative module specifiers a TypeScript source imports, in order of appearance. */
export const relativeImports = (source: string): string[] => {
  const text = withoutComments(source);
  const found: { at: number; spec: string }[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const spec = match[1];
      if (spec?.startsWith('.')) found.push({ at: match.index, spec });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
};

/** Every cycle of a directed graph, each once, as the list of its nodes starting from its smallest. */
export const findCycles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0] ?? next);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' → '), rotated);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
};

const ROOTS = [
  'shared',
  'functions',
  'local',
  'infra',
  'web/src',
  'web/build.ts',
  'bench',
  'scripts',
  'test',
];
const SKIP = new Set(['node_modules', 'dist', 'cdk.out']);

const sourceFiles = (path: string): string[] => {
  if (/\.(ts|mts|tsx)$/.test(path)) return [path];
  let entries: { name: string; isDirectory(): boolean }[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => !SKIP.has(e.name))
    .flatMap((e) =>
      e.isDirectory()
        ? sourceFiles(join(path, e.name))
        : /\.(ts|mts|tsx)$/.test(e.name)
          ? [join(path, e.name)]
          : [],
    );
};

/** The import graph of the project's TypeScript files, as paths relative to `root`. */
export const projectImportGraph = (root: string): Map<string, string[]> => {
  const graph = new Map<string, string[]>();
  for (const file of ROOTS.flatMap((r) => sourceFiles(join(root, r)))) {
    const imports = relativeImports(readFileSync(file, 'utf8'))
      .filter((spec) => /\.(ts|mts|tsx)$/.test(spec))
      .map((spec) => relative(root, resolve(dirname(file), spec)));
    graph.set(relative(root, file), imports);
  }
  return graph;
};

if (process.argv[1] === import.meta.filename) {
  const root = resolve(import.meta.dirname, '..');
  const graph = projectImportGraph(root);
  const cycles = findCycles(graph);
  if (cycles.length === 0) {
    process.stdout.write(`No import cycle among ${graph.size} modules.\n`);
  } else {
    process.stderr.write(
      `${cycles.length} import cycle(s); break each (move the shared part to a module both import):\n`,
    );
    for (const cycle of cycles) process.stderr.write(`  ${[...cycle, cycle[0]].join(' → ')}\n`);
    process.exit(1);
  }
}
