#!/usr/bin/env node
// The `nestjs-m2m` command of the package: `npx nestjs-m2m clients create --name N --scopes "a b"`.
import 'reflect-metadata';
import { runM2mCli } from './run-cli.js';

process.exitCode = await runM2mCli(process.argv.slice(2));
