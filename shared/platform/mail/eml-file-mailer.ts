import { randomUUID } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, OutgoingMail } from '../../monitoring/app/ports.ts';
import { composeMime } from './mime-message.ts';

const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * The local mailbox: each e-mail becomes one RFC 5322 `.eml` file in a folder, which any mail client
 * opens. One file per send (never overwritten), so a duplicate send would show as a second file. A
 * file appears whole or not at all: the message is written under a temporary name and then linked to
 * its `.eml` name (which fails, rather than overwrites, when that name exists), so a reader of the
 * folder never sees a half-written e-mail.
 */
export class EmlFileMailer implements Mailer {
  constructor(private readonly folder: string) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    await mkdir(this.folder, { recursive: true });
    const message = await composeMime(mail, { eightBit: true });
    const about = mail.alertId ?? `confirm-${mail.subscriptionId ?? ''}`;
    const base = `${stamp(mail.date)}_${safe(about)}_${safe(mail.to)}`;
    const partial = join(this.folder, `.${randomUUID()}.partial`);
    await writeFile(partial, message, { flag: 'wx' });
    try {
      for (let n = 0; ; n++) {
        try {
          await link(partial, join(this.folder, `${base}${n ? `-${n}` : ''}.eml`));
          return { messageId: mail.messageId };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw error;
        }
      }
    } finally {
      await unlink(partial);
    }
  }
}
