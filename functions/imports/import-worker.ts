import { importJobDepsFromEnv } from '../../shared/imports/adapters/job-deps-from-env.ts';
import { runImportJob } from '../../shared/imports/app/apply-import.ts';
import { ImportJobMessage } from '../../shared/imports/messages.ts';
import { IMPORT_WORKER_BUDGET_SECONDS } from '../../shared/imports/topology.ts';
import { countMetric } from '../../shared/platform/aws/metrics.ts';
import { sqsHandler } from '../../shared/platform/aws/sqs-handler.ts';

const deps = importJobDepsFromEnv();

/**
 * Consumer of the imports queue: applies one queued import's rows for a bounded time, then queues a
 * continuation; a failure is redelivered (rows replay, never post twice), then dead-lettered.
 */
export const handler = sqsHandler({
  schema: ImportJobMessage,
  orderKey: (job) => job.importId,
  process: async (job, log) => {
    log.appendKeys({ importId: job.importId, jurisdiction: job.jurisdiction });
    const deadline = Date.now() + IMPORT_WORKER_BUDGET_SECONDS * 1000;
    const outcome = await runImportJob(deps, job, () => Date.now() > deadline);
    log.info('import job ran', { outcome });
    if (outcome === 'applied' || outcome === 'failed') countMetric('ImportsFinished', { outcome });
  },
});
