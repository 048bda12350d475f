import { type Actor, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { ImportRecord, ImportStore } from './ports.ts';

/** An import of the caller's jurisdiction (GET /imports/{id}); another's is not found, not forbidden. */
export const getImport = async (
  deps: { imports: ImportStore },
  actor: Actor,
  id: string,
): Promise<ImportRecord> => {
  const record = await deps.imports.getImport(jurisdictionOfScope(scopeOf(actor)), id);
  if (!record) throw new NotFoundError(`Không có lần nhập nào với mã ${id} (No import with id ${id}).`);
  return record;
};
