import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The packages that write or read files: only the functions that make files may bundle them. */
const FILE_CODECS = ['pdfkit', 'fontkit', 'write-excel-file', 'read-excel-file', 'csv-parse', 'fflate'];

describe('the route list every function bundles', () => {
  it('brings no file encoder or reader with it (media types come from a module of constants)', async () => {
    const result = await build({
      entryPoints: ['shared/routes.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const packages = Object.keys(result.metafile.inputs)
      .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(FILE_CODECS.filter((codec) => packages.includes(codec))).toEqual([]);
  });
});
