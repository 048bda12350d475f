import { invoke, type LoadedFunction } from './function-loader.ts';

export interface RunningScheduler {
  stop: () => void;
  /** Runs a scheduled function now (on demand). */
  runNow: (functionId: string, detail?: Record<string, unknown>) => Promise<unknown>;
}

/**
 * A local stand-in for EventBridge Scheduler: each scheduled function runs on an interval, and any of
 * them on demand. `onInterval` says which run on their interval (default: all).
 */
export const startScheduler = (
  functions: LoadedFunction[],
  log: (line: string) => void = console.log,
  onInterval: (fn: LoadedFunction) => boolean = () => true,
): RunningScheduler => {
  const scheduled = functions.filter((f) => f.spec.trigger.kind === 'schedule');
  const event = (fn: LoadedFunction, detail: Record<string, unknown> = {}) => ({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'ap-southeast-1',
    resources: [`local:schedule/${fn.spec.id}`],
    detail,
  });
  const timers = scheduled.filter(onInterval).map((fn) => {
    const trigger = fn.spec.trigger;
    const seconds = trigger.kind === 'schedule' ? trigger.localIntervalSeconds : 3600;
    return setInterval(() => {
      invoke(fn, event(fn)).catch((error: unknown) =>
        log(`scheduler: ${fn.spec.id} failed: ${String(error)}`),
      );
    }, seconds * 1000);
  });
  return {
    stop: () => {
      for (const t of timers) clearInterval(t);
    },
    runNow: (functionId, detail) => {
      const fn = scheduled.find((f) => f.spec.id === functionId);
      if (!fn) throw new Error(`no scheduled function ${functionId}`);
      return invoke(fn, event(fn, detail));
    },
  };
};
