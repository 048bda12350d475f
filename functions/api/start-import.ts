import { importJobDepsFromEnv } from '../../shared/imports/adapters/job-deps-from-env.ts';
import { startImport } from '../../shared/imports/app/start-import.ts';
import { IMPORT_ROUTES } from '../../shared/imports/http/routes.ts';
import { startedImportAnswer } from '../../shared/imports/http/views.ts';
import { countMetric } from '../../shared/platform/aws/metrics.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = importJobDepsFromEnv();

/** POST /imports (planner: allocations; finance: requests): a file validated whole, then applied or queued. */
export const handler = apiHandler(routeIn(IMPORT_ROUTES, 'start-import'), async ({ actor, query, file }) => {
  if (!file) throw new Error('start-import: the edge gives the file of a rawBody route');
  const started = await startImport(deps, actor, { kind: query.kind, dryRun: query.dryRun, file });
  if (!started.dryRun && !started.replayed) countMetric('Imports', { kind: query.kind });
  return startedImportAnswer(started);
});
