import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectImportGraph } from '../../scripts/import-cycles.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const graph = projectImportGraph(root);

const isDomain = (file: string) => /^shared\/[^/]+\/domain\//.test(file);

/**
 * What the domain must not lean on: presentation (e-mail, CSV, labels, VND formatting for people),
 * the HTTP edge, storage and AWS, and the use cases built on it.
 */
const FORBIDDEN = [
  /^shared\/[^/]+\/presentation\//,
  /^shared\/platform\/format\//,
  /^shared\/(?:[^/]+\/)?http\//,
  /^shared\/[^/]+\/adapters\//,
  /^shared\/[^/]+\/app\//,
  /^shared\/platform\/(?:aws|mail)\//,
];

/** Every module a file reaches through its imports, each with the chain of imports that leads there. */
const reachable = (file: string): Map<string, string[]> => {
  const paths = new Map<string, string[]>([[file, [file]]]);
  const todo = [file];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    for (const target of graph.get(next) ?? []) {
      if (paths.has(target)) continue;
      paths.set(target, [...(paths.get(next) ?? []), target]);
      todo.push(target);
    }
  }
  return paths;
};

/** Every import chain from a domain module to a forbidden one, as `a → b → c`. */
const domainLeaks = (): string[] =>
  [...graph.keys()]
    .filter(isDomain)
    .flatMap((file) =>
      [...reachable(file)]
        .filter(([target]) => FORBIDDEN.some((pattern) => pattern.test(target)))
        .map(([, chain]) => chain.join(' → ')),
    );

describe('the domain', () => {
  it('is found where the layout puts it', () => {
    expect([...graph.keys()].filter(isDomain).length).toBeGreaterThan(10);
  });

  it('imports, directly or not, nothing from presentation, platform/format, http, adapters, use cases or AWS', () => {
    expect(domainLeaks()).toEqual([]);
  });
});
