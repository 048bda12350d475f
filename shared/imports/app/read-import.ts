import type { NewAllocation } from '../../ledger/app/allocations.ts';
import type { LedgerStore } from '../../ledger/app/ports.ts';
import type { NewRequest } from '../../ledger/app/requests.ts';
import type { PayeeRegister } from '../../payees/app/request-payee.ts';
import type { Actor } from '../../platform/access.ts';
import type { OutputCatalogue } from '../../targets/app/ports.ts';
import type { CellError } from '../domain/cell-error.ts';
import type { ImportKind } from '../domain/import-kind.ts';

/** The uploaded file, as the HTTP edge gives it (shared/platform/http/file-body.ts). */
export interface ImportFile {
  bytes: Uint8Array;
  contentType: string;
  fileName?: string;
}

/** One good row of the file: where it is and the input it makes for createAllocation or submitRequest. */
export type ImportRow =
  | { kind: 'allocations'; sheet: string; row: number; input: NewAllocation }
  | { kind: 'requests'; sheet: string; row: number; input: NewRequest };

/** Every row good, or every bad cell. */
export type ImportReading = { ok: true; rows: ImportRow[] } | { ok: false; errors: CellError[] };

/**
 * What reading needs of the store: what POST /allocations and POST /requests already build (the ledger
 * store, the plan's output catalogue, the payee register, the clock).
 */
export interface ImportReadDeps {
  store: LedgerStore;
  catalogue: OutputCatalogue;
  register?: PayeeRegister;
  now: () => Date;
}

/** Reads and validates a whole file against the store, writing nothing. */
export const readImport = async (
  _deps: ImportReadDeps,
  _actor: Actor,
  _kind: ImportKind,
  _file: ImportFile,
): Promise<ImportReading> => {
  throw new Error('not yet');
};
