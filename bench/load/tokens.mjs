// Many distinct access tokens, in its own process. The spec is a JSON object, given as the first
// argument or in BENCH_LOAD_SPEC:
//   mint:    { mode: 'mint', url (token endpoint), clientId, clientSecret, body?, count,
//              seconds (time cap), file, connections? (8), addresses? (200) }
//            requests tokens until `count` are minted or `seconds` have passed; writes them to
//            `file`, one a line.
//   present: { mode: 'present', url (a guarded route), file, connections? (16),
//              addresses? (200) }
//            presents every token of `file` once, as a bearer token.
// Source addresses rotate per request over 127.0.0.2 …, like the flood driver's.
// Prints one JSON object on stdout: counts by status code, rate, and (mint) how many were minted.
import { createWriteStream, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { basic, loopbackAgents, send, tally } from '../lib/loopback.mjs';

const spec = JSON.parse(process.argv[2] ?? process.env.BENCH_LOAD_SPEC ?? 'null');
if (spec === null || !['mint', 'present'].includes(spec.mode)) {
  process.stderr.write('usage: node bench/load/tokens.mjs \'{"mode":"mint"|"present",…}\'\n');
  process.exit(2);
}
const agents = loopbackAgents(spec.addresses ?? 200);
const statuses = tally();
const errors = tally();
let next = 0;
const started = performance.now();

async function pool(connections, job) {
  await Promise.all(Array.from({ length: connections }, () => job()));
}

if (spec.mode === 'mint') {
  const out = createWriteStream(spec.file);
  const deadline = started + spec.seconds * 1000;
  const authorization = basic(spec.clientId, spec.clientSecret);
  let minted = 0;
  let pending = 0;
  await pool(spec.connections ?? 8, async () => {
    while (minted + pending < spec.count && performance.now() < deadline) {
      pending++;
      const response = await send(spec.url, {
        method: 'POST',
        agent: agents[next++ % agents.length],
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: spec.body ?? 'grant_type=client_credentials',
      });
      pending--;
      statuses.add(response.status);
      if (response.error) errors.add(response.error);
      if (response.status === 200) {
        out.write(JSON.parse(response.body).access_token + '\n');
        minted++;
      }
    }
  });
  await new Promise((resolve) => out.end(resolve));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      mode: 'mint',
      requested: spec.count,
      minted,
      capped: minted < spec.count,
      seconds,
      tokensPerSecond: minted / seconds,
      statusCodes: statuses.counts,
      errors: errors.counts,
    }) + '\n',
  );
} else {
  const tokens = readFileSync(spec.file, 'utf8').split('\n').filter(Boolean);
  await pool(spec.connections ?? 16, async () => {
    while (next < tokens.length) {
      const i = next++;
      const response = await send(spec.url, {
        agent: agents[i % agents.length],
        headers: { authorization: `Bearer ${tokens[i]}` },
      });
      statuses.add(response.status);
      if (response.error) errors.add(response.error);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      mode: 'present',
      presented: tokens.length,
      distinct: new Set(tokens).size,
      seconds,
      requestsPerSecond: tokens.length / seconds,
      statusCodes: statuses.counts,
      errors: errors.counts,
    }) + '\n',
  );
}
