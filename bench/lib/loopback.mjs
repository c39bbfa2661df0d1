// HTTP helpers of the load processes: keep-alive agents bound to distinct loopback source
// addresses (on Linux the whole of 127.0.0.0/8 is local, so no aliases are needed), and a
// small request function that resolves with the status code and the body.
import http from 'node:http';

/** `count` keep-alive agents, bound to 127.0.0.<first> … (wrapping into 127.0.1.x past .254). */
export function loopbackAgents(count, first = 2) {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const localAddress = `127.0.${Math.floor(n / 255)}.${n % 255}`;
    return new http.Agent({ keepAlive: true, localAddress, maxSockets: 64 });
  });
}

/**
 * Sends one request; resolves with { status, body } (status 0 and `error` on a socket error).
 * A request that fails with ECONNRESET on a reused keep-alive socket (the server closed it while
 * idle, just as it was picked) is sent again once on a new socket, as Node's documentation
 * recommends.
 */
export async function send(url, options) {
  const first = await sendOnce(url, options);
  return first.retry ? sendOnce(url, options) : first;
}

function sendOnce(url, { method = 'GET', headers = {}, body, agent, timeoutMs = 60_000 }) {
  return new Promise((resolve) => {
    const request = http.request(url, { method, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (error) => resolve({ status: 0, error: error.code ?? error.message }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) =>
      resolve({
        status: 0,
        error: error.code ?? error.message,
        retry: request.reusedSocket && error.code === 'ECONNRESET',
      }),
    );
    request.end(body);
  });
}

export function basic(clientId, clientSecret) {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** Counts by key, e.g. status codes. */
export function tally() {
  const counts = {};
  return {
    counts,
    add(key) {
      counts[key] = (counts[key] ?? 0) + 1;
    },
  };
}
