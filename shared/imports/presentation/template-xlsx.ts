import type { ImportKind } from '../domain/import-kind.ts';

/** The XLSX template of a kind: Vietnamese headers, a frozen header row, example rows marked to be skipped. */
export const importTemplateXlsx = async (_kind: ImportKind): Promise<Buffer> => {
  throw new Error('not yet');
};
