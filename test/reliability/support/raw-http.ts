import { connect } from 'node:net';

/** The payload of a chunked HTTP/1.1 body. */
const dechunk = (text: string): string => {
  let out = '';
  let rest = Buffer.from(text, 'utf8');
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.subarray(0, line).toString(), 16);
    if (line < 0 || !(size > 0)) return out;
    out += rest.subarray(line + 2, line + 2 + size).toString('utf8');
    rest = rest.subarray(line + 2 + size + 2);
  }
};

export interface RawResponse {
  status: number;
  /** The status line and header lines as received. */
  head: string;
  headers: [string, string][];
  body: string;
}

/**
 * Sends one HTTP/1.1 request written byte for byte over a plain socket, so header values may carry
 * what Node's HTTP client refuses to send (CR, LF, NUL, duplicated or conflicting framing headers).
 * A Content-Length is added for the body unless the headers already frame it.
 */
export const rawRequest = (
  url: string,
  request: { method: string; path: string; headers: [string, string][]; body?: string | Uint8Array },
): Promise<RawResponse> => {
  const { hostname, port } = new URL(url);
  const framed = request.headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  // Bytes as given: a Uint8Array body may hold what is not UTF-8 at all.
  const body =
    typeof request.body === 'string' || request.body === undefined
      ? Buffer.from(request.body ?? '', 'utf8')
      : Buffer.from(request.body);
  const lines = [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Connection: close',
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    ...(framed || request.body === undefined ? [] : [`Content-Length: ${body.length}`]),
  ];
  const wire = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), body]);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 15 s')), 15_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      // The server may close while we still write a long request: keep what it answered.
      if (chunks.length > 0) finish();
      else reject(error);
    });
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = headerLines.map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as [string, string];
      });
      const rest = end < 0 ? '' : text.slice(end + 4);
      const chunked = headers.some(([n, v]) => n === 'transfer-encoding' && /chunked/i.test(v));
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
        head,
        headers,
        body: chunked ? dechunk(rest) : rest,
      });
    };
    socket.on('end', finish);
    socket.write(wire);
  });
};
