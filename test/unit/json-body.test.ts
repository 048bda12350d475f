import { describe, expect, it } from 'vitest';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../shared/platform/errors.ts';
import { MAX_BODY_BYTES, MAX_NESTING, parseJsonBody } from '../../shared/platform/http/json-body.ts';
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

  it.each([
    ['{"amountVnd": 1, "amountVnd": 999}', 'body', 'amountVnd'],
    ['{"payee": {"name": "A", "kind": "household", "name": "B"}}', 'body.payee', 'name'],
    ['{"a": 1, "\\u0061": 2}', 'body', 'a'],
    ['{"items": [{"k": 1}, {"k": 2, "k": 3}]}', 'body.items.1', 'k'],
    ['[{"x": {}, "y": {"z": 1, "z": 2}}]', 'body.0.y', 'z'],
  ])('refuses %s, a key written twice, naming where (%s)', (text, field, key) => {
    const error = caught(() => parseJsonBody(text, false, JSON_TYPE));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'invalid_request', details: { field, key } });
    expect(error.message).toBe(
      `${field}: the key "${key}" appears twice in one object; send each field once.`,
    );
  });

  it('accepts the same key in sibling and nested objects, and key-like strings in values', () => {
    const text = '{"a": {"k": 1}, "b": {"k": 2, "a": "k"}, "c": ["a", "a"], "k": {"k": {"k": 3}}}';

    expect(parseJsonBody(text, false, JSON_TYPE)).toEqual({
      a: { k: 1 },
      b: { k: 2, a: 'k' },
      c: ['a', 'a'],
      k: { k: { k: 3 } },
    });
  });

  it.each([
    ['a lone continuation byte', [0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]],
    ['a truncated two-byte sequence', [0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]],
    ['an overlong encoding of "/"', [0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]],
    ['an encoded surrogate (CESU-8)', [0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]],
  ])('refuses a base64 body holding %s instead of reading it as U+FFFD', (_, bytes) => {
    const raw = Buffer.from(bytes).toString('base64');

    const error = caught(() => parseJsonBody(raw, true, JSON_TYPE));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/not valid UTF-8.*send the JSON encoded as UTF-8/);
  });

  it('still answers 415 for a base64 body that is not JSON at all, whatever its bytes', () => {
    const raw = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]).toString('base64');

    expect(caught(() => parseJsonBody(raw, true, 'image/png'))).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('returns every string in NFC, in nested objects and arrays', () => {
    const nfd = 'Ch\u01a1m'.normalize('NFD');
    const text = JSON.stringify({
      commune: nfd,
      payee: { name: `Nguy${'\u1ec5'.normalize('NFD')}n` },
      tags: [nfd],
    });

    expect(nfd).not.toBe('Chơm');
    expect(parseJsonBody(text, false, JSON_TYPE)).toEqual({
      commune: 'Chơm',
      payee: { name: 'Nguyễn' },
      tags: ['Chơm'],
    });
  });

  it.each([
    ['{"__proto__": {"admin": true}}', 'body'],
    ['{"outputs": {"houses": 1, "__proto__": 3}}', 'body.outputs'],
    ['{"a": [{"__proto__": 1}]}', 'body.a.0'],
  ])('refuses an own __proto__ key in %s, naming where', (text, field) => {
    const error = caught(() => parseJsonBody(text, false, JSON_TYPE));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ details: { field, key: '__proto__' } });
    expect(error.message).toMatch(/"__proto__" is not a field or key this API accepts/);
  });

  it('refuses a body nested deeper than 32 levels, however deep, without overflowing the stack', () => {
    for (const depth of [MAX_NESTING + 1, 30_000]) {
      const error = caught(() => parseJsonBody(`${'['.repeat(depth)}${']'.repeat(depth)}`, false, JSON_TYPE));

      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(/more than 32 levels deep/);
    }
    const deepest = `${'{"a":'.repeat(MAX_NESTING - 1)}{}${'}'.repeat(MAX_NESTING - 1)}`;
    expect(parseJsonBody(deepest, false, JSON_TYPE)).toHaveProperty('a');
  });
});
