import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { requireEnv } from '../config/runtime-config.ts';
import { sdkRequestHandler } from './sdk-http.ts';

/** The environment variable naming a secret in Secrets Manager (its ARN): `<NAME>_ARN`. */
export const secretArnEnv = (name: string): string => `${name}_ARN`;

/** How long a secret read from Secrets Manager is reused before it is read again (a rotation shows within). */
export const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A managed secret's value, read at run time. In AWS the function's environment holds only the
 * secret's ARN (`<NAME>_ARN`) and the value comes from Secrets Manager through Powertools Parameters,
 * cached for SECRET_MAX_AGE_SECONDS; the value is never in the environment or the template. Locally
 * there is no ARN, and the local runtime gives the value itself in `<NAME>` (from its file under
 * DATA_DIR/keys).
 */
let secrets: SecretsProvider | undefined;
/** Powertools' provider, on a Secrets Manager client bounded by the SDK timeouts; created once, when first needed. */
const secretsProvider = (): SecretsProvider => {
  secrets ??= new SecretsProvider({ clientConfig: { requestHandler: sdkRequestHandler() } });
  return secrets;
};

export const readSecret = async (name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  const arn = env[secretArnEnv(name)];
  if (!arn) return requireEnv(name, env);
  const value = await secretsProvider().get(arn, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') {
    throw new Error(`The secret ${name} (${arn}) has no string value in Secrets Manager.`);
  }
  return value;
};
