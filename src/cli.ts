import { runCli } from './cli/m2m-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
