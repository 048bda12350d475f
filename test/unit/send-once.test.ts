import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../shared/monitoring/app/ports.ts';
import { sendOnce } from '../../shared/monitoring/app/send-once.ts';
import { InMemoryMonitoring, RecordingMailer } from './support/in-memory-monitoring.ts';

const J = 'tay-giang';
const delivery = { jurisdiction: J, id: 'alert-1', to: 'thanh.tra@taygiang.gov.vn' };
const mail: OutgoingMail = {
  from: 'canh-bao@giai-ngan.local',
  to: delivery.to,
  subject: 'Cảnh báo',
  text: 'x',
  html: '<p>x</p>',
  messageId: 'alert-1.abc@giai-ngan.alerts',
  date: new Date('2024-09-30T01:00:00Z'),
};
const CLAIM_TIMEOUT_MS = 60_000;

/** A clock that moves on by `stepMs` at each reading. */
const ticking = (stepMs: number, from = Date.parse('2024-09-30T01:00:00Z')) => {
  let t = from;
  return {
    now: () => {
      t += stepMs;
      return new Date(t);
    },
    skip: (ms: number) => {
      t += ms;
    },
  };
};

/** Two senders of the same e-mail (a slow invocation and the queue's redelivery), on one log. */
const twoSenders = (clock: ReturnType<typeof ticking>) => {
  const log = new InMemoryMonitoring();
  const mailer = new RecordingMailer();
  const sender = (claimant: string) => ({
    deliveries: log,
    mailer,
    now: clock.now,
    claimTimeoutMs: CLAIM_TIMEOUT_MS,
    newClaimant: () => claimant,
  });
  return { log, mailer, a: sender('a'), b: sender('b') };
};

describe('sending an e-mail once, whoever else is sending it', () => {
  it('leaves an e-mail another sender still holds for later, never counts it sent, and sends it once', async () => {
    const clock = ticking(1000);
    const { log, mailer, b } = twoSenders(clock);
    // A claims, then stalls before its send (a slow invocation): B comes while A's claim is fresh.
    const held = await log.claimDelivery(J, delivery.id, delivery.to, {
      at: clock.now().toISOString(),
      staleBefore: '2000-01-01T00:00:00Z',
      claimant: 'a',
    });

    const whileHeld = await sendOnce(b, delivery, mail);
    // A finishes; then the queue brings the message back to B.
    await mailer.send(mail);
    await log.completeDelivery(J, delivery.id, delivery.to, clock.now().toISOString(), mail.messageId);
    const afterSent = await sendOnce(b, delivery, mail);

    expect([held, whileHeld, afterSent]).toEqual(['claimed', 'later', 'already-sent']);
    expect(mailer.sent).toHaveLength(1);
  });

  it('takes over the claim of a sender that crashed, once it is stale, and sends the e-mail', async () => {
    const clock = ticking(1000);
    const { log, mailer, b } = twoSenders(clock);
    await log.claimDelivery(J, delivery.id, delivery.to, {
      at: clock.now().toISOString(),
      staleBefore: '2000-01-01T00:00:00Z',
      claimant: 'crashed',
    });

    const fresh = await sendOnce(b, delivery, mail);
    clock.skip(CLAIM_TIMEOUT_MS);
    const stale = await sendOnce(b, delivery, mail);

    expect([fresh, stale]).toEqual(['later', 'sent']);
    expect(mailer.sent).toHaveLength(1);
  });

  it('gives back a claim that landed too late to send before it could be taken over, and sends on the next try', async () => {
    // Each reading of the clock is 31 s on: the claim's write took longer than half the claim's life.
    const slow = ticking(31_000);
    const { log, mailer, a } = twoSenders(slow);

    const late = await sendOnce(a, delivery, mail);
    const afterRelease = log.deliveries.values().next().value?.status;
    const quick = ticking(1000, Date.parse('2024-09-30T02:00:00Z'));
    const next = await sendOnce({ ...a, now: quick.now }, delivery, mail);

    expect([late, afterRelease, next]).toEqual(['later', 'failed', 'sent']);
    expect(mailer.sent).toHaveLength(1);
  });

  it('gives the claim back when the send fails, so the next try sends', async () => {
    const clock = ticking(1000);
    const { mailer, a } = twoSenders(clock);
    mailer.failFor.add(delivery.to);

    await expect(sendOnce(a, delivery, mail)).rejects.toThrow('unavailable');
    mailer.failFor.clear();
    const retried = await sendOnce(a, delivery, mail);

    expect(retried).toBe('sent');
    expect(mailer.sent).toHaveLength(1);
  });
});
