import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../shared/platform/aws/signed-cursor.ts';
import { InvalidCursorError } from '../../shared/platform/errors.ts';
import { cursorBinding } from '../../shared/platform/http/page-cursors.ts';
import { isPagedRoute } from '../../shared/platform/http/paged-route.ts';
import { ROUTES, routeById } from '../../shared/routes.ts';

const codec = createCursorCodec('k'.repeat(48));
const position = Buffer.from(JSON.stringify({ pk: 'ITEM#1', sk: 'I', gsi3pk: 'ITEM' })).toString('base64url');
const binding = 'GET /requests {"status":"pending_approval"}';
const refused = (cursor: string, b = binding) => {
  try {
    codec.decode(cursor, b);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCursorError);
    expect((error as InvalidCursorError).code).toBe('invalid_cursor');
    expect((error as Error).message).toMatch(/restart from the first page/);
    return true;
  }
  return false;
};

describe('the signed cursor codec', () => {
  it('gives back the position it signed, for the same binding', () => {
    const cursor = codec.encode(position, binding);
    expect(codec.decode(cursor, binding)).toBe(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a cursor replayed for another binding (other filters, route or caller)', () => {
    const cursor = codec.encode(position, binding);
    expect(refused(cursor, 'GET /requests {"status":"approved"}')).toBe(true);
    expect(refused(cursor, 'GET /alerts {"status":"pending_approval"}')).toBe(true);
  });

  it('refuses a cursor signed with another key', () => {
    const foreign = createCursorCodec('o'.repeat(48)).encode(position, binding);
    expect(refused(foreign)).toBe(true);
  });

  it('refuses every edit of a cursor: any character of its payload or signature changed, dropped or added', () => {
    const cursor = codec.encode(position, binding);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=%';
    fc.assert(
      fc.property(
        fc.nat({ max: cursor.length - 1 }),
        fc.constantFrom(...alphabet),
        fc.constantFrom('replace', 'delete', 'insert'),
        (at, char, edit) => {
          const edited =
            edit === 'replace'
              ? `${cursor.slice(0, at)}${char}${cursor.slice(at + 1)}`
              : edit === 'delete'
                ? `${cursor.slice(0, at)}${cursor.slice(at + 1)}`
                : `${cursor.slice(0, at)}${char}${cursor.slice(at)}`;
          fc.pre(edited !== cursor);
          expect(refused(edited)).toBe(true);
        },
      ),
      { numRuns: 400, seed: 12 },
    );
  });

  it('refuses forged and malformed cursors without throwing anything but invalid_cursor', () => {
    const unsigned = position;
    const forged = `${Buffer.from('{"pk":"ITEM#x"}').toString('base64url')}.${'A'.repeat(43)}`;
    for (const cursor of ['', '.', 'a.', '.b', 'a.b.c', unsigned, forged, '%%%.%%%', 'ư.ư', `${unsigned}.`]) {
      expect(refused(cursor), JSON.stringify(cursor)).toBe(true);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (cursor) => {
        expect(refused(cursor)).toBe(true);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('needs a key of at least 32 characters', () => {
    expect(() => createCursorCodec('short')).toThrow(/32 characters/);
  });
});

describe('what a cursor is bound to', () => {
  const route = routeById('list-requests');
  const finance = { sub: 'lan', groups: ['finance'] };
  const base = cursorBinding(route, { query: { status: 'pending_approval', limit: 10 }, actor: finance });

  it('binds the caller by sub and by the reach of their access scope, as cursors already issued were', () => {
    expect(base).toBe(
      '{"caller":{"sub":"lan"},"filters":{"status":"pending_approval"},"route":"GET /requests"}',
    );
    expect(
      cursorBinding(route, { query: { status: 'pending_approval' }, actor: { ...finance, commune: 'Dang' } }),
    ).toBe(
      '{"caller":{"commune":"Dang","sub":"lan"},"filters":{"status":"pending_approval"},"route":"GET /requests"}',
    );
  });

  it("binds another jurisdiction's caller by that jurisdiction too; the upgrade default, as before, by none", () => {
    const query = { status: 'pending_approval' };
    expect(cursorBinding(route, { query, actor: { ...finance, jurisdiction: 'tay-giang' } })).toBe(base);
    expect(cursorBinding(route, { query, actor: { ...finance, jurisdiction: 'da-nang' } })).toBe(
      '{"caller":{"jurisdiction":"da-nang","sub":"lan"},"filters":{"status":"pending_approval"},"route":"GET /requests"}',
    );
  });

  it('ignores the page size and the cursor itself, and the order of the filters', () => {
    expect(
      cursorBinding(route, {
        query: { limit: 50, cursor: 'x', status: 'pending_approval' },
        actor: finance,
      }),
    ).toBe(base);
  });

  it('differs with a filter, the route, the caller or the caller’s commune', () => {
    const others = [
      cursorBinding(route, { query: { status: 'approved' }, actor: finance }),
      cursorBinding(route, { query: { status: 'pending_approval', allocationId: 'a' }, actor: finance }),
      cursorBinding(routeById('list-alerts'), { query: { status: 'pending_approval' }, actor: finance }),
      cursorBinding(route, { query: { status: 'pending_approval' }, actor: { ...finance, sub: 'other' } }),
      cursorBinding(route, { query: { status: 'pending_approval' }, actor: { ...finance, commune: 'Dang' } }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('covers every route whose query takes a cursor, and only those', () => {
    const paged = ROUTES.filter(isPagedRoute).map((r) => `${r.method} ${r.path}`);
    expect(paged.sort()).toEqual([
      'GET /alerts',
      'GET /allocations/{id}/statement',
      'GET /audit-log',
      'GET /ledger/entries',
      'GET /payees',
      'GET /requests',
    ]);
  });
});
