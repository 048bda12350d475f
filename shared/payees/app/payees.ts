import { assertCommuneOf } from '../../jurisdictions/app/commune-check.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import type { Page } from '../../ledger/app/ports.ts';
import { type Actor, assertReaches, jurisdictionOfScope, mayReach, scopeOf } from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { fingerprint, idempotencyScope, idempotent, type Replayable } from '../../platform/idempotency.ts';
import {
  identifierOf,
  identifierSearched,
  type NewPayee,
  newPayeeProblem,
  type Payee,
  payeeOf,
  searchNameOf,
} from '../domain/payee.ts';
import { DuplicatePayeeError } from '../errors.ts';
import type { PayeeStore } from './ports.ts';

export interface PayeeDeps extends Env {
  payees: PayeeStore;
}

/** The refusal of a second payee with the same identifier: the existing payee's id is in the details. */
export const duplicatePayee = (
  existing: Pick<Payee, 'id'>,
  identifier: { field: string; value: string },
): DuplicatePayeeError =>
  new DuplicatePayeeError(
    `A payee with ${identifier.field} ${identifier.value} is already registered (id ${existing.id}); use GET /payees/${existing.id} instead of registering it again.`,
    { payeeId: existing.id, field: identifier.field },
  );

/**
 * Registers a payee in the caller's jurisdiction (in their commune, when commune-scoped), once per
 * Idempotency-Key; the same tax code or citizen ID twice is refused (409 duplicate_payee).
 */
export const createPayee = async (
  deps: PayeeDeps,
  actor: Actor,
  input: NewPayee,
  idempotencyKey: string,
): Promise<Replayable<Payee>> => {
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  assertReaches(scope, { jurisdiction, commune: input.commune });
  assertCommuneOf(jurisdictionCatalog, jurisdiction, input.commune, { field: 'body.commune' });
  const problem = newPayeeProblem(input);
  if (problem) {
    throw new ValidationError(`body.${problem.field}: ${problem.message}.`, { field: problem.field });
  }
  const key = idempotencyScope('create-payee', actor, idempotencyKey);
  const print = fingerprint(input);
  return idempotent(deps.payees, key, print, async () => {
    const now = deps.now().toISOString();
    const payee = payeeOf(input, { id: deps.newId(), jurisdiction, createdAt: now, createdBy: actor.sub });
    const identifier = identifierOf(payee);
    // A clear answer early; the store's uniqueness item refuses the race atomically.
    const existing = await deps.payees.findByIdentifier(jurisdiction, identifier);
    if (existing) throw duplicatePayee(existing, identifier);
    await deps.payees.createPayee(payee, {
      jurisdiction: key.jurisdiction,
      scope: key.scope,
      fingerprint: print,
      result: payee,
      createdAt: now,
    });
    return payee;
  });
};

/** One payee of the caller's jurisdiction (of their commune, when commune-scoped). */
export const getPayee = async (
  store: Pick<PayeeStore, 'getPayee'>,
  actor: Actor,
  id: string,
): Promise<Payee> => {
  const scope = scopeOf(actor);
  const payee = await store.getPayee(jurisdictionOfScope(scope), id);
  if (!payee) throw new NotFoundError(`No payee with id ${id}; see GET /payees?q=.`);
  assertReaches(scope, payee);
  return payee;
};

/**
 * Searches the register: `q` written as a tax code or citizen ID finds the one payee holding it;
 * otherwise it is a name prefix, accents and case ignored ("dinh thi" finds "Đinh Thị Ánh"). A
 * commune-scoped account sees its commune's payees only.
 */
export const searchPayees = async (
  store: PayeeStore,
  actor: Actor,
  q: string | undefined,
  limit: number,
  cursor?: string,
): Promise<Page<Payee>> => {
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const identifier = q === undefined ? undefined : identifierSearched(q);
  if (identifier) {
    const payee = await store.findByIdentifier(jurisdiction, identifier);
    return { items: payee && mayReach(scope, payee) ? [payee] : [] };
  }
  const namePrefix = q === undefined ? undefined : searchNameOf(q);
  return store.listPayees(
    { jurisdiction, commune: scope.reach.commune, ...(namePrefix ? { namePrefix } : {}) },
    limit,
    cursor,
  );
};
