import type * as z from 'zod';
import type { Payee } from '../domain/payee.ts';
import type { PayeeView } from './schemas.ts';

/** A payee as the API shows it: field by field, without the search key. */
export const payeeView = (p: Payee): z.output<typeof PayeeView> => ({
  id: p.id,
  jurisdiction: p.jurisdiction,
  kind: p.kind,
  name: p.name,
  ...(p.taxCode !== undefined ? { taxCode: p.taxCode } : {}),
  ...(p.citizenId !== undefined ? { citizenId: p.citizenId } : {}),
  bankAccount: { number: p.bankAccount.number, bankCode: p.bankAccount.bankCode },
  commune: p.commune,
  createdAt: p.createdAt,
  createdBy: p.createdBy,
});
