import type * as z from 'zod';
import type { AppliedAmendment } from '../app/contracts.ts';
import { type Contract, contractFigures } from '../domain/contract.ts';
import type { AmendmentView, ContractView } from './contract-schemas.ts';

/** A contract as the API shows it: its figures (advance outstanding included), without storage bookkeeping. */
export const contractView = (c: Contract): z.output<typeof ContractView> => ({
  id: c.id,
  allocationId: c.allocationId,
  jurisdiction: c.jurisdiction,
  commune: c.commune,
  fiscalYear: c.fiscalYear,
  number: c.number,
  signedOn: c.signedOn,
  kind: c.kind,
  payeeId: c.payeeId,
  payee: { name: c.payee.name, kind: c.payee.kind },
  advanceGuaranteeRequired: c.advanceGuaranteeRequired,
  advanceMaxPercent: c.advanceMaxPercent,
  recoveryCompleteAtPercent: c.recoveryCompleteAtPercent,
  ...contractFigures(c),
  createdAt: c.createdAt,
  createdBy: c.createdBy,
  updatedAt: c.updatedAt,
});

/** An amendment with the contract as it stands after it. */
export const amendmentView = (a: AppliedAmendment): z.output<typeof AmendmentView> => ({
  id: a.id,
  contractId: a.contractId,
  decisionNumber: a.decisionNumber,
  reason: a.reason,
  previousValueVnd: a.previousValueVnd,
  valueVnd: a.valueVnd,
  by: a.by,
  at: a.at,
  contract: contractView(a.contract),
});
