import type { ImportKind } from '../../shared/imports/domain/import-kind.ts';
import { IMPORT_ROUTES } from '../../shared/imports/http/routes.ts';
import { importTemplateXlsx } from '../../shared/imports/presentation/template-xlsx.ts';
import { XLSX_MEDIA_TYPE } from '../../shared/platform/format/media-types.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

/** File names of the templates, Vietnamese, as a person saves them. */
const DOWNLOAD_NAMES: Record<ImportKind, string> = {
  allocations: 'mau-nhap-ke-hoach-von.xlsx',
  requests: 'mau-nhap-de-nghi-thanh-toan.xlsx',
};

/** GET /imports/templates/{file}: the XLSX template of an import kind. */
export const handler = apiHandler(routeIn(IMPORT_ROUTES, 'import-template'), async ({ params }) => {
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
