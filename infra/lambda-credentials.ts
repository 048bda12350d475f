/**
 * The AWS SDK's default credential provider as the functions' bundles carry it (aliased for
 * `@aws-sdk/credential-provider-node` by infra/bundle-aliases.ts; the local runtime and the tests run the
 * sources and keep the SDK's full chain). Lambda gives a function its role's credentials in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first link of the SDK's chain; the
 * chain's other links (SSO, shared ini files with their STS and sign-in clients, credential processes,
 * web identity tokens, EC2 instance metadata) serve machines a function never runs on, and weigh about
 * 140 KB of each bundle. A container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI or
 * RELATIVE_URI), which the chain consults before instance metadata, is kept for environments that give
 * credentials that way instead.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';

type Init = Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0];

const CONTAINER_URI_ENVS = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

export const defaultProvider = (init: Init = {}) => {
  const env = fromEnv(init);
  // Made on first use: fromHttp refuses at once when neither variable names an endpoint.
  let container: ReturnType<typeof fromHttp> | undefined;
  return async (props?: Parameters<typeof env>[0]) => {
    if (process.env.AWS_ACCESS_KEY_ID || !CONTAINER_URI_ENVS.some((name) => process.env[name]))
      return env(props);
    if (!container) {
      const fetchOnce = fromHttp(init);
      // Cached until near expiry, as the SDK's own chain caches what it finds (memoizeChain).
      container =
        memoizeIdentityProvider(fetchOnce, isIdentityExpired, doesIdentityRequireRefresh) ?? fetchOnce;
    }
    return container(props);
  };
};
