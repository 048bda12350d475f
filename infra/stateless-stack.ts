import { fileURLToPath } from 'node:url';
import { CfnOutput, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { API_URL_ENV, DASHBOARD_URL_ENV, TABLE } from '../shared/platform/topology.ts';
import { FUNCTIONS, QUEUES } from '../shared/topology.ts';
import { DashboardSite } from './dashboard-site.ts';
import { DocumentsCors } from './documents-cors.ts';
import { HttpApi } from './http-api.ts';
import { OperationalAlarms } from './operational-alarms.ts';
import type { StatefulResources } from './stateful-stack.ts';
import { TopologyFunctions } from './topology-functions.ts';

/** The repository root, against which the topology's function entries are resolved. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StatelessStackProps extends StackProps {
  /** The table, queues, users, sender and alarm topic of the same stage. */
  state: StatefulResources;
  /** The stage name (names the dashboard's hosted-UI domain). */
  stage: string;
  /** Deployment settings the functions read, by environment variable (FunctionSpec.settings). */
  functionSettings?: Readonly<Record<string, string>>;
}

/**
 * The code and its wiring, built entirely from the topology declaration in shared/topology.ts: the
 * functions, the HTTP API, the schedules and the alarms. It holds no data, so it can be destroyed and
 * redeployed without losing anything.
 */
export class StatelessStack extends Stack {
  readonly functions: TopologyFunctions;
  readonly http: HttpApi;
  readonly alarms: OperationalAlarms;
  /** The nested stack holding the alarms. */
  readonly alarmsStack: NestedStack;
  readonly dashboard: DashboardSite;
  /** The documents bucket's CORS rule, naming the dashboard's origin (browser uploads). */
  readonly documentsCors: DocumentsCors;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { state } = props;

    this.functions = new TopologyFunctions(this, 'Functions', {
      repoRoot: REPO_ROOT,
      functions: FUNCTIONS,
      queueSpecs: QUEUES,
      queues: state.queues,
      table: state.table,
      tableSpec: TABLE,
      ...(state.sender ? { sender: state.sender } : {}),
      secrets: state.secrets,
      documents: state.documents,
      digestAnchors: state.digestAnchors,
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
    });
    this.dashboard = new DashboardSite(this, 'Dashboard', {
      userPool: state.userPool,
      repoRoot: REPO_ROOT,
      stage: props.stage,
      documentsBucket: state.documents.bucket,
    });
    this.documentsCors = new DocumentsCors(this, 'DocumentsCors', {
      bucket: state.documents.bucket,
      origins: [this.dashboard.url],
    });
    this.http = new HttpApi(this, 'Http', {
      functions: FUNCTIONS,
      handlers: this.functions.byId,
      userPool: state.userPool,
      clients: [state.userPoolClient, this.dashboard.client],
      corsOrigins: [this.dashboard.url],
    });
    this.dashboard.deploy(this.http.api.apiEndpoint);
    // Links e-mailed by functions (no cycle: the mailer is no route of the API it links to).
    for (const spec of FUNCTIONS.filter((f) => f.publicUrls)) {
      const fn = this.functions.byId.get(spec.id);
      fn?.addEnvironment(DASHBOARD_URL_ENV, this.dashboard.url);
      fn?.addEnvironment(API_URL_ENV, this.http.api.apiEndpoint);
    }
    // The alarms (one per queue's dead letters, two per function, one for the API) in a nested stack of
    // their own: in this stack they would take it past CloudFormation's 500 resources. Values reach it as
    // parameters, not exports, so a function can still be replaced.
    this.alarmsStack = new NestedStack(this, 'AlarmsStack', {
      description: 'giai-ngan operational alarms, notifying the alarm topic',
    });
    this.alarms = new OperationalAlarms(this.alarmsStack, 'Alarms', {
      topic: state.alarmTopic,
      deadLetterQueues: state.deadLetterQueues,
      functions: this.functions.byId,
      api: this.http.api,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.http.api.apiEndpoint, description: 'API base URL' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `${this.dashboard.url}/`,
      description: 'The web dashboard',
    });
    new CfnOutput(this, 'AccessLogGroupName', { value: this.http.accessLogs.logGroupName });
  }
}
