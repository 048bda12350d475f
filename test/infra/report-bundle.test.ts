import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/stateless-stack.ts';
import { TopologyFunctions } from '../../infra/topology-functions.ts';
import { REPORT_FONTS } from '../../shared/reports/topology.ts';
import { FUNCTIONS } from '../../shared/topology.ts';
import { projectApp } from './project-app.ts';

/** The report function bundled as `cdk synth` bundles it (esbuild), in an assembly of its own. */
const spec = FUNCTIONS.find((f) => f.id === 'report-file');
let outdir: string;
let asset: string;

const sizeOf = (dir: string): number =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => statSync(join(dir, f)))
    .filter((s) => s.isFile())
    .reduce((sum, s) => sum + s.size, 0);

beforeAll(() => {
  if (!spec) throw new Error('no report-file function in the topology');
  outdir = mkdtempSync(join(tmpdir(), 'giai-ngan-report-bundle-'));
  const app = projectApp({ outdir });
  const stack = new Stack(app, 'ReportBundleTest');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  new TopologyFunctions(stack, 'Functions', {
    repoRoot: REPO_ROOT,
    functions: [spec],
    queueSpecs: [],
    queues: new Map(),
    table,
    tableSpec: { id: 'T', partitionKey: 'pk', sortKey: 'sk', timeToLiveAttribute: 'ttl', indexes: [] },
    secrets: new Map(),
  });
  app.synth();
  const assets = readdirSync(outdir).filter(
    (d) => d.startsWith('asset.') && statSync(join(outdir, d)).isDirectory(),
  );
  const found = assets.find((d) => readdirSync(join(outdir, d)).includes('index.mjs'));
  if (!found) throw new Error(`no bundled function among ${assets.join(', ')}`);
  asset = join(outdir, found);
}, 180_000);
afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the report function’s bundle', () => {
  it('carries the fonts its route declares, byte for byte, where the function looks for them', () => {
    expect(spec?.bundleFiles).toEqual([REPORT_FONTS.regular, REPORT_FONTS.bold]);
    for (const font of Object.values(REPORT_FONTS)) {
      const shipped = statSync(join(asset, font.target));
      expect(shipped.size).toBe(statSync(join(REPO_ROOT, font.source)).size);
    }
  });

  it('stays small: code and fonts under 10 MB unzipped', () => {
    const bytes = sizeOf(asset);
    const code = statSync(join(asset, 'index.mjs')).size;
    console.log(
      `report-file bundle: index.mjs ${(code / 1024).toFixed(0)} KiB, asset ${(bytes / 1024).toFixed(0)} KiB`,
    );
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });
});
