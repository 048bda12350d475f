import type { IdempotencyRecord, LedgerStore, Page } from '../../ledger/app/ports.ts';
import type { Payee, PayeeIdentifier } from '../domain/payee.ts';

/** Which payees a listing reads: always one jurisdiction's, one commune's for a commune-scoped account. */
export interface PayeeFilter {
  jurisdiction: string;
  commune?: string | undefined;
  /** Accent-folded name prefix (see searchNameOf); absent: every payee, by name. */
  namePrefix?: string | undefined;
}

/**
 * Storage of the payee register. Everything is one jurisdiction's, kept in its partitions
 * (platform/table/keys.ts): reads name the jurisdiction (the caller's), and a payee of another is
 * simply not found.
 */
export interface PayeeStore extends Pick<LedgerStore, 'getIdempotency'> {
  /**
   * Writes the payee, its identifier's uniqueness item and the idempotency record in one transaction:
   * throws DuplicatePayeeError (naming the payee that holds the identifier) or IdempotencyRecordExists.
   */
  createPayee(payee: Payee, idempotency: IdempotencyRecord): Promise<void>;
  getPayee(jurisdiction: string, id: string): Promise<Payee | undefined>;
  /** The payee registered under a tax code or citizen ID in the jurisdiction. */
  findByIdentifier(
    jurisdiction: string,
    identifier: Pick<PayeeIdentifier, 'type' | 'value'>,
  ): Promise<Payee | undefined>;
  /** A page of payees by folded name. */
  listPayees(filter: PayeeFilter, limit: number, cursor?: string): Promise<Page<Payee>>;
}
