import { describe, expect, it } from 'vitest';
import { findCycles, relativeImports } from '../../scripts/import-cycles.ts';

describe('relativeImports', () => {
  it('finds value, type-only, re-export, side-effect and dynamic imports, in order', () => {
    const source = [
      "import * as z from 'zod';",
      "import type { RouteSpec } from './route-spec.ts';",
      "import {\n  a,\n  type B,\n} from '../b.ts';",
      "export { c } from './c.ts';",
      "export type * from './d.ts';",
      "import './e.ts';",
      "const f = await import('./f.ts');",
      "vi.mock('./g.ts');",
    ].join('\n');
    expect(relativeImports(source)).toEqual([
      './route-spec.ts',
      '../b.ts',
      './c.ts',
      './d.ts',
      './e.ts',
      './f.ts',
      './g.ts',
    ]);
  });

  it('ignores imports written in comments, and keeps strings that hold comment marks', () => {
    const source = [
      "// import { x } from './commented.ts';",
      "/* export { y } from './block.ts'; */",
      "const url = 'http://example.org/*not a comment*/';",
      "import { z } from './real.ts';",
    ].join('\n');
    expect(relativeImports(source)).toEqual(['./real.ts']);
  });
});

describe('findCycles', () => {
  it('finds each cycle once, whatever node the walk starts from', () => {
    const graph = new Map([
      ['routes.ts', ['audit-routes.ts', 'schemas.ts']],
      ['audit-routes.ts', ['routes.ts']],
      ['topology.ts', ['routes.ts', 'topology-audit.ts']],
      ['topology-audit.ts', ['topology.ts']],
      ['schemas.ts', []],
    ]);
    expect(findCycles(graph)).toEqual([
      ['audit-routes.ts', 'routes.ts'],
      ['topology-audit.ts', 'topology.ts'],
    ]);
  });

  it('finds none in a graph without cycles, diamonds included', () => {
    const graph = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ]);
    expect(findCycles(graph)).toEqual([]);
  });
});
