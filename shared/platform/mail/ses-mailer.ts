import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail } from '../../monitoring/app/ports.ts';
import { composeMime } from './mime-message.ts';

/** Sends through Amazon SES (API v2 SendEmail) with the composed MIME message as raw content. */
export class SesMailer implements Mailer {
  constructor(private readonly ses: SESv2Client) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Raw: { Data: await composeMime(mail) } },
      }),
    );
    // SES assigns its own Message-ID; keep it, as that is what a bounce or a complaint will quote.
    return { messageId: out.MessageId ?? mail.messageId };
  }
}
