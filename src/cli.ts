import 'reflect-metadata';
import { runExampleCli } from './cli/example-cli.js';

process.exitCode = await runExampleCli(process.argv.slice(2));
