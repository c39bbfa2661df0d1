// The example authorization server, booted as src/main.ts boots it, but through createApp() so
// that module options can be given: BENCH_M2M_OPTIONS is a JSON object of M2mModule options
// (e.g. {"credentialCache":false}); empty means the defaults. Started by bench/run.mjs as a
// child process.
//
// Environment: PORT, HOST, DATABASE_URL, M2M_KEY_ENCRYPTION_KEY (as for the server),
// BENCH_M2M_OPTIONS, BENCH_SERVER_LOGGER ("default" for Nest's logger, as `npm start` has it;
// "false" for none; or a comma-separated list of levels such as "error,warn").
// Prints one JSON line on stdout when listening: { ready, url, pid, options }.
// Started with --expose-gc by the harness (see the IPC handler below); no other difference from
// main.ts.
import { createApp } from '../../dist/src/bootstrap.js';
import { loadConfig } from '../../dist/src/config.js';

function loggerOption(value) {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'default') return undefined;
  return value.split(',').map((level) => level.trim());
}

const m2m = JSON.parse(process.env.BENCH_M2M_OPTIONS || '{}');
const config = loadConfig(process.env, (message) => process.stderr.write(`${message}\n`));
let app;
try {
  app = await createApp(config, { logger: loggerOption(process.env.BENCH_SERVER_LOGGER), m2m });
  await app.listen(config.port, config.host ?? '127.0.0.1');
} catch (error) {
  const busy = error?.code === 'EADDRINUSE';
  process.stderr.write(
    busy
      ? `m2m-server: port ${config.port} on ${config.host} is already in use\n`
      : `m2m-server: cannot start: ${error?.stack ?? error}\n`,
  );
  await app?.close().catch(() => undefined);
  process.exit(busy ? 98 : 1);
}
const address = app.getHttpServer().address();
process.stdout.write(
  JSON.stringify({
    ready: true,
    url: `http://${address.address}:${address.port}`,
    pid: process.pid,
    options: m2m,
  }) + '\n',
);

// Over the IPC channel of the harness: { type: 'memory' } runs a full garbage collection (when
// started with --expose-gc) and answers with process.memoryUsage(). (Not a signal: Nest's
// shutdown hooks take SIGUSR2.) When the harness goes away, the server stops too.
if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    globalThis.gc?.();
    process.send({ type: 'memory', memory: process.memoryUsage(), gc: !!globalThis.gc });
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // Open keep-alive connections of the load generators must not hold the shutdown up.
    app.getHttpServer().closeAllConnections?.();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
