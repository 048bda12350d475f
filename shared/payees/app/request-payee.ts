import type { Payee as PayeeSnapshot } from '../../ledger/domain/disbursement-request.ts';
import { ValidationError } from '../../platform/errors.ts';
import { type SupportRule, supportClaimsOf } from '../domain/support-rule.ts';
import { UnknownPayeeError } from '../errors.ts';
import type { PayeeStore } from './ports.ts';

/** What a request's submission needs of the register: its payees and the support rules (config). */
export interface PayeeRegister {
  payees: Pick<PayeeStore, 'getPayee'>;
  supportRules: readonly SupportRule[];
}

/** How a request names its payee: a register id, or (deprecated) an inline name and kind. */
export interface PayeeNaming {
  payeeId?: string | undefined;
  payee?: PayeeSnapshot | undefined;
}

/** The request's payee fields: the snapshot it keeps, the register id, the support claims it takes. */
export interface RequestPayeeFields {
  payee: PayeeSnapshot;
  payeeId?: string;
  supportClaims?: string[];
}

/**
 * The payee a request names, resolved in the request's jurisdiction: a register payee (its name and
 * kind kept as a snapshot, and the support rules it falls under), or the deprecated inline payee as
 * given. Exactly one of the two (400 otherwise); an id the register does not hold is 422 unknown_payee.
 */
export const requestPayeeFields = async (
  register: PayeeRegister | undefined,
  jurisdiction: string,
  input: PayeeNaming,
  paysFor: { component: string; outputs?: Record<string, number> | undefined },
): Promise<RequestPayeeFields> => {
  if ((input.payeeId === undefined) === (input.payee === undefined)) {
    throw new ValidationError(
      'body: name the payee either by payeeId (from POST /payees) or by payee {name, kind} (deprecated), exactly one of the two.',
      { field: 'payeeId' },
    );
  }
  if (input.payeeId === undefined) return { payee: input.payee as PayeeSnapshot };
  const payee = await register?.payees.getPayee(jurisdiction, input.payeeId);
  if (!payee) {
    throw new UnknownPayeeError(
      `body.payeeId: no payee with id ${input.payeeId} in the register of ${jurisdiction}; register it with POST /payees or find it with GET /payees?q=.`,
      { field: 'payeeId', payeeId: input.payeeId },
    );
  }
  const fields = { payee: { name: payee.name, kind: payee.kind }, payeeId: payee.id };
  const claims = supportClaimsOf(register?.supportRules ?? [], { ...fields, ...paysFor });
  return { ...fields, ...(claims.length > 0 ? { supportClaims: claims } : {}) };
};
