import { isTransient } from '../../shared/platform/transient-failure.ts';

/** Runs a store write again while it fails transiently (a racing transaction), as the API's 503 asks a client to. */
export const retryingTransient = async <T>(write: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isTransient(error)) throw error;
    }
  }
};
