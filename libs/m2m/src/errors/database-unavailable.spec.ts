import { isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['the pg connect timeout', new Error('timeout exceeded when trying to connect')],
    ['the pg query timeout', new Error('Query read timeout')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    [
      'a statement timeout (57014) wrapped by TypeORM',
      Object.assign(new Error('canceling statement due to statement timeout'), {
        driverError: withCode('57014'),
      }),
    ],
    [
      'an admin shutdown (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['too many connections (53300)', withCode('53300')],
    ['a connection exception (08006)', withCode('08006')],
    ['SQLite busy', withCode('SQLITE_BUSY', 'database is locked')],
    ['SQLite I/O error', withCode('SQLITE_IOERR_WRITE')],
    ['an error caused by one', new Error('outer', { cause: withCode('ETIMEDOUT') })],
  ])('%s: unavailable', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505', 'duplicate key value')],
    [
      'invalid text (22021, e.g. a NUL byte)',
      withCode('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
    ],
    ['a syntax error (42601)', withCode('42601')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_PRIMARYKEY')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('%s: not unavailable', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
