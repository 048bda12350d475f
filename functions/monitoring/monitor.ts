import middy from '@middy/core';
import * as z from 'zod';
import { monitorDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { runMonitor } from '../../shared/monitoring/app/run-monitor.ts';
import { MonitorRunBody } from '../../shared/monitoring/http/schemas.ts';
import { logger } from '../../shared/platform/aws/logger.ts';
import { observability } from '../../shared/platform/aws/observability.ts';

const deps = monitorDepsFromEnv();

/**
 * The schedule's event: EventBridge Scheduler sends the target's input as is (none: today), the local
 * scheduler an event whose `detail` may carry `{asOf, fiscalYear}`. Other fields are ignored.
 */
const ScheduledRun = z.looseObject({
  ...MonitorRunBody.shape,
  detail: z.looseObject(MonitorRunBody.shape).optional(),
});

/** The daily monitor (07:00 in Vietnam): progress, lag and stalled approvals; alerts on the alerts queue. */
export const handler = middy<unknown>()
  .use(observability())
  .handler(async (event) => {
    const { detail, asOf = detail?.asOf, fiscalYear = detail?.fiscalYear } = ScheduledRun.parse(event ?? {});
    const input = { ...(asOf ? { asOf } : {}), ...(fiscalYear !== undefined ? { fiscalYear } : {}) };
    const run = await runMonitor(deps, input);
    const summary = {
      asOf: run.asOf,
      fiscalYears: run.fiscalYears,
      findings: run.findings.length,
      queued: run.queued,
      alreadyQueued: run.alreadyQueued,
      // Allocations left out because a total is stored out of range (README "Errors").
      ...(run.problems.length > 0 ? { problems: run.problems.map((p) => p.message) } : {}),
    };
    logger.info('monitor run', summary);
    return summary;
  });
