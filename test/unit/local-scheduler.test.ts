import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadedFunction } from '../../local/function-loader.ts';
import { startScheduler } from '../../local/scheduler.ts';
import type { FunctionSpec } from '../../shared/platform/topology.ts';

const scheduled = (id: string, localIntervalSeconds: number, ran: string[]): LoadedFunction => ({
  spec: {
    id,
    trigger: { kind: 'schedule', expression: 'rate(1 hour)', localIntervalSeconds },
    timeoutSeconds: 60,
    environment: {},
  } as unknown as FunctionSpec,
  handler: async () => {
    ran.push(id);
  },
});

describe('the local scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every scheduled function on its interval by default', async () => {
    const ran: string[] = [];
    const scheduler = startScheduler([scheduled('relay', 30, ran), scheduled('job', 3600, ran)], () => {});
    await vi.advanceTimersByTimeAsync(3600 * 1000);
    scheduler.stop();
    await vi.waitFor(() => expect(ran.filter((id) => id === 'job')).toHaveLength(1));
    expect(ran.filter((id) => id === 'relay')).toHaveLength(120);
  });

  it('runs the functions onInterval leaves out only when asked', async () => {
    const ran: string[] = [];
    const scheduler = startScheduler(
      [scheduled('relay', 30, ran), scheduled('job', 3600, ran)],
      () => {},
      (fn) => fn.spec.id === 'relay',
    );
    await vi.advanceTimersByTimeAsync(2 * 3600 * 1000);
    await vi.waitFor(() => expect(ran.filter((id) => id === 'relay')).toHaveLength(240));
    expect(ran).not.toContain('job');
    await scheduler.runNow('job');
    expect(ran.filter((id) => id === 'job')).toHaveLength(1);
    scheduler.stop();
  });
});
