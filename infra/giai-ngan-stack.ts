import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROLES } from '../shared/domain/funding-line.ts';
import { FUNCTIONS, QUEUES, TABLE } from '../shared/topology.ts';
import { TopologyQueues } from './approval-queues.ts';
import { HttpApi } from './http-api.ts';
import { LedgerTable } from './ledger-table.ts';
import { TopologyFunctions } from './topology-functions.ts';
import { UserDirectory } from './user-directory.ts';

/** The repository root, against which the topology's function entries are resolved. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface GiaiNganStackProps extends StackProps {
  /** Deployment stage (`dev`, `prod`, …); physical names are left to CloudFormation, so stages share an account. */
  stage: string;
}

/** One stage of the system, built entirely from the topology declaration in shared/topology.ts. */
export class GiaiNganStack extends Stack {
  readonly ledger: LedgerTable;
  readonly queues: TopologyQueues;
  readonly users: UserDirectory;
  readonly functions: TopologyFunctions;
  readonly http: HttpApi;

  constructor(scope: Construct, id: string, props: GiaiNganStackProps) {
    super(scope, id, props);

    const ledger = new LedgerTable(this, 'Ledger', TABLE);
    const queues = new TopologyQueues(this, 'Queues', QUEUES);
    const users = new UserDirectory(this, 'Users', ROLES);
    const functions = new TopologyFunctions(this, 'Functions', {
      repoRoot: REPO_ROOT,
      functions: FUNCTIONS,
      queueSpecs: QUEUES,
      queues: queues.byId,
      table: ledger.table,
    });
    const http = new HttpApi(this, 'Http', {
      functions: FUNCTIONS,
      handlers: functions.byId,
      userPool: users.userPool,
      client: users.client,
    });

    this.ledger = ledger;
    this.queues = queues;
    this.users = users;
    this.functions = functions;
    this.http = http;

    new CfnOutput(this, 'ApiUrl', {
      value: http.api.apiEndpoint,
      description: `API base URL (${props.stage})`,
    });
    new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: ledger.table.tableName });
  }
}
