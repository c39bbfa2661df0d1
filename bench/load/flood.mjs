// The flood driver: token requests with well-formed but wrong client secrets, from many loopback
// source addresses, in its own process. The spec is a JSON object, given as the first argument
// or in BENCH_LOAD_SPEC:
//   { url (the token endpoint), victim (a real client_id), connections? (32),
//     victimShare? (0.5: the share of connections that use the victim's id; the others use a
//     new random unknown id per request), addresses? (200: 127.0.0.2 …, rotated per request),
//     duration? (s; 0 = until SIGTERM/SIGINT), maxRequests? (0 = no limit) }
// Prints one JSON object on stdout when it stops: requests, rate, counts by status code and
// by target (victim / unknown), errors.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateClientSecret } from '../../libs/m2m/dist/clients/client-secret.js';
import { basic, loopbackAgents, send, tally } from '../lib/loopback.mjs';

const spec = JSON.parse(process.argv[2] ?? process.env.BENCH_LOAD_SPEC ?? 'null');
if (spec === null || typeof spec.url !== 'string') {
  process.stderr.write(
    'usage: node bench/load/flood.mjs \'{"url":"…/oauth2/token","victim":"m2mc_…"}\'\n',
  );
  process.exit(2);
}
const connections = spec.connections ?? 32;
const victimShare = spec.victimShare ?? 0.5;
const victimConnections = spec.victim ? Math.round(connections * victimShare) : 0;
const agents = loopbackAgents(spec.addresses ?? 200);
const maxRequests = spec.maxRequests ?? 0;

const byStatus = tally();
const byTarget = { victim: tally(), unknown: tally() };
const errors = tally();
const usedAddresses = new Set();
let sent = 0;
let completed = 0;
let stopped = false;
const started = performance.now();

async function worker(index) {
  const target = index < victimConnections ? 'victim' : 'unknown';
  while (!stopped && (maxRequests === 0 || sent < maxRequests)) {
    const agent = agents[sent % agents.length];
    sent++;
    usedAddresses.add(agent.options.localAddress);
    const clientId =
      target === 'victim' ? spec.victim : `m2mc_${randomBytes(16).toString('base64url')}`;
    const response = await send(spec.url, {
      method: 'POST',
      agent,
      headers: {
        authorization: basic(clientId, generateClientSecret()),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (stopped) break;
    completed++;
    byStatus.add(response.status);
    byTarget[target].add(response.status);
    if (response.error) errors.add(response.error);
  }
}

let reported = false;
function report() {
  if (reported) return;
  reported = true;
  stopped = true;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      url: spec.url,
      connections,
      victimConnections,
      addressesUsed: usedAddresses.size,
      seconds,
      requests: completed,
      requestsPerSecond: completed / seconds,
      statusCodes: byStatus.counts,
      byTarget: { victim: byTarget.victim.counts, unknown: byTarget.unknown.counts },
      errors: errors.counts,
    }) + '\n',
    () => process.exit(0),
  );
}
process.on('SIGTERM', report);
process.on('SIGINT', report);
if (spec.duration > 0) setTimeout(report, spec.duration * 1000).unref();

await Promise.all(Array.from({ length: connections }, (_, i) => worker(i)));
report();
