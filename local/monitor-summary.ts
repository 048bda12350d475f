/** What the alert mailer did with a monitor run's alerts, as `npm run -s monitor` counts it. */
export interface EmailOutcome {
  /** E-mails sent for the run's alerts, by the delivery log (whatever the transport). */
  sent: number;
  /** New .eml files in the mail folder (the local transport's copies). */
  written: number;
  transport: 'smtp' | 'eml';
  /** The mail folder as shown (relative to the working folder when inside it). */
  where: string;
  /** Alerts still on the queue when the wait ended. */
  left: number;
}

/**
 * The summary line of the e-mails: sent through the SMTP server (SMTP_URL) or written as .eml files,
 * counted by the delivery log so an SMTP run does not read as "0 written".
 */
export const emailSummary = (o: EmailOutcome): string => {
  const how =
    o.transport === 'smtp'
      ? `E-mails: ${o.sent} sent through the SMTP server (SMTP_URL)`
      : `E-mails: ${o.written} written to ${o.where}/`;
  if (o.left > 0)
    return `${how} so far; ${o.left} alert(s) still on the queue (a failed send is retried, then dead-lettered)`;
  const none = o.transport === 'smtp' ? o.sent === 0 : o.written === 0;
  return none ? `${how} (none: no inspector subscribes to these scopes)` : how;
};
