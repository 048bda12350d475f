import { describe, expect, it } from 'vitest';
import { emailContextFromConfig } from '../../shared/monitoring/adapters/from-env.ts';
import {
  assertMaySubscribe,
  confirmationClaim,
  covers,
  domainAllowed,
  mayReceiveAlerts,
  newSubscription,
  parseDomainAllowList,
  subscriptionId,
  subscriptionKind,
} from '../../shared/monitoring/domain/subscription.ts';
import { renderConfirmationEmail } from '../../shared/monitoring/presentation/subscription-email.ts';
import { ForbiddenError, ValidationError } from '../../shared/platform/errors.ts';
import { anActor } from './support/domain-fixtures.ts';

describe('the allow-list of e-mail domains', () => {
  it('reads comma- or space-separated domains, lower-cased, without duplicates', () => {
    expect(parseDomainAllowList(' gov.vn, QuangNam.gov.vn  gov.vn ')).toEqual(['gov.vn', 'quangnam.gov.vn']);
    expect(parseDomainAllowList('')).toEqual([]);
  });

  it('refuses what is not a domain name, naming it', () => {
    expect(() => parseDomainAllowList('gov.vn, *.evil.com')).toThrow(/"\*\.evil\.com"/);
    expect(() => parseDomainAllowList('a@gov.vn')).toThrow(/"a@gov\.vn"/);
  });

  it('allows a domain and its subdomains, never a look-alike or a domain merely containing it', () => {
    const list = ['gov.vn'];
    expect(domainAllowed('a@gov.vn', list)).toBe(true);
    expect(domainAllowed('A@TayGiang.Gov.VN', list)).toBe(true);
    expect(domainAllowed('a@evilgov.vn', list)).toBe(false);
    expect(domainAllowed('a@gov.vn.evil.com', list)).toBe(false);
    expect(domainAllowed('gov.vn', list)).toBe(false);
    expect(domainAllowed('a@gov.vn', [])).toBe(false);
  });

  it('lets alerts go to a confirmed or an allow-listed address only', () => {
    expect(mayReceiveAlerts({ email: 'a@gmail.com' }, ['gov.vn'])).toBe(false);
    expect(mayReceiveAlerts({ email: 'a@gmail.com', confirmedAt: '2024-01-01T00:00:00Z' }, [])).toBe(true);
    expect(mayReceiveAlerts({ email: 'a@x.gov.vn' }, ['gov.vn'])).toBe(true);
  });
});

describe('the confirmation e-mail', () => {
  it('names who asked and what for, gives the link, and lets no line break or markup of a token through', () => {
    const owner = anActor('evil\r\nBcc: x@y.z <script>', ['inspector']);
    const subscription = newSubscription(owner, { email: 'a@gmail.com', scope: { commune: 'Dang' } }, 'T');
    const claim = confirmationClaim(
      { ...subscription, createdAt: '2024-09-01T00:00:00Z' },
      new Date('2024-09-01T00:00:00Z'),
    );

    const mail = renderConfirmationEmail(
      subscription,
      claim,
      'https://api.test/subscriptions/confirm?token=a.b',
      emailContextFromConfig()(undefined, '2024-09-01'),
    );

    expect(claim.expiresAt).toBe('2024-09-04T00:00:00.000Z');
    expect(mail.subject).toBe('[Giám sát giải ngân] Xác nhận nhận cảnh báo: Xã Dang');
    expect(mail.text).toContain('hệ thống giám sát giải ngân huyện Tây Giang đã đăng ký');
    expect(mail.text).toContain('giai-ngan, huyện Tây Giang, tỉnh Quảng Nam. Mã đăng ký');
    expect(mail.text).toContain('\nhttps://api.test/subscriptions/confirm?token=a.b\n');
    expect(mail.text).toContain('"evil Bcc: x@y.z <script>"');
    expect(mail.text).toContain('04/09/2024');
    expect(mail.text.split('\n').filter((l) => l.startsWith('English summary: '))).toHaveLength(1);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://api.test/subscriptions/confirm?token=a.b"');
  });
});

describe('subscriptions to the daily ledger digest (kind ledger-digest)', () => {
  const auditor = { sub: 'kt-1', groups: ['auditor'] };
  const inspector = { sub: 'tt-1', groups: ['inspector'] };
  const scope = { scope: { commune: 'A Tiêng' }, ownerJurisdiction: 'tay-giang' } as const;

  it('may be taken by an auditor of the whole jurisdiction with an empty scope, and only by one', () => {
    expect(() => assertMaySubscribe(auditor, 'ledger-digest', {})).not.toThrow();
    expect(() => assertMaySubscribe(inspector, 'ledger-digest', {})).toThrow(ForbiddenError);
    expect(() => assertMaySubscribe({ ...auditor, commune: 'A Tiêng' }, 'ledger-digest', {})).toThrow(
      /commune-scoped auditor/,
    );
    expect(() => assertMaySubscribe(auditor, 'ledger-digest', { commune: 'A Tiêng' })).toThrow(
      ValidationError,
    );
    expect(() => assertMaySubscribe(auditor, 'alerts', {})).toThrow(/Only inspectors subscribe to alerts/);
    expect(() => assertMaySubscribe(inspector, 'alerts', {})).not.toThrow();
  });

  it('has its own id beside an alert subscription of the same address, and alert ids stay as they were', () => {
    const digest = newSubscription(auditor, { email: 'kt@gov.vn', scope: {}, kind: 'ledger-digest' }, 'now');
    const alerts = newSubscription(auditor, { email: 'kt@gov.vn', scope: {} }, 'now');
    expect(digest.kind).toBe('ledger-digest');
    expect(alerts.kind).toBeUndefined();
    expect(digest.id).not.toBe(alerts.id);
    expect(alerts.id).toBe(subscriptionId('kt-1', 'kt@gov.vn', {}));
    expect(subscriptionKind(alerts)).toBe('alerts');
  });

  it('never covers an alert, whatever its scope', () => {
    const alertScope = { level: 'commune', commune: 'A Tiêng', jurisdiction: 'tay-giang' } as never;
    expect(covers({ ...scope, scope: {}, kind: 'ledger-digest' }, alertScope)).toBe(false);
    expect(covers({ ...scope, scope: {} }, alertScope)).toBe(true);
  });
});

describe('the confirmation e-mail of a digest subscription', () => {
  it('names the daily ledger digest of the jurisdiction, not a scope of alerts', () => {
    const subscription = newSubscription(
      { sub: 'kt-1', groups: ['auditor'] },
      { email: 'kt@example.org', scope: {}, kind: 'ledger-digest' },
      '2024-09-01T00:00:00Z',
    );
    const mail = renderConfirmationEmail(
      subscription,
      confirmationClaim(subscription, new Date('2024-09-01T00:00:00Z')),
      'https://api.test/subscriptions/confirm?token=a.b',
      emailContextFromConfig()(undefined, '2024-09-01'),
    );
    expect(mail.subject).toBe(
      '[Giám sát giải ngân] Xác nhận đăng ký nhận: Bản chốt sổ cái hằng ngày của huyện Tây Giang',
    );
    expect(mail.text).toContain('the daily ledger digest of Tây Giang district');
    // A digest is not an alert: neither the mail nor its link says so.
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/cảnh báo|alert/i);
  });
});
