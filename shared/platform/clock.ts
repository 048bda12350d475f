/** Time and identity sources, injected so use cases stay deterministic under test. */
export interface Env {
  now: () => Date;
  newId: () => string;
}

export const systemEnv: Env = { now: () => new Date(), newId: () => crypto.randomUUID() };
