import { runM2mCli, type M2mCliIo } from 'nestjs-m2m';
import { loadConfig } from '../config.js';
import { dataSourceOptions } from '../database.js';

/**
 * The package's CLI on the example server's configuration: the same database (the SQLite default
 * or `DATABASE_URL`) and the same key-encryption key (`M2M_KEY_ENCRYPTION_KEY`, or the development
 * key the server generated).
 */
export async function runExampleCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io?: M2mCliIo,
): Promise<number> {
  let config;
  try {
    config = loadConfig(env, (message) => process.stderr.write(`${message}\n`));
  } catch (error) {
    (io ?? { err: (text: string) => process.stderr.write(`${text}\n`) }).err(
      (error as Error).message,
    );
    return 1;
  }
  return runM2mCli(args, {
    env,
    dataSource: dataSourceOptions(config.database),
    moduleOptions: {
      issuer: config.issuer,
      keyEncryptionKey: config.keyEncryptionKey,
      production: config.production,
    },
    ...(io === undefined ? {} : { io }),
  });
}
