import { createServer } from 'node:net';

/** A free TCP port on loopback, or the one asked for. */
export const freePort = (preferred?: number): Promise<number> =>
  new Promise((resolve, reject) => {
    if (preferred !== undefined && preferred > 0) return resolve(preferred);
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

export const portFromEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535; got "${raw}".`);
  }
  return port;
};
