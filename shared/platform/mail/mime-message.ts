import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from '../../monitoring/app/ports.ts';
import { oneLine } from '../text-hygiene.ts';

/** A body part kept as plain UTF-8 (8bit transfer encoding), CRLF line ends as RFC 5322 wants. */
const eightBitPart = (contentType: string, body: string) =>
  `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;

/**
 * Builds the RFC 5322 message of an e-mail with nodemailer's composer: text and HTML alternatives in
 * UTF-8, non-ASCII headers as RFC 2047 encoded words. `eightBit` keeps the bodies as plain UTF-8
 * (nodemailer itself always picks quoted-printable or base64): right for a local .eml file that a
 * person may also open in a text editor; messages handed to a server keep the 7-bit-safe encodings.
 */
export const composeMime = (mail: OutgoingMail, options: { eightBit?: boolean } = {}): Promise<Buffer> =>
  new MailComposer({
    from: mail.from,
    to: mail.to,
    // Header values on one line whatever the data held: a line break would start a header of its own.
    subject: oneLine(mail.subject),
    messageId: `<${mail.messageId}>`,
    date: mail.date,
    headers: {
      ...(mail.alertId ? { 'X-Giai-Ngan-Alert': oneLine(mail.alertId) } : {}),
      ...(mail.subscriptionId ? { 'X-Giai-Ngan-Subscription': oneLine(mail.subscriptionId) } : {}),
    },
    ...(options.eightBit
      ? {
          text: { raw: eightBitPart('text/plain', mail.text) },
          html: { raw: eightBitPart('text/html', mail.html) },
        }
      : { text: mail.text, html: mail.html }),
  })
    .compile()
    .build();
