import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION_ALIASES, FUNCTION_DEFINES } from '../../infra/bundle-aliases.ts';
import { defaultProvider } from '../../infra/lambda-credentials.ts';

/** The packages a bundle of `entry` holds, with the functions' bundle options or without them. */
const packagesOf = async (entry: string, functionOptions: boolean): Promise<string[]> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...(functionOptions ? { alias: { ...FUNCTION_ALIASES }, define: { ...FUNCTION_DEFINES } } : {}),
  });
  return Object.keys(result.metafile.inputs)
    .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}/${m[2]}`);
};

/** Bundling a function takes seconds on a loaded machine. */
const BUNDLING_MS = 120_000;

describe("a function's bundle", () => {
  it(
    'leaves out the SMTP transport, which only the local runtime uses, and keeps the MIME composer SES needs',
    async () => {
      const without = await packagesOf('functions/monitoring/alert-mailer.ts', false);
      const withOptions = await packagesOf('functions/monitoring/alert-mailer.ts', true);
      const smtp = (files: string[]) => files.filter((f) => /^nodemailer\/dist\/esm\/smtp-/.test(f));
      expect(smtp(without).length).toBeGreaterThan(0);
      expect(smtp(withOptions)).toEqual([]);
      expect(withOptions).toContain('nodemailer/dist/esm/mail-composer/index.js');
    },
    BUNDLING_MS,
  );

  it(
    'takes its AWS credentials from the environment, without the rest of the SDK chain',
    async () => {
      const files = await packagesOf('functions/api/get-request.ts', true);
      const packages = new Set(files.map((f) => f.split('/').slice(0, 2).join('/')));
      for (const chainOnly of [
        '@aws-sdk/credential-provider-node',
        '@aws-sdk/credential-provider-ini',
        '@aws-sdk/credential-provider-sso',
        '@aws-sdk/nested-clients',
        '@smithy/credential-provider-imds',
      ]) {
        expect(packages.has(chainOnly), chainOnly).toBe(false);
      }
      expect(packages.has('@aws-sdk/credential-provider-env')).toBe(true);
    },
    BUNDLING_MS,
  );
});

describe('the credential provider of the bundles', () => {
  const saved = { ...process.env };
  let server: Server | undefined;
  afterEach(() => {
    process.env = { ...saved };
    server?.close();
    server = undefined;
  });
  const clearCredentials = () => {
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    ])
      delete process.env[name];
  };

  it("returns the role's credentials Lambda puts in the environment", async () => {
    clearCredentials();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLAMBDA';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';
    const credentials = await defaultProvider()();
    expect(credentials).toMatchObject({
      accessKeyId: 'AKIDLAMBDA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('asks a container credentials endpoint when the environment names one instead, once until they expire', async () => {
    clearCredentials();
    let calls = 0;
    server = createServer((_req, res) => {
      calls++;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          AccessKeyId: 'AKIDCONTAINER',
          SecretAccessKey: 'secret',
          Token: 'token',
          Expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    });
    await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${port}/creds`;
    const provider = defaultProvider();
    expect(await provider()).toMatchObject({ accessKeyId: 'AKIDCONTAINER', sessionToken: 'token' });
    await provider();
    expect(calls).toBe(1);
  });

  it('fails, naming the variables, when the environment holds no credentials', async () => {
    clearCredentials();
    await expect(defaultProvider()()).rejects.toThrow(/AWS_ACCESS_KEY_ID|credentials/i);
  });
});
