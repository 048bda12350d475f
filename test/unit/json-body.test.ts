import { describe, expect, it } from 'vitest';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../shared/domain/errors.ts';
import { MAX_BODY_BYTES, parseJsonBody } from '../../shared/http/json-body.ts';
import { caught } from './support/caught.ts';

const JSON_TYPE = 'application/json';

/** A JSON object body of exactly `bytes` UTF-8 bytes, padded with `fill` inside a string. */
const bodyOfBytes = (bytes: number, fill = 'x'): string => {
  const frame = '{"purpose":""}';
  const fillBytes = Buffer.byteLength(fill, 'utf8');
  const count = Math.floor((bytes - frame.length) / fillBytes);
  const text = `{"purpose":"${fill.repeat(count)}${'x'.repeat(bytes - frame.length - count * fillBytes)}"}`;
  if (Buffer.byteLength(text, 'utf8') !== bytes) throw new Error('arrange failed: wrong body size');
  return text;
};

describe('parseJsonBody', () => {
  it('parses a JSON object sent as application/json', () => {
    const value = parseJsonBody(
      '{"amountVnd": 40000000, "payee": {"name": "A", "kind": "household"}}',
      false,
      JSON_TYPE,
    );

    expect(value).toEqual({ amountVnd: 40_000_000, payee: { name: 'A', kind: 'household' } });
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', '  application/json  '])(
    'accepts the content type %j',
    (contentType) => {
      expect(parseJsonBody('{"a": 1}', false, contentType)).toEqual({ a: 1 });
    },
  );

  it('decodes a base64-encoded body before parsing it', () => {
    const raw = Buffer.from('{"purpose": "Nhà ở cho hộ nghèo"}', 'utf8').toString('base64');

    const value = parseJsonBody(raw, true, JSON_TYPE);

    expect(value).toEqual({ purpose: 'Nhà ở cho hộ nghèo' });
  });

  it('accepts a body of exactly 64 KiB', () => {
    const text = bodyOfBytes(MAX_BODY_BYTES);

    expect(MAX_BODY_BYTES).toBe(65_536);
    expect(parseJsonBody(text, false, JSON_TYPE)).toHaveProperty('purpose');
  });

  it('refuses a body one byte over 64 KiB with payload_too_large', () => {
    const text = bodyOfBytes(MAX_BODY_BYTES + 1);

    const error = caught(() => parseJsonBody(text, false, JSON_TYPE));

    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const text = bodyOfBytes(MAX_BODY_BYTES + 2, 'đ');

    expect(text.length).toBeLessThan(MAX_BODY_BYTES);
    expect(() => parseJsonBody(text, false, JSON_TYPE)).toThrow(PayloadTooLargeError);
  });

  it('applies the limit to the decoded size of a base64 body', () => {
    const decoded = bodyOfBytes(60_000);
    const raw = Buffer.from(decoded, 'utf8').toString('base64');

    expect(raw.length).toBeGreaterThan(MAX_BODY_BYTES);
    expect(parseJsonBody(raw, true, JSON_TYPE)).toHaveProperty('purpose');
  });

  it.each([undefined, '', '   \n'])('requires a body (got %j)', (raw) => {
    const error = caught(() => parseJsonBody(raw, false, JSON_TYPE));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'invalid_request' });
  });

  it.each([
    undefined,
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/jsonp',
    'application/json; charset=utf-16',
    'application/json; charset="ISO-8859-1"',
    'application/json-patch+json',
  ])('refuses the content type %j with unsupported_media_type', (contentType) => {
    const error = caught(() => parseJsonBody('{"a": 1}', false, contentType));

    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(error).toMatchObject({ code: 'unsupported_media_type', status: 415 });
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"', 'application/json; x=1'])(
    'reads a UTF-8 body whatever the case and extra parameters of %j',
    (contentType) => {
      expect(parseJsonBody('{"a": 1}', false, contentType)).toEqual({ a: 1 });
    },
  );

  it('refuses invalid JSON with invalid_request and says so', () => {
    const error = caught(() => parseJsonBody('{"amountVnd": 5,}', false, JSON_TYPE));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it.each([
    ['{"amountVnd": 1e9}', 'amountVnd', '1e9'],
    ['{"amountVnd": 100.0}', 'amountVnd', '100.0'],
    ['{"amountVnd": 1.5E+3}', 'amountVnd', '1.5E+3'],
    ['{"deltaVnd": -2.5}', 'deltaVnd', '-2.5'],
    ['{"purpose": "x", "outputs": {"houses": 1.5}}', 'houses', '1.5'],
    ['{"a": 1, "list": [2, 3.25]}', 'list', '3.25'],
    ['{"a": {"b": [[2, 1e3]], "c": [4.5]}, "d": 5}', 'b', '1e3'],
  ])('refuses %s, naming the key %j', (text, key, token) => {
    const error = caught(() => parseJsonBody(text, false, JSON_TYPE));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      `${key}: numbers must be plain whole numbers, without fraction or exponent (got ${token}).`,
    );
    expect(error).toMatchObject({ details: { field: key } });
  });

  it.each(['[1.5]', '[[1.5], {"a": 1}]'])(
    'refuses a fraction outside any object without naming a key: %s',
    (text) => {
      const error = caught(() => parseJsonBody(text, false, JSON_TYPE));

      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(
        'numbers must be plain whole numbers, without fraction or exponent (got 1.5).',
      );
      expect(error).toMatchObject({ details: { field: undefined } });
    },
  );

  it('accepts whole numbers, negative ones included', () => {
    const value = parseJsonBody(
      '{"deltaVnd": -500000000, "amountVnd": 0, "n": 1000000000000000}',
      false,
      JSON_TYPE,
    );

    expect(value).toEqual({ deltaVnd: -500_000_000, amountVnd: 0, n: 1_000_000_000_000_000 });
  });

  it('accepts fractions and exponents written inside strings, escaped quotes included', () => {
    const text = '{"purpose": "1.5 ha, 2e3 seedlings, \\"3.5\\" tonnes", "note\\"1.5": "x", "amountVnd": 7}';

    const value = parseJsonBody(text, false, JSON_TYPE);

    expect(value).toEqual({ purpose: '1.5 ha, 2e3 seedlings, "3.5" tonnes', 'note"1.5': 'x', amountVnd: 7 });
  });

  it('accepts the literals true, false and null, whose letters include e', () => {
    const value = parseJsonBody('{"a": true, "b": false, "c": null}', false, JSON_TYPE);

    expect(value).toEqual({ a: true, b: false, c: null });
  });
});
