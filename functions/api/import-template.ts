import type { ImportKind } from '../../shared/imports/domain/import-kind.ts';
import { importTemplateXlsx } from '../../shared/imports/presentation/template-xlsx.ts';
import { XLSX_MEDIA_TYPE } from '../../shared/platform/format/media-types.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

/** File names of the templates, Vietnamese, as a person saves them. */
const DOWNLOAD_NAMES: Record<ImportKind, string> = {
  allocations: 'mau-nhap-ke-hoach-von.xlsx',
  requests: 'mau-nhap-de-nghi-thanh-toan.xlsx',
};

/** GET /imports/templates/{file}: the XLSX template of an import kind. */
export const handler = apiHandler(routeById('import-template'), async ({ params }) => {
  const kind = (params.file ?? '').replace(/\.xlsx$/, '') as ImportKind;
  return {
    body: await importTemplateXlsx(kind),
    binary: true,
    headers: {
      'content-type': XLSX_MEDIA_TYPE,
      'content-disposition': `attachment; filename="${DOWNLOAD_NAMES[kind]}"`,
    },
  };
});
