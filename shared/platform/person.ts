/**
 * Who a token stands for, as the four-eyes rule sees it: its subject and, when it carries one, its
 * e-mail address. One person may hold two accounts (two subs) on one mailbox; four eyes must see one.
 */
export interface PersonRef {
  sub: string;
  email?: string | undefined;
}

/**
 * The comparable form of an e-mail address: trimmed, NFC, lower-case (NFC again, as lower-casing may
 * decompose). `Lân@X.vn` written with a combining circumflex and `lân@x.vn` give one key.
 */
export const emailKey = (email: string): string =>
  email.trim().normalize('NFC').toLowerCase().normalize('NFC');

/** Two tokens are one person when their subs match, or both carry e-mails whose keys match. */
export const samePerson = (a: PersonRef, b: PersonRef): boolean => {
  if (a.sub === b.sub) return true;
  if (a.email === undefined || b.email === undefined) return false;
  const key = emailKey(a.email);
  return key !== '' && key === emailKey(b.email);
};
