import { describe, expect, it } from 'vitest';
import { anchorDigest, retainUntil } from '../../shared/audit/app/anchor-digest.ts';
import type { DigestAnchorStore } from '../../shared/audit/app/ports.ts';
import {
  buildDigestDocument,
  compareWithAnchors,
  dateOfDigestKey,
  digestObjectKey,
  type ReadDigestCopy,
  readDigestCopy,
  type StoredDigestCopy,
} from '../../shared/audit/domain/anchored-digest.ts';
import { sha256Hex } from '../../shared/ledger/domain/hash-chain.ts';

const h = (c: string) => c.repeat(64);
const head = (allocationId: string, seq: number, hash = h(String(seq))) => ({
  allocationId,
  fiscalYear: 2026,
  seq,
  hash,
});
const AT = '2026-12-01T16:50:00.000Z';

describe('the day’s digest document', () => {
  it('is canonical JSON, heads sorted by allocation, hashed over exactly its stored bytes', () => {
    const { document, body, sha256 } = buildDigestDocument('da-nang', '2026-12-01', AT, [
      head('b', 2),
      head('a', 1),
    ]);
    expect(document.heads.map((x) => x.allocationId)).toEqual(['a', 'b']);
    expect(body.startsWith('{"date":"2026-12-01","format":"giai-ngan/ledger-digest@1","heads":[')).toBe(true);
    expect(sha256).toBe(sha256Hex(body));
    // Same heads in another order: the same bytes, the same hash.
    expect(buildDigestDocument('da-nang', '2026-12-01', AT, [head('a', 1), head('b', 2)]).sha256).toBe(
      sha256,
    );
  });

  it('has a key naming its jurisdiction and day, and the day reads back from the key', () => {
    expect(digestObjectKey('tay-giang', '2026-12-01')).toBe('ledger-digests/tay-giang/2026-12-01.json');
    expect(dateOfDigestKey('ledger-digests/tay-giang/2026-12-01.json')).toBe('2026-12-01');
    expect(dateOfDigestKey('ledger-digests/tay-giang/notes.txt')).toBeUndefined();
  });

  it('reads back a copy only when its bytes, shape, form, jurisdiction and day are the written ones', () => {
    const { body, sha256 } = buildDigestDocument('tay-giang', '2026-12-01', AT, [head('a', 1)]);
    const key = digestObjectKey('tay-giang', '2026-12-01');
    const read = (copy: Partial<StoredDigestCopy>, j = 'tay-giang', d = '2026-12-01') =>
      readDigestCopy({ key, body, sha256, ...copy }, j, d);
    expect(read({})).toMatchObject({ ok: true, sha256, document: { heads: [head('a', 1)] } });
    expect(read({ body: body.replace(h('1'), h('9')) })).toMatchObject({
      ok: false,
      problem: expect.stringContaining(`not the ${sha256} recorded`),
    });
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(read({ body: pretty, sha256: sha256Hex(pretty) })).toMatchObject({
      problem: 'it is not in canonical form',
    });
    expect(read({ body: '{"x":1}', sha256: sha256Hex('{"x":1}') })).toMatchObject({
      problem: 'it is not a digest document',
    });
    expect(read({}, 'da-nang')).toMatchObject({ problem: 'it is the digest of tay-giang on 2026-12-01' });
    expect(read({}, 'tay-giang', '2026-12-02')).toMatchObject({ ok: false });
  });
});

const copyOf = (
  date: string,
  heads: ReturnType<typeof head>[],
  jurisdiction = 'tay-giang',
): ReadDigestCopy => {
  const built = buildDigestDocument(jurisdiction, date, `${date}T16:50:00.000Z`, heads);
  return readDigestCopy(
    { key: digestObjectKey(jurisdiction, date), body: built.body, sha256: built.sha256 },
    jurisdiction,
    date,
  );
};

describe('comparing an allocation’s in-table digests with the anchored copies', () => {
  it('turns each anchored head of the allocation into a checkpoint labelled with its day', () => {
    const copies = new Map([
      ['2026-11-30', copyOf('2026-11-30', [head('a', 1), head('b', 4)])],
      ['2026-12-01', copyOf('2026-12-01', [head('a', 3)])],
    ]);
    const table = [
      { date: '2026-11-30', seq: 1, hash: h('1') },
      { date: '2026-12-01', seq: 3, hash: h('3') },
    ];
    expect(compareWithAnchors('a', table, copies, '2026-12-01')).toEqual({
      checkpoints: [
        { seq: 1, hash: h('1'), label: 'anchored digest of 2026-11-30' },
        { seq: 3, hash: h('3'), label: 'anchored digest of 2026-12-01' },
      ],
      findings: [],
    });
  });

  it('takes the anchored head, not the table’s, when both were edited (the double tamper)', () => {
    const copies = new Map([['2026-12-01', copyOf('2026-12-01', [head('a', 2, h('e'))])]]);
    const forgedTable = [{ date: '2026-12-01', seq: 2, hash: h('f') }];
    expect(compareWithAnchors('a', forgedTable, copies).checkpoints).toEqual([
      { seq: 2, hash: h('e'), label: 'anchored digest of 2026-12-01' },
    ]);
  });

  it('reports a day the table digested with no anchored copy, and a copy that cannot be trusted', () => {
    const broken: ReadDigestCopy = {
      ok: false,
      key: 'ledger-digests/tay-giang/2026-12-01.json',
      problem: 'it is not JSON',
    };
    const copies = new Map<string, ReadDigestCopy | undefined>([
      ['2026-11-30', undefined],
      ['2026-12-01', broken],
    ]);
    const { checkpoints, findings } = compareWithAnchors(
      'a',
      [
        { date: '2026-12-01', seq: 2, hash: h('2') },
        { date: '2026-11-30', seq: 1, hash: h('1') },
      ],
      copies,
    );
    expect(checkpoints).toEqual([]);
    expect(findings).toEqual([
      {
        date: '2026-11-30',
        seq: 1,
        code: 'anchor_missing',
        reason: 'the table holds a digest of 2026-11-30 but no anchored copy of that day exists',
      },
      {
        date: '2026-12-01',
        seq: 2,
        code: 'anchor_unreadable',
        reason:
          'the anchored digest of 2026-12-01 (ledger-digests/tay-giang/2026-12-01.json) cannot be trusted: it is not JSON',
      },
    ]);
  });

  it('keeps an allocation created after the day’s copy out of it, without a finding', () => {
    const copies = new Map([['2026-12-01', copyOf('2026-12-01', [head('b', 1)])]]);
    expect(compareWithAnchors('a', [{ date: '2026-12-01', seq: 1, hash: h('1') }], copies)).toEqual({
      checkpoints: [],
      findings: [],
    });
  });

  it('reports no missing copy for a day digested before anchoring began, and a missing one after it', () => {
    const table = [
      { date: '2026-11-29', seq: 1, hash: h('1') },
      { date: '2026-12-02', seq: 2, hash: h('2') },
    ];
    // The first anchored day lists another allocation only ('a' was created after it was written).
    const copies = new Map([['2026-12-01', copyOf('2026-12-01', [head('b', 1)])]]);
    const { findings } = compareWithAnchors('a', table, copies, '2026-12-01', '2026-12-01');
    expect(findings.map((f) => [f.date, f.code])).toEqual([['2026-12-02', 'anchor_missing']]);
  });

  it('checks the latest anchored copy even when the table’s digest of that day was deleted, and says so', () => {
    const copies = new Map([['2026-12-01', copyOf('2026-12-01', [head('a', 5)])]]);
    const { checkpoints, findings } = compareWithAnchors('a', [], copies, '2026-12-01');
    expect(checkpoints).toEqual([{ seq: 5, hash: h('5'), label: 'anchored digest of 2026-12-01' }]);
    expect(findings).toEqual([
      {
        date: '2026-12-01',
        seq: 5,
        code: 'digest_missing',
        reason:
          'the anchored digest of 2026-12-01 lists this allocation but the table holds no digest of that day',
      },
    ]);
  });
});

/** An in-memory anchor store that, like the S3 one, never replaces a key. */
const memoryAnchors = () => {
  const objects = new Map<string, StoredDigestCopy>();
  const puts: string[] = [];
  const store: DigestAnchorStore = {
    putIfAbsent: async (key, body, sha256) => {
      puts.push(key);
      if (objects.has(key)) return 'existed';
      objects.set(key, { key, body, sha256 });
      return 'created';
    },
    get: async (key) => objects.get(key),
    lastKey: async (prefix) =>
      [...objects.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .at(-1),
    firstKey: async (prefix) =>
      [...objects.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .at(0),
  };
  return { store, objects, puts };
};

describe('anchoring a day', () => {
  it('writes one object and tells the auditors about the stored copy on every run of the day', async () => {
    const { store, objects } = memoryAnchors();
    const notices: unknown[] = [];
    const deps = { anchors: store, retentionYears: 10, notify: async (n: unknown) => void notices.push(n) };
    const first = await anchorDigest(deps, 'tay-giang', '2026-12-01', new Date(AT), [head('a', 1)]);
    const later = await anchorDigest(deps, 'tay-giang', '2026-12-01', new Date('2026-12-01T17:00:00Z'), [
      head('a', 2),
      head('b', 1),
    ]);
    expect(first.outcome).toBe('created');
    expect(later).toEqual({ objectKey: first.objectKey, sha256: first.sha256, outcome: 'existed' });
    expect(objects.size).toBe(1);
    // The notifier dedupes per auditor; each call describes the copy kept (the first run's).
    expect(notices).toEqual([
      {
        jurisdiction: 'tay-giang',
        date: '2026-12-01',
        chains: 1,
        sha256: first.sha256,
        objectKey: first.objectKey,
      },
      {
        jurisdiction: 'tay-giang',
        date: '2026-12-01',
        chains: 1,
        sha256: first.sha256,
        objectKey: first.objectKey,
      },
    ]);
  });

  it('locks each document for the configured years from the day it is written', () => {
    expect(retainUntil(new Date(AT), 10).toISOString()).toBe('2036-12-01T16:50:00.000Z');
  });
});
