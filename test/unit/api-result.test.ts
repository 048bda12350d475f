import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ApiEvent, apiHandler } from '../../shared/platform/http/api-handler.ts';
import { type ApiResult, replayableAnswer, successStatus } from '../../shared/platform/http/api-result.ts';
import type { RouteSpec } from '../../shared/platform/http/route-spec.ts';

const route = (responses: RouteSpec['responses']): RouteSpec => ({
  method: 'POST',
  path: '/things',
  functionId: 'create-thing',
  summary: 'A route of the test',
  roles: 'public',
  table: 'none',
  responses,
});

const created = route({ 201: { description: 'Created' }, 409: { description: 'Taken' } });
const createdOrSame = route({ 201: { description: 'Created' }, 200: { description: 'Existed' } });

describe('successStatus', () => {
  it('is the one success the route declares', () => {
    expect(successStatus(created)).toBe(201);
  });

  it('is the one chosen among the route’s successes', () => {
    expect(successStatus(createdOrSame, 200)).toBe(200);
  });

  it('refuses a status the route does not declare, and a choice left open', () => {
    expect(() => successStatus(created, 200)).toThrow(/POST \/things answers 200; its spec declares 201/);
    expect(() => successStatus(created, 409)).toThrow(/declares 201/);
    expect(() => successStatus(createdOrSame)).toThrow(/answers without a status/);
  });
});

describe('replayableAnswer', () => {
  it('shows the view of the first result and keeps whether it was replayed', () => {
    const view = (r: { id: string; secret: string }) => ({ id: r.id });
    expect(replayableAnswer({ result: { id: 'a', secret: 's' }, replayed: true }, view)).toEqual({
      body: { id: 'a' },
      replayed: true,
    });
    expect(replayableAnswer({ result: { n: 1 }, replayed: false })).toEqual({
      body: { n: 1 },
      replayed: false,
    });
  });
});

describe('the HTTP edge of a route', () => {
  const answer = (spec: RouteSpec, result: ApiResult) =>
    apiHandler(spec, async () => result)(
      {
        headers: {},
        requestContext: { requestId: 'req-1' },
        rawPath: spec.path,
      } as unknown as ApiEvent,
      { awsRequestId: 'aws-1', functionName: 'test' } as Context,
    );

  it('answers with the status the route spec declares, the use case naming none', async () => {
    const response = await answer(created, { body: { id: 't1' } });

    expect(response.statusCode).toBe(201);
    expect(JSON.parse(String(response.body))).toEqual({ id: 't1' });
    expect(response.headers?.['idempotent-replay']).toBeUndefined();
  });

  it('marks a replayed first answer with Idempotent-Replay, under the same status', async () => {
    const response = await answer(created, { body: { id: 't1' }, replayed: true });

    expect(response.statusCode).toBe(201);
    expect(response.headers?.['idempotent-replay']).toBe('true');
  });

  it('gives the status a function chose among the route’s successes', async () => {
    expect((await answer(createdOrSame, { statusCode: 200, body: {} })).statusCode).toBe(200);
  });

  it('answers 500 when a function names a status its route does not declare', async () => {
    expect((await answer(created, { statusCode: 200, body: {} })).statusCode).toBe(500);
  });
});
