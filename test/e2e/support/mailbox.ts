import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';

/**
 * The e-mails the local mailer wrote to a data folder's `mail/`, one .eml file per message and
 * recipient, named `<kind>_<alert or subscription id>_<address with _ for @>.eml`.
 */
export const mailbox = (dataDir: string) => {
  const dir = join(dataDir, 'mail');
  const files = () =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.eml'))
          .sort()
      : [];
  /** The files written to one address. */
  const to = (address: string) => files().filter((f) => f.endsWith(`_${address.replace('@', '_')}.eml`));
  /** The alert e-mails to one address about a day of `year` (the alert id begins with its day). */
  const alertsTo = (address: string, year: number | string) =>
    to(address).filter((f) => f.split('_')[1]?.startsWith(`${year}-`));
  const parse = (file: string) => PostalMime.parse(readFileSync(join(dir, file)));
  return { dir, files, to, alertsTo, parse };
};
