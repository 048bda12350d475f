import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../shared/platform/errors.ts';
import { type ApiEvent, apiHandler } from '../../shared/platform/http/api-handler.ts';
import { parseFileBody } from '../../shared/platform/http/file-body.ts';
import type { RouteSpec } from '../../shared/platform/http/route-spec.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const spec = { mediaTypes: [XLSX, 'text/csv'], maxBytes: 16 } as const;
const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);

describe('a file sent as the body', () => {
  it('arrives as its own bytes, base64 or text, with its media type and name', () => {
    const file = parseFileBody(spec, bytes.toString('base64'), true, {
      'content-type': `${XLSX}; charset=binary`,
      'x-file-name': encodeURIComponent('Kế hoạch vốn 2025.xlsx'),
    });
    expect(file).toEqual({ bytes, contentType: XLSX, fileName: 'Kế hoạch vốn 2025.xlsx' });
    const csv = parseFileBody(spec, '\uFEFFa;b\n', false, { 'content-type': 'text/csv' });
    expect(csv.bytes).toEqual(Buffer.from('\uFEFFa;b\n', 'utf8'));
    expect(csv.fileName).toBeUndefined();
  });

  it('takes the name from Content-Disposition, keeping only its last path segment', () => {
    const file = parseFileBody(spec, 'x', false, {
      'content-type': 'text/csv',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('C:\\dữ liệu\\đợt 1.csv')}`,
    });
    expect(file.fileName).toBe('đợt 1.csv');
  });

  it('refuses another media type (415), a file over the limit (413) and an empty body (400)', () => {
    expect(() => parseFileBody(spec, '{}', false, { 'content-type': 'application/json' })).toThrow(
      UnsupportedMediaTypeError,
    );
    const tooBig = () => parseFileBody(spec, 'x'.repeat(17), false, { 'content-type': 'text/csv' });
    expect(tooBig).toThrow(PayloadTooLargeError);
    expect(tooBig).toThrow(/split it into smaller files/);
    expect(() => parseFileBody(spec, undefined, false, { 'content-type': 'text/csv' })).toThrow(
      ValidationError,
    );
  });

  it('refuses a name that is not one line of text', () => {
    const named = (name: string) => () =>
      parseFileBody(spec, 'x', false, { 'content-type': 'text/csv', 'x-file-name': name });
    expect(named('%E0%A4%A')).toThrow(/URI-encoded/);
    expect(named(encodeURIComponent('a\nb.csv'))).toThrow(/one line/);
  });
});

describe('a binary answer', () => {
  const route: RouteSpec = {
    method: 'GET',
    path: '/files',
    functionId: 'get-file',
    summary: 'A route of the test',
    roles: 'public',
    table: 'none',
    responses: { 200: { description: 'The file', binary: ['application/pdf'] } },
  };
  const call = (body: unknown) =>
    apiHandler(route, async () => ({
      body,
      binary: true,
      headers: { 'content-type': 'application/pdf' },
    }))(
      { headers: {}, requestContext: { requestId: 'r' }, rawPath: '/files' } as unknown as ApiEvent,
      { awsRequestId: 'aws-1', functionName: 'test' } as Context,
    );

  it('goes out base64-encoded, marked so, with its own headers', async () => {
    const response = await call(bytes);
    expect(response.isBase64Encoded).toBe(true);
    expect(Buffer.from(String(response.body), 'base64')).toEqual(bytes);
    expect(response.headers?.['content-type']).toBe('application/pdf');
  });

  it('is a programming error (500) when the body is not bytes', async () => {
    expect((await call('text')).statusCode).toBe(500);
  });
});
