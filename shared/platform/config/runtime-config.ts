import { TABLE_NAME_ENV } from '../topology.ts';

/** Reads a required environment variable once, failing fast with a message that says what is missing. */
export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing environment variable ${name}: the function's deployment must set it.`);
  }
  return value;
};

export const tableName = (): string => requireEnv(TABLE_NAME_ENV);
