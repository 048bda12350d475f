import { describe, expect, it } from 'vitest';
import { emailContextFromConfig } from '../../shared/monitoring/adapters/from-env.ts';
import { toAlert } from '../../shared/monitoring/domain/alert.ts';
import type { Finding } from '../../shared/monitoring/domain/lag-detector.ts';
import { formatDate, renderAlertEmail } from '../../shared/monitoring/presentation/alert-email.ts';
import { formatPercent, formatVnd } from '../../shared/platform/format/vnd-format.ts';

/** The e-mails of the upgrade default, Tây Giang district, on the demo's day. */
const ctx = emailContextFromConfig()('tay-giang', '2024-09-30', 2024);

const lagFinding = (overrides: Partial<Finding> = {}): Finding => ({
  kind: 'lag',
  severity: 'warning',
  fiscalYear: 2024,
  day: '2024-09-30',
  scope: { level: 'commune', capitalType: 'investment', commune: 'A Tiêng', fundingLine: 'central' },
  progress: {
    assignedVnd: 4_200_000_000,
    reservedVnd: 0,
    disbursedVnd: 1_344_000_000,
    ratePercent: 32,
    expectedPercent: 60,
    lagPoints: 28,
  },
  laggingAllocations: [
    {
      allocationId: '2024-da1-central-a-tieng',
      capitalType: 'investment',
      fundingLine: 'central',
      commune: 'A Tiêng',
      component: 'DA1',
      title: 'Hạ tầng thiết yếu xã A Tiêng',
      assignedVnd: 4_200_000_000,
      disbursedVnd: 1_344_000_000,
      ratePercent: 32,
      lagPoints: 28,
    },
  ],
  stalledRequests: [],
  stalledTotal: 0,
  ...overrides,
});

describe('money and figures as Vietnamese readers write them', () => {
  it.each([
    [1_234_567_890, '1.234.567.890 ₫'],
    [40_000_000, '40.000.000 ₫'],
    [1_000, '1.000 ₫'],
    [999, '999 ₫'],
    [0, '0 ₫'],
    [-100_000_000, '-100.000.000 ₫'],
  ])('writes %d đồng as "%s"', (amount, text) => {
    expect(formatVnd(amount)).toBe(text);
  });

  it('refuses a fraction of a đồng', () => {
    expect(() => formatVnd(1.5)).toThrow(RangeError);
  });

  it('writes percentages with a decimal comma in Vietnamese and a point in English', () => {
    expect(formatPercent(32.25, 'vi')).toBe('32,3%');
    expect(formatPercent(32.25, 'en', 2)).toBe('32.25%');
    expect(formatDate('2024-09-30', 'vi')).toBe('30/09/2024');
    expect(formatDate('2025-01-05', 'en')).toBe('5 Jan 2025');
  });
});

/** One recipient's links, as the mailer makes them. */
const LINKS = {
  dashboard: 'https://dashboard.test/?fiscalYear=2024#/alerts/a-1',
  acknowledge: 'https://api.test/alerts/acknowledge?token=t.s',
};

describe('an alert rendered as an e-mail', () => {
  it('links to the alert on the dashboard and to its acknowledge page, and names no API verb', () => {
    const email = renderAlertEmail(toAlert(lagFinding(), '2024-09-30T00:00:00Z'), ctx, LINKS);

    expect(email.text).toContain(`\n  ${LINKS.dashboard}\n`);
    expect(email.text).toContain(`\n  ${LINKS.acknowledge}\n`);
    expect(email.html).toContain('<a href="https://api.test/alerts/acknowledge?token=t.s">');
    expect(email.html).toContain('<a href="https://dashboard.test/?fiscalYear=2024#/alerts/a-1">');
    expect(`${email.text}${email.html}`).not.toMatch(/\b(POST|GET|PUT|DELETE) \//);
  });

  it('has a Vietnamese subject with the rate reached against the rate required', () => {
    const email = renderAlertEmail(toAlert(lagFinding(), '2024-09-30T00:00:00Z'), ctx, LINKS);

    expect(email.subject).toBe(
      '[Cảnh báo giải ngân] Chậm tiến độ · xã A Tiêng · Ngân sách trung ương: đạt 32%, yêu cầu 60%',
    );
  });

  it('marks a critical alert in the subject', () => {
    const email = renderAlertEmail(
      toAlert(lagFinding({ severity: 'critical' }), '2024-09-30T00:00:00Z'),
      ctx,
      LINKS,
    );

    expect(email.subject.startsWith('[Cảnh báo giải ngân · Nghiêm trọng] ')).toBe(true);
  });

  it('gives the figures in Vietnamese, formatted as đồng, with one English summary line', () => {
    const { text } = renderAlertEmail(toAlert(lagFinding(), '2024-09-30T00:00:00Z'), ctx, LINKS);

    expect(text).toContain('Kế hoạch vốn giao:');
    expect(text).toContain('Tiến độ yêu cầu đến 30/09/2024:');
    expect(text).not.toContain('Dự toán được giao');
    expect(text).toContain('4.200.000.000 ₫');
    expect(text).toContain('1.344.000.000 ₫');
    expect(text).toContain('Tỷ lệ giải ngân:');
    expect(text).toContain('32,0%');
    expect(text).toContain('28,0 điểm phần trăm');
    expect(text).toContain('1. Xã A Tiêng · Ngân sách trung ương · DA1: Hạ tầng thiết yếu xã A Tiêng');
    expect(text.split('\n').filter((l) => l.startsWith('English summary:'))).toEqual([
      'English summary: Warning: disbursement lag in A Tiêng commune · central budget (public investment): 32.0% disbursed against 60.0% expected by 30 Sep 2024, 28.0 points behind.',
    ]);
  });

  it('names the assigned amount of recurrent funds "Dự toán được giao", and of investment "Kế hoạch vốn giao"', () => {
    const recurrent = lagFinding({
      scope: { level: 'commune', capitalType: 'recurrent', commune: 'A Tiêng', fundingLine: 'central' },
    });
    const { text } = renderAlertEmail(toAlert(recurrent, '2024-09-30T00:00:00Z'), ctx, LINKS);

    expect(text).toContain('Dự toán được giao:');
    expect(text).toContain('mục tiêu giải ngân 100% dự toán được giao');
    expect(text).not.toContain('Kế hoạch vốn giao:');
  });

  it('lists stalled requests with their level and wait, and escapes them in HTML', () => {
    const finding = lagFinding({
      kind: 'stalled',
      severity: 'critical',
      progress: undefined,
      laggingAllocations: [],
      scope: {
        level: 'allocation',
        capitalType: 'recurrent',
        fundingLine: 'central',
        commune: 'Dang',
        component: 'DA5',
        allocationId: 'a',
      },
      stalledRequests: [
        {
          requestId: 'r1',
          allocationId: 'a',
          capitalType: 'recurrent',
          fundingLine: 'central',
          commune: 'Dang',
          component: 'DA5',
          amountVnd: 400_000_000,
          payeeName: 'UBND xã Dang <chi trả>',
          purpose: 'Hỗ trợ nhà ở',
          level: 'district',
          pendingSince: '2024-09-10T02:00:00Z',
          waitingDays: 20,
          severity: 'critical',
        },
      ],
      stalledTotal: 1,
    });

    const email = renderAlertEmail(toAlert(finding, '2024-09-30T00:00:00Z'), ctx, LINKS);

    expect(email.subject).toBe(
      '[Cảnh báo giải ngân · Nghiêm trọng] Chậm phê duyệt · xã Dang · Ngân sách trung ương · DA5 · Vốn sự nghiệp: 1 hồ sơ, lâu nhất 20 ngày làm việc',
    );
    expect(email.text).toContain(
      '400.000.000 ₫ · UBND xã Dang <chi trả> · Hỗ trợ nhà ở · chờ cấp huyện từ 10/09/2024 (20 ngày làm việc)',
    );
    expect(email.html).toContain('UBND xã Dang &lt;chi trả&gt;');
    expect(email.html).not.toContain('<chi trả>');
  });

  it('is the same e-mail every time for the same alert', () => {
    const alert = toAlert(lagFinding(), '2024-09-30T00:00:00Z');

    expect(renderAlertEmail(alert, ctx, LINKS)).toEqual(renderAlertEmail(structuredClone(alert), ctx, LINKS));
  });

  it('keeps a payee’s or a title’s line breaks out of the plain-text part', () => {
    const [lagging] = lagFinding().laggingAllocations;
    if (!lagging) throw new Error('arrange failed: no lagging allocation');
    const injected = 'Hộ A\r\n\r\nKính gửi cán bộ giám sát,\nĐã giải ngân: 100%';
    const finding = lagFinding({
      kind: 'stalled',
      progress: undefined,
      laggingAllocations: [{ ...lagging, title: `Nhà ở\n${injected}` }],
      stalledRequests: [
        {
          requestId: 'r1',
          allocationId: 'a',
          capitalType: 'investment',
          fundingLine: 'central',
          commune: 'Dang',
          component: 'DA5',
          amountVnd: 1_000_000,
          payeeName: injected,
          purpose: 'Làm nhà\u2028Bcc: x@example.com\tthêm',
          level: 'district',
          pendingSince: '2024-09-10T02:00:00Z',
          waitingDays: 20,
          severity: 'warning',
        },
      ],
      stalledTotal: 1,
    });

    const email = renderAlertEmail(toAlert(finding, '2024-09-30T00:00:00Z'), ctx, LINKS);

    const lines = email.text.split('\n');
    expect(email.text).not.toMatch(/[\r\t\u2028\u2029]/);
    expect(lines.filter((l) => l.trimStart().startsWith('Kính gửi'))).toEqual(['Kính gửi cán bộ giám sát,']);
    expect(lines.filter((l) => l.trimStart().startsWith('Đã giải ngân'))).toEqual([]);
    expect(email.text).toContain(
      'Hộ A Kính gửi cán bộ giám sát, Đã giải ngân: 100% · Làm nhà Bcc: x@example.com thêm',
    );
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});

describe('an alert e-mail names the places of its own jurisdiction', () => {
  /** A 2026 alert of Đà Nẵng city: a commune formed in the 2025 reform, waiting at the city. */
  const daNang = emailContextFromConfig()('da-nang', '2026-09-30', 2026);
  const daNangFinding = (commune?: string): Finding =>
    lagFinding({
      kind: 'stalled',
      fiscalYear: 2026,
      day: '2026-09-30',
      progress: undefined,
      laggingAllocations: [],
      scope: {
        level: commune ? 'commune' : 'fundingLine',
        capitalType: 'investment',
        fundingLine: 'local',
        ...(commune ? { commune } : {}),
      },
      stalledRequests: [
        {
          requestId: 'r1',
          allocationId: '2026-da1-local-xa-avuong',
          capitalType: 'investment',
          fundingLine: 'local',
          commune: 'Avương',
          component: 'DA1',
          amountVnd: 6_000_000_000,
          payeeName: 'Ban QLDA',
          purpose: 'Đường liên thôn',
          level: 'city',
          pendingSince: '2026-09-01T02:00:00Z',
          waitingDays: 29,
          severity: 'critical',
        },
      ],
      stalledTotal: 1,
    });

  it('says "xã Avương" and "thành phố Đà Nẵng" for a Đà Nẵng alert, the city budget for the local line, and never "huyện"', () => {
    const email = renderAlertEmail(toAlert(daNangFinding('Avương'), '2026-09-30T00:00:00Z'), daNang, LINKS);

    expect(email.subject).toBe(
      '[Cảnh báo giải ngân] Chậm phê duyệt · xã Avương · Ngân sách thành phố: 1 hồ sơ, lâu nhất 29 ngày làm việc',
    );
    expect(email.text).toContain(
      'Có hồ sơ đề nghị giải ngân của xã Avương · Ngân sách thành phố chờ phê duyệt',
    );
    expect(email.text).toContain('chờ cấp thành phố từ 01/09/2026 (29 ngày làm việc)');
    expect(email.text).toContain('giai-ngan, thành phố Đà Nẵng. Mã cảnh báo');
    expect(email.text).toContain('stalled approvals in Avương commune · city budget (public investment)');
    for (const part of [email.subject, email.text, email.html]) expect(part).not.toMatch(/huyện/i);
  });

  it('names a scope of no commune as the whole city', () => {
    const email = renderAlertEmail(toAlert(daNangFinding(), '2026-09-30T00:00:00Z'), daNang, LINKS);

    expect(email.subject).toContain('Chậm phê duyệt · toàn thành phố Đà Nẵng · Ngân sách thành phố:');
    expect(email.text).toContain('Phạm vi:');
    expect(email.text).toContain('Toàn thành phố Đà Nẵng · Ngân sách thành phố');
    expect(email.text).toContain('· xã Avương · Ngân sách thành phố · DA1 · chờ cấp thành phố');
  });

  it('names Tây Giang district, its province, its budget and its leaders from the data for a 2024 alert', () => {
    const email = renderAlertEmail(
      toAlert(
        lagFinding({
          kind: 'stalled',
          progress: undefined,
          scope: { level: 'fundingLine', capitalType: 'investment', fundingLine: 'local' },
          stalledRequests: [
            {
              ...(daNangFinding().stalledRequests[0] as Finding['stalledRequests'][number]),
              level: 'district-leader',
            },
          ],
        }),
        '2024-09-30T00:00:00Z',
      ),
      ctx,
      LINKS,
    );

    expect(email.subject).toContain('Chậm phê duyệt · toàn huyện Tây Giang · Ngân sách huyện:');
    expect(email.text).toContain('chờ lãnh đạo huyện từ');
    expect(email.text).toContain('giai-ngan, huyện Tây Giang, tỉnh Quảng Nam. Mã cảnh báo');
    expect(email.text).toContain('stalled approvals in all of Tây Giang district · district budget');
  });
});
