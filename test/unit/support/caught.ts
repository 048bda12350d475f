/** The error a call throws, so a test can assert its class, code and details; fails when it does not throw. */
export const caught = (call: () => unknown): Error => {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw, but it returned');
};
