// One autocannon run in its own process. The spec is a JSON object, given as the first argument
// or in BENCH_LOAD_SPEC:
//   { url, method?, headers?, body?, connections?, duration? (s), warmup? (s), timeout? (s),
//     localAddress? (a source address such as 127.0.0.240), localAddresses? (one per connection) }
// A warm-up run (not recorded) precedes the measured one when `warmup` > 0. Prints one JSON
// object on stdout: throughput, latency percentiles (of all responses, and of 2xx responses
// only), status-code counts, errors and timeouts.
import net from 'node:net';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2] ?? process.env.BENCH_LOAD_SPEC ?? 'null');
if (spec === null || typeof spec.url !== 'string') {
  process.stderr.write('usage: node bench/load/autocannon.mjs \'{"url":"http://…"}\'\n');
  process.exit(2);
}

// autocannon has no source-address option; its client connects with net.connect(port, host),
// which is given the address here: `localAddress`, or `localAddresses` in turn, one per
// connection. Distinct source addresses give the run its own per-IP rate-limit windows.
const sources = spec.localAddresses ?? (spec.localAddress ? [spec.localAddress] : []);
if (sources.length > 0) {
  const connect = net.connect;
  let next = 0;
  net.connect = (...args) =>
    typeof args[0] === 'number'
      ? connect({ port: args[0], host: args[1], localAddress: sources[next++ % sources.length] })
      : connect(...args);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function run(duration, record) {
  return new Promise((resolve, reject) => {
    const ok = [];
    const all = [];
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
        ...(spec.body === undefined ? {} : { body: spec.body }),
        connections: spec.connections ?? 16,
        duration,
        timeout: spec.timeout ?? 30,
      },
      (error, result) => (error ? reject(error) : resolve({ result, ok, all })),
    );
    if (record) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        all.push(responseTime);
        if (statusCode >= 200 && statusCode < 300) ok.push(responseTime);
      });
    }
  });
}

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  process.exit(143);
});

if (spec.warmup > 0) await run(spec.warmup, false);
const { result, ok, all } = await run(spec.duration ?? 10, true);
if (stopping) process.exit(143);
ok.sort((a, b) => a - b);
all.sort((a, b) => a - b);
const statusCodes = Object.fromEntries(
  Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
);
const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
process.stdout.write(
  JSON.stringify({
    url: spec.url,
    method: spec.method ?? 'GET',
    connections: spec.connections ?? 16,
    localAddresses: sources,
    duration: result.duration,
    requestsPerSecond: result.requests.average,
    okPerSecond: ok.length / result.duration,
    // Requests sent, answered (any status) and answered 2xx; those still in flight when the
    // run ended were sent but not answered.
    sent: result.requests.sent,
    total,
    ok: ok.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    // Milliseconds, from the response times of the measured run (autocannon's own histogram
    // rounds to whole milliseconds; it is kept for reference).
    latency: { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? null },
    okLatency: { p50: percentile(ok, 50), p99: percentile(ok, 99) },
    autocannonLatency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  }) + '\n',
);
