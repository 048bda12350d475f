import * as path from 'node:path';
import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type FunctionSpec, type QueueSpec, TABLE_NAME_ENV } from '../shared/topology.ts';
import { constructId } from './construct-id.ts';

export interface TopologyFunctionsProps {
  /** The repository root; function entries are relative to it. */
  repoRoot: string;
  functions: readonly FunctionSpec[];
  queueSpecs: readonly QueueSpec[];
  /** Queues by topology id, as built by TopologyQueues. */
  queues: ReadonlyMap<string, sqs.IQueue>;
  table: dynamodb.ITable;
}

/** Time zone of the district's working day, for scheduled functions. */
const SCHEDULE_TIME_ZONE = TimeZone.ASIA_HO_CHI_MINH;

/**
 * One Lambda function per FunctionSpec, bundled by esbuild on the local machine, with the environment
 * and permissions its spec declares and nothing more, wired to its queue or schedule trigger. HTTP
 * triggers are wired by the API, which owns the routes.
 */
export class TopologyFunctions extends Construct {
  /** Functions by their topology id. */
  readonly byId: ReadonlyMap<string, nodejs.NodejsFunction>;

  constructor(scope: Construct, id: string, props: TopologyFunctionsProps) {
    super(scope, id);
    const functions = new Map<string, nodejs.NodejsFunction>();
    const urlEnvOf = new Map(props.queueSpecs.map((q) => [q.id, q.urlEnv]));
    const queueOf = (queueId: string, user: string): { queue: sqs.IQueue; urlEnv: string } => {
      const queue = props.queues.get(queueId);
      const urlEnv = urlEnvOf.get(queueId);
      if (!queue || !urlEnv) {
        throw new Error(
          `Function ${user} refers to queue "${queueId}", which the topology does not declare.`,
        );
      }
      return { queue, urlEnv };
    };

    for (const spec of props.functions) {
      const name = constructId(spec.id);
      const trigger = spec.trigger;
      // Queues are resolved before bundling, so a topology naming an undeclared queue fails at once.
      const sendsTo = spec.sendsTo.map((queueId) => queueOf(queueId, spec.id));
      // Reporting failures per record redelivers only those, so one bad message cannot replay a batch.
      const eventSource =
        trigger.kind === 'queue'
          ? new SqsEventSource(queueOf(trigger.queueId, spec.id).queue, {
              batchSize: trigger.batchSize,
              reportBatchItemFailures: true,
            })
          : undefined;

      const environment: Record<string, string> = {
        ...spec.environment,
        NODE_OPTIONS: '--enable-source-maps',
      };
      if (spec.table !== 'none') environment[TABLE_NAME_ENV] = props.table.tableName;
      for (const { queue, urlEnv } of sendsTo) environment[urlEnv] = queue.queueUrl;

      const fn = new nodejs.NodejsFunction(this, `${name}Function`, {
        entry: path.join(props.repoRoot, spec.entry),
        handler: 'handler',
        projectRoot: props.repoRoot,
        depsLockFilePath: path.join(props.repoRoot, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        timeout: Duration.seconds(spec.timeoutSeconds),
        environment,
        logGroup: new logs.LogGroup(this, `${name}LogGroup`, { retention: logs.RetentionDays.ONE_MONTH }),
        bundling: {
          format: nodejs.OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          minify: true,
          sourceMap: true,
          tsconfig: path.join(props.repoRoot, 'tsconfig.json'),
          // Some CommonJS dependencies call require() at run time; an ESM bundle has to provide it.
          banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
          forceDockerBundling: false,
        },
      });

      if (spec.table === 'read') props.table.grantReadData(fn);
      if (spec.table === 'read-write') props.table.grantReadWriteData(fn);
      for (const { queue } of sendsTo) queue.grantSendMessages(fn);

      if (eventSource) fn.addEventSource(eventSource);
      if (trigger.kind === 'schedule') {
        new scheduler.Schedule(this, `${name}Schedule`, {
          schedule: scheduler.ScheduleExpression.expression(trigger.expression, SCHEDULE_TIME_ZONE),
          target: new schedulerTargets.LambdaInvoke(fn),
          description: `Runs ${spec.id} on ${trigger.expression}`,
        });
      }
      functions.set(spec.id, fn);
    }

    this.byId = functions;
  }
}
