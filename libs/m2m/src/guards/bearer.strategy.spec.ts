import { readBearerHeader } from './bearer.strategy.js';

describe('readBearerHeader (RFC 6750 §2.1)', () => {
  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic YTpi'],
    ['a scheme that only starts like Bearer', 'Bearerish abc'],
    ['several headers', ['Bearer a', 'Bearer b']],
  ])('%s: no token', (_name, header) => {
    expect(readBearerHeader(header as string | string[] | undefined)).toEqual({ kind: 'none' });
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['Bearer a-b_c~d+e/f.g==', 'a-b_c~d+e/f.g=='],
  ])('%j: the token', (header, token) => {
    expect(readBearerHeader(header)).toEqual({ kind: 'token', token });
  });

  it.each([
    'Bearer',
    'Bearer ',
    'Bearer a b',
    'Bearer a!b',
    'Bearer a,b',
    'Bearer =abc',
    'Bearer ab=c',
    'Bearer "abc"',
  ])('%j: malformed', (header) => {
    expect(readBearerHeader(header)).toEqual({
      kind: 'malformed',
      detail: 'not "Bearer <b64token>"',
    });
  });
});
