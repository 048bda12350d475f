import { describe, expect, it } from 'vitest';
import { emailKey, samePerson } from '../../shared/platform/person.ts';

describe('samePerson: two tokens are one person when their sub or their e-mail match', () => {
  it('matches on the same sub whatever the e-mails say', () => {
    expect(samePerson({ sub: 'lan', email: 'a@x.vn' }, { sub: 'lan', email: 'b@x.vn' })).toBe(true);
    expect(samePerson({ sub: 'lan' }, { sub: 'lan' })).toBe(true);
  });

  it('matches different subs carrying one address written in another case', () => {
    expect(samePerson({ sub: 'lan', email: 'Lan@X.vn' }, { sub: 'lan-2', email: 'lan@x.vn' })).toBe(true);
  });

  it('matches an address written with composed and decomposed Vietnamese letters', () => {
    const composed = 'L\u00e2n@x.vn'; // "Lân", â as one code point (NFC)
    const decomposed = 'la\u0302n@x.vn'; // "lân", a + combining circumflex (NFD)
    expect(composed).not.toBe(decomposed.normalize('NFC'));

    expect(samePerson({ sub: 'a', email: composed }, { sub: 'b', email: decomposed })).toBe(true);
  });

  it('keeps different subs with different addresses, or with an address on one side only, apart', () => {
    expect(samePerson({ sub: 'lan', email: 'lan@x.vn' }, { sub: 'binh', email: 'binh@x.vn' })).toBe(false);
    expect(samePerson({ sub: 'lan', email: 'lan@x.vn' }, { sub: 'binh' })).toBe(false);
    expect(samePerson({ sub: 'lan' }, { sub: 'binh', email: 'lan@x.vn' })).toBe(false);
  });

  it('never matches on empty or blank addresses', () => {
    expect(samePerson({ sub: 'a', email: '' }, { sub: 'b', email: '' })).toBe(false);
    expect(samePerson({ sub: 'a', email: ' ' }, { sub: 'b', email: '  ' })).toBe(false);
  });
});

describe('emailKey', () => {
  it('is the NFC, lower-case, trimmed form of an address', () => {
    expect(emailKey(' La\u0302n@X.VN ')).toBe('l\u00e2n@x.vn');
  });
});
