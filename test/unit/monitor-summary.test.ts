import { describe, expect, it } from 'vitest';
import { emailSummary } from '../../local/monitor-summary.ts';

describe("the monitor's e-mail summary", () => {
  it('counts the e-mails an SMTP server took, where no .eml file is written', () => {
    expect(emailSummary({ sent: 12, written: 0, transport: 'smtp', where: 'var/mail', left: 0 })).toBe(
      'E-mails: 12 sent through the SMTP server (SMTP_URL)',
    );
  });

  it('counts the .eml files written when the runtime writes them', () => {
    expect(emailSummary({ sent: 120, written: 120, transport: 'eml', where: 'var/mail', left: 0 })).toBe(
      'E-mails: 120 written to var/mail/',
    );
  });

  it('says why there are none, and what is still queued', () => {
    expect(emailSummary({ sent: 0, written: 0, transport: 'smtp', where: 'var/mail', left: 0 })).toMatch(
      /0 sent .*none: no inspector subscribes/,
    );
    expect(emailSummary({ sent: 3, written: 0, transport: 'smtp', where: 'var/mail', left: 2 })).toBe(
      'E-mails: 3 sent through the SMTP server (SMTP_URL) so far; 2 alert(s) still on the queue (a failed send is retried, then dead-lettered)',
    );
  });
});
