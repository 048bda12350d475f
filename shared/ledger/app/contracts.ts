import { assertCommuneOf } from '../../jurisdictions/app/commune-check.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import {
  type Actor,
  assertReaches,
  jurisdictionOfScope,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import type { Env } from '../../platform/clock.ts';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../../platform/errors.ts';
import { fingerprint, idempotencyScope, idempotent, type Replayable } from '../../platform/idempotency.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { quoteForMessage } from '../../platform/text-hygiene.ts';
import {
  amendValue,
  type Contract,
  type ContractAmendment,
  type ContractKind,
  type ContractPolicy,
  claimOf,
  commitClaim,
  newContract,
} from '../domain/contract.ts';
import type { Payee, RequestKind } from '../domain/disbursement-request.ts';
import { PAYEE_KINDS, type PayeeKind } from '../domain/funding-line.ts';
import { assertYearOpen } from '../domain/year-end-close.ts';
import { getAllocation } from './allocations.ts';
import type { ContractCommitment, ContractFilter, LedgerStore } from './ports.ts';

/**
 * The payee register as contracts read it: structural, so the ledger does not depend on shared/payees
 * (which depends on the ledger's payee kinds); the functions wire the register's store.
 */
export interface PayeeLookup {
  getPayee(jurisdiction: string, id: string): Promise<{ id: string; kind: string; name: string } | undefined>;
}

export interface ContractDeps extends Env {
  store: LedgerStore;
  payees: PayeeLookup;
  policy: ContractPolicy;
}

/** What finance gives to record a contract of an allocation. */
export interface NewContract {
  allocationId: string;
  number: string;
  signedOn: string;
  payeeId: string;
  valueVnd: number;
  kind: ContractKind;
  advanceGuaranteeRequired?: boolean;
}

/** A change of value under a numbered decision: the new value, or a signed delta. */
export interface NewAmendment {
  decisionNumber: string;
  reason: string;
  valueVnd?: number;
  deltaVnd?: number;
}

/** An amendment with the contract as it stands after it. */
export type AppliedAmendment = ContractAmendment & { contract: Contract };

const MAX_ATTEMPTS = 5;

/** The register's payee, in the jurisdiction, as a request names it; 404 when the register has none. */
const payeeOf = async (payees: PayeeLookup, jurisdiction: string, payeeId: string): Promise<Payee> => {
  const payee = await payees.getPayee(jurisdiction, payeeId);
  if (!payee) {
    throw new NotFoundError(
      `No payee with id ${payeeId} in the payee register; register it first (POST /payees).`,
      {
        field: 'payeeId',
      },
    );
  }
  if (!(PAYEE_KINDS as readonly string[]).includes(payee.kind)) {
    throw new ValidationError(
      `body.payeeId: the payee is a ${quoteForMessage(payee.kind)}, which cannot sign a contract; name one of kind ${PAYEE_KINDS.join(', ')}.`,
      { field: 'payeeId' },
    );
  }
  return { name: payee.name, kind: payee.kind as PayeeKind };
};

/** Records a contract on an allocation the caller reaches, with a payee of the register. */
export const createContract = async (
  deps: ContractDeps,
  actor: Actor,
  input: NewContract,
  idempotencyKey?: string,
): Promise<Replayable<Contract>> => {
  const key = idempotencyKey ? idempotencyScope('create-contract', actor, idempotencyKey) : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    const allocation = await getAllocation(deps.store, actor, input.allocationId);
    assertYearOpen(allocation); // the store re-checks atomically
    const jurisdiction = jurisdictionOf(allocation);
    const payee = await payeeOf(deps.payees, jurisdiction, input.payeeId);
    const now = deps.now().toISOString();
    const contract = newContract(
      {
        id: deps.newId(),
        jurisdiction,
        allocationId: allocation.id,
        commune: allocation.commune,
        fiscalYear: allocation.fiscalYear,
        number: input.number,
        signedOn: input.signedOn,
        kind: input.kind,
        payeeId: input.payeeId,
        payee,
        valueVnd: input.valueVnd,
        advanceGuaranteeRequired:
          input.advanceGuaranteeRequired ?? deps.policy.advanceGuaranteeRequiredByDefault,
        createdAt: now,
        createdBy: actor.sub,
        updatedAt: now,
      },
      deps.policy,
    );
    await deps.store.createContract(
      contract,
      stored ? { ...stored, fingerprint: print, result: contract, createdAt: now } : undefined,
    );
    return contract;
  });
};

/** A contract the actor may see (its allocation's jurisdiction and commune); another's is not found. */
export const getContract = async (store: LedgerStore, actor: Actor, id: string): Promise<Contract> => {
  const scope = scopeOf(actor);
  const contract = await store.getContract(jurisdictionOfScope(scope), id);
  if (!contract) throw new NotFoundError(`No contract with id ${id}.`);
  assertReaches(scope, contract);
  return contract;
};

/**
 * The contracts the actor may see that match the filter: their jurisdiction's (their commune's, when
 * commune-scoped); naming another commune is refused, an unknown one is a 400.
 */
export const listContracts = async (
  store: LedgerStore,
  actor: Actor,
  filter: Omit<ContractFilter, 'jurisdiction'>,
): Promise<Contract[]> => {
  const scope = scopeOf(actor);
  const narrowed = restrictFilter(scope, filter);
  assertCommuneOf(jurisdictionCatalog, jurisdictionOfScope(scope), filter.commune, {
    field: 'query.commune',
    fiscalYear: filter.fiscalYear,
  });
  return store.listContracts(narrowed);
};

/** Changes a contract's value under a numbered decision; never below what is paid or pending payment. */
export const amendContract = async (
  deps: Pick<ContractDeps, 'store' | 'now' | 'newId'>,
  actor: Actor,
  contractId: string,
  input: NewAmendment,
  idempotencyKey?: string,
): Promise<Replayable<AppliedAmendment>> => {
  const key = idempotencyKey
    ? idempotencyScope('amend-contract', actor, idempotencyKey, contractId)
    : undefined;
  const print = fingerprint(input);
  return idempotent(deps.store, key, print, async (stored) => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await getContract(deps.store, actor, contractId);
      const valueVnd = input.valueVnd ?? current.valueVnd + (input.deltaVnd ?? 0);
      const at = deps.now().toISOString();
      const amended = { ...amendValue(current, valueVnd), version: current.version + 1, updatedAt: at };
      const amendment: ContractAmendment = {
        id: deps.newId(),
        jurisdiction: current.jurisdiction,
        contractId,
        decisionNumber: input.decisionNumber,
        reason: input.reason,
        previousValueVnd: current.valueVnd,
        valueVnd,
        by: actor.sub,
        at,
      };
      const result: AppliedAmendment = { ...amendment, contract: amended };
      const record = stored ? { ...stored, fingerprint: print, result, createdAt: at } : undefined;
      if (await deps.store.amendContract(amended, current.version, amendment, record)) return result;
      // A submission or another amendment changed the contract: check the value again on it.
    }
    throw new ServiceUnavailableError('The contract keeps changing; retry the amendment in a moment.');
  });
};

/** What a request body says about its kind, contract and payee. */
export interface RequestTarget {
  kind?: RequestKind;
  allocationId?: string;
  contractId?: string;
  recoveryVnd?: number;
  payee?: Payee;
  amountVnd: number;
}

/** The allocation, payee and contract fields of a request, and its claim on the contract when it has one. */
export interface ResolvedTarget {
  allocationId: string;
  /** An advance's or payment's payee: its contract's (a direct request's is named in the body). */
  payee?: { payee: Payee; payeeId: string };
  fields: { kind?: RequestKind; contractId?: string; recoveryVnd?: number };
  commitment?: ContractCommitment;
}

/**
 * Resolves a request body's target: a direct request names its allocation and payee; an advance or a
 * payment names its contract, whose allocation and payee it takes, and is checked on the contract
 * (advance_limit_exceeded, contract_value_exceeded, recovery_invalid). The store re-checks atomically:
 * the submission is conditional on the contract's version checked here.
 */
export const resolveRequestTarget = async (
  store: LedgerStore,
  actor: Actor,
  input: RequestTarget,
  now: string,
): Promise<ResolvedTarget> => {
  const kind = input.kind ?? 'direct';
  if (kind === 'direct') {
    if (input.allocationId === undefined) {
      throw new ValidationError('body.allocationId: a direct request names the allocation it draws on.', {
        field: 'allocationId',
      });
    }
    return { allocationId: input.allocationId, fields: input.kind ? { kind } : {} };
  }
  if (input.contractId === undefined) {
    throw new ValidationError(`body.contractId: an ${kind} request names the contract it draws on.`, {
      field: 'contractId',
    });
  }
  return contractTarget(await getContract(store, actor, input.contractId), input, now);
};

/**
 * An advance's or payment's target on its contract, as read: the contract's allocation (the body may
 * name only that one) and payee, and the claim checked on the contract (advance_limit_exceeded,
 * contract_value_exceeded, recovery_invalid). The payment-batch import applies it too, row after row
 * on the contract as the earlier rows leave it.
 */
export const contractTarget = (contract: Contract, input: RequestTarget, now: string): ResolvedTarget => {
  const kind: 'advance' | 'payment' = input.kind === 'payment' ? 'payment' : 'advance';
  if (input.allocationId !== undefined && input.allocationId !== contract.allocationId) {
    throw new ValidationError(
      `body.allocationId: contract ${contract.number} draws on allocation ${contract.allocationId}; leave allocationId out or name that one.`,
      { field: 'allocationId', allocationId: contract.allocationId },
    );
  }
  const fields = {
    kind,
    contractId: contract.id,
    ...(kind === 'payment' ? { recoveryVnd: input.recoveryVnd ?? 0 } : {}),
    // The contract's requirement, kept with the advance (its dossier must then hold the guarantee).
    ...(kind === 'advance' && contract.advanceGuaranteeRequired ? { advanceGuaranteeRequired: true } : {}),
  };
  const claim = claimOf({ ...fields, amountVnd: input.amountVnd });
  const committed = claim ? commitClaim(contract, claim) : contract;
  return {
    allocationId: contract.allocationId,
    payee: { payee: contract.payee, payeeId: contract.payeeId },
    fields,
    commitment: { committed: { ...committed, updatedAt: now }, expectedVersion: contract.version },
  };
};
