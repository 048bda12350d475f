import { describe, expect, it } from 'vitest';
import {
  applyDecision,
  assertMayDecide,
  cancel,
  type DisbursementRequest,
} from '../../shared/ledger/domain/disbursement-request.ts';
import { ForbiddenError, FourEyesError, NotPendingError } from '../../shared/platform/errors.ts';
import { caught } from './support/caught.ts';
import { anActor, anEvent, aRequest, T0 } from './support/domain-fixtures.ts';

const NOW = '2024-03-05T09:30:00.000Z';
const LATER = '2024-03-06T10:00:00.000Z';

const districtApprover = anActor('dist-1', ['approver-district']);
const provinceApprover = anActor('prov-1', ['approver-province']);
const treasurer = anActor('treas-1', ['treasury']);

/** A request that already passed district and waits at province. */
const atProvince = (): DisbursementRequest => {
  const request = aRequest();
  const outcome = applyDecision(
    request,
    anEvent(request, 'district', districtApprover),
    'approver-district',
    NOW,
  );
  if (outcome.kind !== 'advanced') throw new Error(`arrange failed: ${outcome.kind}`);
  return outcome.request;
};

describe('assertMayDecide', () => {
  it('lets a person of the level group decide a pending request', () => {
    const request = aRequest();

    expect(() => assertMayDecide(request, districtApprover, 'approver-district')).not.toThrow();
  });

  it('refuses the submitter of the request, even when they hold the level group', () => {
    const request = aRequest({ submittedBy: 'dist-1' });

    const error = caught(() => assertMayDecide(request, districtApprover, 'approver-district'));

    expect(error).toBeInstanceOf(FourEyesError);
    expect(error).toMatchObject({ code: 'four_eyes', status: 403 });
  });

  it('refuses a person who already decided an earlier level of the same request', () => {
    const request = atProvince();
    const sameDistrictPerson = anActor('dist-1', ['approver-district', 'approver-province']);

    const error = caught(() => assertMayDecide(request, sameDistrictPerson, 'approver-province'));

    expect(error).toBeInstanceOf(FourEyesError);
    expect(error).toMatchObject({ code: 'four_eyes' });
  });

  it('refuses the submitter deciding under another sub with the same e-mail in another case', () => {
    const request = aRequest({ submittedBy: 'lan', submittedByEmail: 'Lan@X.vn' });
    const sameMailbox = { ...anActor('lan-approver', ['approver-district']), email: 'lan@x.vn' };

    const error = caught(() => assertMayDecide(request, sameMailbox, 'approver-district'));

    expect(error).toBeInstanceOf(FourEyesError);
    expect(error).toMatchObject({ code: 'four_eyes' });
  });

  it('refuses a person deciding a second level under another sub with the same e-mail', () => {
    const request = aRequest();
    const first = applyDecision(
      request,
      anEvent(request, 'district', { ...districtApprover, email: 'dist-1@x.vn' }),
      'approver-district',
      NOW,
    );
    if (first.kind !== 'advanced') throw new Error(`arrange failed: ${first.kind}`);
    const sameMailbox = { ...anActor('dist-1-alt', ['approver-province']), email: 'DIST-1@x.vn' };

    const error = caught(() => assertMayDecide(first.request, sameMailbox, 'approver-province'));

    expect(error).toBeInstanceOf(FourEyesError);
  });

  it('still judges requests stored without e-mails by sub alone', () => {
    const request = aRequest({ submittedBy: 'maker-1' });
    const withMail = { ...anActor('dist-9', ['approver-district']), email: 'maker-1@x.vn' };

    expect(() => assertMayDecide(request, withMail, 'approver-district')).not.toThrow();
  });

  it('refuses a person without the group of the level the request waits at, naming that group', () => {
    const request = aRequest();

    const error = caught(() => assertMayDecide(request, provinceApprover, 'approver-district'));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({
      code: 'forbidden',
      details: { nextLevel: 'district', requiredGroup: 'approver-district' },
    });
  });

  it('refuses a commune-scoped approver deciding on another commune', () => {
    const request = aRequest({ commune: 'A Tiêng' });
    const elsewhere = anActor('dist-2', ['approver-district'], 'Dang');

    const error = caught(() => assertMayDecide(request, elsewhere, 'approver-district'));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'forbidden' });
  });

  it('lets a commune-scoped approver decide on their own commune', () => {
    const request = aRequest({ commune: 'Dang' });
    const local = anActor('dist-2', ['approver-district'], 'Dang');

    expect(() => assertMayDecide(request, local, 'approver-district')).not.toThrow();
  });

  it.each(['approved', 'disbursed', 'rejected', 'cancelled'] as const)(
    'refuses any decision on a %s request with not_pending',
    (status) => {
      const { nextLevel: _, ...rest } = aRequest();
      const request: DisbursementRequest = { ...rest, status };

      const error = caught(() => assertMayDecide(request, districtApprover, 'approver-district'));

      expect(error).toBeInstanceOf(NotPendingError);
      expect(error).toMatchObject({ code: 'not_pending', status: 409, details: { status } });
    },
  );
});

describe('applyDecision', () => {
  it('advances an approved level to the next one and records who decided', () => {
    const request = aRequest();
    const event = anEvent(
      request,
      'district',
      { ...districtApprover, email: 'dist-1@example.vn' },
      'approve',
      'e-1',
    );

    const outcome = applyDecision(request, event, 'approver-district', NOW);

    expect(outcome.kind).toBe('advanced');
    if (outcome.kind !== 'advanced') return;
    expect(outcome.request).toMatchObject({
      status: 'pending_approval',
      nextLevel: 'province',
      pendingSince: NOW,
      updatedAt: NOW,
      version: 2,
    });
    expect(outcome.request.approvals).toEqual([
      {
        level: 'district',
        decision: 'approve',
        by: 'dist-1',
        email: 'dist-1@example.vn',
        at: T0,
        eventId: 'e-1',
      },
    ]);
  });

  it('does not change the request it was given', () => {
    const request = aRequest();
    const before = structuredClone(request);

    applyDecision(request, anEvent(request, 'district', districtApprover), 'approver-district', NOW);

    expect(request).toEqual(before);
  });

  it('ignores a redelivered event that was already applied', () => {
    const request = atProvince();
    const redelivered = anEvent(request, 'district', districtApprover);

    const outcome = applyDecision(request, redelivered, 'approver-district', LATER);

    expect(outcome).toEqual({ kind: 'ignored', reason: 'event already applied' });
  });

  it('ignores a second decider at a level the request has already passed', () => {
    const request = atProvince();
    const late = anEvent(request, 'district', anActor('dist-2', ['approver-district']), 'reject', 'e-late');

    const outcome = applyDecision(request, late, 'approver-district', LATER);

    expect(outcome.kind).toBe('ignored');
  });

  it('ignores an event for a level the request has not reached yet', () => {
    const request = aRequest();
    const early = anEvent(request, 'treasury', treasurer);

    const outcome = applyDecision(request, early, 'treasury', NOW);

    expect(outcome.kind).toBe('ignored');
  });

  it('ignores, rather than applies, a decision by the submitter', () => {
    const request = aRequest({ submittedBy: 'dist-1' });

    const outcome = applyDecision(
      request,
      anEvent(request, 'district', districtApprover),
      'approver-district',
      NOW,
    );

    expect(outcome.kind).toBe('ignored');
  });

  it('ignores a decision by a person who already decided an earlier level', () => {
    const request = atProvince();
    const twice = anActor('dist-1', ['approver-province']);

    const outcome = applyDecision(request, anEvent(request, 'province', twice), 'approver-province', LATER);

    expect(outcome.kind).toBe('ignored');
  });

  it('ignores a decision by a person without the level group', () => {
    const request = aRequest();

    const outcome = applyDecision(request, anEvent(request, 'district', treasurer), 'approver-district', NOW);

    expect(outcome.kind).toBe('ignored');
  });

  it('answers approved on the last level and drops nextLevel and pendingSince', () => {
    const request = aRequest({ chain: ['district', 'treasury'], fundingLine: 'local' });
    const advanced = applyDecision(
      request,
      anEvent(request, 'district', districtApprover),
      'approver-district',
      NOW,
    );
    if (advanced.kind !== 'advanced') throw new Error(`arrange failed: ${advanced.kind}`);

    const outcome = applyDecision(
      advanced.request,
      anEvent(request, 'treasury', treasurer),
      'treasury',
      LATER,
    );

    expect(outcome.kind).toBe('approved');
    if (outcome.kind !== 'approved') return;
    expect(outcome.request.status).toBe('approved');
    expect(outcome.request.version).toBe(3);
    expect(outcome.request).not.toHaveProperty('nextLevel');
    expect(outcome.request).not.toHaveProperty('pendingSince');
    expect(outcome.request.approvals.map((a) => [a.level, a.by])).toEqual([
      ['district', 'dist-1'],
      ['treasury', 'treas-1'],
    ]);
  });

  it('answers rejected on a reject, records it, and drops nextLevel and pendingSince', () => {
    const request = atProvince();
    const event = {
      ...anEvent(request, 'province', provinceApprover, 'reject'),
      comment: 'Dossier incomplete',
    };

    const outcome = applyDecision(request, event, 'approver-province', LATER);

    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.request.status).toBe('rejected');
    expect(outcome.request.version).toBe(request.version + 1);
    expect(outcome.request).not.toHaveProperty('nextLevel');
    expect(outcome.request).not.toHaveProperty('pendingSince');
    expect(outcome.request.approvals.at(-1)).toMatchObject({
      level: 'province',
      decision: 'reject',
      by: 'prov-1',
      comment: 'Dossier incomplete',
    });
  });

  it('ignores any decision on a rejected request', () => {
    const rejected = applyDecision(
      atProvince(),
      anEvent(aRequest(), 'province', provinceApprover, 'reject'),
      'approver-province',
      LATER,
    );
    if (rejected.kind !== 'rejected') throw new Error(`arrange failed: ${rejected.kind}`);

    const outcome = applyDecision(
      rejected.request,
      anEvent(aRequest(), 'province', anActor('prov-2', ['approver-province'])),
      'approver-province',
      LATER,
    );

    expect(outcome.kind).toBe('ignored');
  });
});

describe('cancel', () => {
  it('lets the submitter cancel a pending request', () => {
    const request = atProvince();

    const cancelled = cancel(request, anActor('maker-1', ['finance']), LATER);

    expect(cancelled).toMatchObject({ status: 'cancelled', updatedAt: LATER, version: request.version + 1 });
    expect(cancelled).not.toHaveProperty('nextLevel');
    expect(cancelled).not.toHaveProperty('pendingSince');
    expect(cancelled.approvals).toEqual(request.approvals);
  });

  it('refuses a cancellation by anyone but the submitter', () => {
    const request = aRequest();

    const error = caught(() => cancel(request, anActor('maker-2', ['finance']), NOW));

    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it.each(['approved', 'disbursed', 'rejected', 'cancelled'] as const)(
    'refuses to cancel a %s request with not_pending',
    (status) => {
      const { nextLevel: _, ...rest } = aRequest();
      const request: DisbursementRequest = { ...rest, status };

      const error = caught(() => cancel(request, anActor('maker-1', ['finance']), NOW));

      expect(error).toBeInstanceOf(NotPendingError);
      expect(error).toMatchObject({ code: 'not_pending', details: { status } });
    },
  );
});
