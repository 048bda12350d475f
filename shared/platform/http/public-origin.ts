import { ValidationError } from '../errors.ts';

const HOST = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:\d{1,5})?$/i;
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * The API's origin as the caller reached it, for links the API e-mails. API Gateway routes on the
 * Host header, so in AWS it is the API's own (execute-api or custom) domain, served over HTTPS only;
 * the local gateway serves plain HTTP on a loopback address.
 */
export const publicOrigin = (headers: Record<string, string>): string => {
  const host = headers.host ?? '';
  if (!HOST.test(host) && !LOOPBACK.test(host)) {
    throw new ValidationError('The Host header is not a host name; call the API at its own address.');
  }
  return `${LOOPBACK.test(host) ? 'http' : 'https'}://${host.toLowerCase()}`;
};
