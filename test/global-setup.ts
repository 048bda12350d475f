import type { TestProject } from 'vitest/node';

/** Placeholder until the local servers are wired in (replaced by the real setup). */
export default async function setup(_project: TestProject) {
  return async () => {};
}
