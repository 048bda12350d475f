import * as path from 'node:path';
import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIGEST_ANCHOR_RETENTION_YEARS_ENV, DIGEST_ANCHORS_BUCKET_ENV } from '../shared/audit/topology.ts';
import { DOCUMENTS_BUCKET_ENV } from '../shared/documents/topology.ts';
import { secretArnEnv } from '../shared/platform/aws/secrets.ts';
import type { BundledFile } from '../shared/platform/bundled-file.ts';
import {
  type FunctionSpec,
  METRICS_NAMESPACE,
  type QueueSpec,
  SERVICE_NAME,
  TABLE_NAME_ENV,
  type TableSpec,
} from '../shared/platform/topology.ts';
import { FUNCTION_ALIASES, FUNCTION_DEFINES } from './bundle-aliases.ts';
import { constructId } from './construct-id.ts';
import type { DigestAnchorsAccess } from './digest-anchors-bucket.ts';
import type { DocumentsAccess } from './documents-bucket.ts';
import { ScheduledInvoke } from './scheduled-invoke.ts';
import type { SenderIdentity } from './stateful-stack.ts';
import { tableAccessStatements } from './table-access.ts';

/** Environment variable through which an e-mail-sending function receives the sender address. */
export const SENDER_EMAIL_ENV = 'SENDER_EMAIL';

/**
 * The Lambda runtime: Node.js 24, the newest LTS that Lambda offers (cdk-nag's L1 asks for the latest).
 * Bundles target it (esbuild `node24`); locally and in the tests the same handlers run on the project's
 * own Node 24 (the `node` dev dependency).
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * Bundling hooks that copy a function's run-time files from the repository into its asset after esbuild
 * (local bundling runs them in a shell, with the project root as input and the asset as output).
 */
export const copyAfterBundling = (files: readonly BundledFile[]): nodejs.ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) =>
    files.map((f) => {
      const target = path.posix.join(outputDir, f.target);
      return `mkdir -p "${path.posix.dirname(target)}" && cp "${path.posix.join(inputDir, f.source)}" "${target}"`;
    }),
});

/** Enough memory for zod and the SDK to start quickly; Lambda gives CPU in proportion to memory. */
const MEMORY_MB = 256;

/** Function logs are operational; the money trail itself is in the ledger, so a quarter is enough. */
const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/** AWS's advice for SQS event sources: a message stays hidden for six times its consumer's timeout. */
const VISIBILITY_PER_TIMEOUT = 6;

/** Time zone of the district's working day, for scheduled functions. */
const SCHEDULE_TIME_ZONE = TimeZone.ASIA_HO_CHI_MINH;

export interface TopologyFunctionsProps {
  /** The repository root; function entries are relative to it. */
  repoRoot: string;
  functions: readonly FunctionSpec[];
  queueSpecs: readonly QueueSpec[];
  /** Queues by topology id, as built by TopologyQueues. */
  queues: ReadonlyMap<string, sqs.IQueue>;
  table: dynamodb.ITable;
  tableSpec: TableSpec;
  /** The SES identity e-mail-sending functions send from; without it they get no permission to send. */
  sender?: SenderIdentity;
  /** Managed secrets by the environment variable that carries them. */
  secrets: ReadonlyMap<string, secretsmanager.ISecret>;
  /** The documents bucket; functions whose spec declares `documents` get its name and that access only. */
  documents?: DocumentsAccess;
  /** The digest-anchors bucket; functions whose spec declares `anchors` get its name and that access only. */
  digestAnchors?: DigestAnchorsAccess;
  /** Values of the deployment's settings by the environment variable that carries them (FunctionSpec.settings). */
  settings?: Readonly<Record<string, string>>;
}

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
    const specOf = new Map(props.queueSpecs.map((q) => [q.id, q]));
    const queueOf = (queueId: string, user: string): { queue: sqs.IQueue; spec: QueueSpec } => {
      const queue = props.queues.get(queueId);
      const spec = specOf.get(queueId);
      if (!queue || !spec) {
        throw new Error(
          `Function ${user} refers to queue "${queueId}", which the topology does not declare.`,
        );
      }
      return { queue, spec };
    };
    const runtimeMajor = /^nodejs(\d+)\.x$/.exec(FUNCTION_RUNTIME.name)?.[1] ?? '24';

    for (const spec of props.functions) {
      const name = constructId(spec.id);
      const trigger = spec.trigger;
      // Queues are resolved before bundling, so a topology naming an undeclared queue fails at once.
      const sendsTo = spec.sendsTo.map((queueId) => queueOf(queueId, spec.id));
      const source =
        trigger.kind === 'queue'
          ? { ...queueOf(trigger.queueId, spec.id), batchSize: trigger.batchSize }
          : undefined;
      if (source && source.spec.visibilityTimeoutSeconds < VISIBILITY_PER_TIMEOUT * spec.timeoutSeconds) {
        // Shorter, and a message still being processed reappears and is handled twice at once.
        throw new Error(
          `Queue "${source.spec.id}" hides messages for ${source.spec.visibilityTimeoutSeconds} s, less than ${VISIBILITY_PER_TIMEOUT} × the ${spec.timeoutSeconds} s timeout of its consumer ${spec.id}; raise visibilityTimeoutSeconds in the topology.`,
        );
      }

      const environment: Record<string, string> = {
        ...spec.environment,
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools: the service on every log entry and trace, the namespace of the business metrics.
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      };
      if (spec.table !== 'none') environment[TABLE_NAME_ENV] = props.table.tableName;
      for (const { queue, spec: queueSpec } of sendsTo) environment[queueSpec.urlEnv] = queue.queueUrl;
      if (spec.sendsEmail && props.sender) environment[SENDER_EMAIL_ENV] = props.sender.address;
      const documents = spec.documents ? props.documents : undefined;
      if (spec.documents && !documents)
        throw new Error(
          `Function ${spec.id} needs the documents bucket, which the deployment does not give.`,
        );
      if (documents) environment[DOCUMENTS_BUCKET_ENV] = documents.bucket.bucketName;
      const anchors = spec.anchors ? props.digestAnchors : undefined;
      if (spec.anchors && !anchors)
        throw new Error(
          `Function ${spec.id} needs the digest-anchors bucket, which the deployment does not give.`,
        );
      if (anchors) environment[DIGEST_ANCHORS_BUCKET_ENV] = anchors.bucket.bucketName;
      if (anchors && spec.anchors === 'write')
        environment[DIGEST_ANCHOR_RETENTION_YEARS_ENV] = String(anchors.retentionYears);
      const secrets = (spec.secrets ?? []).map((name) => {
        const secret = props.secrets.get(name);
        if (!secret)
          throw new Error(
            `Function ${spec.id} needs the secret ${name}, which the stateful stack does not hold.`,
          );
        // Only the secret's ARN: the function reads the value at run time (shared/platform/aws/secrets.ts),
        // so it is in neither the template nor the function's configuration.
        environment[secretArnEnv(name)] = secret.secretArn;
        return secret;
      });

      for (const name of spec.settings ?? []) {
        const value = props.settings?.[name];
        if (value === undefined)
          throw new Error(
            `Function ${spec.id} needs the setting ${name}, which the deployment does not give.`,
          );
        environment[name] = value;
      }

      // An explicit role rather than CDK's default, which attaches the AWS-managed
      // AWSLambdaBasicExecutionRole (logs on every log group of the account).
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `giai-ngan ${spec.id}`,
      });
      // Active tracing grants xray:PutTraceSegments and PutTelemetryRecords on "*": X-Ray has no
      // resource-level permissions for them. The role's policy is otherwise scoped to named resources.
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so aws-cdk-lib grants them on "*"; every other statement names its table, queue, secret or identity.',
      });
      const logGroup = new logs.LogGroup(this, `${name}LogGroup`, { retention: LOG_RETENTION });
      logGroup.grantWrite(role);

      const fn = new nodejs.NodejsFunction(this, `${name}Function`, {
        entry: path.join(props.repoRoot, spec.entry),
        handler: 'handler',
        projectRoot: props.repoRoot,
        depsLockFilePath: path.join(props.repoRoot, 'package-lock.json'),
        runtime: FUNCTION_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        memorySize: MEMORY_MB,
        timeout: Duration.seconds(spec.timeoutSeconds),
        description: `giai-ngan ${spec.id} (${spec.entry})`,
        environment,
        role,
        logGroup,
        // X-Ray: a trace per invocation, with a subsegment per AWS SDK call (shared/platform/aws/tracer.ts).
        tracing: lambda.Tracing.ACTIVE,
        bundling: {
          format: nodejs.OutputFormat.ESM,
          target: `node${runtimeMajor}`,
          mainFields: ['module', 'main'],
          minify: true,
          sourceMap: true,
          // Stack traces map back to file and line without shipping the sources a second time.
          sourcesContent: false,
          tsconfig: path.join(props.repoRoot, 'tsconfig.json'),
          // Some CommonJS dependencies call require() at run time; an ESM bundle has to provide it.
          banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
          forceDockerBundling: false,
          // Bundle the SDK version the tests ran against; it also cold-starts faster than the runtime's
          // own copy (npm run bench: 173 ms vs 294 ms to import submit-request, docs/performance.md).
          bundleAwsSDK: true,
          // Node built-ins taken as CommonJS, not through their costly ESM facade; the SDK's credentials
          // from Lambda's environment, without the rest of its chain (bundle-aliases.ts).
          esbuildArgs: {
            '--alias': Object.entries(FUNCTION_ALIASES).map(([name, shim]) => `${name}=${shim}`),
          },
          // Local-only code (the SMTP transport) left out of the bundle (bundle-aliases.ts).
          define: { ...FUNCTION_DEFINES },
          // esbuild's per-bundle summary would print thirty times on every synth; warnings still show.
          logLevel: nodejs.LogLevel.WARNING,
          // Files read at run time (fonts) go beside the bundle, where platform/bundled-file.ts looks first.
          ...(spec.bundleFiles?.length ? { commandHooks: copyAfterBundling(spec.bundleFiles) } : {}),
        },
      });

      for (const statement of tableAccessStatements(spec, props.table.tableArn, props.tableSpec)) {
        role.addToPrincipalPolicy(statement);
      }
      for (const { queue } of sendsTo) queue.grantSendMessages(role);
      // Objects only, one action: a presigned URL acts with its signer's permission, so the function that
      // presigns uploads may put and nothing else; those that verify or presign downloads may only get.
      // One object action (DocumentsBucket.access): put to presign uploads, get to verify and presign downloads.
      if (documents && spec.documents) role.addManagedPolicy(documents.access[spec.documents]);
      // The digest job puts (and reads back); verification reads; the bucket policy refuses deletes to all.
      if (anchors && spec.anchors) role.addManagedPolicy(anchors.access[spec.anchors]);
      for (const secret of secrets) secret.grantRead(role);
      // Scoped to the one identity: the function cannot send as any other address of the account.
      if (spec.sendsEmail && props.sender) props.sender.identity.grantSendEmail(role);

      if (source) {
        // Reporting failures per record redelivers only those, so one bad message cannot replay a batch.
        fn.addEventSource(
          new SqsEventSource(source.queue, { batchSize: source.batchSize, reportBatchItemFailures: true }),
        );
      }
      if (trigger.kind === 'schedule') {
        new scheduler.Schedule(this, `${name}Schedule`, {
          schedule: scheduler.ScheduleExpression.expression(trigger.expression, SCHEDULE_TIME_ZONE),
          target: new ScheduledInvoke(fn),
          description: `Runs ${spec.id} on ${trigger.expression} (Asia/Ho_Chi_Minh)`,
        });
      }
      functions.set(spec.id, fn);
    }

    this.byId = functions;
  }
}
