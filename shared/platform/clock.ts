/** Time and identity sources, injected so use cases stay deterministic under test. */
export interface Env {
  now: () => Date;
  newId: () => string;
}

/** How far the system clock is set from the wall clock: 0 everywhere but a local runtime told otherwise. */
let offsetMs = 0;

export const systemEnv: Env = {
  now: () => new Date(Date.now() + offsetMs),
  newId: () => crypto.randomUUID(),
};

/**
 * Sets the system clock of this process to read `instant` now, and run on at the wall clock's speed
 * (undefined: the wall clock again). Only the local runtime calls it (its `clock` option, `LOCAL_CLOCK`
 * of `npm start`), so a demo or a test can live on a date of a plan's year, e.g. before its deadline;
 * a deployed function never does. Signatures checked by another server's clock (presigned URLs) keep
 * the wall clock.
 */
export const setSystemClock = (instant: Date | undefined): void => {
  offsetMs = instant === undefined ? 0 : instant.getTime() - Date.now();
};

/** The wall clock, for what another server checks against its own clock (presigned URLs' signing date). */
export const wallClock = (): Date => new Date();
