import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sdkRequestHandler, TOOL_SDK_TIMEOUTS } from '../shared/platform/aws/sdk-http.ts';
import { LOCAL_AWS } from './aws-local.ts';
import { type RunningServer, startDynamoDbLocal } from './servers.ts';
import { describeUpgrade, exactDocumentClient, moveRequestListings, upgradeTable } from './table-upgrade.ts';

/**
 * `npm run -s upgrade-keys -- [--endpoint URL] [--table NAME] [--region R]`: moves the items a table
 * holds from before keys carried the jurisdiction into their jurisdiction (README "Upgrading data from
 * before jurisdictions"). Without --endpoint it upgrades the local data folder (DATA_DIR, `var`),
 * starting DynamoDB Local on it (the system must be stopped); with --endpoint, or with --table alone,
 * the table of that endpoint or of AWS, with the operator's own credentials (the functions' roles may
 * neither scan nor delete). Then it moves requests' listing keys to their own indexes (gsi4–gsi6). Safe
 * to run again: a second run moves nothing.
 */
const usage = 'usage: npm run -s upgrade-keys -- [--endpoint URL] [--table NAME] [--region R]';
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const parsed = (() => {
  try {
    return parseArgs({
      options: { endpoint: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' } },
      strict: true,
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
})();
const args: { endpoint?: string | undefined; table?: string | undefined; region?: string | undefined } =
  parsed;
const local = args.endpoint === undefined && args.table === undefined;
const tableName = args.table ?? `${process.env.LOCAL_NAMESPACE ?? 'giai-ngan'}-ledger`;
let server: RunningServer | undefined;
let endpoint = args.endpoint;
if (local) {
  const dataDir = resolve(process.env.DATA_DIR ?? 'var');
  server = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  endpoint = server.endpoint;
  console.log(`DynamoDB Local on the data folder ${dataDir}`);
}
// Local servers take any credentials; AWS takes the operator's (environment, profile, SSO).
const raw = new DynamoDBClient({
  requestHandler: sdkRequestHandler(TOOL_SDK_TIMEOUTS),
  ...(endpoint !== undefined ? { endpoint, ...(local || !args.region ? LOCAL_AWS : {}) } : {}),
  ...(args.region ? { region: args.region } : {}),
});
try {
  console.log(`upgrading table ${tableName}${endpoint ? ` at ${endpoint}` : ''}…`);
  const report = await upgradeTable(exactDocumentClient(raw), tableName, {
    log: (line) => console.log(line),
  });
  console.log(`${report.scanned} items read; ${describeUpgrade(report)}`);
  if (report.left.length > 0) process.exitCode = 1;
  else {
    // Requests' listing keys from gsi1–gsi3 to their own indexes (docs/deploy.md, issue 20).
    const moved = await moveRequestListings(exactDocumentClient(raw), tableName);
    console.log(`moved the listing keys of ${moved} requests to gsi4–gsi6`);
  }
} catch (error) {
  const missing = (error as Error).name === 'ResourceNotFoundException';
  console.error(
    missing
      ? `No table ${tableName}${endpoint ? ` at ${endpoint}` : ''}: nothing to upgrade (name the table with --table).`
      : `The upgrade stopped: ${(error as Error).message}. Run it again: it resumes where it stopped.`,
  );
  process.exitCode = 1;
} finally {
  raw.destroy();
  await server?.stop();
}
