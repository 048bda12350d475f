import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, OutgoingMail } from '../../monitoring/app/ports.ts';
import { composeMime } from './mime-message.ts';

/** Sends through any SMTP server named by a URL (`smtp://user:pass@host:587`, `smtps://…`), with nodemailer. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(url: string) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    // The same bytes as every other sink: composed once, handed over raw with its envelope.
    const raw = await composeMime(mail);
    await this.transport.sendMail({ envelope: { from: mail.from, to: [mail.to] }, raw });
    return { messageId: mail.messageId };
  }
}
