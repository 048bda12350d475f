import { describe, expect, it } from 'vitest';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { ApprovalPublisher } from '../../shared/ledger/app/ports.ts';
import { relayApprovalEvents } from '../../shared/ledger/app/relay-approval-events.ts';
import { decideRequest } from '../../shared/ledger/app/requests.ts';
import {
  DEFAULT_RELAY_SETTINGS,
  dueBefore,
  relaySettings,
  relayStep,
} from '../../shared/ledger/domain/approval-outbox.ts';
import type { ApprovalEvent } from '../../shared/ledger/domain/disbursement-request.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { noDocuments } from '../support/fixtures.ts';
import { anActor, anAllocation, anEvent, aRequest, T0 } from './support/domain-fixtures.ts';
import { InMemoryApprovalOutbox } from './support/in-memory-approval-outbox.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

const settings = { graceSeconds: 60, maxRepublishes: 2 };
const at = (secondsAfterT0: number) => new Date(Date.parse(T0) + secondsAfterT0 * 1000);
const iso = (secondsAfterT0: number) => at(secondsAfterT0).toISOString();

class RecordingPublisher implements ApprovalPublisher {
  readonly published: ApprovalEvent[] = [];
  failing = false;
  async publish(event: ApprovalEvent) {
    if (this.failing) throw new Error('queue does not exist');
    this.published.push(event);
  }
}

const request = aRequest({ id: 'r1', fundingLine: 'local', chain: ['district', 'treasury'] });
const district = anActor('dist-1', ['approver-district']);

describe('relayStep', () => {
  it('waits while the grace period after the last publish runs', () => {
    expect(relayStep({ lastPublishedAt: T0, relayCount: 0 }, at(59), settings)).toBe('wait');
    expect(relayStep({ lastPublishedAt: T0, relayCount: 0 }, at(60), settings)).toBe('wait');
  });

  it('re-publishes once the grace period is over, while re-publishes remain', () => {
    expect(relayStep({ lastPublishedAt: T0, relayCount: 0 }, at(61), settings)).toBe('republish');
    expect(relayStep({ lastPublishedAt: T0, relayCount: 1 }, at(61), settings)).toBe('republish');
  });

  it('gives up when the re-publishes are used up', () => {
    expect(relayStep({ lastPublishedAt: T0, relayCount: 2 }, at(61), settings)).toBe('give-up');
    expect(
      relayStep({ lastPublishedAt: T0, relayCount: 0 }, at(1), {
        ...settings,
        maxRepublishes: 0,
        graceSeconds: 0,
      }),
    ).toBe('give-up');
  });

  it('computes the due limit as now minus the grace period', () => {
    expect(dueBefore(at(600), { graceSeconds: 600 })).toBe(T0);
  });
});

describe('relaySettings', () => {
  it('defaults to a 10-minute grace period and 3 re-publishes', () => {
    expect(relaySettings({})).toEqual(DEFAULT_RELAY_SETTINGS);
    expect(DEFAULT_RELAY_SETTINGS).toEqual({ graceSeconds: 600, maxRepublishes: 3 });
  });

  it('reads both settings from the environment', () => {
    expect(relaySettings({ OUTBOX_GRACE_SECONDS: '5', OUTBOX_MAX_REPUBLISHES: '0' })).toEqual({
      graceSeconds: 5,
      maxRepublishes: 0,
    });
  });

  it('refuses a malformed value, naming the variable', () => {
    expect(() => relaySettings({ OUTBOX_GRACE_SECONDS: '-1' })).toThrow(/OUTBOX_GRACE_SECONDS/);
    expect(() => relaySettings({ OUTBOX_MAX_REPUBLISHES: '1.5' })).toThrow(/OUTBOX_MAX_REPUBLISHES/);
  });
});

describe('relayApprovalEvents', () => {
  const arrange = () => {
    const outbox = new InMemoryApprovalOutbox();
    const publisher = new RecordingPublisher();
    let now = at(0);
    const deps = { outbox, publisher, settings, now: () => now };
    return { outbox, publisher, deps, setNow: (s: number) => (now = at(s)) };
  };

  it('re-publishes only the events pending past their grace period', async () => {
    const { outbox, publisher, deps, setNow } = arrange();
    outbox.add('old', anEvent(request, 'district', district, 'approve', 'e-old'), iso(0));
    outbox.add('new', anEvent(request, 'district', district, 'approve', 'e-new'), iso(100));
    setNow(130);

    const report = await relayApprovalEvents(deps);

    expect(report).toEqual({ due: 1, republished: 1, givenUp: 0, skipped: 0, sentUnrecorded: 0, failed: 0 });
    expect(publisher.published.map((e) => e.eventId)).toEqual(['e-old']);
    expect(outbox.entryOf('old')).toMatchObject({ relayCount: 1, lastPublishedAt: iso(130) });
  });

  it('re-publishes an event at most maxRepublishes times, then gives it up for good', async () => {
    const { outbox, publisher, deps, setNow } = arrange();
    outbox.add('poison', anEvent(request, 'district', district, 'approve', 'e-poison'), iso(0));
    const reports = [];
    for (let round = 1; round <= 5; round++) {
      setNow(round * 100);
      reports.push(await relayApprovalEvents(deps));
    }

    expect(publisher.published).toHaveLength(2);
    expect(reports.map((r) => r.givenUp)).toEqual([0, 0, 1, 0, 0]);
    expect(outbox.entryOf('poison')?.state).toBe('given-up');
    // Given up, the entry is no longer read: the relay's cost follows the pending entries only.
    expect(reports.at(-1)).toEqual({
      due: 0,
      republished: 0,
      givenUp: 0,
      skipped: 0,
      sentUnrecorded: 0,
      failed: 0,
    });
  });

  it('keeps an event due when its publish fails, without using up a re-publish', async () => {
    const { outbox, publisher, deps, setNow } = arrange();
    outbox.add('lost', anEvent(request, 'district', district, 'approve', 'e-lost'), iso(0));
    setNow(100);
    publisher.failing = true;

    expect(await relayApprovalEvents(deps)).toMatchObject({ due: 1, failed: 1, republished: 0 });
    expect(outbox.entryOf('lost')).toMatchObject({ relayCount: 0, lastPublishedAt: iso(0) });

    publisher.failing = false;
    expect(await relayApprovalEvents(deps)).toMatchObject({ republished: 1, failed: 0 });
  });

  it('counts apart a re-publish of an entry settled between the read and the write', async () => {
    const { outbox, deps, setNow } = arrange();
    outbox.add('racing', anEvent(request, 'district', district, 'approve', 'e-race'), iso(0));
    setNow(100);
    const publish = deps.publisher.publish.bind(deps.publisher);
    deps.publisher.publish = async (event) => {
      await publish(event);
      await outbox.settle(J, 'racing', 'e-race');
    };

    expect(await relayApprovalEvents(deps)).toMatchObject({
      due: 1,
      republished: 0,
      skipped: 0,
      sentUnrecorded: 1,
    });
    expect(outbox.entryOf('racing')?.state).toBe('settled');
  });

  it('reads every pending entry across pages, and each once per run', async () => {
    const { outbox, publisher, deps, setNow } = arrange();
    for (let i = 0; i < 25; i++)
      outbox.add(`k${i}`, anEvent(request, 'district', district, 'approve', `e${i}`), iso(i));
    setNow(1000);

    const report = await relayApprovalEvents({ ...deps, pageSize: 10 });

    expect(report.republished).toBe(25);
    expect(new Set(publisher.published.map((e) => e.eventId)).size).toBe(25);
    expect(outbox.read).toBe(25);
  });
});

describe('the outbox around a decision', () => {
  const arrangeStore = async () => {
    const store = new InMemoryLedgerStore();
    await store.createAllocation(
      anAllocation({ fundingLine: 'local', assignedVnd: 1_000_000_000, availableVnd: 1_000_000_000 }),
    );
    await store.submitRequest(request, {
      jurisdiction: J,
      scope: 'submit',
      fingerprint: 'f',
      result: {},
      createdAt: T0,
    });
    return store;
  };

  it('accepts a decision whose publish failed once its record is stored, with the event marked for the outbox', async () => {
    const store = await arrangeStore();
    const publisher = new RecordingPublisher();
    publisher.failing = true;
    const warnings: { message: string; attributes: Record<string, unknown> }[] = [];
    const log = {
      warn: (message: string, attributes: Record<string, unknown>) => warnings.push({ message, attributes }),
    };
    const deps = {
      store,
      policies: approvalPolicies,
      publisher,
      log,
      now: () => at(0),
      newId: () => 'evt-1',
      dossier: noDocuments(),
    };

    const result = await decideRequest(deps, district, 'r1', { decision: 'approve' }, 'key-1');

    expect(result).toEqual({
      result: { eventId: 'evt-1', requestId: 'r1', level: 'district' },
      replayed: false,
    });
    expect(warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/outbox relay will publish/),
        attributes: expect.objectContaining({ eventId: 'evt-1' }),
      }),
    ]);
    const [record] = [...store.idempotency.values()].filter((r) => r.event);
    expect(record?.event).toMatchObject({ eventId: 'evt-1', outboxKey: record?.scope });
  });

  it('settles the entry when the event is applied, and again finds nothing to settle on a duplicate', async () => {
    const store = await arrangeStore();
    const outbox = new InMemoryApprovalOutbox();
    store.outbox = outbox; // the applying write settles the entry, as the table's transaction does
    const event = { ...anEvent(request, 'district', district), outboxKey: 'k1' };
    outbox.add('k1', event, T0);
    const deps = { store, outbox, policies: approvalPolicies, now: () => at(1), sleep: async () => {} };

    expect(await applyApprovalEvent(deps, event)).toMatchObject({ outcome: 'advanced' });
    expect(outbox.entryOf('k1')?.state).toBe('settled');
    expect(await applyApprovalEvent(deps, event)).toMatchObject({ outcome: 'ignored' });
    expect(await outbox.settle(J, 'k1', event.eventId)).toBe(false);
  });

  it('leaves the entry pending when applying the event fails', async () => {
    const store = await arrangeStore();
    const outbox = new InMemoryApprovalOutbox();
    const event = { ...anEvent(request, 'district', district), outboxKey: 'k1' };
    outbox.add('k1', event, T0);
    store.getRequest = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const deps = { store, outbox, policies: approvalPolicies, now: () => at(1), sleep: async () => {} };

    await expect(applyApprovalEvent(deps, event)).rejects.toThrow('ECONNREFUSED');
    expect(outbox.entryOf('k1')?.state).toBe('pending');
  });
});
