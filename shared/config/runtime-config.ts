import { FUNDING_LINES, type FundingLine } from '../domain/funding-line.ts';
import { approvalQueueUrlEnv, TABLE_NAME_ENV } from '../topology.ts';

/** Reads a required environment variable once, failing fast with a message that says what is missing. */
export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing environment variable ${name}: the function's deployment must set it.`);
  }
  return value;
};

export const tableName = (): string => requireEnv(TABLE_NAME_ENV);

export const approvalQueueUrls = (): Record<FundingLine, string> =>
  Object.fromEntries(FUNDING_LINES.map((line) => [line, requireEnv(approvalQueueUrlEnv(line))])) as Record<
    FundingLine,
    string
  >;

export const fundingLineFromEnv = (): FundingLine => {
  const line = requireEnv('FUNDING_LINE');
  if (!(FUNDING_LINES as readonly string[]).includes(line)) {
    throw new Error(`FUNDING_LINE must be one of ${FUNDING_LINES.join(', ')}; got "${line}".`);
  }
  return line as FundingLine;
};
