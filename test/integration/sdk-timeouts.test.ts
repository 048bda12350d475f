import { createServer, type Socket } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient, localS3Client, localSqsClient } from '../../local/aws-local.ts';
import { objectStorageFromEnv } from '../../shared/documents/adapters/from-env.ts';
import { mailerFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { sharedDocumentClient, sharedSqsClient } from '../../shared/platform/aws/aws-clients.ts';
import { SDK_TIMEOUTS, type SdkTimeouts } from '../../shared/platform/aws/sdk-http.ts';
import { readSecret } from '../../shared/platform/aws/secrets.ts';

/**
 * Every AWS SDK client of the system gives up on a stuck connection: against a server that accepts
 * connections and never answers, each call fails with the handler's TimeoutError (its requestTimeout,
 * thrown rather than only logged), after the SDK's retries on fresh connections.
 */
const connections = new Set<Socket>();
let accepted = 0;
const silent = createServer((socket) => {
  accepted++;
  connections.add(socket);
  socket.on('close', () => connections.delete(socket));
  socket.on('error', () => {});
  // Reads the request, never writes a byte back.
  socket.resume();
});
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
  // The clients made from the environment, as in Lambda, reach the silent server.
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_SESV2: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    DOCUMENTS_BUCKET: 'documents',
  });
});
afterAll(async () => {
  for (const socket of connections) socket.destroy();
  await new Promise((closed) => silent.close(closed));
});

/** The request timeout's error, as @smithy/node-http-handler throws it with throwOnRequestTimeout. */
const timedOutAfter = (timeouts: SdkTimeouts) => ({
  name: 'TimeoutError',
  message: expect.stringContaining(`exceeded the configured ${timeouts.requestTimeoutMs} ms requestTimeout`),
});
const requestTimedOut = timedOutAfter(SDK_TIMEOUTS);
/** The local tools' clients wait 30 s by default (TOOL_SDK_TIMEOUTS); shorter here, through the same handler. */
const TOOL = { connectionTimeoutMs: 1_000, requestTimeoutMs: 500 };

describe('AWS SDK clients against a server that never answers', () => {
  it('fail each call with a TimeoutError from the request timeout, for every client the system makes', async () => {
    const calls: Record<string, () => Promise<unknown>> = {
      'shared DynamoDB': () =>
        sharedDocumentClient().send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } })),
      'shared SQS': () => sharedSqsClient().send(new GetQueueUrlCommand({ QueueName: 'q' })),
      'documents S3': () => objectStorageFromEnv().inspect('k'),
      'alerts SES': () =>
        mailerFromEnv({ ...process.env, SENDER_EMAIL: 'a@example.org' }).mailer.send({
          from: 'a@example.org',
          to: 'b@example.org',
          subject: 's',
          text: 't',
          html: '<p>t</p>',
          messageId: 'm@example.org',
          date: new Date(),
        }),
      'Secrets Manager': () =>
        readSecret('CURSOR_SECRET', {
          CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:ap-southeast-1:000000000000:secret:c',
        }),
      'local DynamoDB': () =>
        localDynamoClient(endpoint, TOOL).send(
          new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
        ),
      'local SQS': () => localSqsClient(endpoint, TOOL).send(new GetQueueUrlCommand({ QueueName: 'q' })),
      'local S3': () => localS3Client(endpoint, TOOL).send(new HeadBucketCommand({ Bucket: 'documents' })),
    };

    const outcomes = await Promise.all(
      Object.entries(calls).map(async ([client, call]) => {
        try {
          await call();
          return [client, 'answered'];
        } catch (error) {
          const e = error as Error;
          return [client, { name: e.name, message: e.message }];
        }
      }),
    );

    expect(Object.fromEntries(outcomes)).toEqual({
      ...Object.fromEntries(Object.keys(calls).map((client) => [client, requestTimedOut])),
      // Powertools Parameters wraps the SDK's error in its own, keeping its message.
      'Secrets Manager': { ...requestTimedOut, name: 'GetParameterError' },
      ...Object.fromEntries(
        ['local DynamoDB', 'local SQS', 'local S3'].map((client) => [client, timedOutAfter(TOOL)]),
      ),
    });
    // Each timed-out attempt was retried on a fresh connection (3 attempts: the SDK's standard retry).
    expect(accepted).toBeGreaterThan(Object.keys(calls).length);
  }, 45_000);
});
