import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The code that labels, e-mails, reports and draws: every name of a place must come from the unit data. */
const CODE_ROOTS = ['shared', 'functions', 'web/src'];

/**
 * What may name places: the configuration folders (jurisdictions, approval policies) and data files,
 * and the tier vocabulary, the one place the word written before a unit's name lives.
 */
const isDataOrConfig = (file: string) =>
  file.endsWith('.json') ||
  /(^|\/)config\//.test(file) ||
  file === 'shared/jurisdictions/domain/administrative-unit.ts';

/** The district tier's word (any case) and the places of the demo, as code must never write them. */
const FORBIDDEN = [/huyện/iu, /Tây Giang/u, /Quảng Nam/u, /Đà Nẵng/u, /taygiang/iu];

const codeFiles = (): string[] =>
  CODE_ROOTS.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .map((f) => `${dir}/${f.replaceAll('\\', '/')}`)
      .filter((f) => /\.(?:ts|tsx|js|mjs|html|css)$/.test(f) && !isDataOrConfig(f)),
  );

/** Each line of code that names a place or the district tier, as `file:line: text`. */
const placeNamesInCode = (): string[] =>
  codeFiles().flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .normalize('NFC')
      .split('\n')
      .flatMap((line, i) =>
        FORBIDDEN.some((word) => word.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
      ),
  );

describe('labels come from the unit data', () => {
  it('finds the code it checks', () => {
    expect(codeFiles().length).toBeGreaterThan(100);
    expect(codeFiles()).toContain('web/src/i18n.ts');
  });

  it('leaves "huyện" and place names out of the code: e-mails, dashboard and reports take them from the jurisdiction files', () => {
    expect(placeNamesInCode()).toEqual([]);
  });
});
